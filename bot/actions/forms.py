"""Validation for the triage and eligibility forms, through the engine.

Each answer is checked by the api (the engine's age and postcode parsers), so
"6 wks", "bd39lf" and "28 weeks pregnant" work and an unreadable answer gets
the engine's own message about what is accepted. An age or postcode that is
the engine's own reading of the message (the ``navigator_parse`` metadata the
chat proxy sends) is already in the engine's words and is taken with no call.
A duration is checked with the whole case, which is the preview the form asks
for next (one answer per turn: ``actions.turn_answers``). No question is
asked three times in a row: the second time it offers its choices as buttons
and "Speak to a person" (``actions.asking``); when it would come a third time
the form carries on without the answer instead (the age, postcode or duration
unknown, the worry "something else", consent not asked yet, and the safety
check "not sure", since safety comes first).

Once age, concerns and postcode are known the form asks the engine for a
preview: a red flag ends the form (the answer is urgent at once); a postcode
district split between areas gets one request for the full postcode or
sector; then the red-flag check (``safety_check``) is asked once per case,
before any answer that is not urgent: "Yes" or "Not sure" ends the form and
the answer is urgent. Whatever else the engine still reports as missing that
the bot can ask about (how long, consent to a referral) becomes the next
question, after the answer so far.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.asking import ASKER_SKIPPED, times_asked
from actions.case import (
    OTHER_CONCERN,
    SAFETY_ANSWERS,
    SAFETY_URGENT,
    UNKNOWN,
    concern_codes,
    query_from_tracker,
)
from actions.read_message import engine_reading
from actions.render import send_recommendation
from actions.turn_answers import recommendation

# Extra details the engine may report as missing and the bot knows how to ask,
# in the order asked.
ASKABLE_EXTRAS = ("duration", "consent_to_referral")
SAFETY_CHECK = "safety_check"
ASKER = "asker"
# The answers that differ by who is asking: a volunteer is told whom to tell,
# not to consult LMM or refer to it.
LMM_TIERS = ("lmm_consultation", "lmm_referral")
# A question is asked at most this many times in a row.
MAX_ASKS_IN_A_ROW = 2
# What the form takes instead of asking a third time, and says.
CARRY_ON_WITHOUT: Dict[str, Tuple[Any, str]] = {
    "age": (UNKNOWN, "I will carry on without the baby's age: tell me at any point if you "
                     "find out."),
    "postcode": (UNKNOWN, "I will carry on without the postcode: tell me at any point if you "
                          "find out."),
    "concerns": ([OTHER_CONCERN], "I will carry on without naming the worry: describe it at any "
                                  "point and I will look again."),
    "duration": (UNKNOWN, "I will carry on without knowing how long it has been going on."),
    "consent_to_referral": (UNKNOWN, "I will take it that the family has not been asked about "
                                     "a referral yet."),
    SAFETY_CHECK: ("not_sure", "I could not tell whether any of those apply, so I am taking it "
                               "as \"not sure\": safety comes first."),
}


def needs_fuller_postcode(preview: Dict[str, Any], tracker: Tracker) -> bool:
    """The engine cannot place the family because their postcode district is
    split between areas, and the bot has not yet asked for more of it."""
    reading = preview.get("postcode") or {}
    return (
        "postcode" in (preview.get("missing") or [])
        and bool(reading.get("possible_areas"))
        and not tracker.get_slot("asked_fuller_postcode")
    )


class _CaseValidation(FormValidationAction):
    """Validators shared by both forms (each has its own form name)."""

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so the action server does not register this base class."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """rasa_sdk's extraction and validation, then the next question, except
        that a question about to be asked a third time in a row is not: the
        form takes :data:`CARRY_ON_WITHOUT` for it and moves on."""
        tracker.add_slots(await self.get_extraction_events(dispatcher, tracker, domain))
        events = await self.get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        # A message that answered nothing ("why?", "speak to a person") is
        # left to its own rule first (the form steps aside); the form decides
        # when it comes back to its question.
        may_carry_on = bool(events) or self._came_back(tracker)
        for _ in CARRY_ON_WITHOUT:
            next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
            slot = next_slot["value"] if next_slot else self._first_missing(tracker, domain)
            if (
                not may_carry_on
                or slot not in CARRY_ON_WITHOUT
                or times_asked(tracker, slot) < MAX_ASKS_IN_A_ROW
            ):
                break
            value, said = CARRY_ON_WITHOUT[slot]
            dispatcher.utter_message(text=said)
            carried_on = [SlotSet(slot, value)]
            tracker.add_slots(carried_on)
            events += carried_on
        else:
            next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        if next_slot:
            events.append(next_slot)
        return events

    def _came_back(self, tracker: Tracker) -> bool:
        """The form is coming back after another action answered the message
        (not running straight after it)."""
        own = {"action_listen", "action_extract_slots", self.form_name(), self.name()}
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                return False
            if event.get("event") == "action" and event.get("name") not in own:
                return True
        return False

    def _first_missing(self, tracker: Tracker, domain: DomainDict) -> Optional[str]:
        """The slot Rasa asks for when validation names none."""
        return next((s for s in self.domain_slots(domain) if tracker.get_slot(s) is None), None)

    async def validate_age(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"age": value}
        if value == (engine_reading(tracker).get("age") or {}).get("text"):
            # The engine's own reading of this message: already its wording.
            return {"age": value}
        try:
            result = await NavigatorApi().recommend({"age": str(value)[:200]})
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return {"age": None}
        except ApiUnavailable:
            return {"age": str(value)}  # keep it; the recommendation step reports the outage
        age = result.get("age") or {}
        return {"age": age.get("text") or str(value)}

    async def validate_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"postcode": value}
        if value == (engine_reading(tracker).get("postcode") or {}).get("normalised"):
            # The engine resolved this message's postcode already (the same
            # answer as POST /api/v1/postcodes, lmm_area included).
            return {"postcode": value}
        try:
            result = await NavigatorApi().postcode(str(value)[:20])
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return {"postcode": None}
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
        return {"concerns": None}

    async def validate_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in (None, UNKNOWN):
            return {"duration": value}
        duration = str(value)[:100]
        # The case with this duration: the preview the form asks for next, so
        # checking the duration costs no call of its own when the case reads.
        query = {**query_from_tracker(tracker), "duration": duration}
        try:
            try:
                await recommendation(tracker, query)
            except ApiInputError as error:
                if error.field == "duration":
                    raise
                # Another field refused: check the duration alone.
                await NavigatorApi().recommend({"duration": duration})
        except ApiInputError as error:
            dispatcher.utter_message(text=error.message)
            return {"duration": None}
        except ApiUnavailable:
            pass
        return {"duration": duration}

    async def validate_consent_to_referral(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if isinstance(value, bool) or value == UNKNOWN:
            return {"consent_to_referral": value}
        dispatcher.utter_message(
            text="I could not tell from that whether the family has agreed (a plan to refer "
            "is not their agreement). Please answer yes or no, or say they have not been "
            "asked yet."
        )
        return {"consent_to_referral": None}

    async def extract_asker(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Asked who they are, a practitioner who answers with something else
        (more about the family) is answered without it: never asked twice."""
        if tracker.get_slot(REQUESTED_SLOT) != ASKER or tracker.get_slot(ASKER) is not None:
            return {}
        return {ASKER: ASKER_SKIPPED}

    async def validate_safety_check(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value in SAFETY_ANSWERS:
            return {SAFETY_CHECK: value}
        dispatcher.utter_message(
            text="Please say whether any of these apply: \"None of these\", \"Yes\" or "
            "\"Not sure\"."
        )
        return {SAFETY_CHECK: None}

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        """The core slots, plus the safety check and any extra the form has
        asked for (so their answers are validated)."""
        extras = [
            slot for slot in (SAFETY_CHECK, ASKER, *ASKABLE_EXTRAS)
            if tracker.get_slot(REQUESTED_SLOT) == slot or tracker.get_slot(slot) is not None
        ]
        return list(domain_slots) + extras

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """A red flag, or "yes" or "not sure" at the safety check, ends the
        form; otherwise the engine says what else to ask."""
        if tracker.get_slot("red_flag") or tracker.get_slot(SAFETY_CHECK) in SAFETY_URGENT:
            return SlotSet(REQUESTED_SLOT, None)
        if any(tracker.get_slot(slot) is None for slot in self.domain_slots(domain)):
            return None  # Rasa asks the next core question in order
        try:
            preview = await recommendation(tracker, query_from_tracker(tracker))
        except (ApiUnavailable, ApiInputError):
            return None
        if preview.get("tier") == "urgent":
            return SlotSet(REQUESTED_SLOT, None)
        if needs_fuller_postcode(preview, tracker):
            return SlotSet(REQUESTED_SLOT, "postcode")  # action_ask_postcode says why
        if tracker.get_slot(SAFETY_CHECK) not in SAFETY_ANSWERS:
            return SlotSet(REQUESTED_SLOT, SAFETY_CHECK)  # once per case, before any answer
        if (
            preview.get("tier") in LMM_TIERS
            and tracker.get_slot(ASKER) is None
            and not tracker.get_slot("asked_asker")
        ):
            return SlotSet(REQUESTED_SLOT, ASKER)  # once per conversation, before LMM's answer
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
            preview = await recommendation(tracker, query)
        except (ApiUnavailable, ApiInputError):
            return None
        if needs_fuller_postcode(preview, tracker):
            return SlotSet(REQUESTED_SLOT, "postcode")
        return None
