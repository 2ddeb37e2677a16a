"""The whole engine: one explained answer, and the safety invariants that hold
whatever the rules say."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pathways.consent import find_consent
from pathways.eligibility import service_fits
from pathways.model import Knowledge
from pathways.recommend import (
    MAX_DESCRIPTION_CHARS,
    InputError,
    Query,
    Recommendation,
    recommend,
    recommendation_facts,
)
from tests.pathways.conftest import TODAY
from tests.pathways.small import small_documents, small_knowledge

SMALL = small_knowledge()
EMERGENCY = {"emergency-999", "childrens-social-care", "first-response"}


def ids(answer: Recommendation) -> list[str]:
    return [s.id for s in answer.services]


def test_the_answer_has_the_contract_shape(seed: Knowledge, today: date) -> None:
    answer = recommend(
        Query(description="struggling to bond for 3 months", age="4 months", postcode="BD3 9LF",
              consent_to_referral=True),
        seed, today,
    )
    body = answer.model_dump(mode="json")
    assert set(body) >= {
        "tier", "headline", "age", "postcode", "concerns", "lmm_eligible", "eligibility_reasons",
        "missing", "services", "next_steps", "trace", "knowledge_version",
    }
    assert set(body["age"]) >= {"stage", "weeks", "months", "text"}
    assert set(body["postcode"]) >= {"normalised", "areas", "certainty"}
    assert set(body["concerns"][0]) >= {"code", "label", "red_flag"}
    service = body["services"][0]
    assert set(service) >= {"id", "name", "role", "remit", "eligibility", "how_to_refer",
                            "contact", "last_verified", "needs_verification"}
    assert set(service["remit"]) == {"does", "does_not"}
    assert set(body["trace"][0]) == {"rule", "summary", "outcome"}
    assert body["knowledge_version"] == 1


def test_headline_placeholders_are_filled() -> None:
    answer = recommend(
        Query(description="not bonding", age="3 months", postcode="bd39lf",
              consent_to_referral=True),
        SMALL, TODAY,
    )
    assert answer.tier == "lmm_referral"
    assert answer.headline == "Refer (3 months old, BD3 9)."
    assert answer.trace[0].rule == "R-002"


def test_age_and_postcode_found_in_the_description_are_used() -> None:
    answer = recommend(Query(description="4 month old in BD3 9LF not bonding"), SMALL, TODAY)
    assert answer.age is not None and answer.age.months == 4
    assert answer.postcode is not None and answer.postcode.normalised == "BD3 9"
    assert answer.lmm_eligible is True


def test_explicit_fields_win_over_the_description() -> None:
    answer = recommend(
        Query(description="4 month old in BD3 9LF", age="20 months", postcode="LS6"), SMALL, TODAY
    )
    assert answer.age is not None and answer.age.months == 20
    assert answer.postcode is not None and answer.postcode.normalised == "LS6"


@pytest.mark.parametrize(
    ("query", "field", "hint"),
    [
        (Query(age="banana"), "age", '"6 weeks"'),
        (Query(postcode="not a postcode"), "postcode", '"BD3 9LF"'),
        (Query(concerns=["no_such_concern"]), "concerns", "/api/v1/concerns"),
        (Query(duration="forever and a day"), "duration", '"3 weeks"'),
        (Query.model_construct(description="x" * (MAX_DESCRIPTION_CHARS + 1), concerns=[]),
         "description", str(MAX_DESCRIPTION_CHARS)),
    ],
)
def test_bad_fields_are_named_with_what_is_accepted(query: Query, field: str, hint: str) -> None:
    with pytest.raises(InputError) as raised:
        recommend(query, SMALL, TODAY)
    assert raised.value.field == field
    assert hint in raised.value.message


def test_an_overlong_description_is_refused_by_the_query_model() -> None:
    with pytest.raises(ValidationError):
        Query(description="x" * (MAX_DESCRIPTION_CHARS + 1))


def test_a_red_flag_wins_even_when_no_rule_says_so() -> None:
    documents = small_documents()
    del documents["rules"][0]  # the red-flag rule, removed by mistake
    answer = recommend(Query(description="a bruise on her arm, not bonding", age="3 months",
                             postcode="BD3 9LF", consent_to_referral=True),
                       small_knowledge(documents), TODAY)
    assert answer.tier == "urgent"
    assert "SAFE-1" in [t.rule for t in answer.trace]
    assert "childrens-social-care" in ids(answer)
    assert "lmm-clinical" not in ids(answer)


def test_a_family_lmm_cannot_see_is_never_sent_to_lmm_even_by_a_wrong_rule() -> None:
    documents = small_documents()
    documents["rules"][1]["conditions"] = [{"field": "relationship_concern", "op": "eq",
                                            "value": True}]
    answer = recommend(Query(description="not bonding", age="3 months", postcode="LS6 1AA",
                             consent_to_referral=True), small_knowledge(documents), TODAY)
    assert answer.tier == "signpost"
    assert answer.lmm_eligible is False
    assert not {"lmm-clinical", "lmm-consultation"} & set(ids(answer))
    assert "neighbour-la" in ids(answer), "told where to go instead"
    assert "SAFE-2" in [t.rule for t in answer.trace]


def test_a_referral_needs_consent_and_confirmed_eligibility() -> None:
    documents = small_documents()
    documents["rules"][1]["conditions"] = [{"field": "relationship_concern", "op": "eq",
                                            "value": True}]
    knowledge = small_knowledge(documents)
    no_consent = recommend(Query(description="not bonding", age="3 months", postcode="BD3 9LF"),
                           knowledge, TODAY)
    assert no_consent.tier == "lmm_consultation"
    split = recommend(Query(description="not bonding", age="3 months", postcode="BD3",
                            consent_to_referral=True), knowledge, TODAY)
    assert split.tier == "lmm_consultation"
    assert "postcode" in split.missing


@pytest.mark.parametrize(
    ("description", "consent_field", "tier", "consent_missing"),
    [
        ("struggling to bond for 3 months, mum happy to be referred", None, "lmm_referral",
         False),
        ("struggling to bond for 3 months, mum declined referral", None, "lmm_consultation",
         False),
        ("struggling to bond for 3 months", None, "lmm_consultation", True),
        # the consent field wins over the description
        ("struggling to bond for 3 months, mum happy to be referred", False, "lmm_consultation",
         False),
        ("struggling to bond for 3 months, mum declined referral", True, "lmm_referral", False),
    ],
)
def test_consent_in_the_description_counts_unless_the_field_says(
    seed: Knowledge, today: date, description: str, consent_field: bool | None, tier: str,
    consent_missing: bool,
) -> None:
    answer = recommend(Query(description=description, age="4 months", postcode="BD3 9LF",
                             consent_to_referral=consent_field), seed, today)
    assert answer.tier == tier
    assert ("consent_to_referral" in answer.missing) is consent_missing


def test_consent_read_from_the_description_is_said_with_its_words(
    seed: Knowledge, today: date
) -> None:
    query = Query(description="not bonding for months, mum happy to be referred", age="4 months",
                  postcode="BD3 9LF")
    said = [r for r in recommend(query, seed, today).eligibility_reasons if "referral" in r]
    assert said == ['The description says the family agrees to a referral ("happy to be '
                    'referred"): confirm this with them before referring.']
    declined = recommend(query.model_copy(update={"description": "not bonding, refused referral"}),
                         seed, today)
    assert any('does not agree to a referral ("refused referral")' in r
               for r in declined.eligibility_reasons)
    assert "lmm-clinical" not in ids(declined), "a family that said no is not offered a referral"
    explicit = recommend(query.model_copy(update={"consent_to_referral": True}), seed, today)
    assert not any("description says" in r for r in explicit.eligibility_reasons)


def test_closed_and_unfitting_services_are_never_recommended() -> None:
    answer = recommend(Query(description="not bonding, low mood", age="18 months",
                             postcode="BD3 9LF", consent_to_referral=True), SMALL, TODAY)
    assert "closed-service" not in ids(answer)
    assert "programme-only" not in ids(answer), "over its 12-month limit and outside its area"


def test_a_service_whose_area_cannot_be_told_is_kept() -> None:
    answer = recommend(Query(description="low mood", age="3 months", postcode="BD5"), SMALL, TODAY)
    assert "programme-only" in ids(answer), "BD5 is partly in the programme area"


def test_no_rule_matching_falls_back_honestly() -> None:
    documents = small_documents()
    documents["rules"] = documents["rules"][:2]
    answer = recommend(Query(description="low mood", age="3 months", postcode="BD3 9LF"),
                       small_knowledge(documents), TODAY)
    assert answer.tier == "lmm_consultation"
    assert answer.trace[0].rule == "DEFAULT"


def test_missing_names_what_would_complete_the_answer(seed: Knowledge, today: date) -> None:
    answer = recommend(Query(description="mum finding it hard to bond"), seed, today)
    assert answer.lmm_eligible is None
    assert {"age", "postcode", "consent_to_referral"} <= set(answer.missing)
    assert recommend(Query(age="3 months", postcode="BD8"), seed, today).missing == ["concerns"]


def test_facts_for_rule_writers(seed: Knowledge, today: date) -> None:
    facts = recommendation_facts(
        Query(description="not bonding since birth, bruise on arm", age="14 months",
              postcode="BD3", consent_to_referral=True),
        seed, today,
    )
    assert facts["red_flag"] is True and facts["red_flags"] == ["nonmobile_injury"]
    assert facts["relationship_concern"] is True
    assert facts["age_months"] == 14 and facts["stage"] == "postnatal"
    assert facts["lmm_age_ok"] is True and facts["in_lmm_area"] is None
    assert facts["lmm_eligible"] is None and facts["postcode_split"] is True
    assert facts["persistent"] is True


# --- properties over many queries -------------------------------------------

WORDS = [
    "not bonding", "can't bond", "bond is lovely", "no concerns about bonding", "bruise on arm",
    "no bruises", "EPDS 15", "low mood", "denies thoughts of self-harm", "suicidal",
    "struggling with breastfeeding", "homeless", "DV", "no immediate danger", "knife",
    "history of psychosis", "hearing voices", "for 3 months", "only this week", "a bit worried",
    "happy to be referred", "declined referral", "doesn't want a referral",
    "smokes", "late talker", "tantrums", "floppy", "would like advice",
    "bipolar", "traumatic birth", "miscarriage", "anxious about the pregnancy", "in BD3",
    "lives in LS6", "BD23", "6 week old", "28 weeks pregnant", "2 year old", "", "and", "but",
]
AGES = [None, "6 weeks", "23 months", "24 months", "3 years", "28 weeks pregnant", "newborn",
        "expecting", "1 year 3 months"]
POSTCODES = [None, "BD3 9LF", "BD3", "BD4", "BD5 0AA", "BD8", "BD20", "BD23 1AB", "LS6 2AB",
             "LS29 8AA", "HX1", "HD1", "WF1", "SW1A 1AA", "BD11"]

queries = st.builds(
    Query,
    description=st.lists(st.sampled_from(WORDS), max_size=6).map(", ".join),
    age=st.sampled_from(AGES),
    postcode=st.sampled_from(POSTCODES),
    consent_to_referral=st.sampled_from([None, True, False]),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=queries)
def test_safety_invariants_hold_for_any_query(seed: Knowledge, query: Query) -> None:
    answer = recommend(query, seed, TODAY)
    service_ids = set(ids(answer))
    if any(c.red_flag for c in answer.concerns):
        assert answer.tier == "urgent"
        assert EMERGENCY & service_ids
    if answer.lmm_eligible is False:
        assert answer.tier not in ("lmm_referral", "lmm_consultation")
        assert not {"lmm-clinical", "lmm-consultation"} & service_ids
        assert answer.services, "the family is told where to go instead"
    if answer.tier == "lmm_referral":
        consent = query.consent_to_referral
        if consent is None:
            consent = find_consent(query.description or "")
        assert answer.lmm_eligible is True and consent is True
    for service_id in service_ids:
        service = seed.services[service_id]
        assert service.status != "closed"
        assert service_fits(service, answer.age, answer.postcode) is not False, service_id
    assert answer.trace and answer.headline


@settings(max_examples=200, deadline=None)
@given(description=st.text(max_size=500), age=st.none() | st.text(max_size=40),
       postcode=st.none() | st.text(max_size=12))
def test_no_input_crashes_the_engine(description: str, age: str | None, postcode: str | None
                                     ) -> None:
    try:
        answer = recommend(Query(description=description, age=age, postcode=postcode), SMALL, TODAY)
    except InputError as exc:
        assert exc.field in {"age", "postcode"} and exc.message
    else:
        assert answer.tier in ("urgent", "lmm_referral", "lmm_consultation", "signpost")
