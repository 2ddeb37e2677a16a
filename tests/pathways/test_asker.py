"""Who is asking: the volunteer route (volunteer.yaml, pathways/asker.py).

A volunteer is never told to consult LMM or refer to LMM's clinical team
themselves, always has the urgent route, and is told who to tell; a
professional (or an unknown asker) gets the answer as before."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from knowledge.content.seed_files import (
    SEED_DIR,
    VOLUNTEER_FILE,
    knowledge_from_documents,
    read_documents,
)
from pathways.asker_examples import (
    check_volunteer_examples,
    check_volunteer_principles,
    check_volunteer_references,
)
from pathways.model import Knowledge
from pathways.recommend import Query, Recommendation, recommend

pytestmark = pytest.mark.usefixtures("with_similarity")

LMM_TIERS = {"lmm_referral", "lmm_consultation"}
LMM_OFFERS = {"lmm-consultation", "lmm-clinical"}

REFERRAL = {
    "description": "Mum has been struggling to bond with her baby for the last three months, "
    "very flat with him, happy to be referred",
    "age": "4 months", "postcode": "BD3 9LF", "consent_to_referral": True,
}
CONSULTATION = {"description": "mum low and not bonding with her baby", "age": "3 months",
                "postcode": "BD3 9LF"}
SIGNPOST = {"description": "struggling with breastfeeding", "age": "3 weeks",
            "postcode": "BD5 7"}
OUTSIDE = {"description": "not bonding", "age": "3 months", "postcode": "LS6 2AB"}
RED_FLAGS = [
    {"description": "bruise on the cheek of a 6 week old, mum says it was the car seat",
     "postcode": "BD5"},
    {"description": "not bonding with her baby and says she wants to die", "age": "5 months",
     "postcode": "BD3 9LF"},
    {"description": "baby went floppy and is hard to wake", "age": "2 months"},
    {"description": "mum struggling to bond", "age": "4 months", "postcode": "BD3 9LF",
     "safety_check": "not_sure"},
]
NON_URGENT = [REFERRAL, CONSULTATION, SIGNPOST, OUTSIDE,
              {"description": "anxious about the baby coming", "age": "30 weeks pregnant"},
              {"description": "feeling a bit wobbly"}]


def _volunteer_documents() -> list[dict[str, object]]:
    data = yaml.safe_load((SEED_DIR / VOLUNTEER_FILE).read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def ask(knowledge: Knowledge, today: date, asker: str | None, **fields: object
        ) -> Recommendation:
    return recommend(Query.model_validate({**fields, "asker": asker}), knowledge, today)


def test_every_volunteer_example_holds(seed: Knowledge, today: date) -> None:
    assert seed.volunteer, "volunteer.yaml is loaded with the seed"
    assert check_volunteer_examples(seed, today) == []


def test_the_volunteer_route_refers_only_to_things_that_exist(seed: Knowledge) -> None:
    assert check_volunteer_references(seed) == []
    assert check_volunteer_principles(seed) == []


def test_an_edit_that_leaves_a_volunteer_with_an_lmm_tier_is_refused(today: date) -> None:
    """Staff edit the route in the admin: without a step that turns LMM's
    tiers into the volunteer's own, a volunteer would be told to consult LMM."""
    volunteer = [step for step in _volunteer_documents() if step["id"] != "V-001"]
    knowledge = knowledge_from_documents({**read_documents(), "volunteer": volunteer}, 1)
    failures = check_volunteer_principles(knowledge)
    assert len(failures) == 2
    assert "would be given lmm_consultation" in failures[0]
    assert "would be given lmm_referral" in failures[1]
    answer = ask(knowledge, today, "volunteer", **CONSULTATION)
    assert answer.tier == "lmm_consultation", "what the check prevents from being published"


def test_an_edit_that_makes_an_urgent_answer_less_urgent_for_a_volunteer_is_refused() -> None:
    volunteer = _volunteer_documents()
    urgent = next(i for i, step in enumerate(volunteer) if "urgent" in step["applies_to"])
    volunteer[urgent] = {**volunteer[urgent], "tier": "signpost"}
    knowledge = knowledge_from_documents({**read_documents(), "volunteer": volunteer}, 1)
    failures = check_volunteer_principles(knowledge)
    assert failures == [f"Volunteer step {volunteer[urgent]['id']} changes an urgent answer to "
                        "signpost: a red flag stays urgent for a volunteer."]


@pytest.mark.parametrize("fields", [REFERRAL, CONSULTATION])
def test_where_a_professional_goes_to_lmm_a_volunteer_tells_the_health_visitor(
    seed: Knowledge, today: date, fields: dict[str, object]
) -> None:
    professional = ask(seed, today, "other_professional", **fields)
    volunteer = ask(seed, today, "volunteer", **fields)
    assert professional.tier in LMM_TIERS
    assert volunteer.tier == "signpost"
    assert "health visitor" in volunteer.headline
    assert volunteer.services[0].id == "health-visiting"
    assert not LMM_OFFERS & {s.id for s in volunteer.services}
    changed = [t for t in volunteer.trace if t.outcome.startswith(f"changed {professional.tier}")]
    assert changed and "volunteer" in changed[0].outcome and "health visitor" in changed[0].outcome
    # The volunteer is not asked for what only the referring professional needs.
    assert "consent_to_referral" not in volunteer.missing


