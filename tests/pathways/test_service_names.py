"""One name search (pathways.service_names) for the api's ``q`` and the bot."""

from __future__ import annotations

from pathways.model import Knowledge, Service
from pathways.service_names import find_by_name


def ids(found: list[Service]) -> list[str]:
    return [s.id for s in found]


def test_a_question_finds_the_service_it_names(seed: Knowledge) -> None:
    services = list(seed.services.values())
    assert ids(find_by_name("does home start see pregnant women?", services)) == ["home-start"]
    assert ids(find_by_name("home start", services)) == ["home-start"]


def test_a_former_name_and_initials_find_the_current_service(seed: Knowledge) -> None:
    services = list(seed.services.values())
    home_start = seed.services["home-start"]
    for former in home_start.former_names:
        assert "home-start" in ids(find_by_name(f"what does {former} do", services))
    assert ids(find_by_name("what does LMM offer", services))[0].startswith("lmm")


def test_nothing_named_finds_nothing(seed: Knowledge) -> None:
    services = list(seed.services.values())
    assert find_by_name("what does zumba do", services) == []
    assert find_by_name("what does the service do", services) == []
    assert find_by_name("", services) == []
