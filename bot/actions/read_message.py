"""action_read_message: the custom slot mapping for every case detail.

Rasa runs it (through action_extract_slots) after each practitioner message,
inside or outside a form. It takes the engine's reading of the message (age,
postcode, concerns, red flags, consent to a referral) that came with it
(``navigator_parse``, put there by the red-flag screen), or asks the api for
one, so a description in one message fills every slot at once, a correction
("sorry, she's 8 months") is taken at any point, and the phrases LMM staff
edit in the knowledge base apply without retraining. The engine is the one
reader: consent comes only from its reading (or from a button, or a bare
"yes"/"no" to the consent question), never from the bot's own patterns.

When the bot has just asked for a slot and the engine found nothing, the
answer goes to that slot (a button's value, a bare yes/no/not sure, or the
raw text) so the form's validation can take it or ask again with the
engine's own message about what is accepted.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import NO, NONE, NOT_SURE, YES, button_answer, short_answer
from actions.api_client import ApiUnavailable, NavigatorApi
from actions.asking import asker_events
from actions.case import MAX_DESCRIPTION_CHARS, OTHER_CONCERN, UNKNOWN, known

# Where the red-flag screen keeps the engine's reading of the message.
PARSE_KEY = "navigator_parse"
# Messages that may answer a question or describe the family (the red-flag
# screen turns any other message the engine finds case details in into
# describe_case, so a disclosure is never taken for a question).
ANSWER_INTENTS = {
    "describe_case", "inform", "correct", "nlu_fallback", "dont_know", "affirm", "deny",
}
# Questions that may mention an age or postcode worth keeping ("is a 14 month
# old in BD7 eligible?") but are not answers in themselves.
DETAIL_QUESTION_INTENTS = {"check_eligibility"}
# The answers to the red-flag check, as the engine takes them.
SAFETY_VALUES = {YES: "some_apply", NO: "none_apply", NONE: "none_apply",
                  NOT_SURE: "not_sure"}
CONSENT_ANSWERS = {YES: True, NO: False, NOT_SURE: UNKNOWN}


def _requested_slot(tracker: Tracker) -> Optional[str]:
    if tracker.active_loop_name:
        slot: Optional[str] = tracker.get_slot("requested_slot")
        return slot
    return None


def _entity(message: Dict[str, Any], name: str) -> Optional[str]:
    for entity in message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


def _merged_concerns(
    existing: Optional[List[str]], present: List[str], absent: List[str]
) -> List[str]:
    """Concerns so far plus new ones, minus any now said to be absent."""
    merged = [c for c in (existing or []) if c not in absent and c != OTHER_CONCERN]
    merged += [c for c in present if c not in merged]
    return merged


def yes_no_answer(text: str, intent: str) -> Optional[str]:
    """yes, no, none or not_sure: from a button, or a bare typed answer."""
    return button_answer(text, intent) or (
        None if text.startswith("/") else short_answer(text)
    )


def _answer_events(
    requested: Optional[str], intent: str, text: str, tracker: Tracker
) -> List[EventType]:
    """Fill the slot just asked for from a button, a short answer or the raw text."""
    if requested is None:
        return []
    answer = yes_no_answer(text, intent)
    if requested == "safety_check":
        if answer is None and intent == "dont_know":
            answer = NOT_SURE
        return [SlotSet(requested, SAFETY_VALUES.get(answer or "", text))]
    if requested == "consent_to_referral":
        if answer is None and intent == "dont_know":
            answer = NOT_SURE
        value = CONSENT_ANSWERS.get(answer or "")
        # Anything else is not a yes: validation asks again.
        return [SlotSet(requested, text if value is None else value)]
    if intent == "dont_know" or answer in (NOT_SURE, NONE):
        if requested == "postcode" and known(tracker.get_slot("postcode")):
            # Asked for more of a split district: keep the district we have.
            return [SlotSet("postcode", tracker.get_slot("postcode"))]
        value: Any = [OTHER_CONCERN] if requested == "concerns" else UNKNOWN
        return [SlotSet(requested, value)]
    if requested == "concerns":
        return [SlotSet("concerns", [])]  # nothing recognised: validation re-asks
    if requested == "postcode" and tracker.get_slot("asked_fuller_postcode") and known(
        tracker.get_slot("postcode")
    ):
        # Nothing more of a split district could be read: keep the district.
        return [SlotSet("postcode", tracker.get_slot("postcode"))]
    if requested in ("age", "postcode", "duration") and not text.startswith("/"):
        return [SlotSet(requested, text)]
    return []


def only_suspected(found: Dict[str, Any]) -> bool:
    """Every concern in the reading was suspected by similarity, none read
    from a curated phrase (red flags end the form before this matters)."""
    concerns = found.get("concerns") or []
    return bool(concerns) and all(c.get("suspected") for c in concerns)


def _given_reading(message: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The engine's reading the chat proxy sent with ``message``, if any."""
    given = message.get(PARSE_KEY)
    return given if isinstance(given, dict) else None


