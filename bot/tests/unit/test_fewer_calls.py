"""Fewer calls to the api per turn: validation takes what the engine already
read from the message, one turn asks the api once for the same case, and the
calls share one kept-alive client."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Iterator, List

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import api_client, turn_answers
from actions.forms import ValidateEligibilityForm, ValidateTriageForm
from actions.recommendation import ActionRecommend

from .conftest import DOMAIN, FakeApi, tracker
from .samples import PARSE_ONE_MESSAGE, REFERRAL

KNOWN_ASKER = {"asker": "health_visitor_or_midwife"}
DURATION_ERROR = {
    "detail": "I could not read that.",
    "errors": [{"field": "duration", "message": 'I could not read "banana" as how long it has '
                "been going on. Give a number of weeks or months."}],
}


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    turn_answers.forget()
    yield
    turn_answers.forget()


def with_message(t: Tracker, message_id: str = "m1", **extra: Any) -> Tracker:
    t.latest_message = {**t.latest_message, "message_id": message_id, **extra}
    return t


def run(form: Any, t: Tracker) -> tuple[List[Dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    return asyncio.run(form.run(dispatcher, t, DOMAIN)), dispatcher


def test_the_engines_own_reading_of_age_and_postcode_is_taken_without_a_call(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, missing=[]))
    t = with_message(tracker(
        text="4 month old in BD3 9, can't bond", intent="describe_case",
        active_loop="eligibility_form",
        slots={"age": "4 months old", "postcode": "BD3 9", "asked_fuller_postcode": True},
        events=[{"event": "slot", "name": "age", "value": "4 months old"},
                {"event": "slot", "name": "postcode", "value": "BD3 9"}],
    ), navigator_parse=PARSE_ONE_MESSAGE)
    events, dispatcher = run(ValidateEligibilityForm(), t)
    assert events == [SlotSet("age", "4 months old"), SlotSet("postcode", "BD3 9")]
    assert dispatcher.messages == []
    assert api.requests == [], "no /recommendations or /postcodes call to re-read them"


def test_an_age_the_engine_did_not_read_from_the_message_is_still_checked(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    t = with_message(tracker(
        text="sorry, 6 wks", intent="correct", active_loop="triage_form",
        slots={"requested_slot": "age", "age": "6 wks"},
        events=[{"event": "slot", "name": "age", "value": "6 wks"}],
    ), navigator_parse=dict(PARSE_ONE_MESSAGE, age=None))
    events, _ = run(ValidateTriageForm(), t)
    assert events == [SlotSet("age", "4 months old")]
    assert api.sent_json("/api/v1/recommendations") == [{"age": "6 wks"}]


CASE = {"age": "4 months old", "postcode": "BD3 9", "concerns": ["bonding"],
        "safety_check": "none_apply", "consent_to_referral": True, **KNOWN_ASKER}


def test_a_duration_is_checked_with_the_case_and_that_answer_serves_the_whole_turn(
    api: FakeApi,
) -> None:
    api.on("POST", "/api/v1/recommendations", 200, dict(REFERRAL, missing=[]))
    slots = {**CASE, "requested_slot": "duration", "duration": "about 2 months"}
    t = with_message(tracker(
        text="about 2 months", intent="inform", active_loop="triage_form", slots=slots,
        events=[{"event": "slot", "name": "duration", "value": "about 2 months"}],
    ))
    events, _ = run(ValidateTriageForm(), t)
    assert SlotSet("duration", "about 2 months") in events
    sent = api.sent_json("/api/v1/recommendations")
    assert len(sent) == 1, "the duration's check is the form's preview"
    assert sent[0]["duration"] == "about 2 months" and sent[0]["concerns"] == ["bonding"]
    # The form ends and action_recommend answers in the same turn: the same case.
    final = with_message(tracker(text="about 2 months", intent="inform", slots={
        **CASE, "duration": "about 2 months"}))
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionRecommend().run(dispatcher, final, DOMAIN))
    assert len(api.sent_json("/api/v1/recommendations")) == 1
    assert dispatcher.messages, "the recommendation is still given"
    # The next message is a new turn: the api is asked again.
    asyncio.run(ActionRecommend().run(
        CollectingDispatcher(), with_message(final, message_id="m2"), DOMAIN
    ))
    assert len(api.sent_json("/api/v1/recommendations")) == 2


def test_an_unreadable_duration_is_re_asked_with_the_engines_message(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 422, DURATION_ERROR)
    slots = {**CASE, "requested_slot": "duration", "duration": "banana"}
    t = with_message(tracker(
        text="banana", intent="inform", active_loop="triage_form", slots=slots,
        events=[{"event": "slot", "name": "duration", "value": "banana"}],
    ))
    events, dispatcher = run(ValidateTriageForm(), t)
    assert SlotSet("duration", None) in events
    assert [m["text"] for m in dispatcher.messages] == [
        "I could not read that as how long it has been going on. Give a number of weeks or "
        "months."
    ]


def test_a_duration_is_checked_alone_when_another_field_is_refused(api: FakeApi) -> None:
    def answer(request: httpx.Request) -> tuple[int, Any]:
        body = request.read().decode()
        if '"age"' in body:
            return 422, {"detail": "bad age", "errors": [{"field": "age", "message": "bad age"}]}
        return 200, REFERRAL

    api.routes[("POST", "/api/v1/recommendations")] = answer
    slots = {**CASE, "requested_slot": "duration", "duration": "6 weeks"}
    t = with_message(tracker(
        text="6 weeks", intent="inform", active_loop="triage_form", slots=slots,
        events=[{"event": "slot", "name": "duration", "value": "6 weeks"}],
    ))
    events, dispatcher = run(ValidateTriageForm(), t)
    assert SlotSet("duration", "6 weeks") in events
    assert {"duration": "6 weeks"} in api.sent_json("/api/v1/recommendations")
    assert not any("bad age" in m.get("text", "") for m in dispatcher.messages)


def test_without_a_message_id_nothing_is_kept(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 200, REFERRAL)
    plain = tracker(text="x", slots=CASE)
    for _ in range(2):
        asyncio.run(ActionRecommend().run(CollectingDispatcher(), plain, DOMAIN))
    assert len(api.sent_json("/api/v1/recommendations")) == 2


def test_refusals_are_not_kept(api: FakeApi) -> None:
    api.on("POST", "/api/v1/recommendations", 503, {"detail": "down"})
    t = with_message(tracker(text="x", slots=CASE))
    for _ in range(2):
        asyncio.run(ActionRecommend().run(CollectingDispatcher(), t, DOMAIN))
    assert len(api.requests) == 2


def test_one_client_serves_every_call_in_an_event_loop(api: FakeApi) -> None:
    async def two_calls() -> List[httpx.AsyncClient]:
        base = api_client.api_url()
        first = api_client.shared_client(base)
        await api_client.NavigatorApi().services()
        await api_client.NavigatorApi().services()
        return [first, api_client.shared_client(base)]

    api.on("GET", "/api/v1/services", 200, [])
    first, second = asyncio.run(two_calls())
    assert first is second
    assert len(api.requests) == 2
    # Another loop (and another transport, as a test's) gets a client of its own.
    third, _ = asyncio.run(two_calls())
    assert third is not first
