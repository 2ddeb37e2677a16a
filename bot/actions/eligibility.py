"""action_check_eligibility: "is this family eligible for Little Minds Matter?"

For volunteers: the engine decides from age and postcode alone, and when the
answer is no it says where the family can go instead.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import turn_answers
from actions.api_client import ApiInputError, ApiUnavailable
from actions.case import known
from actions.offline import say_api_down

NEXT_BUTTONS = [
    {"title": "Describe the family's situation", "payload": "/describe_case"},
    {"title": "Start again", "payload": "/start_again"},
]


def eligibility_text(recommendation: Dict[str, Any]) -> str:
    eligible = recommendation.get("lmm_eligible")
    reasons = " ".join(str(r) for r in recommendation.get("eligibility_reasons") or [])
    if eligible is True:
        head = "Yes: this family is eligible for Little Minds Matter (pregnancy to the second birthday, Bradford District)."
    elif eligible is False:
        head = "No: this family is not eligible for Little Minds Matter."
    else:
        missing = ", ".join(str(m) for m in recommendation.get("missing") or []) or "more detail"
        head = f"I cannot say yet whether this family is eligible for Little Minds Matter: I need {missing}."
    lines = [head]
    if reasons:
        lines.append(reasons)
    if eligible is False:
        others = [s for s in recommendation.get("services") or [] if s.get("id", "").startswith("lmm-") is False]
        if others:
            lines.append("Where to go instead:")
            lines.extend(
                f"- {s.get('name')}: {s.get('how_to_refer') or s.get('eligibility') or ''}".rstrip(": ")
                for s in others
            )
    return "\n".join(lines)


class ActionCheckEligibility(Action):
    def name(self) -> Text:
        return "action_check_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        query: Dict[str, Any] = {}
        for slot in ("age", "postcode"):
            if known(tracker.get_slot(slot)):
                query[slot] = tracker.get_slot(slot)
        try:
            recommendation = await turn_answers.recommendation(tracker, query)
        except (ApiUnavailable, ApiInputError):
            say_api_down(dispatcher)
            return []
        dispatcher.utter_message(text=eligibility_text(recommendation), buttons=NEXT_BUTTONS)
        return []
