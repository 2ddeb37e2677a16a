"""Reading ages as practitioners type them."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.age import AgeError, find_age, parse_age
from tests.pathways.conftest import TODAY


@pytest.mark.parametrize(
    ("text", "stage", "weeks", "months"),
    [
        ("6 weeks", "postnatal", 6, 1),
        ("3 wks", "postnatal", 3, 0),
        ("6wk", "postnatal", 6, 1),
        ("6/52", "postnatal", 6, 1),
        ("4 days old", "postnatal", 0, 0),
        ("10 days", "postnatal", 1, 0),
        ("newborn", "postnatal", 0, 0),
        ("14 months", "postnatal", 60, 14),
        ("18mo", "postnatal", 78, 18),
        ("18m/o", "postnatal", 78, 18),
        ("6 month old", "postnatal", 26, 6),
        ("6-month-old", "postnatal", 26, 6),
        ("6/12", "postnatal", 26, 6),
        ("1 year 3 months", "postnatal", 65, 15),
        ("1y3m", "postnatal", 65, 15),
        ("1yo", "postnatal", 52, 12),
        ("two and a half", "postnatal", 130, 30),
        ("one and a half", "postnatal", 78, 18),
        ("a year and a half", "postnatal", 78, 18),
        ("2.5 years", "postnatal", 130, 30),
        ("23 months", "postnatal", 100, 23),
        ("24 months", "postnatal", 104, 24),
        ("2 years", "postnatal", 104, 24),
        ("about 6 weeks", "postnatal", 6, 1),
        ("about 15 weeks pregnant", "antenatal", 15, 0),
        ("around 30 weeks pregnant", "antenatal", 30, 0),
        ("nearly 6 months pregnant", "antenatal", 26, 0),
        ("twenty eight weeks pregnant", "antenatal", 28, 0),
        ("28 weeks pregnant", "antenatal", 28, 0),
        ("20 wks pg", "antenatal", 20, 0),
        ("12 weeks gestation", "antenatal", 12, 0),
        ("pregnant at 20 weeks", "antenatal", 20, 0),
        ("28/40", "antenatal", 28, 0),
        ("32+4", "antenatal", 32, 0),
        ("six months pregnant", "antenatal", 26, 0),
        ("mum is 28 weeks", "antenatal", 28, 0),
        ("expecting", "antenatal", 0, 0),
        ("pregnant", "antenatal", 0, 0),
        # relative to TODAY (15 January 2026): mid-March is 8.4 weeks away
        ("due in March", "antenatal", 31, 0),
        ("due 14th march", "antenatal", 31, 0),
        ("EDD 14/03/2026", "antenatal", 31, 0),
        ("due in 4 weeks", "antenatal", 36, 0),
        ("DOB 01/10/2025", "postnatal", 15, 3),
        ("born 3rd December 2025", "postnatal", 6, 1),
    ],
)
def test_practitioner_wordings_are_read(text: str, stage: str, weeks: int, months: int) -> None:
    reading = parse_age(text, TODAY)
    assert (reading.stage, reading.weeks, reading.months) == (stage, weeks, months)


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("6 weeks", "6 weeks old"),
        ("14 months", "14 months old"),
        ("1 year 3 months", "1 year 3 months old"),
        ("28 weeks pregnant", "28 weeks pregnant"),
        ("newborn", "newborn"),
        ("expecting", "pregnant (weeks not given)"),
        ("due in March", "about 31 weeks pregnant (due March 2026)"),
    ],
)
def test_the_reading_is_described_plainly(text: str, description: str) -> None:
    assert parse_age(text, TODAY).text == description


def test_estimates_say_they_are_estimates() -> None:
    assert parse_age("expecting", TODAY).approximate
    assert parse_age("due in March", TODAY).approximate
    assert not parse_age("6 weeks", TODAY).approximate


def test_a_due_month_already_passed_this_year_means_next_year() -> None:
    reading = parse_age("due in January", date(2026, 6, 1))
    assert reading.stage == "antenatal"
    assert "January 2027" in reading.text


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("banana", 'Try "6 weeks"'),
        ("", "give the baby's age"),
        ("6", "add weeks, months or years"),
        ("-3 weeks", "cannot be negative"),
        ("50 weeks pregnant", "not possible"),
        ("25 years", "over 18 years"),
        ("99999999 weeks", 'Try "6 weeks"'),
        ("due in June 2027", "more than 40 weeks away"),
        ("due in December 2025", "has passed"),
        ("due 31/02/2026", "not a real date"),
        ("DOB 01/10/2027", "in the future"),
    ],
)
def test_unreadable_or_impossible_ages_say_what_is_accepted(text: str, hint: str) -> None:
    with pytest.raises(AgeError) as raised:
        parse_age(text, TODAY)
    assert hint.lower() in str(raised.value).lower()


@pytest.mark.parametrize(
    ("text", "stage", "months", "weeks"),
    [
        ("Mum of a 4 month old in BD3 can't bond with him", "postnatal", 4, 17),
        ("baby is 6 weeks and mum tearful", "postnatal", 1, 6),
        ("her 14-month-old son won't settle", "postnatal", 14, 60),
        ("bruise on the 6 week old's cheek", "postnatal", 1, 6),
        ("6/52 baby, mum low", "postnatal", 1, 6),
        ("28 weeks pregnant, has a 2 year old", "antenatal", 0, 28),
        ("Mum of 14 month old, pregnant again", "postnatal", 14, 60),
        ("anxious about her unborn baby", "antenatal", 0, 0),
        ("newborn twins, mum exhausted", "postnatal", 0, 0),
        ("17 year old mum with a 3 month old", "postnatal", 3, 13),
    ],
)
def test_ages_are_found_inside_descriptions(text: str, stage: str, months: int, weeks: int) -> None:
    reading = find_age(text, TODAY)
    assert reading is not None
    assert (reading.stage, reading.months, reading.weeks) == (stage, months, weeks)


@pytest.mark.parametrize(
    "text",
    [
        "low mood for 3 months",
        "struggling for 2 weeks",
        "PND since 6/52",
        "First Response 24/7",
        "expecting too much of him",
        "EPDS 15, PHQ9 12",
        "baby 3 weeks ago had a cold",
        "his 2 year old brother is lovely",
    ],
)
def test_durations_and_numbers_are_not_taken_for_ages(text: str) -> None:
    assert find_age(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "months", "weeks"),
    [
        # ages said without "old"
        ("she's 8 months", 8, 34),
        ("he is 14 months and not sleeping", 14, 60),
        ("baby 6 weeks", 1, 6),
        ("Mum tearful. 8 months now and not sleeping", 8, 34),
        ("now 8 months, mum low", 8, 34),
        ("4/12", 4, 17),
        ("aged 10 weeks", 2, 10),
        ("baby who's 6 weeks", 1, 6),
        ("little one 6wks", 1, 6),
        ("baby - 6 weeks", 1, 6),
        ("she is 3 months of age", 3, 13),
        ("mum 6 weeks postnatal, tearful", 1, 6),
        # an explicit age wins over a duration, wherever each comes
        ("low mood for 3 months, baby 6 weeks", 1, 6),
        ("Mum low mood for 3 months, she's 8 months", 8, 34),
        ("over the last 6 weeks she's been low, he is 14 months", 14, 60),
        ("mum struggling since 2 months, baby aged 10 weeks", 2, 10),
        ("3 months of low mood, 4/12", 4, 17),
        # a parent's age is passed over for the baby's
        ("mum is 17 years old with a 3 month old", 3, 13),
        ("mum, who is 17 years old, has a 3 month old", 3, 13),
        # "mum" in the next clause does not make the baby's age hers
        ("GP: 7 week old, mum reports feeling detached", 1, 7),
        # possessive, dialect and note shorthand for the baby
        ("babys 9 months and mum still says", 9, 39),
        ("babby 5 months, not smiling", 5, 21),
        ("DD 8 wks BD16", 1, 8),
        ("DS 9 wks, consented", 2, 9),
        # a clause that is only a figure: the baby's age when nothing else is
        ("not smiling back at mum, 5 months, BD8", 5, 21),
        ("dad distant with her. 11 weeks. lives Keighley", 2, 11),
        ("around 9 months, mum tearful", 9, 39),
        # ... and a duration when another age is given, wherever it comes
        ("mum low. 3 months. baby 6 weeks", 1, 6),
        ("7/12, BD9. 2 months. consent given", 7, 30),
    ],
)
def test_ages_said_without_old_are_found(text: str, months: int, weeks: int) -> None:
    reading = find_age(text, TODAY)
    assert reading is not None
    assert (reading.stage, reading.months, reading.weeks) == ("postnatal", months, weeks)


@pytest.mark.parametrize(
    "text",
    [
        "for 3 months",
        "over the last 6 weeks",
        "since 2 months",
        "3 months of low mood",
        "struggling 3 months now",
        "low mood for 6 weeks postnatally",
        "it's now 3 weeks since she stopped feeding",
        "mum low for the last 4/12",
        "baby 3 months of poor sleep",
        "he was 6 weeks when it started",
        "17 year old mum",
        "mum is 24",
        "mum is 17 years old",
        "mum 17 yo",
        # a bare clause in years is not taken: it may be a sibling or how long
        "mum low, 2 years, BD5",
    ],
)
def test_durations_and_parents_ages_are_not_the_babys_age(text: str) -> None:
    assert find_age(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        # a young child's years with no unit: over LMM's age, so it must be read
        ("LO is 2 and never settles for mum", 24),
        ("the boy is 3 and they clash all day", 36),
        ("she's 2 and a half, mum at the end of her tether", 30),
        ("DD 2 and a bit, clingy with nan not mum", 24),
        ("a toddler of 2, mum finds him hard work", 24),
        ("our little girl just turned 2", 24),
        ("he had his 2nd birthday last week", 24),
        ("the twins are 2 now", 24),
        # the review a child is at
        ("2 yr review, mum feels no bond", 24),
        ("1 year development review today, mum flat", 12),
    ],
)
def test_a_young_childs_years_are_read(text: str, months: int) -> None:
    reading = find_age(text, TODAY)
    assert reading is not None and (reading.stage, reading.months) == ("postnatal", months)


@pytest.mark.parametrize(
    "text",
    [
        "twin 2 is fine, twin 1 struggling",
        "baby 2 of 3 born at home",
        "she is 5 foot tall",
        "he is 2nd of four children",
        "baby is 2.5 kg",
        "she's 2 minutes from the centre",
        "since the 6 week check mum low",
        "mum has just had a bath",
    ],
)
def test_figures_that_are_not_a_childs_years_are_left(text: str) -> None:
    assert find_age(text, TODAY) is None


def test_just_had_a_birthday_is_not_just_had_a_baby() -> None:
    reading = find_age("just had her 1st birthday", TODAY)
    assert reading is not None and (reading.months, reading.approximate) == (12, False)


def test_an_age_in_the_next_clause_is_not_made_a_duration_by_it() -> None:
    reading = find_age("DD 8 wks. since birth mum not close to her", TODAY)
    assert reading is not None and reading.weeks == 8


def test_a_vague_figure_alone_in_a_clause_is_how_long_not_the_age() -> None:
    assert find_age("mum low. few months. BD5", TODAY) is None
    assert find_age("not bonding, a couple of months", TODAY) is None


def test_a_bare_figure_beside_a_pregnancy_is_not_a_second_baby() -> None:
    from pathways.age import several_babies

    text = "pregnant and scared of the birth. 2 months. BD3"
    assert not several_babies(text, TODAY)
    reading = find_age(text, TODAY)
    assert reading is not None and reading.stage == "antenatal"


def test_she_is_months_pregnant_stays_a_pregnancy() -> None:
    reading = find_age("she's 8 months pregnant", TODAY)
    assert reading is not None and reading.stage == "antenatal"


def test_an_impossible_figure_in_a_description_leaves_only_the_stage() -> None:
    reading = find_age("says she is 50 weeks pregnant", TODAY)
    assert reading is not None and reading.stage == "antenatal" and reading.approximate


@given(st.text(max_size=300))
def test_no_text_crashes_the_age_parser(text: str) -> None:
    try:
        reading = parse_age(text, TODAY)
    except AgeError as exc:
        assert str(exc)
    else:
        assert reading.weeks >= 0 and reading.months >= 0
    find_age(text, TODAY)


@given(st.from_regex(r"\A\d{1,5}(\.\d)? ?(days?|wks?|weeks?|months?|m|mo|yrs?|years?|/52|/40|/12)"
                     r"( old| pregnant)?\Z"))
def test_number_and_unit_ages_never_crash(text: str) -> None:
    with contextlib.suppress(AgeError):
        parse_age(text, TODAY)