@pytest.mark.parametrize("fields", NON_URGENT)
def test_a_volunteer_is_never_told_to_go_to_lmm_themselves(
    seed: Knowledge, today: date, fields: dict[str, object]
) -> None:
    answer = ask(seed, today, "volunteer", **fields)
    assert answer.tier not in LMM_TIERS
    assert not LMM_OFFERS & {s.id for s in answer.services}
    for step in answer.next_steps:
        lowered = step.lower()
        assert "talk it through with" not in lowered, step
        assert "lmm's referral" not in lowered and "refer to lmm" not in lowered, step
        if "little minds matter" in lowered:
            # Only as what the health visitor can do, training, or information for parents.
            assert any(w in lowered for w in ("health visitor", "training", "course",
                                              "moments that matter")), step


@pytest.mark.parametrize("fields", NON_URGENT)
def test_every_volunteer_answer_says_who_to_tell_and_carries_the_urgent_route(
    seed: Knowledge, today: date, fields: dict[str, object]
) -> None:
    text = " ".join(ask(seed, today, "volunteer", **fields).next_steps)
    assert "designated safeguarding lead" in text
    assert "health visitor" in text
    assert "call 999" in text
    assert seed.services["first-response"].contact.phone in text
    assert "training" in text.lower()


@pytest.mark.parametrize("fields", RED_FLAGS)
def test_a_red_flag_is_urgent_for_a_volunteer_with_the_urgent_steps_first(
    seed: Knowledge, today: date, fields: dict[str, object]
) -> None:
    professional = ask(seed, today, None, **fields)
    volunteer = ask(seed, today, "volunteer", **fields)
    assert professional.tier == volunteer.tier == "urgent"
    assert volunteer.headline == professional.headline
    assert [s.id for s in volunteer.services] == [s.id for s in professional.services]
    # The urgent steps come first, unchanged; the volunteer's follow them.
    assert volunteer.next_steps[:len(professional.next_steps)] == professional.next_steps
    after = " ".join(volunteer.next_steps[len(professional.next_steps):])
    assert "designated safeguarding lead" in after
    assert volunteer.safety_questions == []


def test_outside_the_area_a_volunteer_still_gets_the_family_s_own_services(
    seed: Knowledge, today: date
) -> None:
    professional = ask(seed, today, None, **OUTSIDE)
    volunteer = ask(seed, today, "volunteer", **OUTSIDE)
    assert professional.tier == volunteer.tier == "signpost"
    assert "leeds-la" in {s.id for s in volunteer.services}


def test_a_service_only_professionals_refer_to_is_marked_for_a_volunteer(
    seed: Knowledge, today: date
) -> None:
    answer = ask(seed, today, "volunteer", description="terrified of giving birth after last "
                 "time", age="28/40", postcode="BD22 7")
    by_id = {s.id: s for s in answer.services}
    assert "professionals only" in (by_id["specialist-perinatal-mh"].reason or "")
    assert "professionals only" not in (by_id["gp"].reason or "")


@pytest.mark.parametrize("asker", [None, "health_visitor_or_midwife", "other_professional",
                                   "lmm_staff"])
@pytest.mark.parametrize("fields", [REFERRAL, SIGNPOST, RED_FLAGS[0]])
def test_a_professional_or_unknown_asker_gets_the_answer_as_before(
    seed: Knowledge, today: date, asker: str | None, fields: dict[str, object]
) -> None:
    before = recommend(Query.model_validate(fields), seed, today)
    assert ask(seed, today, asker, **fields) == before


def test_a_broken_volunteer_example_is_reported_with_the_reason(today: date) -> None:
    documents = read_documents()
    volunteer = _volunteer_documents()
    volunteer[0] = {**volunteer[0], "examples": [{
        "name": "wrong on purpose", "facts": REFERRAL, "professional_tier": "signpost",
        "tier": "lmm_referral"}]}
    knowledge = knowledge_from_documents({**documents, "volunteer": volunteer}, 1)
    failures = check_volunteer_examples(knowledge, today)
    assert any("V-001 / wrong on purpose" in f and "expected a professional to get signpost"
               in f and "expected the volunteer to get lmm_referral" in f for f in failures)


def test_a_volunteer_step_that_sends_a_volunteer_to_lmm_is_refused() -> None:
    volunteer = _volunteer_documents()
    volunteer[0] = {**volunteer[0], "tier": "lmm_consultation", "services": ["lmm-consultation"],
                    "next_steps": ["Phone 01274 123456 or {phone:nobody}"]}
    knowledge = knowledge_from_documents({**read_documents(), "volunteer": volunteer}, 1)
    failures = " ".join(check_volunteer_references(knowledge))
    assert "gives lmm_consultation" in failures
    assert "never uses LMM's consultation" in failures
    assert "01274 123456" in failures
    assert "{phone:nobody}" in failures


def test_the_route_applies_in_id_order_wherever_it_was_stored(seed: Knowledge) -> None:
    """The database returns steps by id and an editor may add V-005 before
    V-003 in a file: the order steps add their next steps is the ids'."""
    shuffled = list(reversed(_volunteer_documents()))
    knowledge = knowledge_from_documents({**read_documents(), "volunteer": shuffled}, 1)
    assert [s.id for s in knowledge.volunteer] == sorted(s.id for s in seed.volunteer)
    assert knowledge.volunteer == seed.volunteer
