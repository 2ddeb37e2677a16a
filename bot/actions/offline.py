"""What the bot says when the api cannot be reached.

The bot holds no contact itself: the direct routes that must never depend on
the api being up are generated from the service records into
``offline_contacts.txt`` (``scripts/offline-contacts.py``, run by ``make
train``; a test fails when it differs from the seed), uncertain numbers with
their caveat and what is unconfirmed, exactly as the api's 503 gives them.
"""

from __future__ import annotations

from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

CONTACTS_FILE = Path(__file__).with_name("offline_contacts.txt")
# Only if the generated file is missing: nothing that could go out of date.
LAST_RESORT = "- If a baby or anyone else is in immediate danger: call 999."


def contact_lines(path: Path = CONTACTS_FILE) -> str:
    """The generated contact lines (comment lines dropped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return LAST_RESORT
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return "\n".join(lines) or LAST_RESORT


API_DOWN_TEXT = (
    "I cannot reach the navigator's knowledge base just now, so I cannot give a "
    "recommendation. If a baby or anyone else is in immediate danger, call 999. "
    "Direct contacts:\n" + contact_lines() + "\nPlease try again in a few minutes."
)


def say_api_down(dispatcher: CollectingDispatcher) -> None:
    """The direct contacts, marked ``kind: contacts`` for the chat page."""
    dispatcher.utter_message(text=API_DOWN_TEXT, json_message={"kind": "contacts"})
