"""Reading the family's consent to a referral from a practitioner's note."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.consent import find_consent, read_consent


@pytest.mark.parametrize(
    "text",
    [
        "happy to be referred",
        "Mum happy to be referred to LMM, EPDS 14",
        "consents to referral",
        "agreed to a referral",
        "mum keen for referral",
        "family want a referral",
        "mam said yes to a referral",
        # the family asking is agreeing
        "parents asked for referral to LMM",
        "mum requested the referral herself",
        "mum asked for LMM ref",
        "consent given",
        "verbal consent obtained",
        "mum has consented",
        "Consent: yes",
        "mum would like a referral to LMM",
        "Mum is happy for a referral to be made",
        "happy for me to refer",
        "PN mum, cant bnd with LO since birth, consented to ref",
        # Little Minds Matter named as what is agreed to
        "dad agreed to LMM",
        "mum keen for little minds matter",
        "consent for LMM: yes",
        "both parents said ok to LMM",
        # agreement after the referral
        "referral agreed with dad",
        "LMM ref ok",
        "ref was discussed and agreed at the visit",
        "referral agreed by both parents",
        # the family (named or not) consenting or asking
        "parents consent",
        "both consent",
        "she has asked me to refer her",
        "mum would welcome a referral",
    ],
)
def test_wordings_of_agreement_are_read_as_consent(text: str) -> None:
    assert find_consent(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "doesn't want a referral",
        "declined referral",
        "not consented",
        "no consent",
        "mum not keen on a referral",
        "mum declined LMM",
        "dad does not want LMM",
        "refused referral",
        "won't agree to a referral",
        "consent not given",
        "consent was declined",
        "consent for referral not given",
        "consent: no",
        "referral declined by mum",
        "mum is reluctant to be referred",
        "doesn't like the idea of a referral",
        "Mum does not want to be referred",
    ],
)
def test_wordings_of_refusal_are_read_as_no_consent(text: str) -> None:
    assert find_consent(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "Mum low, baby 4 months, not bonding",
        # doubt, a question, or a decision still to come: unknown, so the navigator asks
        "not sure if she wants a referral",
        "will ask mum if she is happy to be referred",
        "Is mum happy to be referred?",
        # the practitioner asking, or asking something else, is not the family's yes
        "HV to ask about a referral",
        "I asked mum about a referral",
        "mum asked me not to refer",
        "mum asked if a referral would help",
        "consent not yet sought",
        "mum has not yet consented to a referral",
        "needs consent",
        # the practitioner's plan, not the family's agreement
        "I want to refer this family",
        "we would like to refer",
        # consent to something else, or someone else's decision
        "consent to share information given",
        "referral declined by CAMHS",
        "referral agreed by the panel",
        "mum happy for me to get LMM consultation",
        "agreed to an LMM consultation first",
        # the practitioner's plan, or a question
        "HV wants LMM involved",
        "wanted to check whether LMM would see her",
        "mum wants to think about a referral",
        "happy baby, referral to HV made",
        # yes and no in one note: unknown
        "dad keen for referral but mum declined referral",
        "not refused referral",
    ],
)
def test_unclear_or_unrelated_wordings_leave_consent_unknown(text: str) -> None:
    assert find_consent(text) is None


def test_the_words_that_showed_it_are_kept() -> None:
    reading = read_consent("Mum low for months and doesn't want a referral at the moment")
    assert reading is not None and reading.consent is False
    assert reading.evidence == "doesnt want a referral"


@given(st.text(max_size=300))
def test_no_text_crashes_the_consent_reader(text: str) -> None:
    assert find_consent(text) in (True, False, None)
