"""How long a difficulty has lasted and how marked it is."""

from __future__ import annotations

import pytest

from pathways.course import DurationError, parse_duration, read_course


@pytest.mark.parametrize(
    ("description", "persistent", "mild", "significant"),
    [
        ("struggling to bond for the last three months", True, False, False),
        ("not bonding since birth", True, False, False),
        ("getting worse", True, False, False),
        ("low for 2 weeks", False, False, False),
        # from the start, however it is put
        ("same since day 1", True, False, False),
        ("like this since booking", True, False, False),
        ("since she came home from hosp", True, False, False),
        ("has done since newborn", True, False, False),
        ("never has, 'we just co-exist'", True, False, False),
        ("months of this", True, False, False),
        # spans said other ways
        ("going on 2 months", True, False, False),
        ("2 months plus", True, False, False),
        ("5 weeks of this at least", True, False, False),
        ("since about 3 month", True, False, False),
        ("started 6 weeks ago", True, False, False),
        ("started 2 weeks ago", False, False, False),
        ("its been like this 3 months now", True, False, False),
        ("been like that a good couple o' month", True, False, False),
        ("going on 6+ wks", True, False, False),
        ("the section was 10 weeks ago and she still relives it", True, False, False),
        ("the fall was 5 days ago", False, False, False),
        ("3 months on she still cannot talk about it", True, False, False),
        ("8 wks on.", True, False, False),
        # "on" that is not a span
        ("baby 6 weeks on formula", None, False, False),
        ("on the list 2 months on monday", None, False, False),
        # the start told as the birth, or as always
        ("hasnt felt close since the day she was born", True, False, False),
        ("since she had her", True, False, False),
        ("low since the c section", True, False, False),
        ("jumpy ever since", True, False, False),
        ("like it all along", True, False, False),
        ("it's been weeks and weeks", True, False, False),
        ("as long as we've known the family", True, False, False),
        # a clause that is only a vague span
        ("not bonding, 9/12. several months. BD3", True, False, False),
        ("baby 5 months, flat with mum, months, BD3", True, False, False),
        ("not close to her, a couple of weeks, BD3", False, False, False),
        ("only noticed this week", False, True, False),
        ("a bit worried, not sure", None, True, False),
        ("severe difficulty", None, False, True),
        ("not bonding", None, False, False),
    ],
)
def test_course_from_the_description(
    description: str, persistent: bool | None, mild: bool, significant: bool
) -> None:
    course = read_course(description, None)
    assert (course.persistent, course.mild, course.significant) == (persistent, mild, significant)


def test_the_duration_field_wins() -> None:
    assert read_course("for 3 months", "2 weeks").persistent is False
    assert read_course("only this week", "since birth").persistent is True
    assert read_course(None, "6 weeks").weeks == 6


@pytest.mark.parametrize(("text", "weeks"), [("3 weeks", 3), ("2 months", 9), ("a few days", 0),
                                             ("six weeks", 6), ("1 year", 52), ("4wks", 4)])
def test_durations(text: str, weeks: int) -> None:
    assert parse_duration(text) == weeks


def test_an_unreadable_duration_says_what_is_accepted() -> None:
    with pytest.raises(DurationError, match='"3 weeks"'):
        parse_duration("forever and a day")
