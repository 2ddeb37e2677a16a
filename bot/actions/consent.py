"""Reading the family's consent to a referral from a practitioner's words.

The engine takes consent as an explicit field and does not look for it in
the description, so the bot reads the common wordings here ("happy to be
referred", "mum declined a referral"); refusals are checked first. Anything
unclear is left unknown and the bot asks.
"""

from __future__ import annotations

import re
from typing import Optional

_REFERRAL = r"(?:a |the |an lmm |lmm )?(?:referral|refer(?:red)?|help|support)"
REFUSED = re.compile(
    r"\b(?:not|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|won'?t|never)\b[\w' ]{0,20}"
    r"\b(?:happy|keen|want|wants|willing|agree|agreed)\b[\w' ]{0,15}" + _REFERRAL
    + r"|\b(?:not|doesn'?t|don'?t|didn'?t|won'?t|never)\s+(?:consent|agree)\b"
    r"|\b(?:declined?|refused?|refuses|rejected)\b[\w' ]{0,15}" + _REFERRAL
    + r"|\bno consent\b|\bwithout consent\b|\bconsent (?:not given|refused|declined)\b",
    re.IGNORECASE,
)
AGREED = re.compile(
    r"\b(?:happy|keen|willing|wants?|agreed|agrees?|consents?|consented|consenting|ok|okay)"
    r"\b[\w' ]{0,15}\b(?:to be referred|to (?:a |the )?referral|for (?:a |the )?referral"
    r"|referral|to refer|being referred)\b"
    r"|\bconsent (?:given|obtained|gained|is given)\b|\bgave consent\b|\bhas consented\b",
    re.IGNORECASE,
)


def read_consent(text: str) -> Optional[bool]:
    """True when the text says the family agrees to a referral, False when it
    says they do not, None when it says neither."""
    if REFUSED.search(text):
        return False
    if AGREED.search(text):
        return True
    return None
