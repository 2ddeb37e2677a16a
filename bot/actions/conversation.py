"""Help, starting again, speaking to a person and "why are you asking?"."""

from __future__ import annotations

from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.offline import say_api_down
from actions.render import service_text

HELP_TEXT = (
    "I can help with:\n"
    "- where to go for a family: tell me the baby's age (or weeks of pregnancy), the "
    "postcode area and what you are worried about;\n"
    "- whether a family is eligible for Little Minds Matter;\n"
    "- what a service does, and who it is for;\n"
    "- booking an LMM consultation, and LMM's training.\n"
    "I give guidance, not a diagnosis. If a baby or anyone is in danger, call 999."
)
HELP_BUTTONS = [
    {"title": "Describe a family", "payload": "/describe_case"},
    {"title": "Check eligibility", "payload": "/check_eligibility"},
    {"title": "Book a consultation", "payload": "/ask_consultation"},
    {"title": "Speak to a person", "payload": "/human_handoff"},
]
WHY = {
    "age": "Little Minds Matter works from pregnancy until the baby's second birthday, and "
    "other services have their own age limits, so the baby's age (or weeks of pregnancy) "
    "decides which services can see the family.",
    "postcode": "Services are for families living in particular areas: Little Minds Matter "
    "covers Bradford District, some projects only a few wards. The first half of the "
    "postcode and the next digit are enough; I do not keep more.",
    "concerns": "What you are worried about decides the route: Little Minds Matter works "
    "with the relationship between parents and baby; feeding, housing or adult mental "
    "health on their own fit other services better.",
    "duration": "Little Minds Matter's direct work is for difficulties that have lasted or "
    "are significant; early or short-lived worries are often best talked through in a "
    "consultation first.",
    "safety_check": "Before any answer that is not urgent I check once that no red flag "
    "applies. If one does, or you are not sure, the family needs urgent action outside this "
    "pathway first, so I give you the urgent contacts instead.",
    "consent_to_referral": "A referral to Little Minds Matter needs the family's agreement. "
    "Without it you can still talk the case through with LMM in a consultation.",
}


class ActionHelp(Action):
    def name(self) -> Text:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=HELP_TEXT, buttons=HELP_BUTTONS)
        return []


class ActionStartAgain(Action):
    def name(self) -> Text:
        return "action_start_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(
            text="Starting again: I have forgotten everything about the last family. "
            "Tell me about the next one."
        )
        # who is asking is about the practitioner, not the family: it is kept
        kept = [SlotSet(slot, tracker.get_slot(slot)) for slot in ("asker", "asked_asker")
                if tracker.get_slot(slot) is not None]
        return [AllSlotsReset(), *kept, ActiveLoop(None)]


class ActionHumanContact(Action):
    """The LMM duty contact from the knowledge base (for consultation)."""

    def name(self) -> Text:
        return "action_human_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            service = await NavigatorApi().service("lmm-consultation")
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return []
        dispatcher.utter_message(
            text="To talk to a person at Little Minds Matter, contact the team directly. "
            "If a baby or anyone is in danger, call 999."
        )
        dispatcher.utter_message(text=service_text(service, date.today()))
        return []


class ActionExplainAsking(Action):
    def name(self) -> Text:
        return "action_explain_asking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        slot = tracker.get_slot("requested_slot") or tracker.get_slot("last_asked")
        dispatcher.utter_message(
            text=WHY.get(
                str(slot),
                "I ask only for what the pathway needs: the baby's age, the postcode area, "
                "what you are worried about and, for a referral, the family's agreement.",
            )
        )
        return []

