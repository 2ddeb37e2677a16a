"""What the bot says when the api cannot be reached.

The only facts the bot holds itself: the direct routes that must never depend
on the api being up (from knowledge-sources.md; LMM staff keep the full,
current contacts in the knowledge base).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

API_DOWN_TEXT = (
    "I cannot reach the navigator's knowledge base just now, so I cannot give a "
    "recommendation. Direct contacts:\n"
    "- If a baby or anyone else is in immediate danger: call 999.\n"
    "- Safeguarding worries about a child or unborn baby: Bradford Children's Social "
    "Care Integrated Front Door, 01274 435600 (out of hours: Emergency Duty Team, "
    "01274 431010).\n"
    "- Mental health crisis (parent): First Response, 24/7, 0800 952 1181.\n"
    "- Little Minds Matter (infant mental health, pregnancy to age 2, Bradford "
    "District): Bradford District Care NHS Foundation Trust, bdct.nhs.uk.\n"
    "Please try again in a few minutes."
)


def say_api_down(dispatcher: CollectingDispatcher) -> None:
    """The direct contacts, marked ``kind: contacts`` for the chat page."""
    dispatcher.utter_message(text=API_DOWN_TEXT, json_message={"kind": "contacts"})
