"""The questions the forms ask, one action per slot.

Each question carries ``{"asking": "<slot>"}`` as a custom payload so the
api's chat proxy can tell the page which slot is being asked for, and records
``last_asked`` so "why are you asking?" has an answer after the form ends.

No question is asked three times in a row (``asked_in_a_row`` counts them):
the second time, its choices come as buttons with "Speak to a person", and
the form's validation carries on without an answer rather than ask a third
time (see ``actions.forms``).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.case import known, query_from_tracker
from actions.turn_answers import recommendation

Button = Dict[str, str]
DONT_KNOW: Button = {"title": "I don't know", "payload": "/dont_know"}
SPEAK_TO_A_PERSON: Button = {"title": "Speak to a person", "payload": "/human_handoff"}
SOMETHING_ELSE: Button = {"title": "Something else / not sure", "payload": "/dont_know"}
CONCERN_BUTTONS = 9
# Ages the engine reads without weeks or months (it reads no ranges).
AGE_CHOICES: List[Button] = [{"title": "Pregnant", "payload": '/inform{"age":"pregnant"}'}]
# Durations the engine reads: sent as the answer's words.
DURATION_CHOICES: List[Button] = [
    {"title": "A few days", "payload": "a few days"},
    {"title": "A few weeks", "payload": "a few weeks"},
    {"title": "A few months", "payload": "a few months"},
    {"title": "Since the birth", "payload": "since the birth"},
]
SAFETY_BUTTONS: List[Button] = [
    {"title": "None of these", "payload": "/deny"},
    {"title": "Yes", "payload": "/affirm"},
    {"title": "Not sure", "payload": "/dont_know"},
]
CONSENT_BUTTONS: List[Button] = [
    {"title": "Yes, they agree", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not asked yet", "payload": "/dont_know"},
]


def times_asked(tracker: Tracker, slot: str) -> int:
    """How many times in a row ``slot`` has just been asked (0: it was not
    the last question)."""
    if tracker.get_slot("last_asked") != slot:
        return 0
    try:
        return int(tracker.get_slot("asked_in_a_row") or 0)
    except (TypeError, ValueError):
        return 0


def ask(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    text: str,
    buttons: List[Button],
    choices: Optional[List[Button]] = None,
) -> List[EventType]:
    """Ask for ``slot``. Asked again straight after, the question offers its
    ``choices`` (or its usual buttons) and "Speak to a person"."""
    count = times_asked(tracker, slot) + 1
    if count >= 2:
        offered = list(choices if choices is not None else buttons)
        extra = ([DONT_KNOW] if choices is not None else []) + [SPEAK_TO_A_PERSON]
        buttons = offered + [b for b in extra if b not in offered]
    dispatcher.utter_message(text=text, buttons=buttons, json_message={"asking": slot})
    return [SlotSet("last_asked", slot), SlotSet("asked_in_a_row", count)]


class ActionAskAge(Action):
    def name(self) -> Text:
        return "action_ask_age"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ask(
            dispatcher,
            tracker,
            "age",
            "How old is the baby? If the baby is not born yet, how many weeks pregnant is "
            "mum? (For example \"6 weeks\", \"14 months\", \"28 weeks pregnant\" or "
            "\"due in March\".)",
            [],
            choices=AGE_CHOICES,
        )


class ActionAskPostcode(Action):
    def name(self) -> Text:
        return "action_ask_postcode"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        district = tracker.get_slot("postcode")
        if known(district) and not tracker.get_slot("asked_fuller_postcode"):
            # Asked again only when the form found the district split (once).
            return await self._ask_for_more(dispatcher, tracker, str(district))
        return ask(
            dispatcher,
            tracker,
            "postcode",
            "What is the family's postcode? The first half and the next digit are enough "
            "(for example \"BD3 9\"); I only keep that much.",
            [DONT_KNOW],
        )

    async def _ask_for_more(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, district: str
    ) -> List[EventType]:
        try:
            note = str((await NavigatorApi().postcode(district)).get("note") or "")
        except (ApiUnavailable, ApiInputError):
            note = ""
        why = note or f"{district} is split between areas, so it does not tell me which apply."
        if " " in district:  # a sector already: only the full postcode says more
            question = "What is the family's full postcode? I use it to find the area and keep only"
            question += f" \"{district}\"."
        else:
            question = ("What is the family's full postcode, or at least the first half and the "
                        f"next digit (for example \"{district} 9\")? I only keep that much.")
        events = ask(dispatcher, tracker, "postcode", f"{why}\n{question}", [DONT_KNOW])
        return events + [SlotSet("asked_fuller_postcode", True)]


async def concern_choices(tracker: Tracker) -> List[Button]:
    """The engine's commonest worries (its ``choices`` when nothing in the
    description was recognised), else the concerns LMM works with."""
    api = NavigatorApi()
    try:
        choices = (await recommendation(tracker, query_from_tracker(tracker))).get("choices")
    except (ApiUnavailable, ApiInputError):
        choices = None
    if not choices:
        try:
            concerns = await api.concerns()
        except (ApiUnavailable, ApiInputError):
            concerns = []
        choices = [
            c for c in concerns
            if not c.get("red_flag")
            and set(c.get("tiers") or []) & {"lmm_referral", "lmm_consultation"}
        ]
    return [
        {"title": str(c.get("label", c.get("code"))),
         "payload": f'/inform{{"concern":"{c.get("code")}"}}'}
        for c in choices[:CONCERN_BUTTONS]
    ]


class ActionAskConcerns(Action):
    def name(self) -> Text:
        return "action_ask_concerns"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        buttons = await concern_choices(tracker) + [SOMETHING_ELSE]
        return ask(
            dispatcher,
            tracker,
            "concerns",
            "What are you worried about for this family? Describe it in your own words, "
            "or pick the nearest.",
            buttons,
        )


class ActionAskConsentToReferral(Action):
    def name(self) -> Text:
        return "action_ask_consent_to_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ask(
            dispatcher,
            tracker,
            "consent_to_referral",
            "Has the family agreed to a referral to Little Minds Matter? (A referral needs "
            "their consent; without it, a consultation lets you talk the case through.)",
            CONSENT_BUTTONS,
        )


class ActionAskDuration(Action):
    def name(self) -> Text:
        return "action_ask_duration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ask(
            dispatcher,
            tracker,
            "duration",
            "How long has this been going on? (For example \"2 weeks\", \"3 months\" or "
            "\"since the birth\".)",
            [DONT_KNOW],
            choices=DURATION_CHOICES,
        )


SAFETY_INTRO = (
    "Before I give my answer, a safety check. Does any of these apply to this family now?"
)
SAFETY_FALLBACK = (
    "Before I give my answer, a safety check: is there anything that makes you think the "
    "baby, a parent or anyone else is in danger or at risk of harm now?"
)


class ActionAskSafetyCheck(Action):
    """The red-flag check, asked once per case before any answer that is not
    urgent: the engine's ``safety_questions`` as a short list. "Yes" and "Not
    sure" give the urgent answer (see ``actions.forms``)."""

    def name(self) -> Text:
        return "action_ask_safety_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            preview = await recommendation(tracker, query_from_tracker(tracker))
            questions = [str(q) for q in preview.get("safety_questions") or []]
        except (ApiUnavailable, ApiInputError):
            questions = []
        text = (
            SAFETY_INTRO + "\n" + "\n".join(f"- {q}" for q in questions)
            if questions else SAFETY_FALLBACK
        )
        return ask(dispatcher, tracker, "safety_check", text, SAFETY_BUTTONS)


