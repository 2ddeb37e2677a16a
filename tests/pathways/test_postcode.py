"""Tidying postcodes and finding which areas they lie in."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.model import Knowledge
from pathways.postcode import (
    PostcodeError,
    find_postcode,
    in_areas,
    normalise_postcode,
    resolve_postcode,
)
from tests.pathways.small import small_knowledge

SMALL = small_knowledge()


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("bd39lf", "BD3 9LF"),
        (" BD3  9LF ", "BD3 9LF"),
        ("bd3", "BD3"),
        ("bd3 9", "BD3 9"),
        ("BD3-9LF", "BD3 9LF"),
        ("BD23", "BD23"),
        ("ls29 8aa", "LS29 8AA"),
        ("W1A 1AA", "W1A 1AA"),
        ("EC1A1BB", "EC1A 1BB"),
        ("B1 1AA", "B1 1AA"),
    ],
)
def test_postcodes_are_tidied(text: str, normalised: str) -> None:
    assert normalise_postcode(text) == normalised


@pytest.mark.parametrize(
    "text", ["hello", "", "BD", "123", "ZZ1 1AA", "BD3 9CF", "BD3 9LFX", "BD3 99"]
)
def test_non_postcodes_are_refused_with_what_is_accepted(text: str) -> None:
    with pytest.raises(PostcodeError) as raised:
        normalise_postcode(text)
    assert '"BD3 9LF"' in str(raised.value)


def test_a_full_postcode_is_cut_to_its_sector() -> None:
    reading = resolve_postcode("bd3 9lf", SMALL)
    assert reading.normalised == "BD3 9"
    assert reading.certainty == "sector"
    assert reading.areas == ("district", "united_kingdom")


def test_an_outward_code_stays_as_it_is_and_a_split_district_says_so() -> None:
    reading = resolve_postcode("BD3", SMALL)
    assert reading.normalised == "BD3"
    assert reading.certainty == "district"
    assert reading.areas == ("united_kingdom",)
    assert set(reading.possible_areas) == {"district", "neighbour"}
    assert reading.note and "split" in reading.note
    assert in_areas(reading, ("district",)) is None


def test_an_area_inside_another_brings_the_enclosing_area() -> None:
    reading = resolve_postcode("BD1 1AA", SMALL)
    assert reading.areas == ("programme", "district", "united_kingdom")
    assert in_areas(reading, ("district",)) is True


def test_a_district_partly_in_a_programme_area_is_uncertain_only_for_that_area() -> None:
    reading = resolve_postcode("BD5 0AA", SMALL)
    assert in_areas(reading, ("district",)) is True
    assert in_areas(reading, ("programme",)) is None
    assert in_areas(reading, ("neighbour",)) is False


def test_a_postcode_not_in_the_table_near_bradford_is_unknown() -> None:
    reading = resolve_postcode("HX1 2AB", SMALL)
    assert reading.certainty == "unknown"
    assert reading.areas == ("united_kingdom",)
    assert not reading.far_away
    assert in_areas(reading, ("district",)) is None
    assert in_areas(reading, ("united_kingdom",)) is True


def test_a_postcode_far_from_bradford_is_certainly_outside() -> None:
    reading = resolve_postcode("SW1A 1AA", SMALL)
    assert reading.certainty == "unknown"
    assert reading.far_away
    assert in_areas(reading, ("district",)) is False
    assert in_areas(reading, ("united_kingdom",)) is True


def test_an_exact_lookup_wins_over_the_table() -> None:
    reading = resolve_postcode("BD3 7AB", SMALL, exact_areas=("neighbour",))
    assert reading.certainty == "postcode"
    assert reading.normalised == "BD3 7"
    assert in_areas(reading, ("district",)) is False
    assert in_areas(reading, ("neighbour",)) is True


def test_an_exact_lookup_only_applies_to_full_postcodes() -> None:
    reading = resolve_postcode("BD3", SMALL, exact_areas=("neighbour",))
    assert reading.certainty == "district"


def test_seed_boundaries(seed: Knowledge) -> None:
    assert in_areas(resolve_postcode("BD3 9LF", seed), ("bradford_district",)) is True
    assert in_areas(resolve_postcode("LS6 2AB", seed), ("bradford_district",)) is False
    assert in_areas(resolve_postcode("LS29 8AA", seed), ("bradford_district",)) is True
    assert in_areas(resolve_postcode("BD23 1AB", seed), ("bradford_district",)) is False
    assert in_areas(resolve_postcode("HX1", seed), ("bradford_district",)) is False
    assert in_areas(resolve_postcode("BD3", seed), ("bradford_district",)) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mum of a 4 month old in BD3 can't bond", "BD3"),
        ("lives at bd3 9lf with partner", "BD3 9LF"),
        ("family in ls29", "LS29"),
        ("moved from London, now LS6", "LS6"),
        ("lives in S6", "S6"),
        ("postcode M1 2AB please", "M1 2AB"),
        ("EPDS 15, HV visit at 6/52", None),
        ("PHQ9 12, GAD7 15, Q10 positive", None),
        ("B12 deficiency", None),
        ("stuck on the M62", None),
        ("da1 disclosed", None),
        ("28+3, 28/40", None),
    ],
)
def test_postcodes_are_found_in_free_text_without_false_alarms(
    text: str, found: str | None
) -> None:
    assert find_postcode(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # an outward code and one inward digit is a sector
        ("Mum of a 4 month old in BD3 9 can't bond", "BD3 9"),
        ("lives in BD3 9.", "BD3 9"),
        ("in BD3 9, mum tearful", "BD3 9"),
        ("family in bd3 9 and struggling", "BD3 9"),
        ("lives in S6 2", "S6 2"),
        ("BD3 9", "BD3 9"),
        # ... unless the digit is a number with a unit or part of a longer number
        ("in BD3 9 weeks pregnant", "BD3"),
        ("in BD3 9wks", "BD3"),
        ("in BD3 9 months", "BD3"),
        ("in BD3 9 m/o", "BD3"),
        ("BD3 90", "BD3"),
        ("BD3 9.5", "BD3"),
        ("BD3 9/52", "BD3"),
        ("BD3 9-10 times a night", "BD3"),
        # full postcodes are still taken whole
        ("lives at BD3 9LF, baby 9 weeks", "BD3 9LF"),
        ("lives at bd39lf", "BD3 9LF"),
        # and numbers after other codes are not made into sectors
        ("B12 3 times a day", None),
        ("stuck on the M62 3 miles from home", None),
        ("S6 2 kids", None),
    ],
)
def test_a_postcode_sector_is_found_in_running_text(text: str, found: str | None) -> None:
    assert find_postcode(text) == found


def test_a_sector_in_a_description_decides_a_split_district(seed: Knowledge) -> None:
    found = find_postcode("Mum of a 4 month old in BD3 9 can't bond")
    assert found is not None
    reading = resolve_postcode(found, seed)
    assert reading.certainty == "sector"
    assert in_areas(reading, ("bradford_district",)) is True




@given(st.text(max_size=60))
def test_no_text_crashes_the_postcode_parser(text: str) -> None:
    try:
        normalised = normalise_postcode(text)
    except PostcodeError as exc:
        assert str(exc)
    else:
        assert normalised == normalised.upper().strip()
        resolve_postcode(text, SMALL)
    found = find_postcode(text)
    if found is not None:
        normalise_postcode(found)


@given(st.from_regex(r"\A[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}\Z"))
def test_postcode_shaped_text_never_crashes(text: str) -> None:
    with contextlib.suppress(PostcodeError):
        resolve_postcode(text, SMALL)
