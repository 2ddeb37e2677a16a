"""Short answers to the bot's own yes/no questions, and the answers they give.

This is not a reading of the family's situation (the engine's reader does
that, consent included): it only tells a bare "yes", "no", "none of these"
or "not sure" typed in reply to a question the bot has just asked, so that
"I want to refer this family" or "mum has not yet consented" is never taken
for a "yes". Buttons carry the intents ``/affirm``, ``/deny`` and
``/dont_know`` instead of words.
"""

from __future__ import annotations

import re
from typing import Optional

# What a short answer may be: yes, no, none (of these) or not sure.
YES, NO, NONE, NOT_SURE = "yes", "no", "none", "not_sure"
MAX_WORDS = 4
_YES_WORDS = {"yes", "yeah", "yep", "yup", "y", "ye", "yh", "aye"}
_NO_WORDS = {"no", "nope", "nah", "n"}
_NOT_SURE = re.compile(
    r"^(?:i'?m |i am )?(?:not sure|unsure|dunno|(?:i )?(?:don'?t|do not) know)\b"
)
_NONE = re.compile(r"^none\b|^(?:no,? )?none (?:of (?:these|those|them)|apply)\b")
# Answers to the button titles; other intents are only taken from buttons.
INTENT_ANSWERS = {"affirm": YES, "deny": NO, "dont_know": NOT_SURE}


def short_answer(text: str) -> Optional[str]:
    """yes, no, none or not_sure for a bare answer of a few words ("yes",
    "yes they agree", "none of these", "not sure"); None for anything else,
    which is then read by the engine or asked again."""
    said = re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()
    if not said or len(said) > MAX_WORDS:
        return None
    joined = " ".join(said)
    if _NONE.match(joined):
        return NONE
    if _NOT_SURE.match(joined):
        return NOT_SURE
    if said[0] in _YES_WORDS:
        return YES
    if said[0] in _NO_WORDS:
        return NO
    return None


def button_answer(text: str, intent: str) -> Optional[str]:
    """The answer a button gave (its payload is ``/affirm``, ``/deny`` or
    ``/dont_know``), or None for a typed message."""
    if not text.startswith("/"):
        return None
    return INTENT_ANSWERS.get(intent)
