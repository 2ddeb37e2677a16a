"""Questions about services, answered from the knowledge base.

"What does Home-Start do?", "does health visiting see pregnant women?",
"how do I book a consultation?", "what training is there?". The service is
found by the words of its current and former names (services change names;
the knowledge base keeps the old ones) by the engine's one name search
(pathways/service_names.py, through ``POST /api/v1/services/find``), so no
service list or search lives in the bot.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.offline import say_api_down
from actions.render import service_text

PREGNANCY_WORDS = ("pregnan", "antenatal", "ante-natal", "expecting", "unborn", "bump")


def pregnancy_answer(service: Dict[str, Any]) -> str:
    ages = service.get("ages") or {}
    name = service.get("name")
    if ages.get("pregnancy", True) and ages.get("postnatal", True):
        return f"Yes: {name} sees expectant parents as well as families after the birth."
    if ages.get("pregnancy", True):
        return f"Yes: {name} is for pregnancy only."
    return f"No: {name} does not see parents during pregnancy."


class ActionServiceInfo(Action):
    def name(self) -> Text:
        return "action_service_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        entities = " ".join(
            str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == "service"
        )
        api = NavigatorApi()
        try:
            found = await api.find_services(entities) if entities else []
            found = found or await api.find_services(text)
            service: Optional[Dict[str, Any]] = found[0] if found else None
            if service is None and tracker.get_slot("last_service"):
                service = await api.service(str(tracker.get_slot("last_service")))
            services = [] if service is not None else await api.services()
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return []
        if service is None:
            names = ", ".join(sorted(str(s.get("name")) for s in services)[:40])
            dispatcher.utter_message(
                text=f"I could not tell which service you mean. I know about: {names}."
            )
            return []
        if any(word in text.lower() for word in PREGNANCY_WORDS):
            dispatcher.utter_message(text=pregnancy_answer(service))
        if service.get("summary"):
            dispatcher.utter_message(text=str(service["summary"]))
        dispatcher.utter_message(text=service_text(service))
        return [SlotSet("last_service", service.get("id"))]


class ActionLmmOffer(Action):
    """LMM's consultation (with reflective discussion) and training offers."""

    def name(self) -> Text:
        return "action_lmm_offer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = str(((tracker.latest_message or {}).get("intent") or {}).get("name"))
        service_id = "lmm-training" if intent == "ask_training" else "lmm-consultation"
        try:
            service = await NavigatorApi().service(service_id)
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return []
        if service.get("summary"):
            dispatcher.utter_message(text=str(service["summary"]))
        dispatcher.utter_message(text=service_text(service))
        return [SlotSet("last_service", service_id)]
