"""The in-memory tracker store forgets conversations idle for longer than the
expiry (on use and on a background timer), caps each conversation's size,
and bot/endpoints.yml makes it the store `rasa run` uses."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import List

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving.expiring_store import ExpiringInMemoryTrackerStore
from serving.tracker_cap import caps_from_environment, capped, tracker_bytes

BOT_DIR = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def conversation(sender_id: str, text: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, slots=[])
    tracker.update(UserUttered(text, {"name": "describe_case", "confidence": 1.0}))
    return tracker


def texts(tracker: DialogueStateTracker | None) -> List[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_a_conversation_idle_past_the_expiry_is_forgotten() -> None:
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp=3600, clock=clock)

    async def scenario() -> None:
        await store.save(conversation("old", "4 month old in BD3"))
        clock.now += 1800
        await store.save(conversation("recent", "14 months, BD7 2"))
        assert texts(await store.retrieve("old")) == ["4 month old in BD3"]

        clock.now += 1801  # "old" idle for 3601 s, "recent" for 1801 s
        assert await store.retrieve("old") is None
        assert await store.retrieve_full_tracker("old") is None
        assert texts(await store.retrieve("recent")) == ["14 months, BD7 2"]
        assert list(await store.keys()) == ["recent"]

    asyncio.run(scenario())


def test_saving_again_keeps_a_conversation_alive() -> None:
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp=600, clock=clock)

    async def scenario() -> None:
        tracker = conversation("family", "baby is 6 weeks")
        await store.save(tracker)
        for _ in range(3):
            clock.now += 500
            tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 1.0}))
            await store.save(tracker)
        clock.now += 500  # 2000 s since it started, 500 s since the last save
        assert texts(await store.retrieve("family")) == ["baby is 6 weeks", "yes", "yes", "yes"]
        clock.now += 100
        assert await store.retrieve("family") is None

    asyncio.run(scenario())


def test_the_sweep_on_save_frees_memory_without_a_retrieve() -> None:
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp=60, clock=clock)

    async def scenario() -> None:
        for number in range(5):
            await store.save(conversation(f"c{number}", "hello"))
        clock.now += 61
        await store.save(conversation("new", "hello"))
        assert set(store.store) == {"new"}

    asyncio.run(scenario())


def test_expiry_defaults_to_a_day_and_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRACKER_EXPIRY_SECONDS", raising=False)
    assert ExpiringInMemoryTrackerStore(Domain.empty()).expiry_seconds == 86400
    monkeypatch.setenv("TRACKER_EXPIRY_SECONDS", "7200")
    assert ExpiringInMemoryTrackerStore(Domain.empty()).expiry_seconds == 7200
    monkeypatch.setenv("TRACKER_EXPIRY_SECONDS", "a day")
    with pytest.raises(ValueError, match="TRACKER_EXPIRY_SECONDS must be a whole number"):
        ExpiringInMemoryTrackerStore(Domain.empty())


def test_endpoints_file_makes_it_the_tracker_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.delenv("TRACKER_EXPIRY_SECONDS", raising=False)
    monkeypatch.chdir(BOT_DIR)
    endpoints = read_endpoints_from_path(str(BOT_DIR / "endpoints.yml"))
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert isinstance(store, ExpiringInMemoryTrackerStore)
    assert store.expiry_seconds == 86400


def test_a_background_timer_forgets_conversations_nobody_touches() -> None:
    """A fake clock for the expiry, a real 20 ms timer: no save or retrieve
    after the conversation expires, and it is gone all the same."""
    clock = Clock()
    store = ExpiringInMemoryTrackerStore(
        Domain.empty(), record_exp=60, clock=clock, sweep_seconds=0.02
    )
    try:
        asyncio.run(store.save(conversation("quiet", "Mrs [name], 6 weeks")))
        time.sleep(0.1)
        assert set(store.store) == {"quiet"}, "not expired yet: kept"
        clock.now += 61
        deadline = time.monotonic() + 5
        while store.store and time.monotonic() < deadline:
            time.sleep(0.01)
        assert store.store == {} and not store._updated
    finally:
        store.close()
    assert not store._timer.is_alive()


def test_the_timer_interval_comes_from_the_environment_and_never_exceeds_the_expiry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_SWEEP_SECONDS", "30")
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp=600)
    assert store.sweep_seconds == 30
    store.close()
    monkeypatch.setenv("TRACKER_SWEEP_SECONDS", "3600")
    store = ExpiringInMemoryTrackerStore(Domain.empty(), record_exp=600)
    assert store.sweep_seconds == 600
    store.close()


def test_a_long_conversation_is_capped_and_keeps_its_case() -> None:
    domain = Domain.from_directory(str(BOT_DIR / "domain"))
    store = ExpiringInMemoryTrackerStore(domain, max_events=60, max_bytes=20_000)
    tracker = DialogueStateTracker("long", slots=domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(40):
        tracker.update(UserUttered(f"turn {turn}", {"name": "describe_case", "confidence": 1.0}))
        tracker.update(SlotSet("description", f"words {turn} " * 50))
        if turn == 3:
            tracker.update(SlotSet("age", "4 months old"))
            tracker.update(ActiveLoop("triage_form"))
        tracker.update(ActionExecuted("action_listen"))

    async def scenario() -> DialogueStateTracker | None:
        await store.save(tracker)
        return await store.retrieve("long")

    try:
        kept = asyncio.run(scenario())
    finally:
        store.close()
    assert kept is not None
    assert len(kept.events) <= 60 and tracker_bytes(kept) <= 20_000
    said = texts(kept)
    assert "turn 0" not in said and said[-1] == "turn 39", "the oldest turns went"
    assert kept.get_slot("age") == "4 months old", "the case so far is kept"
    assert kept.active_loop_name == "triage_form", "and the question being asked"
    assert kept.get_slot("description") == "words 39 " * 50


def test_a_short_conversation_is_stored_as_it_is() -> None:
    domain = Domain.from_directory(str(BOT_DIR / "domain"))
    tracker = conversation("short", "hello")
    assert capped(tracker, domain, 400, 200_000) is tracker


def test_caps_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_MAX_EVENTS", raising=False)
    monkeypatch.delenv("TRACKER_MAX_BYTES", raising=False)
    assert caps_from_environment() == (400, 200_000)
    monkeypatch.setenv("TRACKER_MAX_EVENTS", "100")
    monkeypatch.setenv("TRACKER_MAX_BYTES", "50000")
    assert caps_from_environment() == (100, 50_000)
    monkeypatch.setenv("TRACKER_MAX_EVENTS", "5")
    with pytest.raises(ValueError, match="TRACKER_MAX_EVENTS must be a whole number of at least"):
        caps_from_environment()
