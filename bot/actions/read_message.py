"""action_read_message: the custom slot mapping for every case detail.

Rasa runs it (through action_extract_slots) after each practitioner message,
inside or outside a form. It takes the engine's reading of the message (age,
postcode, concerns, red flags) that came with it (``navigator_parse``, put
there by the red-flag screen), or asks the api for one, so a description in one message fills every
slot at once, a correction ("sorry, she's 8 months") is taken at any point,
and the phrases LMM staff edit in the knowledge base apply without
retraining. When the bot has just asked for a slot and the engine found
nothing, the raw answer goes to that slot so the form's validation can re-ask
with the engine's own message about what is accepted.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiUnavailable, NavigatorApi
from actions.case import MAX_DESCRIPTION_CHARS, OTHER_CONCERN, UNKNOWN, known
from actions.consent import read_consent

# Where the red-flag screen keeps the engine's reading of the message.
PARSE_KEY = "navigator_parse"
# Messages that may answer a question or describe the family.
ANSWER_INTENTS = {
    "describe_case", "inform", "correct", "nlu_fallback", "dont_know", "affirm", "deny",
}
# Questions that may mention an age or postcode worth keeping ("is a 14 month
# old in BD7 eligible?") but are not answers in themselves.
DETAIL_QUESTION_INTENTS = {"check_eligibility"}


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


def _answer_events(
    requested: Optional[str], intent: str, text: str, tracker: Tracker
) -> List[EventType]:
    """Fill the slot just asked for from a yes/no/don't-know or raw answer."""
    if requested is None:
        return []
    if intent == "dont_know":
        if requested == "postcode" and known(tracker.get_slot("postcode")):
            # Asked for more of a split district: keep the district we have.
            return [SlotSet("postcode", tracker.get_slot("postcode"))]
        value: Any = [OTHER_CONCERN] if requested == "concerns" else UNKNOWN
        return [SlotSet(requested, value)]
    if requested == "consent_to_referral":
        if intent in ("affirm", "deny"):
            return [SlotSet(requested, intent == "affirm")]
        return [SlotSet(requested, text)]  # validation re-asks for yes or no
    if requested == "concerns":
        return [SlotSet("concerns", [])]  # nothing recognised: validation re-asks
    if requested in ("age", "postcode", "duration") and not text.startswith("/"):
        return [SlotSet(requested, text)]
    return []


async def _reading(message: Dict[str, Any], text: str) -> Dict[str, Any]:
    """The engine's reading of the message: the one that came with it, or the api's."""
    given = message.get(PARSE_KEY)
    if isinstance(given, dict):
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
        elif intent == "correct" and requested != "duration":
            # The engine only finds an age in free text with context ("4 month
            # old"); in a correction ("sorry, she's 25 months") the classifier's
            # age span is taken, and the form's validation has the engine read it.
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
            consent = read_consent(text) if text and not is_payload else None
            if consent is not None:
                events.append(SlotSet("consent_to_referral", consent))
            if found.get("red_flag"):
                events.append(SlotSet("red_flag", True))
            if text and not is_payload and intent != "dont_know":
                so_far = tracker.get_slot("description") or ""
                joined = f"{so_far}\n{text}".strip()[-MAX_DESCRIPTION_CHARS:]
                events.append(SlotSet("description", joined))
            filled = {e["name"] for e in events if e.get("event") == "slot"}
            if requested and requested not in filled and not (filled - {"description"}):
                events.extend(_answer_events(requested, intent, text, tracker))
        return events
