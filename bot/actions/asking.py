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

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.case import known, query_from_tracker

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
        choices = (await api.recommend(query_from_tracker(tracker))).get("choices")
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
            preview = await NavigatorApi().recommend(query_from_tracker(tracker))
            questions = [str(q) for q in preview.get("safety_questions") or []]
        except (ApiUnavailable, ApiInputError):
            questions = []
        text = (
            SAFETY_INTRO + "\n" + "\n".join(f"- {q}" for q in questions)
            if questions else SAFETY_FALLBACK
        )
        return ask(dispatcher, tracker, "safety_check", text, SAFETY_BUTTONS)
