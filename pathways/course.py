"""How long a difficulty has lasted and how marked it is.

LMM's clinical work is for significant or persistent relationship
difficulties; early, mild or uncertain ones are better served by a
consultation. This module reads those signals from the description ("for
three months", "since birth", "getting worse", "a bit", "only this week") or
from an explicit duration ("6 weeks", "since birth").
"""

from __future__ import annotations

import re
from typing import Final

from pydantic import BaseModel, ConfigDict

from pathways.text import fold

PERSISTENT_WEEKS: Final = 4  # lasting this long or longer counts as persistent
ACCEPTED: Final = 'Try "3 weeks", "2 months", "since birth" or "a few days".'

_NUMBER_WORDS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "couple": 2,
    "several": 3, "many": 6,
}
_AMOUNT: Final = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT: Final = r"(days?|d|weeks?|wks?|w|months?|mths?|mnths?|m|years?|yrs?|y)"
_ROUGHLY: Final = (
    r"(?:(?:about|around|nearly|almost|approx|roughly|at least|over|well over|just over)\s+)?"
)
_SPAN_RE: Final = re.compile(
    rf"\b(?:for|past|last|over|since|about|around|nearly|almost|now|going on|been going on"
    rf"|lasted|lasting|in the last|in the past|at least"
    # "its been 5 months", "been like that a good couple o' month"
    rf"|been(?: like (?:this|that|it))?)\s+(?:the\s+)?(?:past\s+|last\s+)?"
    rf"{_ROUGHLY}(?:a\s+)?(?:good\s+)?(?:of\s+)?{_AMOUNT}\s*\+?\s*(?:of\s+|o\s+)?{_UNIT}\b"
)
# "6 weeks of this", "2 months plus", "3+ months", "started 5 weeks ago"
_SPAN_AFTER_RE: Final = re.compile(
    rf"\b{_AMOUNT}\s*\+?\s*{_UNIT}\s+(?:of\s+(?:this|it|that)|plus|\+|or more|at least"
    rf"|and counting)\b"
    rf"|\b(?:started|began|begun|noticed|first noticed|since)\s+{_ROUGHLY}{_AMOUNT}\s*{_UNIT}"
    rf"\s+ago\b"
    # "the birth 7 weeks ago", "6 months on she still...", "12 weeks on."
    rf"|\b{_AMOUNT}\s*{_UNIT}\s+(?:ago\b|on(?=\s*(?:[.,;:!?)]|$|and\b|now\b|still\b|s?he\b"
    rf"|they\b|mum\b|dad\b)))"
)
# A clause that is only a vague span, as notes give how long: "..., few months.",
# "several weeks", "months." (a figure alone may be the baby's age: not read here).
_VAGUE_CLAUSE_RE: Final = re.compile(
    r"(?:^|[.,;:\n])\s*(?:a\s+)?(?:good\s+)?(few|couple|several|many)\s+(?:of\s+)?"
    r"(weeks|months)\s*(?=[.,;:\n]|$)"
)
_MONTHS_CLAUSE_RE: Final = re.compile(r"(?:^|[.,;:\n])\s*months(?: now)?\s*(?=[.,;:\n]|$)")
_FIELD_RE: Final = re.compile(
    rf"^(?:about\s+|around\s+|over\s+)?(?:a\s+)?{_AMOUNT}\s*(?:of\s+)?{_UNIT}\b"
)

