"""Who is asking: read from any message (the first one too), asked once after
a greeting with buttons, acknowledged, and sent with every query."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import (
    ASKER_BUTTONS,
    ActionAcknowledgeAsker,
    ActionAskAsker,
    asker_events,
    read_asker,
)
from actions.case import query_from_slots
from actions.read_message import ActionReadMessage

from .conftest import DOMAIN, tracker


def run(action: Any, slots: Optional[Dict[str, Any]] = None, **args: Any
        ) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots=slots, **args), DOMAIN))
    return events, dispatcher.messages


def read(slots: Optional[Dict[str, Any]] = None, **args: Any) -> tuple[List[Dict[str, Any]], None]:
    return asker_events(tracker(slots=slots, **args)), None


@pytest.mark.parametrize(("text", "asker"), [
    ("I'm a volunteer at a baby group, mum of a 4 month old can't bond", "volunteer"),
    ("volunteer at home start, mum with 3 month old seems very flat, BD8", "volunteer"),
    ("I volunteer with Home-Start", "volunteer"),
    ("HV here, 6 week old, mum low", "health_visitor_or_midwife"),
    ("as a midwife I'm worried about a lady at 30 weeks", "health_visitor_or_midwife"),
    ("Hi, I am a health visitor", "health_visitor_or_midwife"),
    ("social worker here, baby 4 months", "other_professional"),
    ("I'm a GP", "other_professional"),
    ("I work for LMM", "lmm_staff"),
    ("LMM clinician here", "lmm_staff"),
])
def test_the_role_is_read_from_what_the_practitioner_says_about_themselves(
    text: str, asker: str
) -> None:
    assert read_asker(text) == asker


@pytest.mark.parametrize("text", [
    "mum is a midwife", "the health visitor is worried", "she works as a nurse",
    "dad volunteers at the food bank", "mum of a 4 month old can't bond", "volunteer",
])
def test_a_mention_of_someone_else_or_a_bare_word_is_not_taken(text: str) -> None:
    assert read_asker(text) is None


def test_right_after_the_question_the_role_alone_is_an_answer() -> None:
    assert read_asker("volunteer", just_asked=True) == "volunteer"
    assert read_asker("health visitor", just_asked=True) == "health_visitor_or_midwife"


def test_the_mapping_sets_the_slot_from_a_message_or_a_button() -> None:
    events, _ = read(text="HV here, baby 6 weeks")
    assert events == [SlotSet("asker", "health_visitor_or_midwife")]
    events, _ = read(text='/tell_role{"asker":"volunteer"}', intent="tell_role",
                    entities=[{"entity": "asker", "value": "volunteer"}])
    assert events == [SlotSet("asker", "volunteer")]
    events, _ = read(text="volunteer", intent="tell_role",
                    slots={"last_asked": "asker"})
    assert events == [SlotSet("asker", "volunteer")]


def test_the_one_slot_mapping_reads_the_role_whatever_the_intent() -> None:
    events, _ = run(ActionReadMessage(), text="HV here", intent="greet")
    assert events == [SlotSet("asker", "health_visitor_or_midwife")]


def test_the_role_once_known_is_kept_and_skipping_does_not_forget_it() -> None:
    events, _ = read(text="mum can't bond", slots={"asker": "volunteer"})
    assert events == []
    events, _ = read(text='/tell_role{"asker":"unknown"}', intent="tell_role",
                    entities=[{"entity": "asker", "value": "unknown"}],
                    slots={"asker": "volunteer"})
    assert events == []


def test_an_unknown_value_in_a_payload_is_ignored() -> None:
    events, _ = read(text='/tell_role{"asker":"nurse"}', intent="tell_role",
                    entities=[{"entity": "asker", "value": "nurse"}])
    assert events == []


def test_asked_once_with_buttons_and_never_when_known() -> None:
    events, messages = run(ActionAskAsker(), intent="greet")
    assert messages[0]["buttons"] == ASKER_BUTTONS
    assert messages[0]["custom"] == {"asking": "asker"}
    assert SlotSet("asked_asker", True) in events
    assert run(ActionAskAsker(), intent="greet", slots={"asked_asker": True}) == ([], [])
    assert run(ActionAskAsker(), intent="greet", slots={"asker": "volunteer"}) == ([], [])


def test_the_answer_is_acknowledged_and_the_practitioner_invited_to_describe_the_family(
) -> None:
    _, messages = run(ActionAcknowledgeAsker(), intent="tell_role",
                      slots={"asker": "volunteer", "last_asked": "asker"})
    assert messages[0]["text"].startswith("Thank you: I will answer for a volunteer.")
    _, messages = run(ActionAcknowledgeAsker(), intent="tell_role", slots={"asker": "unknown"})
    assert messages[0]["text"].startswith("That's fine.")


def test_the_asker_goes_with_every_query_as_one_of_the_api_s_values() -> None:
    assert query_from_slots({"asker": "volunteer"})["asker"] == "volunteer"
    assert "asker" not in query_from_slots({"asker": "unknown"})
    assert "asker" not in query_from_slots({"asker": None})


def test_start_again_forgets_the_family_but_not_who_is_asking() -> None:
    from rasa_sdk.events import AllSlotsReset

    from actions.conversation import ActionStartAgain

    events, messages = run(ActionStartAgain(), slots={
        "asker": "volunteer", "asked_asker": True, "age": "4 months old", "postcode": "BD3 9"})
    assert events[0] == AllSlotsReset()
    assert SlotSet("asker", "volunteer") in events and SlotSet("asked_asker", True) in events
    assert not any(e.get("name") in ("age", "postcode") for e in events)
    assert "forgotten everything about the last family" in messages[0]["text"]
