"""Questions about services, answered from the knowledge base.

"What does Home-Start do?", "does health visiting see pregnant women?",
"how do I book a consultation?", "what training is there?". The service is
found by the words of its current and former names (services change names;
the knowledge base keeps the old ones), so no service list lives in the bot.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.offline import say_api_down
from actions.render import service_text

STOPWORDS = {
    "a", "about", "an", "and", "any", "are", "bradford", "can", "do", "does", "for", "how",
    "i", "in", "is", "it", "me", "my", "of", "offer", "on", "or", "provide", "see", "service",
    "services", "team", "tell", "the", "they", "this", "to", "what", "who", "with", "women",
    "you", "pregnant", "work", "mums", "dads", "families", "family", "refer", "referral",
    "support", "help", "there", "s", "which", "best", "will", "take",
}
PREGNANCY_WORDS = ("pregnan", "antenatal", "ante-natal", "expecting", "unborn", "bump")


def words(text: str) -> Set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS


def service_words(service: Dict[str, Any]) -> Set[str]:
    names = [str(service.get("name", "")), str(service.get("id", "")).replace("-", " ")]
    names += [str(n) for n in service.get("former_names") or []]
    initials = {"".join(w[0] for w in n.lower().split() if w[0].isalpha()) for n in names if " " in n}
    return words(" ".join(names)) | {i for i in initials if len(i) >= 2}


def best_service(text: str, services: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The service whose names share the most words with the question."""
    asked = words(text)
    scored = [(len(asked & service_words(s)), -len(str(s.get("name", ""))), s) for s in services]
    scored = [entry for entry in scored if entry[0] > 0]
    if not scored:
        return None
    scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return scored[0][2]


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
        try:
            services = await NavigatorApi().services()
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return []
        service = best_service(entities, services) if entities else None
        service = service or best_service(text, services)
        if service is None and tracker.get_slot("last_service"):
            service = next((s for s in services if s.get("id") == tracker.get_slot("last_service")), None)
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