_PERSISTENT_RE: Final = re.compile(
    r"\b(?:persistent|persisting|ongoing|long ?standing|since (?:the )?birth|since (?:he|she|they|"
    r"baby) (?:was|were) born|since delivery|from birth|all the time|constantly|constant|"
    r"getting worse|worsening|deteriorat\w*|no better|not improving|not improved|months now|"
    r"weeks now|for months|for weeks|for ages|always been|never bonded|throughout|"
    # from the start, however it is put
    r"since day (?:1|one)|from day (?:1|one)|from the (?:start|beginning|off)|right from|"
    r"since (?:s?he|they|baby) (?:came|got|come) home|since (?:coming|came|getting) home|"
    r"since (?:leaving |coming out of )?(?:hosp|hospital|nicu|scbu|special care)|"
    r"since (?:the |his |her )?(?:newborn|new birth|nbv|\w+ (?:wk|week|day) check|booking|"
    r"pregnancy|scan|birth visit)|since (?:s?he|they) (?:was|were) (?:newborn|tiny|little)|"
    r"since (?:s?he|i) (?:got|was|found out|fell) pregnant|whole pregnancy|all pregnancy|"
    r"(?:every|each) (?:visit|contact|time i see)|never (?:has|have|had|did)|"
    r"never (?:really )?(?:felt|bonded|been close|got on|taken to|enjoyed|warmed)|"
    r"months of (?:this|it)|weeks of (?:this|it)|months and months|long time|that long|"
    # the start told as the birth, however it is put: "since the day he was born",
    # "since she had him", "since the EMCS", "since discharge"
    r"since (?:the day |the moment )?(?:s?he|they|baby|lo|bub|the baby) (?:was |were )?born|"
    r"since (?:s?he|i|mum) had (?:him|her|them|the baby|baby)|"
    r"since (?:the |her |his |that )?(?:c ?section|section|emcs|elcs|delivery|labour|labor)|"
    r"since (?:s?he|they|baby|lo|bub) (?:came|arrived)|since (?:discharge|being discharged)|"
    r"ever since|all along|weeks and weeks|been (?:weeks|months)|"
    r"as long as (?:i|we) ?(?:have|ve)? known)\b"
)
_SIGNIFICANT_RE: Final = re.compile(
    r"\b(?:significant|significantly|severe|severely|serious|seriously|really struggling|"
    r"very worried|very concerned|extremely|marked|profound|major)\b"
)
_MILD_RE: Final = re.compile(
    r"\b(?:mild|mildly|slight|slightly|a bit|a little|bit of|little bit|early days|just started|"
    r"recently started|starting to|beginning to|only noticed|first noticed|this week|"
    r"few days|couple of days|occasionally|sometimes|not sure|unsure|wondering|"
    r"uncertain|unclear|might be|may be|possibly|low level|minor|just a feeling)\b"
)

_RECENT_RE: Final = re.compile(
    r"\b(?:this week|few days|couple of days|just started|recently started|only noticed|"
    r"first noticed|yesterday|today|since last week|new this week|in the last few days)\b"
)


class DurationError(ValueError):
    """A duration that cannot be read; ``str()`` says what is accepted."""


class Course(BaseModel):
    """``persistent``: True (lasting ``PERSISTENT_WEEKS`` or more), False (recent),
    None (not said). ``mild``: the description calls it mild, early or
    uncertain. ``significant``: it calls it significant or severe."""

    model_config = ConfigDict(frozen=True)

    persistent: bool | None = None
    weeks: int | None = None
    mild: bool = False
    significant: bool = False


def _weeks(amount: str, unit: str) -> int:
    number = int(amount) if amount.isdigit() else _NUMBER_WORDS[amount]
    if unit.startswith("d"):
        return number // 7
    if unit.startswith("w"):
        return number
    if unit.startswith("y"):
        return number * 52
    return round(number * 4.35)


def parse_duration(text: str) -> int | None:
    """Weeks in an explicit duration ("6 weeks", "2 months"); None for "since
    birth" and the like, which only say the difficulty is long-standing."""
    folded = fold(text).strip()
    if _PERSISTENT_RE.search(folded):
        return None
    match = _FIELD_RE.match(re.sub(r"(?<=\d)(?=[a-z])", " ", folded))
    if match is None:
        shown = text.strip()[:40]
        raise DurationError(
            f'I could not read "{shown}" as how long it has been going on. {ACCEPTED}'
        )
    return _weeks(match.group(1), match.group(2))


def read_course(description: str | None, duration: str | None) -> Course:
    """Persistence and severity from the description and the duration field;
    the field wins when both speak. Raises DurationError for an unreadable field."""
    text = fold(description or "")
    weeks: int | None = None
    persistent: bool | None = None
    for pattern in (_SPAN_RE, _SPAN_AFTER_RE, _VAGUE_CLAUSE_RE):
        for match in pattern.finditer(text):
            amount, unit = (g for g in match.groups() if g is not None)
            found = _weeks(amount, unit)
            weeks = found if weeks is None else max(weeks, found)
    if weeks is not None:
        persistent = weeks >= PERSISTENT_WEEKS
    if _PERSISTENT_RE.search(text) or _MONTHS_CLAUSE_RE.search(text):
        persistent = True
    if duration and duration.strip():
        field_weeks = parse_duration(duration)
        weeks = field_weeks
        persistent = True if field_weeks is None else field_weeks >= PERSISTENT_WEEKS
    if persistent is None and _RECENT_RE.search(text):
        persistent = False
    return Course(
        persistent=persistent,
        weeks=weeks,
        mild=bool(_MILD_RE.search(text)),
        significant=bool(_SIGNIFICANT_RE.search(text)),
    )
