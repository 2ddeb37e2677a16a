"""Validation for the triage and eligibility forms, through the engine.

Each answer is checked by the api (the engine's age and postcode parsers), so
"6 wks", "bd39lf" and "28 weeks pregnant" work and an unreadable answer gets
the engine's own message about what is accepted. After two unreadable answers
the question offers "I don't know" so the practitioner is never stuck.

Once age, concerns and postcode are known the form asks the engine for a
preview: a postcode district split between areas gets one request for the
full postcode or sector, and whatever else the engine still reports as
missing that the bot can ask about (how long, consent to a referral) becomes
the next question. Checks and previews are
sent as ``final=False`` so the usage counts count only the final answer
(action_recommend). A red flag in any message
ends the form at once so the recommendation (urgent) comes straight away.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.case import OTHER_CONCERN, UNKNOWN, concern_codes, query_from_tracker
from actions.render import send_recommendation

# Extra details the engine may report as missing and the bot knows how to ask,
# in the order asked.
ASKABLE_EXTRAS = ("duration", "consent_to_referral")
MAX_RETRIES_BEFORE_WAY_OUT = 2


def needs_fuller_postcode(preview: Dict[str, Any], tracker: Tracker) -> bool:
    """The engine cannot place the family because their postcode district is
    split between areas, and the bot has not yet asked for more of it."""
    reading = preview.get("postcode") or {}
    return (
        "postcode" in (preview.get("missing") or [])
        and bool(reading.get("possible_areas"))
        and not tracker.get_slot("asked_fuller_postcode")
    )


def retries(tracker: Tracker, slot: str) -> int:
    counts = tracker.get_slot("retries") or {}
    return int(counts.get(slot, 0)) if isinstance(counts, dict) else 0


def _retry_events(tracker: Tracker, slot: str) -> Dict[Text, Any]:
    counts = dict(tracker.get_slot("retries") or {})
    counts[slot] = retries(tracker, slot) + 1
    return {slot: None, "retries": counts}


class _CaseValidation(FormValidationAction):
    """Validators shared by both forms (each has its own form name)."""

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so the action server does not register this base class."""

    async def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"age": value}
        try:
            result = await NavigatorApi().recommend({"age": str(value)[:200]}, final=False)
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return _retry_events(tracker, "age")
        except ApiUnavailable:
            return {"age": str(value)}  # keep it; the recommendation step reports the outage
        age = result.get("age") or {}
        return {"age": age.get("text") or str(value)}

    async def validate_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"postcode": value}
        try:
            result = await NavigatorApi().postcode(str(value)[:20])
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return _retry_events(tracker, "postcode")
        except ApiUnavailable:
            return {"postcode": str(value)}
        # The engine's note on a split or unknown district comes with its answer.
        return {"postcode": result.get("normalised") or str(value)}


class ValidateTriageForm(_CaseValidation):
    def name(self) -> Text:
        return "validate_triage_form"

    async def validate_concerns(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value and (concern_codes(value) or OTHER_CONCERN in value):
            return {"concerns": list(value)}
        dispatcher.utter_message(
            text="I could not match that to a concern I know about. Pick the nearest below, "
            "or describe it in other words (for example \"mum finds it hard to bond\", "
            "\"baby cries all the time\", \"dad has low mood\")."
        )
        return _retry_events(tracker, "concerns")

    async def validate_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"duration": value}
        try:
            await NavigatorApi().recommend({"duration": str(value)[:100]}, final=False)
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return _retry_events(tracker, "duration")
        except ApiUnavailable:
            pass
        return {"duration": str(value)[:100]}

    async def validate_consent_to_referral(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if isinstance(value, bool) or value == UNKNOWN:
            return {"consent_to_referral": value}
        dispatcher.utter_message(text="Please answer yes or no, or say you don't know yet.")
        return _retry_events(tracker, "consent_to_referral")

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """The core slots, plus any extra the form has asked for (so it is validated)."""
        extras = [
            slot for slot in ASKABLE_EXTRAS
            if tracker.get_slot(REQUESTED_SLOT) == slot or tracker.get_slot(slot) is not None
        ]
        return list(domain_slots) + extras

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """A red flag ends the form; otherwise the engine says what else to ask."""
        if tracker.get_slot("red_flag"):
            return SlotSet(REQUESTED_SLOT, None)
        if any(tracker.get_slot(slot) is None for slot in self.domain_slots(domain)):
            return None  # Rasa asks the next core question in order
        try:
            preview = await NavigatorApi().recommend(query_from_tracker(tracker), final=False)
        except (ApiUnavailable, ApiInputError):
            return None
        if preview.get("tier") == "urgent":
            return SlotSet(REQUESTED_SLOT, None)
        if needs_fuller_postcode(preview, tracker):
            return SlotSet(REQUESTED_SLOT, "postcode")  # action_ask_postcode says why
        for extra in ASKABLE_EXTRAS:
            if extra in (preview.get("missing") or []) and tracker.get_slot(extra) is None:
                if tracker.get_slot("last_asked") not in ASKABLE_EXTRAS:
                    # The answer so far comes at once; the question may refine it.
                    send_recommendation(dispatcher, preview, final=False)
                return SlotSet(REQUESTED_SLOT, extra)
        return None


class ValidateEligibilityForm(_CaseValidation):
    def name(self) -> Text:
        return "validate_eligibility_form"

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """Once age and postcode are known, ask once for more of a postcode
        whose district is split, if that is what leaves eligibility open."""
        if tracker.get_slot("asked_fuller_postcode"):
            return None
        query = {slot: tracker.get_slot(slot) for slot in ("age", "postcode")}
        if any(value in (None, UNKNOWN) for value in query.values()):
            return None
        try:
            preview = await NavigatorApi().recommend(query, final=False)
        except (ApiUnavailable, ApiInputError):
            return None
        if needs_fuller_postcode(preview, tracker):
            return SlotSet(REQUESTED_SLOT, "postcode")
        return None


def retry_note(tracker: Tracker, slot: str) -> List[Dict[str, str]]:
    """The "I don't know" way out, offered once an answer failed twice."""
    if retries(tracker, slot) >= MAX_RETRIES_BEFORE_WAY_OUT:
        return [{"title": "I don't know", "payload": "/dont_know"}]
    return []
