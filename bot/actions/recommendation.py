"""action_recommend and action_urgent_guidance: the engine's answer, rendered.

Both send the recommendation object itself as ``{"recommendation": ...}`` (the
chat page draws it as cards) and a copyable handover summary as
``{"handover": ...}`` alongside the plain-text version.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import turn_answers
from actions.api_client import ApiInputError, ApiUnavailable, NavigatorApi
from actions.case import MAX_DESCRIPTION_CHARS, query_from_tracker
from actions.offline import say_api_down
from actions.render import send_recommendation

class ActionRecommend(Action):
    def name(self) -> Text:
        return "action_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        try:
            recommendation = await turn_answers.recommendation(
                tracker, query_from_tracker(tracker)
            )
        except ApiUnavailable:
            say_api_down(dispatcher)
            return []
        except ApiInputError as error:
            # A value stored while the api was down turned out unreadable: ask again.
            dispatcher.utter_message(text=error.message)
            return [SlotSet(error.field, None)] if error.field in ("age", "postcode") else []
        send_recommendation(dispatcher, recommendation)
        return []


class ActionUrgentGuidance(Action):
    """The engine found a red flag in the message: urgent guidance now, whatever
    else was going on (any form is ended)."""

    def name(self) -> Text:
        return "action_urgent_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        flagged = [
            str(e["value"]) for e in message.get("entities") or []
            if e.get("entity") == "concern" and e.get("extractor") == "EngineRedFlagScreen"
        ]
        concerns = list(tracker.get_slot("concerns") or [])
        concerns += [code for code in flagged if code not in concerns]
        description = f"{tracker.get_slot('description') or ''}\n{text}".strip()
        events: List[EventType] = [
            SlotSet("concerns", concerns),
            SlotSet("red_flag", True),
            SlotSet("description", description[-MAX_DESCRIPTION_CHARS:]),
            SlotSet("requested_slot", None),
            ActiveLoop(None),
        ]
        query = query_from_tracker(tracker)
        query["concerns"] = [c for c in concerns if c != "other"]
        query["description"] = description[-MAX_DESCRIPTION_CHARS:]
        try:
            recommendation = await NavigatorApi().recommend(query)
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return events
        send_recommendation(dispatcher, recommendation)
        return events
