"""UK postcodes: tidying what was typed, and which areas it lies in.

Only the sector ("BD3 9") of a full postcode is kept, for privacy: the curated
table maps sectors and districts, and an exact lookup of a full postcode in
the imported ONS directory is done by the api, which passes the result in as
``exact_areas``. When a district is split between areas ("BD3": Bradford and
Leeds) the reading says so instead of guessing. A valid postcode that is not
in the table is "unknown", but when its letters belong to a postcode area far
from Bradford (anything but the areas around West Yorkshire) it is certainly
outside Bradford District and its neighbours, and ``far_away`` says so.
"""

from __future__ import annotations

import re
from typing import Final

from pydantic import BaseModel, ConfigDict

from pathways.compiled import NATIONAL_AREA, compiled
from pathways.model import Certainty, Knowledge

# Every postcode area in use in the UK, the Channel Islands and the Isle of Man.
UK_POSTCODE_AREAS: Final = frozenset(
    {
        "AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB",
        "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL",
        "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA",
        "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT",
        "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N",
        "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR",
        "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR",
        "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W",
        "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE"
    }
)
# Postcode areas that reach Bradford District or its neighbouring authorities.
# Any other area is certainly outside every local area in the table.
NEAR_BRADFORD: Final = frozenset(
    {"BD", "LS", "HX", "HD", "WF", "HG", "YO", "DN", "S", "OL", "BB", "LA"}
)
ACCEPTED: Final = 'Give a full postcode such as "BD3 9LF", or its first part such as "BD3".'

_OUTWARD_RE: Final = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)$")
_INWARD_RE: Final = re.compile(r"^[0-9][ABD-HJLNP-UW-Z]{2}$")
_SECTOR_RE: Final = re.compile(r"^[0-9]$")


class PostcodeError(ValueError):
    """Text that is not a UK postcode; ``str()`` says what is accepted."""


class PostcodeReading(BaseModel):
    """Where a postcode lies, as far as can be told.

    ``areas``: areas it certainly lies in, with their enclosing areas and
    ``united_kingdom``. ``possible_areas``: areas only part of it lies in (a
    split district). ``certainty``: "postcode" (exact, from the ONS
    directory), "sector", "district" or "unknown" (not in the table).
    """

    model_config = ConfigDict(frozen=True)

    normalised: str
    areas: tuple[str, ...]
    possible_areas: tuple[str, ...] = ()
    certainty: Certainty
    note: str | None = None
    far_away: bool = False


def _area_letters(outward: str) -> str | None:
    match = _OUTWARD_RE.match(outward)
    if match is None or match.group(1) not in UK_POSTCODE_AREAS:
        return None
    return match.group(1)


def _refuse(text: str) -> PostcodeError:
    shown = text.strip()[:40]
    return PostcodeError(f'"{shown}" is not a UK postcode. {ACCEPTED}')


def normalise_postcode(text: str) -> str:
    """Tidy a postcode: "bd39lf" -> "BD3 9LF", "bd3" -> "BD3", "bd3 9" -> "BD3 9"."""
    cleaned = re.sub(r"[\s.\-]+", " ", text.strip().upper()).strip()
    if not cleaned or len(cleaned) > 10:
        raise _refuse(text)
    parts = cleaned.split(" ")
    if len(parts) == 2:
        outward, inward = parts
        if _area_letters(outward) and (_INWARD_RE.match(inward) or _SECTOR_RE.match(inward)):
            return f"{outward} {inward}"
    compact = cleaned.replace(" ", "")
    if len(compact) >= 5 and _INWARD_RE.match(compact[-3:]) and _area_letters(compact[:-3]):
        return f"{compact[:-3]} {compact[-3:]}"
    if len(parts) == 1 and _area_letters(compact):
        return compact
    raise _refuse(text)


def _closure(codes: tuple[str, ...], knowledge: Knowledge) -> list[str]:
    enclosing = compiled(knowledge).enclosing
    result: list[str] = []
    for code in codes:
        for area in enclosing.get(code, (code,)):
            if area not in result:
                result.append(area)
    return result


def resolve_postcode(
    text: str, knowledge: Knowledge, exact_areas: tuple[str, ...] | None = None
) -> PostcodeReading:
    """Normalise ``text`` and find the areas it lies in.

    ``exact_areas`` is the api's exact lookup of a full postcode in the
    imported ONS directory (None when not imported or not a full postcode).
    """
    full = normalise_postcode(text)
    outward, _, inward = full.partition(" ")
    sector = f"{outward} {inward[0]}" if inward else None
    shown = sector or outward
    letters = _area_letters(outward) or ""
    far_away = letters not in NEAR_BRADFORD

    if exact_areas is not None and len(inward) == 3:
        areas = _closure(exact_areas, knowledge)
        return PostcodeReading(
            normalised=shown,
            areas=(*areas, NATIONAL_AREA) if NATIONAL_AREA not in areas else tuple(areas),
            certainty="postcode",
            far_away=far_away,
        )

    mapping = knowledge.postcodes.get(sector) if sector else None
    certainty: Certainty = "sector"
    if mapping is None:
        mapping = knowledge.postcodes.get(outward)
        certainty = "district"
    if mapping is None:
        unknown_note = (
            f"{outward} is outside Bradford District and its neighbouring areas."
            if far_away
            else f"{outward} is not in the navigator's postcode table, so its area is not known: "
            "check the family's address."
        )
        return PostcodeReading(
            normalised=shown, areas=(NATIONAL_AREA,), certainty="unknown", note=unknown_note,
            far_away=far_away,
        )

    areas = _closure(mapping.areas, knowledge)
    possible = [a for a in _closure(mapping.partial_areas, knowledge) if a not in areas]
    if NATIONAL_AREA not in areas:
        areas.append(NATIONAL_AREA)
    note = mapping.note
    if possible and note is None:
        names = [knowledge.areas[a].name if a in knowledge.areas else a for a in possible]
        note = (
            f"{mapping.prefix} is split between areas ({', '.join(names)}): "
            "the full postcode decides."
        )
    return PostcodeReading(
        normalised=shown,
        areas=tuple(areas),
        possible_areas=tuple(possible),
        certainty=certainty,
        note=note,
        far_away=far_away,
    )


