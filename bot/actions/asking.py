"""The questions the forms ask, one action per slot.

Each question carries ``{"asking": "<slot>"}`` as a custom payload so the
api's chat proxy can tell the page which slot is being asked for, and records
``last_asked`` so "why are you asking?" has an answer after the form ends.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.case import known
from actions.forms import retry_note

DONT_KNOW = {"title": "I don't know", "payload": "/dont_know"}
CONCERN_BUTTONS = 6


def ask(
    dispatcher: CollectingDispatcher, slot: str, text: str, buttons: List[Dict[str, str]]
) -> List[EventType]:
    dispatcher.utter_message(text=text, buttons=buttons, json_message={"asking": slot})
    return [SlotSet("last_asked", slot)]


class ActionAskAge(Action):
    def name(self) -> Text:
        return "action_ask_age"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ask(
            dispatcher,
            "age",
            "How old is the baby? If the baby is not born yet, how many weeks pregnant is "
            "mum? (For example \"6 weeks\", \"14 months\", \"28 weeks pregnant\" or "
            "\"due in March\".)",
            retry_note(tracker, "age"),
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
            return await self._ask_for_more(dispatcher, str(district))
        return ask(
            dispatcher,
            "postcode",
            "What is the family's postcode? The first half and the next digit are enough "
            "(for example \"BD3 9\"); I only keep that much.",
            [DONT_KNOW],
        )

    async def _ask_for_more(self, dispatcher: CollectingDispatcher, district: str) -> List[EventType]:
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
        events = ask(dispatcher, "postcode", f"{why}\n{question}", [DONT_KNOW])
        return events + [SlotSet("asked_fuller_postcode", True)]


class ActionAskConcerns(Action):
    def name(self) -> Text:
        return "action_ask_concerns"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        buttons: List[Dict[str, str]] = []
        try:
            concerns = await NavigatorApi().concerns()
        except (ApiUnavailable, ApiInputError):
            concerns = []
        for concern in concerns:
            tiers = set(concern.get("tiers") or [])
            if concern.get("red_flag") or not tiers & {"lmm_referral", "lmm_consultation"}:
                continue
            code = str(concern.get("code"))
            buttons.append(
                {"title": str(concern.get("label", code)),
                 "payload": f'/inform{{"concern":"{code}"}}'}
            )
            if len(buttons) == CONCERN_BUTTONS:
                break
        buttons.append({"title": "Something else / not sure", "payload": "/dont_know"})
        return ask(
            dispatcher,
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
            "consent_to_referral",
            "Has the family agreed to a referral to Little Minds Matter? (A referral needs "
            "their consent; without it, a consultation lets you talk the case through.)",
            [
                {"title": "Yes, they agree", "payload": "/affirm"},
                {"title": "No", "payload": "/deny"},
                {"title": "Not asked yet", "payload": "/dont_know"},
            ],
        )


class ActionAskDuration(Action):
    def name(self) -> Text:
        return "action_ask_duration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ask(
            dispatcher,
            "duration",
            "How long has this been going on? (For example \"2 weeks\", \"3 months\" or "
            "\"since the birth\".)",
            [DONT_KNOW],
        )
