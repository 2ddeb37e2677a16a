"""A cap on each conversation's size in the tracker store.

A practitioner's conversation grows with every turn (each turn stores the
redacted message, the engine's reading and the ``description`` slot, up to
5,000 characters), so each conversation is capped at ``TRACKER_MAX_EVENTS``
events (default 400) and ``TRACKER_MAX_BYTES`` bytes serialised (default
200,000). When a save would go over either, the oldest turns are dropped:
the tracker is rebuilt from the state at the cut (every slot's value and the
active form, as ``SlotSet``/``ActiveLoop`` events after a session start) and
the most recent whole turns, down to half of each cap. The conversation keeps
working: the case collected so far, the question being asked and the recent
turns the policies look at are all kept; only the oldest user texts are gone.
Restarting the conversation instead would lose the case mid-way.

Used by serving.expiring_store (in memory) and serving.redis_store (Redis).
"""

from __future__ import annotations

import json
import os
from typing import Any, List, Optional, Tuple

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_MAX_EVENTS = 400
DEFAULT_MAX_BYTES = 200_000
MIN_MAX_EVENTS = 50
MIN_MAX_BYTES = 20_000


def _limit(name: str, text: Optional[str], default: int, minimum: int) -> int:
    if not text:
        return default
    if not text.isdigit() or int(text) < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, not {text!r}")
    return int(text)


def caps_from_environment() -> Tuple[int, int]:
    """(max events, max bytes) from TRACKER_MAX_EVENTS and TRACKER_MAX_BYTES."""
    return (
        _limit("TRACKER_MAX_EVENTS", os.environ.get("TRACKER_MAX_EVENTS"),
               DEFAULT_MAX_EVENTS, MIN_MAX_EVENTS),
        _limit("TRACKER_MAX_BYTES", os.environ.get("TRACKER_MAX_BYTES"),
               DEFAULT_MAX_BYTES, MIN_MAX_BYTES),
    )


def tracker_bytes(tracker: DialogueStateTracker) -> int:
    """The tracker's size as the stores keep it (Rasa's serialised JSON)."""
    return len(json.dumps(tracker.as_dialogue().as_dict()).encode("utf-8"))


def _events_bytes(events: List[Event]) -> int:
    return sum(len(json.dumps(e.as_dict()).encode("utf-8")) for e in events)


def _turn_starts(events: List[Event]) -> List[int]:
    """Indexes where a practitioner's turn starts (each user message)."""
    return [i for i, event in enumerate(events) if isinstance(event, UserUttered)]


def _state_events(
    sender_id: str, before: List[Event], domain: Domain, at: float
) -> List[Event]:
    """Events that restore the state after ``before``: a session start, each
    slot's value, the active form, then listening (timestamps just before ``at``)."""
    past = DialogueStateTracker.from_events(sender_id, before, slots=domain.slots)
    events: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    for name, slot in past.slots.items():
        if slot.value != slot.initial_value:
            events.append(SlotSet(name, slot.value))
    loop = past.active_loop_name
    if loop:
        events.append(ActiveLoop(loop))
    events.append(ActionExecuted(ACTION_LISTEN_NAME))
    step = 0.000001
    for index, event in enumerate(events):
        event.timestamp = at - step * (len(events) - index)
    return events


def capped(
    tracker: DialogueStateTracker, domain: Domain, max_events: int, max_bytes: int
) -> DialogueStateTracker:
    """``tracker`` itself when within both caps; else a tracker with the same
    state and only the most recent whole turns (within half of each cap)."""
    events = list(tracker.events)
    if len(events) <= max_events and tracker_bytes(tracker) <= max_bytes:
        return tracker
    starts = _turn_starts(events)
    if not starts:
        return tracker  # no user turn to drop: nothing that was typed to forget
    cut = starts[-1]
    for start in starts:
        tail = events[start:]
        if len(tail) <= max_events // 2 and _events_bytes(tail) <= max_bytes // 2:
            cut = start
            break
    kept = events[cut:]
    prefix = _state_events(tracker.sender_id, events[:cut], domain, kept[0].timestamp)
    compact = DialogueStateTracker.from_events(
        tracker.sender_id, prefix + kept, slots=domain.slots,
        max_event_history=tracker._max_event_history,
    )
    return compact


def user_texts(tracker: Any) -> List[str]:
    """The user messages a tracker holds (for tests and checks)."""
    return [e.text or "" for e in tracker.events if isinstance(e, UserUttered)]