# ---------------------------------------------------------------- who is asking
#
# The practitioner may say who they are: a health visitor or midwife, another
# professional, a voluntary-sector worker or volunteer, or LMM staff (the
# api's ``asker``). It is read from every message by ``asker_events`` (in
# ``action_read_message``, the slots' custom mapping, run before anything is
# predicted, so it never delays an urgent answer), from the first message too ("HV here",
# "I'm a volunteer at a baby group", "as a midwife"), and from the buttons of
# the one question that asks it (after a greeting). Once known it is kept for
# the conversation and sent with every query; a volunteer then gets the
# volunteer route (tell the health visitor, not LMM).

ASKERS = ("health_visitor_or_midwife", "other_professional", "volunteer", "lmm_staff")
ASKER_SKIPPED = "unknown"
ASKER_BUTTONS: List[Button] = [
    {"title": "Health visitor or midwife",
     "payload": '/tell_role{"asker":"health_visitor_or_midwife"}'},
    {"title": "Another professional", "payload": '/tell_role{"asker":"other_professional"}'},
    {"title": "Volunteer or voluntary sector", "payload": '/tell_role{"asker":"volunteer"}'},
    {"title": "Little Minds Matter staff", "payload": '/tell_role{"asker":"lmm_staff"}'},
    {"title": "Skip", "payload": '/tell_role{"asker":"unknown"}'},
]
ASKER_WORDS = {
    "health_visitor_or_midwife": "a health visitor or midwife",
    "other_professional": "a professional",
    "volunteer": "a volunteer",
    "lmm_staff": "Little Minds Matter staff",
}
_ROLE_PATTERNS = [
    ("lmm_staff", r"(?:lmm|little minds matter)(?: team)?(?: staff| clinician| worker)?"),
    ("volunteer", r"(?:a |an )?(?:volunteer(?:ing)?|voluntary[- ]sector(?: worker)?|"
                  r"befriender|peer supporter|charity worker)"),
    ("health_visitor_or_midwife", r"(?:a |an |the )?(?:hv|health visitor|midwife|"
                                  r"community midwife|student midwife|health visiting)"),
    ("other_professional", r"(?:a |an |the )?(?:gp|doctor|nurse|social worker|sw|"
                           r"family support worker|early years (?:practitioner|worker)|"
                           r"nursery nurse|family hub worker|children'?s centre worker|"
                           r"paediatrician|psychologist|professional|practitioner|"
                           r"support worker|teacher|key worker)"),
]
# "I'm a volunteer", "as a midwife", "HV here", "I work for LMM", "volunteer at a baby group".
_INTRO = r"(?:^|[.,;:!?]\s*|\b(?:hi|hello|hiya|hey)[, ]+)"
_SAID = [
    (code, re.compile(
        rf"(?:{_INTRO}(?:i'?m|i am|im|speaking as|as|am)\s+(?:a |an |the |one of the )?{words}\b)"
        rf"|(?:{_INTRO}{words}\s+here\b)"
        rf"|(?:\bi\s+(?:work|volunteer)\s+(?:for|at|with|in)\s+{words}\b)",
        re.IGNORECASE,
    ))
    for code, words in _ROLE_PATTERNS
]
_LMM_WORK = re.compile(r"\bi\s+work\s+(?:for|at|in)\s+(?:lmm|little minds matter)\b", re.I)
_VOLUNTEER_AT = re.compile(r"^(?:i\s+)?volunteer(?:ing)?\s+(?:at|with|for)\b", re.I)


