"""Redaction: personal details taken out of a practitioner's message.

One job: :func:`redact` turns a message into a :class:`Redacted` (the
redacted text and the kinds of detail found; never the originals). The chat
proxy redacts every message once, before it is forwarded to Rasa, logged,
counted or echoed; the engine still reads the original text in memory, so a
red flag, an age or a postcode is never hidden by redaction.

What is taken out (each replaced by a bracketed placeholder):

- UK phone numbers: mobiles and landlines (01274, 01535 ...), ``+44``,
  ``0044`` and ``(0)`` forms, spaced, dashed or dotted, and one digit short
  ("07700 90012", a slip of the thumb): ``[phone]``;
- email addresses: ``[email]``;
- NHS numbers: 10 digits, spaced 3-3-4 or not, only when the modulus 11 check
  digit is valid and it does not start with 0 (that is a phone number):
  ``[NHS number]``;
- dates: d/m/y, d.m.y and d-m-y with a two- or four-digit year, "3rd March
  2025", "March 3rd, 2025", and any date after "DOB", "d.o.b." or "date of
  birth" (year or not): ``[date]``. Ages and obstetric shorthand stay: "4
  month old", "6 weeks", "34 weeks pregnant", "2yo", "6/52", "4/12", "36/40",
  "32+4" are not dates;
- full postcodes, cut to their sector: "BD3 9LF" and "bd39lf" become "BD3 9";
  an outward code ("BD3") or a sector is left as it is;
- street addresses: a house number and a street ("14 Oak Road", "3a Manor
  Rd"), "flat 2", "apartment 4", "no. 14": ``[address]``;
- names after a title (Mr, Mrs, Ms, Miss, Dr, Mx), after "called", "named",
  "name is", "name's", "known as", and after a family word written with a
  capital, bracketed or not ("Mum Sarah", "dad Tom", "mum (Sarah)"): ``[name]``. The title or
  family word stays ("Mrs [name]", "Mum [name]"), so the message still says
  who is who.

What it cannot do: a bare name with nothing to introduce it ("Sarah is low")
is not found; no list of names or model is used. The chat page asks people not
to type names, and the tracker expires.

Library decision: scrubadub 2.0.1 was evaluated and not used. Installed into
an empty Python 3.11 environment it brings 24 packages and 269 MB
(scikit-learn, SciPy, NumPy, NLTK, TextBlob, Faker, phonenumbers,
dateparser), and adds about 3 s to start-up for its import. Offline, on UK
practitioner text, its en_GB detectors found the email and one landline, but
missed "07700 900123" and "+44 7700 900123", NHS numbers, dates of birth,
street addresses and every name (its name detectors need NLTK/TextBlob corpora
or spaCy models downloaded at run time, which this project may not do), and it
replaces a whole postcode where the navigator needs the sector. The UK
patterns here would be needed on top of it for every kind, so it would add
weight and no coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pathways.postcode import UK_POSTCODE_AREAS

PHONE: Final = "[phone]"
EMAIL: Final = "[email]"
NHS_NUMBER: Final = "[NHS number]"
DATE: Final = "[date]"
ADDRESS: Final = "[address]"
NAME: Final = "[name]"


@dataclass(frozen=True)
class Redacted:
    """A message with its personal details taken out, and which kinds were
    found (``phone``, ``email``, ``nhs_number``, ``date``, ``postcode``,
    ``address``, ``name``). The originals are not kept."""

    text: str
    kinds: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


# --- emails, NHS numbers, phone numbers ---------------------------------------

_EMAIL_RE: Final = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")

_NHS_RE: Final = re.compile(r"(?<![\w+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w/])")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check (weights 10 down to 2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# A UK number: +44 / 0044 (optionally "(0)"), or a leading 0, then 9 or 10
# more digits, with spaces, dashes, dots or brackets between them. Not inside
# a longer number, a date ("01/02/2025") or a word.
_PHONE_RE: Final = re.compile(
    r"(?<![\w+/.])"
    r"(?:(?:\+|00)\s?44[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)"
    r"(?:[\s.)-]{0,2}\d){9,10}"
    r"(?![\w/]|\.\d)"
)

# --- dates ---------------------------------------------------------------------

_MONTHS: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY: Final = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR: Final = r"(?:19|20)\d{2}"
_NUMERIC_DATE: Final = r"(?:0?[1-9]|[12]\d|3[01])([/.-])(?:0?[1-9]|1[0-2])\1(?:\d{4}|\d{2})"
_WORD_DATE: Final = (
    rf"{_DAY}(?:\s+of)?\s+{_MONTHS}\.?,?\s+{_YEAR}"
    rf"|{_MONTHS}\.?\s+{_DAY},?\s+{_YEAR}"
)
_DATE_RE: Final = re.compile(
    rf"(?<![\w/.+-])(?:{_NUMERIC_DATE}|{_WORD_DATE})(?![\w/]|[.-]\d)", re.IGNORECASE
)
# After "DOB" any day and month is a date of birth, with or without a year.
_DOB_RE: Final = re.compile(
    r"\b(?P<lead>d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birthday)(?P<gap>\s*(?:is|was|[:=-])?\s*)"
    rf"(?P<date>{_DAY}(?:\s+of)?\s+{_MONTHS}\b\.?(?:,?\s+{_YEAR})?"
    rf"|{_MONTHS}\.?\s+{_DAY}\b(?:,?\s+{_YEAR})?"
    r"|(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])(?:[/.-](?:\d{4}|\d{2}))?(?![\w/]|[.-]\d))",
    re.IGNORECASE,
)

# --- postcodes -----------------------------------------------------------------

_POSTCODE_RE: Final = re.compile(
    r"(?<![\w/])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s?(\d)([ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?!\w)"
)

def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- addresses -----------------------------------------------------------------

_STREET_WORDS: Final = (
    r"(?:road|rd|street|st|lane|ln|avenue|ave|close|terrace|terr|tce|grove|way|drive|dr"
    r"|crescent|cres|place|pl|walk|court|ct|gardens|gdns|row|mount|fold|square|sq|parade"
    r"|green|rise|view|mews|hill|croft|gate|bank)"
)
_HOUSE_RE: Final = re.compile(
    r"(?<![\w/.+-])(?P<number>\d{1,4}[a-z]?),?\s+"
    r"(?P<street>(?:[A-Za-z][A-Za-z'-]*\s+){1,3})"
    rf"(?P<kind>{_STREET_WORDS})\b\.?",
    re.IGNORECASE,
)
_FLAT_RE: Final = re.compile(
    r"\b(?:flat|apartment|apt|unit|house\s+number)\s*\d{1,4}[a-z]?\b"
    # "no. 14" is a house, but "baby no.2" is the second baby
    r"|(?<!baby )(?<!child )(?<!kid )(?<!son )(?<!boy )(?<!girl )(?<!daughter )(?<!pregnancy )"
    r"\bno\.\s?\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
# Words that cannot name a street after a number: ages, times, counts, and
# the words around them ("10 min walk", "4 weeks on the ward way"), and text-speak
# "2" for "to" before a food bank ("cnt get 2 food bank").
_NOT_STREET_NAMES: Final = _word_set(
    """
    week weeks wk wks wkly month months mo mos mth mths day days d year years yr yrs y yo
    hour hours hr hrs min mins minute minutes second seconds times time x pregnant
    gestation kids children babies boys girls sibs siblings people of the a an and or
    to on in at by from with for is was are were has had her his their my our your it
    its this that these those there then than too very so not no nil up down back out
    over under about around after before since ago miles mile mins' min's feeds bottles
    nappies ml oz kg lb lbs g cm bed beds bedroom bedrooms bedroomed storey floor floors
    food
    """
)

# --- names ---------------------------------------------------------------------

_TITLE_RE: Final = re.compile(
    r"\b(?P<title>(?i:mrs|mr|ms|miss|dr|mx)\b\.?)(?P<gap>\s+)(?P<name>[A-Za-z][A-Za-z'-]*)"
    r"(?P<more>(?:\s+[A-Z][a-z][A-Za-z'-]*){0,2})"
)
_INTRO_RE: Final = re.compile(
    r"\b(?P<lead>called|named|known\s+as|(?:first\s+|sur|last\s+|baby'?s\s+)?name\s+is"
    r"|names\s+are|(?:first\s+|sur|last\s+)?name'?s|christened)"
    r"(?P<gap>\s*:?\s+)(?P<name>[A-Za-z][A-Za-z'-]*)"
    r"(?P<more>(?:\s+(?:and\s+)?[A-Z][a-z][A-Za-z'-]*){0,2})",
    re.IGNORECASE,
)
_FAMILY_RE: Final = re.compile(
    r"\b(?P<lead>(?i:mum|mam|mom|mother|dad|father|baby|bby|partner|husband|wife|boyfriend"
    r"|girlfriend|son|daughter|brother|sister|sibling|nan|nana|gran|grandma|grandad"
    r"|granddad|grandmother|grandfather|aunt|auntie|uncle|stepdad|stepmum|ex|cousin"
    r"|MIL|FIL|OH|DP|LO|DS|DD)\d?)(?P<gap>\s+\(?|\()(?P<name>[A-Z][a-z][A-Za-z'-]*)"
    r"(?P<more>(?:\s+[A-Z][a-z][A-Za-z'-]*)?)"
)
# Capitalised words that are not names where a name might stand ("Mum Has
# low mood", "called Social Care", "Dad Says").
_NOT_NAMES: Final = _word_set(
    """
    a an the and or but if so to of in on at by for from with without about after before
    as is was are were be been being has have had do does did can cant can't could would
    should will wont won't may might must shall not no nil yes very really quite too
    also still just only even again now then today tonight yesterday tomorrow here there
    this that these those it its he she they we you i me him her them us his hers their
    our your my mine who what when where why how which says said say told tells tell
    thinks thought feels felt reports reported states stated disclosed admits admitted
    denies denied wants wanted needs needed seems seemed looks looked asked asks went
    goes going came comes coming got gets getting gave gives keeps kept left leaves
    works working worked lives living lived struggling coping crying cries cried sleeping
    feeding low high very over under up down out back off ok okay fine well unwell poorly
    happy sad upset angry tired anxious worried scared stressed depressed tearful
    referred referral concerned concern concerns please thanks thank hello hi hey dear
    after before since ago around about again always never often sometimes usually
    mum mam dad baby partner family parents parent child children kids son daughter
    boy girl boys girls twin twins bump unborn newborn infant toddler sib sibs
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    social care services service team police ambulance hospital gp hv mw nurse midwife
    doctor health visitor first response front door children's centre nursery school
    bradford keighley shipley bingley ilkley leeds halifax huddersfield yorkshire england
    little minds matter better start lmm bsb nhs a&e er
    english british irish scottish welsh polish slovak slovakian czech romanian roma romani
    gypsy traveller hungarian bulgarian lithuanian latvian ukrainian russian albanian
    portuguese spanish italian french german turkish kurdish arabic iraqi iranian syrian
    afghan pashto dari farsi somali eritrean tigrinya amharic sudanese nigerian ghanaian
    yoruba igbo hausa chinese mandarin cantonese indian pakistani bangladeshi bengali
    sylheti kashmiri mirpuri punjabi urdu pahari gujarati hindi tamil asian black white
    muslim hindu sikh christian jewish catholic schedule
    """
)


def _is_name(word: str) -> bool:
    return word.lower().strip("'-") not in _NOT_NAMES and not word.isupper()


def _name_words(more: str) -> str:
    """The leading capitalised words in ``more`` that are names (not "and")."""
    kept = ""
    for piece in re.finditer(r"\s+(?:and\s+)?(\S+)", more):
        if not _is_name(piece.group(1)):
            break
        kept = more[: piece.end()]
    return kept


class _Redactor:
    """One redaction pass: the kinds found, kept in the order first seen."""

    def __init__(self) -> None:
        self.kinds: list[str] = []

    def found(self, kind: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)

    def run(self, text: str) -> str:
        text = _EMAIL_RE.sub(self._email, text)
        text = _PHONE_RE.sub(self._phone, text)
        text = _NHS_RE.sub(self._nhs, text)
        text = _DOB_RE.sub(self._dob, text)
        text = _DATE_RE.sub(self._date, text)
        text = _POSTCODE_RE.sub(self._postcode, text)
        text = _HOUSE_RE.sub(self._house, text)
        text = _FLAT_RE.sub(self._flat, text)
        text = _TITLE_RE.sub(self._titled, text)
        text = _INTRO_RE.sub(self._introduced, text)
        return _FAMILY_RE.sub(self._family, text)

    def _email(self, match: re.Match[str]) -> str:
        self.found("email")
        return EMAIL

    def _nhs(self, match: re.Match[str]) -> str:
        digits = "".join(match.groups())
        # A leading 0 is a UK phone number's (NHS numbers start 3 to 9).
        if digits.startswith("0") or not nhs_number_valid(digits):
            return match.group(0)
        self.found("nhs_number")
        return NHS_NUMBER

    def _phone(self, match: re.Match[str]) -> str:
        self.found("phone")
        return PHONE

    def _dob(self, match: re.Match[str]) -> str:
        self.found("date")
        return f"{match.group('lead')}{match.group('gap') or ' '}{DATE}"

    def _date(self, match: re.Match[str]) -> str:
        self.found("date")
        return DATE

    def _postcode(self, match: re.Match[str]) -> str:
        outward, sector, _ = match.groups()
        letters = re.match(r"[A-Za-z]+", outward)
        if letters is None or letters.group(0).upper() not in UK_POSTCODE_AREAS:
            return match.group(0)
        self.found("postcode")
        return f"{outward.upper()} {sector}"

    def _flat(self, match: re.Match[str]) -> str:
        self.found("address")
        return ADDRESS

    def _house(self, match: re.Match[str]) -> str:
        words = match.group("street").split()
        if any(w.lower() in _NOT_STREET_NAMES for w in words):
            return match.group(0)
        self.found("address")
        return ADDRESS

    def _titled(self, match: re.Match[str]) -> str:
        name = match.group("name")
        if name.lower() in _NOT_NAMES:
            return match.group(0)
        self.found("name")
        rest = match.group("more")[len(_name_words(match.group("more"))):]
        return f"{match.group('title')}{match.group('gap')}{NAME}{rest}"

    def _introduced(self, match: re.Match[str]) -> str:
        name = match.group("name")
        lead = match.group("lead").lower()
        # "called" is also "phoned" ("called the GP", "called 999"): only a
        # capitalised word after it is taken as a name.
        capital_needed = lead == "called"
        if not _is_name(name) or (capital_needed and not name[0].isupper()):
            return match.group(0)
        self.found("name")
        rest = match.group("more")[len(_name_words(match.group("more"))):]
        return f"{match.group('lead')}{match.group('gap')}{NAME}{rest}"

    def _family(self, match: re.Match[str]) -> str:
        if not _is_name(match.group("name")):
            return match.group(0)
        self.found("name")
        rest = match.group("more")[len(_name_words(match.group("more"))):]
        return f"{match.group('lead')}{match.group('gap')}{NAME}{rest}"


def redact(text: str) -> Redacted:
    """``text`` with personal details replaced by placeholders; postcodes cut
    to their sector."""
    redactor = _Redactor()
    redacted = redactor.run(text)
    return Redacted(text=redacted, kinds=tuple(redactor.kinds))
