"""The words of a recommendation, built once in pathways.presentation and
carried in the contract's ``presentation``: what every client shows."""

from __future__ import annotations

from datetime import date

from pathways.contract import Query
from pathways.model import Knowledge
from pathways.presentation import (
    HandoverFacts,
    HandoverService,
    handover_text,
    postcode_sector,
)
from pathways.recommend import recommend

BONDING = Query(
    description="Mrs Khan (07700 900123) says she can't bond with her 4 month old, going on for "
    "3 months, she agrees to a referral",
    postcode="BD3 9LF",
    safety_check="none_apply",
)
SHAKEN = Query(description="dad hit the baby, 3 month old, BD3 9LF")


def test_the_answer_carries_its_words(seed: Knowledge, today: date) -> None:
    answer = recommend(BONDING, seed, today)
    words = answer.presentation
    assert words.tier_label.startswith(("Refer to Little Minds Matter", "Talk it through"))
    assert words.do_now and "\n" not in words.do_now
    assert words.primary_service == next(s.id for s in answer.services if s.role == "primary")
    assert set(words.checked) == {s.id for s in answer.services}
    assert words.urgent_text is None
    # The JSON every client receives has it too.
    assert answer.model_dump(mode="json")["presentation"]["handover"] == words.handover


def test_an_urgent_answer_says_first_what_to_do_and_who_to_call(
    seed: Knowledge, today: date
) -> None:
    answer = recommend(SHAKEN, seed, today)
    words = answer.presentation
    assert answer.tier == "urgent"
    assert words.tier_label.startswith("URGENT: act now")
    assert words.do_now == answer.next_steps[0]
    assert words.urgent_text is not None
    assert words.urgent_text.startswith("URGENT: " + answer.headline)
    assert "999" in words.urgent_text


def test_the_handover_holds_no_typed_words_and_only_the_postcode_sector(
    seed: Knowledge, today: date
) -> None:
    handover = recommend(BONDING, seed, today).presentation.handover
    assert "Khan" not in handover
    assert "07700" not in handover
    assert "BD3 9LF" not in handover
    assert "Postcode area: BD3 9" in handover
    assert "Age or stage: 4 months" in handover
    assert "Difficulty bonding" in handover


def test_staleness_comes_from_the_engine_flag(seed: Knowledge, today: date) -> None:
    fresh = recommend(BONDING, seed, today, stale_after_days=100_000)
    old = recommend(BONDING, seed, date(2040, 1, 1))
    for answer in (fresh, old):
        for service in answer.services:
            line = answer.presentation.checked[service.id]
            assert line.startswith("Details last checked on ")
            if service.needs_verification:
                assert "to be confirmed" in line
            elif service.stale:
                assert "a while ago" in line
            else:
                assert "a while ago" not in line
    assert any(s.stale for s in old.services)
    assert not any(s.stale for s in fresh.services)


def test_postcode_sector_never_keeps_a_full_postcode() -> None:
    assert postcode_sector("bd3 9lf") == "BD3 9"
    assert postcode_sector("BD3 9") == "BD3 9"
    assert postcode_sector("BD3") == "BD3"
    assert postcode_sector("Mrs Khan") == ""
    assert postcode_sector(None) == ""


def test_the_handover_from_form_fields_reads_like_the_answers() -> None:
    text = handover_text(HandoverFacts(
        tier="lmm_referral", age_text="4 months old", postcode_sector="BD3 9",
        concerns=(("Difficulty bonding with the baby", False),), lmm_eligible=True,
        services=(HandoverService("Little Minds Matter", "primary", "Use the form.", "01274 000000",
                                  True),),
        missing=("consent_to_referral",), knowledge_version=3,
    ))
    assert "Outcome: Refer to Little Minds Matter" in text
    assert "- Little Minds Matter (best fit); how to refer: Use the form.; phone 01274 000000 " \
           "(to be confirmed)" in text
    assert "Not yet known: consent to referral" in text
    assert "version 3" in text