def read_asker(text: str, just_asked: bool = False) -> Optional[str]:
    """Who the practitioner says they are in ``text``, or None. Only a plain
    statement about themselves counts ("I'm a volunteer", "as a midwife",
    "HV here"), never a mention of someone else ("mum is a midwife", "the
    health visitor is worried"); right after the question, the role alone
    ("volunteer", "health visitor") is an answer too."""
    said = " ".join(text.strip().lower().replace("’", "'").split())
    if not said or said.startswith("/"):
        return None
    if _LMM_WORK.search(said):
        return "lmm_staff"
    if _VOLUNTEER_AT.search(said):
        return "volunteer"
    for code, pattern in _SAID:
        if pattern.search(said):
            return code
    if just_asked:
        bare = re.sub(r"[^a-z' ]+", " ", said).strip()
        for code, words in _ROLE_PATTERNS:
            if re.fullmatch(rf"(?:i'?m |i am )?{words}", bare):
                return code
    return None


def asker_from_message(message: Dict[str, Any], just_asked: bool) -> Optional[str]:
    """The asker a button gave (its ``asker`` entity), or read from the text."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "asker" and entity.get("value") in (*ASKERS, ASKER_SKIPPED):
            return str(entity["value"])
    return read_asker(str(message.get("text") or ""), just_asked)


def asker_events(tracker: Tracker) -> List[EventType]:
    """The ``asker`` slot from the latest message, if it says who is asking.
    ``action_read_message`` (the slots' one custom mapping, so Rasa makes one
    call to the action server per message for all of them) runs it first,
    whatever the message's intent."""
    just_asked = tracker.get_slot("last_asked") == "asker"
    found = asker_from_message(tracker.latest_message or {}, just_asked)
    if found is None or found == tracker.get_slot("asker"):
        return []
    if found == ASKER_SKIPPED and tracker.get_slot("asker") in ASKERS:
        return []
    return [SlotSet("asker", found)]


class ActionAskAsker(Action):
    """Who is asking, once per conversation: after a greeting, or in the
    triage form before an answer that involves LMM (the one that differs for
    a volunteer); never when it is already known or was asked before (a case
    description in reply simply carries on without it)."""

    def name(self) -> Text:
        return "action_ask_asker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot("asker") is not None or tracker.get_slot("asked_asker"):
            return []
        dispatcher.utter_message(
            text="Who are you? I tailor the next steps: a volunteer, for example, is told who "
            "to tell rather than how to refer. You can skip this.",
            buttons=ASKER_BUTTONS,
            json_message={"asking": "asker"},
        )
        return [SlotSet("asked_asker", True), SlotSet("last_asked", "asker"),
                SlotSet("asked_in_a_row", 1)]


class ActionAcknowledgeAsker(Action):
    """Says what the bot took from "I'm a volunteer" (or the button)."""

    def name(self) -> Text:
        return "action_acknowledge_asker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        asker = tracker.get_slot("asker")
        events: List[EventType] = [SlotSet("asked_asker", True)]
        if tracker.get_slot("last_asked") == "asker":
            events.append(SlotSet("last_asked", None))
        if tracker.active_loop_name:
            if asker in ASKERS:
                dispatcher.utter_message(text=f"Thank you: I will answer for "
                                              f"{ASKER_WORDS[asker]}.")
            return events
        if asker in ASKERS:
            text = (f"Thank you: I will answer for {ASKER_WORDS[asker]}. Tell me what is "
                    "going on: the baby's age (or weeks of pregnancy), the family's postcode "
                    "area and what you are worried about. Please leave out names.")
        elif asker == ASKER_SKIPPED:
            text = ("That's fine. Tell me what is going on: the baby's age (or weeks of "
                    "pregnancy), the family's postcode area and what you are worried about. "
                    "Please leave out names.")
        else:
            text = ("I did not catch who you are. Choose below, or just tell me what is going on "
                    "for the family.")
            dispatcher.utter_message(text=text, buttons=ASKER_BUTTONS)
            return events
        dispatcher.utter_message(text=text)
        return events