def engine_reading(tracker: Tracker) -> Dict[str, Any]:
    """The engine's reading that came with the latest message, or {} (a
    button's payload, or a message sent without it, as in ``rasa test``)."""
    return _given_reading(tracker.latest_message or {}) or {}


async def _reading(message: Dict[str, Any], text: str) -> Dict[str, Any]:
    """The engine's reading of the message: the one that came with it, or the api's."""
    given = _given_reading(message)
    if given is not None:
        return given
    try:
        return await NavigatorApi().parse(text)
    except ApiUnavailable:
        return {}


class ActionReadMessage(Action):
    def name(self) -> Text:
        return "action_read_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return [*asker_events(tracker), *await self._case_events(tracker)]

    async def _case_events(self, tracker: Tracker) -> List[EventType]:
        message = tracker.latest_message or {}
        intent = str((message.get("intent") or {}).get("name") or "")
        text = str(message.get("text") or "").strip()
        if intent not in ANSWER_INTENTS | DETAIL_QUESTION_INTENTS:
            return []  # questions and red flags: leave the form to step aside
        requested = _requested_slot(tracker)
        is_payload = text.startswith("/")
        events: List[EventType] = []

        # Concern codes come from the engine, or from a concern button's payload
        # (the classifier's own "concern" entities are only words, not codes).
        button_concerns = [
            str(e.get("value")) for e in message.get("entities") or []
            if is_payload and e.get("entity") == "concern"
        ]
        found: Dict[str, Any] = {}
        if text and not is_payload:
            found = await _reading(message, text)

        age = found.get("age")
        # "about 3 months" answering "how long?" is a duration, not the baby's age.
        if age and age.get("text") and requested != "duration":
            events.append(SlotSet("age", age["text"]))
        elif (intent == "correct" or is_payload) and requested != "duration":
            # The engine only finds an age in free text with context ("4 month
            # old"); in a correction ("sorry, she's 25 months") the classifier's
            # age span is taken, as is an age button's value, and the form's
            # validation has the engine read it.
            spoken = _entity(message, "age")
            if spoken:
                events.append(SlotSet("age", spoken))
        postcode = found.get("postcode")
        if postcode and postcode.get("normalised"):
            events.append(SlotSet("postcode", postcode["normalised"]))
        if intent in ANSWER_INTENTS:
            present = [str(c["code"]) for c in found.get("concerns") or []] + button_concerns
            absent = [str(c) for c in found.get("absent_concerns") or []]
            if present or absent:
                merged = _merged_concerns(tracker.get_slot("concerns"), present, absent)
                if merged or tracker.get_slot("concerns"):
                    events.append(SlotSet("concerns", merged))
            consent = found.get("consent_to_referral")
            if isinstance(consent, bool):
                events.append(SlotSet("consent_to_referral", consent))
            if found.get("red_flag"):
                events.append(SlotSet("red_flag", True))
            # A bare "yes", "no", "none of these" or "not sure" answers the
            # question; it says nothing about the family.
            short = requested is not None and yes_no_answer(text, intent) is not None
            if text and not is_payload and intent != "dont_know" and not short:
                so_far = tracker.get_slot("description") or ""
                joined = f"{so_far}\n{text}".strip()[-MAX_DESCRIPTION_CHARS:]
                events.append(SlotSet("description", joined))
            filled = {e["name"] for e in events if e.get("event") == "slot"} - {"description"}
            if only_suspected(found) and not button_concerns:
                # Worries only suspected by similarity in an answer ("since the
                # birth") are kept, but the answer still answers the question.
                filled.discard("concerns")
            if requested and requested not in filled and not filled:
                events.extend(_answer_events(requested, intent, text, tracker))
        return events
