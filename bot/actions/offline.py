"""What the bot says when the api cannot be reached.

The bot holds no contact itself. While the api is up, the bot keeps the
direct routes (999, the safeguarding front door, First Response, LMM) as the
*published* content gives them (``GET /api/v1/contacts/direct``, fetched at
most every few minutes by ``actions.api_client``), so a number corrected in
the admin reaches this text too. Before the first fetch (the api down since
the action server started), it falls back to ``offline_contacts.txt``,
generated from the seed's service records (``scripts/offline-contacts.py``,
run by ``make train``; a test fails when it differs from the seed). Either
way, uncertain numbers carry their caveat and what is unconfirmed, exactly as
the api's 503 gives them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

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


# The published direct contacts, as last fetched from the api.
_published: dict = {"text": None, "version": None, "fetched_at": 0.0}
REFRESH_SECONDS = 300.0


def remember_published(text: str, version: Optional[int] = None) -> None:
    """Keep the direct contacts the api gave from the published content."""
    lines = [line for line in text.splitlines() if line.strip()]
    if lines:
        _published.update(text="\n".join(lines), version=version, fetched_at=time.monotonic())


def forget_published() -> None:
    """Back to the generated file (a new action server, or a test)."""
    _published.update(text=None, version=None, fetched_at=0.0)


def published_is_due() -> bool:
    """Whether the published contacts should be fetched again."""
    return (_published["text"] is None
            or time.monotonic() - float(_published["fetched_at"]) >= REFRESH_SECONDS)


def api_down_text() -> str:
    contacts = _published["text"] or contact_lines()
    return (
        "I cannot reach the navigator's knowledge base just now, so I cannot give a "
        "recommendation. If a baby or anyone else is in immediate danger, call 999. "
        "Direct contacts:\n" + contacts + "\nPlease try again in a few minutes."
    )


def say_api_down(dispatcher: CollectingDispatcher) -> None:
    """The direct contacts, marked ``kind: contacts`` for the chat page."""
    dispatcher.utter_message(text=api_down_text(), json_message={"kind": "contacts"})
