"""Reading a baby's age, or a stage of pregnancy, from what practitioners type.

Practitioners write ages many ways: "6 weeks", "3 wks", "6/52", "14 months",
"18mo", "1 year 3 months", "1yo", "two and a half", "newborn", "4 days old",
"28 weeks pregnant", "28/40", "32+4", "due in March", "expecting". All of them
become one :class:`AgeReading`, or an :class:`AgeError` whose message says
what is accepted. :func:`find_age` looks for an age inside a longer
description, where "for 3 months" is a duration, not an age, so it only takes
numbers that are plainly the baby's age ("a 4 month old", "baby is 6 weeks",
"she's 8 months", "8 months now", "4/12", and a clause that is only a figure,
"..., 4 months, BD5", when nothing else is an age), never a duration ("for 3 months",
"over the last 6 weeks", "3 months of low mood") or a parent's age ("mum is 17
years old"). It reads the description clause by clause, so "low mood for 3
months, baby 6 weeks" is a duration and then an age.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from pathways.text import fold

DAYS_PER_MONTH: Final = 30.4375
MAX_PREGNANCY_WEEKS: Final = 42
MAX_CHILD_MONTHS: Final = 18 * 12
EXAMPLES: Final = 'Try "6 weeks", "14 months", "28 weeks pregnant" or "due in March".'


class AgeError(ValueError):
    """An age that cannot be read or is impossible; ``str()`` is a message
    for the practitioner that says what is accepted."""


class AgeReading(BaseModel):
    """A baby's age after birth, or the stage of a pregnancy.

    ``weeks`` counts weeks of pregnancy when ``stage`` is antenatal and weeks
    since birth when postnatal; ``months`` is whole months since birth (0 in
    pregnancy). ``approximate`` is true when the figures are an estimate
    ("expecting", "newborn", "due in March").
    """

    model_config = ConfigDict(frozen=True)

    stage: Literal["antenatal", "postnatal"]
    weeks: int
    months: int
    text: str
    approximate: bool = False


# --- folding the text -------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_NUMBER_WORD_RE: Final = re.compile(
    r"\b(?:(" + "|".join(_TENS) + r")(?:\s+(" + "|".join(list(_SMALL)[1:10]) + r"))?|("
    + "|".join(_SMALL) + r"))\b"
)
_MONTHS: Final = {
    name.lower(): number
    for number, name in enumerate(calendar.month_name)
    if name
} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
} | {"sept": 9}
_MONTH_RE: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _number_words(match: re.Match[str]) -> str:
    if match.group(3):
        return str(_SMALL[match.group(3)])
    return str(_TENS[match.group(1)] + (_SMALL[match.group(2)] if match.group(2) else 0))


def _normalise(text: str) -> str:
    s = fold(text).replace("½", ".5")
    s = re.sub(r"(?<=[a-z])/o\b", " old", s)  # "18m/o", "1y/o"
    s = re.sub(r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])", " ", s)  # "6-month-old"
    s = re.sub(r"\blittle\s+(?:one|un)s?\b", "lo", s)  # before "one" becomes "1"
    s = _NUMBER_WORD_RE.sub(_number_words, s)
    s = re.sub(r"\b(?:a|one)\s+(?=(?:year|yr|month|week|day)s?\b)", "1 ", s)
    s = re.sub(r"\ba\s+couple\s+(?:of\s+)?", "2 ", s)
    s = re.sub(r"\b(?:a\s+)?few\s+", "3 ", s)
    s = re.sub(r"\b(\d{1,3})\s+and\s+a\s+half\b", r"\1.5", s)
    s = re.sub(r"\b(\d{1,3})\s+1/2\b", r"\1.5", s)
    s = re.sub(r"\b1\s+(year|yr)s?\s+and\s+a\s+half\b", r"1.5 \1", s)
    s = re.sub(r"\ba\s+(year|yr)\s+and\s+a\s+half\b", r"1.5 \1", s)
    s = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", s)  # "6wks" -> "6 wks", "1y3m"
    s = re.sub(r"[^\w./+\-\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


# --- building readings ------------------------------------------------------


def _plural(n: int | float, word: str) -> str:
    shown = int(n) if float(n).is_integer() else n
    return f"{shown} {word}" if shown == 1 else f"{shown} {word}s"


def _postnatal_days(days: float, text: str, approximate: bool = False) -> AgeReading:
    if days < 0:
        raise AgeError(f"An age cannot be negative. {EXAMPLES}")
    months = int(days // DAYS_PER_MONTH)
    if months > MAX_CHILD_MONTHS:
        raise AgeError(
            f'"{text}" is over 18 years. The navigator is for pregnancy and young '
            f"children: give the baby's or child's age. {EXAMPLES}"
        )
    return AgeReading(
        stage="postnatal", weeks=int(days // 7), months=months, text=text, approximate=approximate
    )


def _from_unit(amount: float, unit: str) -> AgeReading:
    if unit == "day":
        return _postnatal_days(amount, f"{_plural(amount, 'day')} old")
    if unit == "week":
        return _postnatal_days(amount * 7, f"{_plural(amount, 'week')} old")
    if unit == "month":
        return _postnatal_days(amount * DAYS_PER_MONTH, f"{_plural(amount, 'month')} old")
    months = round(amount * 12)
    return _years_months(months // 12, months % 12)


def _years_months(years: int, months: int) -> AgeReading:
    total = years * 12 + months
    if years and months:
        text = f"{_plural(years, 'year')} {_plural(months, 'month')} old"
    elif years:
        text = f"{_plural(years, 'year')} old"
    else:
        text = f"{_plural(months, 'month')} old"
    return _postnatal_days(total * DAYS_PER_MONTH + 0.5, text)


def _pregnant(weeks: float, text: str | None = None, approximate: bool = False) -> AgeReading:
    whole = int(weeks)
    if whole < 0:
        raise AgeError(f"A pregnancy cannot be a negative number of weeks. {EXAMPLES}")
    if whole > MAX_PREGNANCY_WEEKS:
        raise AgeError(
            f"A pregnancy of {whole} weeks is not possible (pregnancy lasts up to about "
            f'{MAX_PREGNANCY_WEEKS} weeks). If the baby has been born, give the baby\'s age, '
            f'e.g. "6 weeks".'
        )
    return AgeReading(
        stage="antenatal",
        weeks=whole,
        months=0,
        text=text or f"{_plural(whole, 'week')} pregnant",
        approximate=approximate,
    )


def _unit(word: str) -> str:
    if word.startswith("d"):
        return "day"
    if word.startswith("w"):
        return "week"
    if word.startswith("y"):
        return "year"
    return "month"


def _due(due: date, today: date, approximate: bool, said: str) -> AgeReading:
    days_to_go = (due - today).days
    weeks = (280 - days_to_go) // 7
    if weeks > MAX_PREGNANCY_WEEKS:
        raise AgeError(
            f'A due date of {said} has passed. If the baby has been born, give the baby\'s age, '
            f'e.g. "6 weeks".'
        )
    if weeks < 0:
        raise AgeError(
            f"A due date of {said} is more than 40 weeks away. {EXAMPLES}"
        )
    text = f"about {_plural(weeks, 'week')} pregnant (due {said})"
    return _pregnant(weeks, text, approximate=True) if approximate else _pregnant(weeks, text)


def _due_in_month(month: int, year: int | None, today: date, said: str) -> AgeReading:
    if year is not None:
        return _due(date(year, month, 15), today, True, f"{said} {year}")
    for candidate in (today.year, today.year + 1):
        due = date(candidate, month, 15)
        if due >= today - timedelta(days=14):
            return _due(due, today, True, f"{said} {candidate}")
    raise AgeError(f"I could not tell when {said} is. {EXAMPLES}")  # pragma: no cover


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _date(day: str, month: int, year: str | None, today: date) -> date:
    try:
        return date(_year(year) or today.year, month, int(day))
    except ValueError as exc:
        raise AgeError(f"{day}/{month} is not a real date. {EXAMPLES}") from exc


# --- patterns ---------------------------------------------------------------

NUM: Final = r"(\d{1,4}(?:\.\d{1,2})?)"
DAY_U: Final = r"(?:days?|dys?|d)"
WEEK_U: Final = r"(?:weeks?|weeeks?|weks?|wks?|wk|w)"
MONTH_U: Final = r"(?:months?|monhts?|mnths?|mths?|mth|mos?|mons?|m)"
YEAR_U: Final = r"(?:years?|yrs?|yr|y)"
UNIT: Final = rf"({DAY_U}|{WEEK_U}|{MONTH_U}|{YEAR_U})"
OLD: Final = r"(?:old|olds|o)"
PREG: Final = (
    r"(?:pregnant|pregnent|pregant|pragnant|pregnanat|preg|pg|gestation|gestational|gest"
    r"|antenatal|antenatally|ante natal|expecting)"
)
BABY: Final = (
    r"(?:baby|babys|babies|babby|babbys|bairn|son|daughter|ds|dd|infant|child|toddler|boy|girl"
    r"|twins?|lo|bub|newborn|little one|grandson|granddaughter)"
)
# "a 17 year old mum" is the parent's age, not the baby's
NOT_CHILD: Final = (
    r"(?![ ]+(?:mum|mom|mother|dad|father|parent|woman|man|lady|sister|brother|sibling|cousin"
    r"|aunt|uncle|partner|girlfriend|boyfriend))"
)
_B: Final = r"(?<![\w.])"  # start of a number that is not part of a longer one
_E: Final = r"(?![\w/])"
_NOT_DURATION: Final = "".join(
    f"(?<!{w} )" for w in ("for", "since", "past", "last", "over", "x", "in")
)

Builder = Callable[[re.Match[str], date], AgeReading]


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    build: Builder
    rank: int  # 0 plain age, 1 newborn, 2 "pregnant" without a figure, 3 a bare clause
    in_free_text: bool  # safe to look for inside a longer description
    by_clause: bool  # in a description, matched within one clause ("..., 8 months now")
    not_after: re.Pattern[str] | None  # a match right after this is not the baby's age


def _p(
    pattern: str,
    build: Builder,
    rank: int = 0,
    free: bool = True,
    by_clause: bool = False,
    not_after: re.Pattern[str] | None = None,
) -> _Pattern:
    return _Pattern(re.compile(pattern), build, rank, free, by_clause, not_after)


# Words just before a number that make it a duration: "for 3 months", "over
# the last 6 weeks", "since 2 months", "in the past 2 weeks".
_DURATION_CUE: Final = (
    r"\b(?:for|since|past|last|over|in|within|during|x|after|before|every|each|from|until"
    r"|till|by|at|been|lasted|lasting|next|previous|recent|another|further|first)[ ]+"
    r"(?:(?:the|a|an|about|around|nearly|almost|approx|approximately|roughly|just|only|over"
    r"|under|least|more|less|than|past|last|previous|recent|first|some|her|his|their)[ ]+)*$"
)
# Words just before a number that make it someone else's age: "mum is 17 years old".
_OTHER_PERSON: Final = (
    r"\b(?:mum|mom|mother|mam|dad|father|parent|parents|partner|carer|woman|man|lady|brother"
    r"|sister|sibling|cousin|aunt|uncle|grandma|grandmother|nan|nana|grandad|grandfather)[ ]+"
    r"(?:(?:is|s|was|aged|age|who|whos|now|only|just|about|around|nearly|almost)[ ]+)*$"
)
NOT_A_DURATION: Final = re.compile(_DURATION_CUE)
NOT_SOMEONE_ELSE: Final = re.compile(_OTHER_PERSON)
NEITHER: Final = re.compile(f"{_DURATION_CUE}|{_OTHER_PERSON}")
# Words just after a number that make it a duration: "3 months of low mood", "6 weeks ago".
_NOT_AFTER_AGE: Final = (
    r"(?![ ]*(?:ago|later|before|after|since|into|in\b|on\b|of\b(?!\s+age)|history|hx\b"
    r"|duration|late|overdue|running|straight))"
)
# After a unitless figure: nothing that makes it other than a child's years.
_NO_UNIT_AFTER: Final = (
    r"(?![ ]*(?:/|\.\d|\d|(?:days?|dys?|d|weeks?|wks?|wk|w|months?|mths?|mth|mos?|m|years?|yrs?"
    r"|yr|y|of|kids|children|babies|twins|times|x|hours?|hrs?|am|pm|oclock|percent|pounds|kg"
    r"|lbs?|st|nd|rd|th|ft|feet|foot|mins?|minutes?|stone)\b)"
    r"|[ ]*(?:%|-))"
)
# Before a review: the review is when something began, not the child's age now.
_SINCE_THEN: Final = re.compile(
    r"\b(?:since|from|after|before|until|till|at)[ ]+(?:(?:the|his|her|their|a)[ ]+)?$"
)
_ABOUT: Final = (
    r"(?:now|nearly|almost|about|around|approx|approximately|roughly|just|only|over|under"
    r"|turning|turned)"
)


def _weeks_pregnant(m: re.Match[str], _: date) -> AgeReading:
    return _pregnant(float(m.group("n")))


def _months_pregnant(m: re.Match[str], _: date) -> AgeReading:
    months = float(m.group("n"))
    return _pregnant(months * DAYS_PER_MONTH / 7, f"{_plural(months, 'month')} pregnant")


def _unit_age(m: re.Match[str], _: date) -> AgeReading:
    return _from_unit(float(m.group("n")), _unit(m.group("u")))


def _compound(m: re.Match[str], _: date) -> AgeReading:
    return _years_months(int(float(m.group("y"))), int(float(m.group("mo"))))


def _fraction(unit: str) -> Builder:
    def build(m: re.Match[str], _: date) -> AgeReading:
        return _from_unit(float(m.group("n")), unit)

    return build


def _newborn(_m: re.Match[str], _: date) -> AgeReading:
    return AgeReading(stage="postnatal", weeks=0, months=0, text="newborn", approximate=True)


def _expecting(_m: re.Match[str], _: date) -> AgeReading:
    return _pregnant(0, "pregnant (weeks not given)", approximate=True)


def _trimester(m: re.Match[str], _: date) -> AgeReading:
    first_week = {"1": 1, "first": 1, "2": 13, "second": 13, "3": 27, "third": 27}[m.group("t")]
    return _pregnant(first_week, f"pregnant, {m.group('t')} trimester", approximate=True)


def _due_weeks(m: re.Match[str], today: date) -> AgeReading:
    due = today + timedelta(weeks=float(m.group("n")))
    return _due(due, today, True, f"in {m.group('n')} weeks")


def _due_months(m: re.Match[str], today: date) -> AgeReading:
    days = float(m.group("n")) * DAYS_PER_MONTH
    return _due(today + timedelta(days=days), today, True, f"in {m.group('n')} months")


def _due_month(m: re.Match[str], today: date) -> AgeReading:
    month = _MONTHS[m.group("mon")]
    day = m.group("d")
    if day:
        due = _date(day, month, m.group("yr"), today)
        if not m.group("yr") and due < today - timedelta(weeks=2):
            due = _date(day, month, str(today.year + 1), today)
        return _due(due, today, False, _said(due))
    return _due_in_month(month, _year(m.group("yr")), today, calendar.month_name[month])


def _numeric_date(m: re.Match[str], today: date) -> date:
    month = int(m.group("mo"))
    if not 1 <= month <= 12:
        raise AgeError(f"{m.group(0)} is not a real date. {EXAMPLES}")
    return _date(m.group("d"), month, m.group("yr"), today)


def _said(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _due_numeric(m: re.Match[str], today: date) -> AgeReading:
    due = _numeric_date(m, today)
    return _due(due, today, False, _said(due))


def _since_birth(born: date, today: date) -> AgeReading:
    if born > today:
        raise AgeError(f"A date of birth of {_said(born)} is in the future. {EXAMPLES}")
    reading = _postnatal_days((today - born).days, "")
    text = (
        f"{_plural(reading.months, 'month')} old"
        if reading.months >= 3
        else f"{_plural(reading.weeks, 'week')} old"
    )
    return reading.model_copy(update={"text": f"{text} (born {_said(born)})"})


def _born_on(m: re.Match[str], today: date) -> AgeReading:
    return _since_birth(_numeric_date(m, today), today)


DATE_NUM: Final = r"(?P<d>\d{1,2})[/.\-](?P<mo>\d{1,2})(?:[/.\-](?P<yr>\d{2}|\d{4}))?"
DATE_WORDS: Final = (
    rf"(?:(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})"
    rf"|(?P<mon2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})\s*(?:st|nd|rd|th)?)(?:\s+(?P<yr>\d{{4}}))?"
)


def _born_words(m: re.Match[str], today: date) -> AgeReading:
    day = m.group("d") or m.group("d2")
    month = _MONTHS[m.group("mon") or m.group("mon2")]
    born = _date(day, month, m.group("yr"), today)
    if born > today and not m.group("yr"):
        born = _date(day, month, str(today.year - 1), today)
    return _since_birth(born, today)


DUE: Final = r"(?:due|edd|due date|expected date of delivery|baby due)"
BARE_CLAUSE: Final = 3

_PATTERNS: Final[tuple[_Pattern, ...]] = (
    # pregnancy, with a figure
    _p(rf"{_B}(?P<n>\d{{1,2}})\s*\+\s*\d{_E}(?:\s*(?:weeks?|wks?))?", _weeks_pregnant),
    _p(rf"{_B}(?P<n>\d{{1,2}})\s*/\s*40{_E}", _weeks_pregnant),
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*{WEEK_U}{_E}\s*(?:'s|s)?\s*(?:of\s+)?{PREG}", _weeks_pregnant),
    _p(rf"{PREG}\s+(?:with\s+\w+\s+)?(?:at|and|,|is|now)?\s*(?P<n>{NUM[1:-1]})\s*{WEEK_U}{_E}",
       _weeks_pregnant),
    _p(rf"\b(?:mum|mother|i)\s+(?:is|s|am)\s+(?P<n>{NUM[1:-1]})\s*{WEEK_U}{_E}"
       rf"(?!\s*(?:old|o\b|postnatal|pn|post))", _weeks_pregnant),
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*{MONTH_U}{_E}\s*{PREG}", _months_pregnant),
    _p(r"\b(?P<t>1|2|3|first|second|third)(?:st|nd|rd)?\s+trimester\b", _trimester),
    _p(rf"{DUE}\s+(?:in\s+)?(?P<n>\d{{1,2}})\s*{WEEK_U}{_E}", _due_weeks),
    _p(rf"{DUE}\s+in\s+(?P<n>\d{{1,2}})\s*{MONTH_U}{_E}", _due_months),
    _p(rf"{DUE}\s+(?:is\s+|on\s+|in\s+|around\s+|about\s+|early\s+|late\s+|mid\s+|end\s+of\s+"
       rf"|beginning\s+of\s+|start\s+of\s+)*(?:(?P<d>\d{{1,2}})\s*(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
       rf"(?P<mon>{_MONTH_RE})\b(?:\s+(?P<yr>\d{{4}}))?", _due_month),
    _p(rf"{DUE}\s+(?:is\s+|on\s+)?{DATE_NUM}{_E}", _due_numeric),
    # date of birth
    _p(rf"\b(?:dob|d o b|date of birth|born)\s*(?:is\s+|on\s+)?{DATE_NUM}{_E}", _born_on),
    _p(rf"\b(?:dob|d o b|date of birth|born)\s*(?:is\s+|on\s+)?{DATE_WORDS}\b", _born_words),
    # after birth, with a figure
    _p(rf"{_NOT_DURATION}{_B}(?P<n>\d{{1,3}})\s*/\s*52{_E}(?![ ]*(?:ago|now|history))",
       _fraction("week"), not_after=NOT_A_DURATION),
    _p(rf"{_NOT_DURATION}{_B}(?P<n>\d{{1,2}})\s*/\s*12{_E}(?![ ]*(?:ago|now|history))",
       _fraction("month"), not_after=NOT_A_DURATION),
    _p(rf"{_B}(?P<n>\d{{1,2}})\s*/\s*7{_E}", _fraction("day"), free=False),
    _p(rf"{_B}(?P<y>\d{{1,2}}(?:\.5)?)\s*{YEAR_U}{_E}\s*(?:old\s+)?(?:and\s+|,\s*)?"
       rf"(?P<mo>\d{{1,2}})\s*{MONTH_U}{_E}", _compound),
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]})\s*{OLD}{_E}{NOT_CHILD}", _unit_age,
       not_after=NOT_SOMEONE_ELSE),
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*(?P<u>yo|y o){_E}{NOT_CHILD}", _fraction("year"),
       not_after=NOT_SOMEONE_ELSE),
    _p(rf"\b(?:aged|age|ages)\s*(?:of\s+)?(?:is\s+)?(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}",
       _unit_age, not_after=NOT_SOMEONE_ELSE),
    # "she's 8 months", "he is 14 months", "who's 6 weeks" (not "she's 8 months pregnant")
    _p(rf"\b(?:(?:she|he|they|who)\s+(?:is|s|are)|shes|hes|theyre|whos)\s+(?:{_ABOUT}\s+)*"
       rf"(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}(?![ ]*(?:s[ ]+)?(?:of[ ]+)?{PREG})"
       rf"{_NOT_AFTER_AGE}", _unit_age, by_clause=True, not_after=NOT_SOMEONE_ELSE),
    # a clause that is just the age: "..., 8 months now", "now 8 months"
    _p(rf"^(?:{_ABOUT}\s+)*(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}\s+now\b"
       rf"{_NOT_AFTER_AGE}", _unit_age, by_clause=True),
    _p(rf"^now\s+(?:{_ABOUT}\s+)*(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}"
       rf"(?![ ]*(?:s[ ]+)?(?:of[ ]+)?{PREG}){_NOT_AFTER_AGE}", _unit_age, by_clause=True),
    # "6 weeks postnatal", "3 months postpartum"
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}\s*(?:post\s*natal(?:ly)?|pn"
       rf"|post\s*partum|pp|post\s+birth|post\s+delivery)\b(?!\s+(?:depression|depressive"
       rf"|anxiety|mental|psychosis|mood|support|group|team|visit|check|ward|class|course))",
       _unit_age, not_after=NOT_A_DURATION),
    _p(rf"\b{BABY}\s+(?:is\s+|who\s+is\s+|whos\s+|now\s+|aged\s+|of\s+|nearly\s+|almost\s+"
       rf"|about\s+|around\s+|just\s+|only\s+|-\s*)*(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]})"
       rf"{_E}(?![ ]*(?:s[ ]+)?(?:of[ ]+)?{PREG}){_NOT_AFTER_AGE}",
       _unit_age),
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]})\s+{BABY}\b", _unit_age, by_clause=True,
       not_after=NEITHER),
    # a young child's age in years with no unit: "LO is 2", "the boy is 3",
    # "he's 2 and a half", "DS 2 and a bit", "just turned 2" (a figure of 1 to
    # 5 with nothing after it that makes it something else)
    _p(rf"\b(?:(?:{BABY}|he|she|who)\s+(?:is|s|are|of|aged)|hes|shes|whos)\s+(?:{_ABOUT}\s+)*"
       rf"(?P<n>[1-5](?:\.5)?){_E}(?:\s+and\s+a\s+bit\b)?{_NO_UNIT_AFTER}",
       _fraction("year"), by_clause=True),
    _p(rf"\b{BABY}\s+(?P<n>[1-5]\.5|[1-5](?=\s+and\s+a\s+bit\b)){_E}"
       rf"(?:\s+and\s+a\s+bit\b)?{_NO_UNIT_AFTER}", _fraction("year"), by_clause=True),
    _p(rf"\b(?:just\s+)?turned\s+(?P<n>[1-5](?:\.5)?){_E}{_NO_UNIT_AFTER}", _fraction("year"),
       by_clause=True),
    _p(r"\bhad\s+(?:his|her|their|the)\s+(?P<n>[1-5])\s*(?:st|nd|rd|th)\s+birthday\b",
       _fraction("year")),
    # the child's age told by the review it is at: "2 yr review", "1 year check"
    _p(rf"{_B}(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}\s*(?:old\s+)?(?:development(?:al)?\s+)?"
       rf"(?:review|check|assessment|r\s*/?\s*v)\b", _unit_age, not_after=_SINCE_THEN),
    # the explicit age field may be just a figure and a unit
    _p(rf"^(?:about\s+|around\s+|nearly\s+|almost\s+|approx\s+|approximately\s+)?"
       rf"(?P<n>{NUM[1:-1]})\s*(?P<u>{UNIT[1:-1]}){_E}(?!\s*(?:s\s+)?(?:of\s+)?{PREG})",
       _unit_age, free=False),
    _p(r"^(?P<n>\d{1,2}\.5)$", _fraction("year"), free=False),
    # no figure
    _p(r"\b(?:newborn|new born|new baby|just born|neonate|neonatal|just given birth"
       r"|just had (?:the |her |a |my |their )?(?:baby|babby|bby|twins|lo)"
       r"|gave birth (?:today|yesterday|this week))\b", _newborn, rank=1),
    _p(r"(?<!not )(?<!isnt )\b(?:pregnant|pregnent|pregant|antenatal|unborn"
       r"|expecting(?=\s+(?:a|her|their|baby|twins|first|second|third|another|again)\b|\s*$))\b",
       _expecting, rank=2),
)
_BARE_NUMBER_RE: Final = re.compile(r"^\d{1,4}(?:\.\d{1,2})?$")
_NEGATIVE_RE: Final = re.compile(r"^-\s*\d")


Candidate = tuple[int, int, int, AgeReading | AgeError]
_CLAUSE_BREAK_RE: Final = re.compile(r"[,;!?\n]|\.(?!\d)|\s[-\u2013\u2014]\s")
_CONTEXT_CHARS: Final = 80


@dataclass(frozen=True)
class _Text:
    """Normalised text, and where each of its clauses starts."""

    whole: str
    clauses: tuple[tuple[int, str], ...]
    pieces: tuple[str, ...] = ()  # each clause as typed, before normalising


def _one_piece(s: str) -> _Text:
    return _Text(s, ((0, s),))


def _by_clauses(text: str) -> _Text:
    """Normalise each clause of ``text`` and join them with single spaces."""
    clauses: list[tuple[int, str]] = []
    pieces: list[str] = []
    offset = 0
    for piece in _CLAUSE_BREAK_RE.split(text):
        clause = _normalise(piece)
        if clause:
            clauses.append((offset, clause))
            pieces.append(piece)
            offset += len(clause) + 1
    # clauses are joined by a line break: patterns may span it, but the words
    # checked beside an age ("a 7 week old, mum reports") stay in their clause
    return _Text("\n".join(c for _, c in clauses), tuple(clauses), tuple(pieces))


# A clause that is only a figure in days, weeks or months, as notes give the
# baby's age ("not smiling, 4 months, BD5"): taken only when nothing else in
# the text is an age, since notes give a duration that way too; never a
# vague one ("few months", "a couple of weeks"), which is always how long.
_BARE_CLAUSE_RE: Final = re.compile(
    rf"^(?:{_ABOUT}\s+)*(?P<n>{NUM[1:-1]})\s*(?P<u>{DAY_U}|{WEEK_U}|{MONTH_U}){_E}$"
)
_VAGUE_RE: Final = re.compile(r"\b(?:few|couple|several|many|some)\b")


def _bare_clause_ages(text: _Text, today: date) -> list[tuple[int, int, AgeReading]]:
    """(start, end, reading) for each clause of ``text`` that is only an age figure."""
    found: list[tuple[int, int, AgeReading]] = []
    for (offset, clause), piece in zip(text.clauses, text.pieces, strict=True):
        match = _BARE_CLAUSE_RE.match(clause)
        if match is not None and not _VAGUE_RE.search(fold(piece)):
            with contextlib.suppress(AgeError):
                found.append((offset, offset + len(clause), _unit_age(match, today)))
    return found


def _first_match(pattern: _Pattern, text: _Text) -> tuple[int, re.Match[str]] | None:
    """The first match of ``pattern`` that its context does not rule out, with
    where it starts in the whole text."""
    pieces = text.clauses if pattern.by_clause else ((0, text.whole),)
    for offset, piece in pieces:
        for match in pattern.regex.finditer(piece):
            start = offset + match.start()
            before = text.whole[max(0, start - _CONTEXT_CHARS) : start]
            if pattern.not_after is None or not pattern.not_after.search(before):
                return start, match
    return None


def _candidates(text: _Text, today: date, free_text: bool) -> list[Candidate]:
    """The first reading each pattern makes of ``text``, as (rank, start,
    order, reading); an impossible one ("50 weeks pregnant") is kept as its
    error."""
    found: list[Candidate] = []
    for order, pattern in enumerate(_PATTERNS):
        if free_text and not pattern.in_free_text:
            continue
        first = _first_match(pattern, text)
        if first is None:
            continue
        start, match = first
        try:
            reading: AgeReading | AgeError = pattern.build(match, today)
        except AgeError as exc:
            reading = exc
        found.append((pattern.rank, start, order, reading))
    return found


def _best(found: list[Candidate]) -> Candidate | None:
    return min(found, key=lambda c: c[:3]) if found else None


def parse_age(text: str, today: date) -> AgeReading:
    """Read an age typed in the age field; raise :class:`AgeError` if it cannot."""
    s = _normalise(text[:300])
    if not s:
        raise AgeError(f"Please give the baby's age or stage of pregnancy. {EXAMPLES}")
    if _NEGATIVE_RE.match(s):
        raise AgeError(f"An age cannot be negative. {EXAMPLES}")
    best = _best(_candidates(_one_piece(s), today, free_text=False))
    if best is not None:
        if isinstance(best[3], AgeError):
            raise best[3]
        return best[3]
    if _BARE_NUMBER_RE.match(s):
        raise AgeError(
            f'I could not tell what "{text.strip()}" means: add weeks, months or years, '
            f'e.g. "{s} weeks" or "{s} months".'
        )
    shown = text.strip()[:60]
    raise AgeError(f'I could not read "{shown}" as an age. {EXAMPLES}')


def _all_matches(pattern: _Pattern, text: _Text) -> list[tuple[int, int, re.Match[str]]]:
    """Every match of ``pattern`` its context does not rule out, with where it
    starts and ends in the whole text."""
    pieces = text.clauses if pattern.by_clause else ((0, text.whole),)
    found = []
    for offset, piece in pieces:
        for match in pattern.regex.finditer(piece):
            start = offset + match.start()
            before = text.whole[max(0, start - _CONTEXT_CHARS) : start]
            if pattern.not_after is None or not pattern.not_after.search(before):
                found.append((start, offset + match.end(), match))
    return found


def ages_in(text: str, today: date) -> list[AgeReading]:
    """Every age a description mentions, in order, one reading per stretch of
    text (where two patterns read the same words, the better one is kept)."""
    spans: list[tuple[int, int, int, int, AgeReading]] = []
    by_clauses = _by_clauses(text)
    for order, pattern in enumerate(_PATTERNS):
        if not pattern.in_free_text:
            continue
        for start, end, match in _all_matches(pattern, by_clauses):
            try:
                reading = pattern.build(match, today)
            except AgeError:
                continue
            spans.append((start, pattern.rank, order, end, reading))
    for start, end, reading in _bare_clause_ages(by_clauses, today):
        spans.append((start, BARE_CLAUSE, len(_PATTERNS), end, reading))
    kept: list[tuple[int, int, int, AgeReading]] = []
    for start, rank, _order, end, reading in sorted(spans, key=lambda s: (s[1], s[0], s[2])):
        if all(end <= k_start or start >= k_end for k_start, k_end, _, _ in kept):
            kept.append((start, end, rank, reading))
    if any(rank < BARE_CLAUSE for _, _, rank, _ in kept):
        # a bare "2 months" beside any other age is a duration, not a second baby
        kept = [k for k in kept if k[2] < BARE_CLAUSE]
    if any(rank == 0 and _is_baby(reading) for _, _, rank, reading in kept):
        # "pregnant again" or "newborn" beside a baby's figured age adds no second baby
        kept = [k for k in kept if k[2] == 0]
    return [reading for _, _, _, reading in sorted(kept, key=lambda k: k[0])]


def _is_baby(reading: AgeReading) -> bool:
    return reading.stage == "antenatal" or reading.months < 24


def _same_baby(first: AgeReading, second: AgeReading) -> bool:
    if first.stage != second.stage:
        return False
    return first.stage == "antenatal" or abs(first.weeks - second.weeks) <= 2


def _babies(readings: list[AgeReading]) -> list[AgeReading]:
    """The distinct babies under 2 (or pregnancies) among ``readings``; an
    estimate ("newborn") gives way to a figure for the same baby."""
    babies: list[AgeReading] = []
    for reading in readings:
        if not _is_baby(reading):
            continue
        same = next((b for b in babies if _same_baby(b, reading)), None)
        if same is None:
            babies.append(reading)
        elif same.approximate and not reading.approximate:
            babies[babies.index(same)] = reading
    return babies


def several_babies(text: str, today: date) -> bool:
    """Whether ``text`` names more than one baby under 2 (or a baby and a
    pregnancy), so which one the worry is about must be asked."""
    return len(_babies(ages_in(text, today))) > 1


def find_age(text: str, today: date) -> AgeReading | None:
    """The age of the baby a longer description is about, or None.

    With several children, the age taken is that of the one baby under 2 (or
    the pregnancy): "has a 3 year old and a 6 week old" is about the 6 week
    old. Two babies under 2 give None (the navigator asks). An impossible
    age ("50 weeks pregnant") is ignored here; the age field reports it."""
    babies = _babies(ages_in(text, today))
    if len(babies) == 1:
        return babies[0]
    if babies:
        return None
    found = [c for c in _candidates(_by_clauses(text), today, free_text=True)
             if isinstance(c[3], AgeReading)]
    best = _best(found)
    return best[3] if best is not None and isinstance(best[3], AgeReading) else None