def in_areas(reading: PostcodeReading, wanted: tuple[str, ...]) -> bool | None:
    """Whether the postcode lies in one of the ``wanted`` areas: True, False,
    or None when that cannot be told (a split district, an unknown postcode)."""
    if NATIONAL_AREA in wanted or set(wanted) & set(reading.areas):
        return True
    if set(wanted) & set(reading.possible_areas):
        return None
    if reading.certainty == "postcode" or reading.far_away:
        return False
    if reading.certainty == "unknown":
        return None
    # A table entry names every area the prefix lies in, wholly or partly;
    # an entry that names none (a gap in the content) tells nothing.
    named = [a for a in (*reading.areas, *reading.possible_areas) if a != NATIONAL_AREA]
    return False if named else None


# Free text: a full postcode anywhere, or an outward code that is plainly one.
_FULL_IN_TEXT_RE: Final = re.compile(
    r"(?<![A-Za-z0-9/+])([A-Za-z]{1,2}[0-9][0-9A-Za-z]?) ?([0-9][A-Za-z]{2})(?![A-Za-z0-9])"
)
_OUTWARD_IN_TEXT_RE: Final = re.compile(
    r"(?<![A-Za-z0-9/+\-.])([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)(?![A-Za-z0-9/+])"
)
# "BD3 9" in running text: an outward code and one inward digit that is not a
# number with a unit ("BD3 9 weeks", "BD3 9wks") or part of a longer number.
_SECTOR_IN_TEXT_RE: Final = re.compile(
    r"(?<![A-Za-z0-9/+\-.])([A-Za-z]{1,2}[0-9][0-9A-Za-z]?) ([0-9])"
    r"(?![A-Za-z0-9/+:%]|[.,\-][0-9])"
    r"(?!\s*(?:days?|dys?|d|weeks?|wks?|wk|w|months?|mnths?|mths?|mth|mos?|mo|m|years?|yrs?"
    r"|yr|y|yo|old|hours?|hrs?|hr|h|mins?|minutes?|am|pm|x|times|kg|lbs?|oz|percent"
    r"|and a half|/)\b)",
    re.IGNORECASE,
)
_CUE_RE: Final = re.compile(
    r"(?:postcode|post code|\bin|\bfrom|lives|living|address|area|moved to)[\s:]*$", re.IGNORECASE
)
_STRONG_CUE_RE: Final = re.compile(
    r"(?:postcode|post code|lives in|living in|address|moved to|from)[\s:]*$", re.IGNORECASE
)


def find_postcode(text: str) -> str | None:
    """The first postcode mentioned in ``text`` ("... lives in BD3 ..."),
    normalised, or None. A full postcode is taken whole; an outward code and
    one inward digit ("in BD3 9, can't bond") as a sector, unless the digit is
    a number with a unit ("BD3 9 weeks"). Outward codes alone are taken when they are clearly
    postcodes: two letters near Bradford in any case ("bd3"), other areas in
    capitals, single-letter areas ("S6") only after "in", "postcode" and the
    like, so "B12" (a vitamin) or "M62" are not mistaken for postcodes."""
    found: list[tuple[int, str]] = []
    for match in _FULL_IN_TEXT_RE.finditer(text):
        try:
            found.append((match.start(), normalise_postcode(match.group(0))))
        except PostcodeError:
            continue
    for match in _SECTOR_IN_TEXT_RE.finditer(text):
        if any(start == match.start() for start, _ in found):
            continue
        if _plausible_outward(text, match.start(), match.group(1)):
            found.append((match.start(), f"{match.group(1).upper()} {match.group(2)}"))
    for match in _OUTWARD_IN_TEXT_RE.finditer(text):
        if any(start == match.start() for start, _ in found):
            continue
        if _plausible_outward(text, match.start(), match.group(1)):
            found.append((match.start(), match.group(1).upper()))
    return min(found)[1] if found else None


def _plausible_outward(text: str, start: int, raw: str) -> bool:
    """Whether ``raw`` at ``start`` is plainly an outward code, not "B12" or "M62"."""
    letters = _area_letters(raw.upper())
    if letters is None:
        return False
    before = text[max(0, start - 20) : start]
    if len(letters) == 1:
        return raw.isupper() and bool(_STRONG_CUE_RE.search(before))
    return letters in NEAR_BRADFORD or raw.isupper() or bool(_CUE_RE.search(before))
