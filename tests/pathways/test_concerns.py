"""Finding concerns in what practitioners type, and what they rule out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.concerns import find_concerns
from pathways.model import Knowledge
from tests.pathways.small import small_documents, small_knowledge

SMALL = small_knowledge()


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Mum of a 4 month old can't bond with him", ["bonding"], []),
        ("HV a bit worried mum isn't bonding", [], []),  # "isnt bonding" is not a small-set phrase
        ("No concerns about bonding", [], ["bonding"]),
        ("bond is lovely", [], ["bonding"]),
        ("bonding well, feeding well", [], ["bonding"]),
        ("MUM CANT BOND!!!", ["bonding"], []),
        ("mum is not really bonding", ["bonding"], []),
        ("mum is strugglng to bond", ["bonding"], []),  # one typo forgiven
        ("no support and struggling to bond", ["bonding"], []),  # "and" ends the negation
        ("EPDS 15", ["low_mood"], []),
        ("EPDS 9", [], []),
        ("PHQ-9 of 14", ["low_mood"], []),
        ("feeling low", [], []),
    ],
)
def test_phrases_are_found_with_negation(text: str, present: list[str], absent: list[str]) -> None:
    findings = find_concerns(text, SMALL)
    assert list(findings.present) == present
    assert list(findings.absent) == absent


def test_a_denial_in_one_clause_does_not_hide_a_red_flag_in_the_next() -> None:
    findings = find_concerns("no injuries but she has a bruise on his cheek", SMALL)
    assert findings.present == ("injury",)
    assert findings.evidence["injury"] == "bruise"


def test_a_doubtful_denial_keeps_the_red_flag() -> None:
    assert find_concerns("not sure if it is a bruise", SMALL).present == ("injury",)
    assert find_concerns("no bruising seen", SMALL).absent == ("injury",)


def test_denied_thoughts_of_self_harm_are_absent() -> None:
    findings = find_concerns("denies thoughts of self-harm", SMALL)
    assert findings.present == ()
    assert findings.absent == ("suicidal",)
    assert find_concerns("self harm thoughts: denied", SMALL).present == ()
    assert find_concerns("suicidal: no", SMALL).present == ()


def test_a_longer_phrase_wins_over_a_shorter_one_inside_it() -> None:
    assert find_concerns("history of self harm", SMALL).present == ("past_self_harm",)
    assert find_concerns("birth mark on her back", SMALL).present == ()
    findings = find_concerns("history of self harm, and self harmed last night", SMALL)
    assert set(findings.present) == {"past_self_harm", "suicidal"}


def test_red_flags_come_first() -> None:
    findings = find_concerns("can't bond, low mood, and a bruise on his arm", SMALL)
    assert findings.present == ("injury", "bonding", "low_mood")


def test_saying_both_keeps_the_concern() -> None:
    findings = find_concerns("bond is lovely but really she can't bond with him", SMALL)
    assert findings.present == ("bonding",)


def test_phrases_come_from_the_knowledge_so_staff_edits_apply_at_once() -> None:
    documents = small_documents()
    documents["concerns"][0]["phrases"].append("keeps her distance from the baby")
    edited = small_knowledge(documents)
    text = "mum keeps her distance from the baby"
    assert find_concerns(text, SMALL).present == ()
    assert find_concerns(text, edited).present == ("bonding",)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("bruise on the cheek of a 6 week old", "nonmobile_injury"),
        ("dad admitted he shook the baby", "physical_harm_baby"),
        ("child disclosed abuse at nursery", "abuse_disclosure"),
        ("partner threatened to kill her", "da_immediate_danger"),
        ("EPDS Q10 positive", "suicidal_thoughts"),
        ("says the family would be better off without her", "suicidal_thoughts"),
        ("intrusive thoughts of harming the baby", "harm_baby_thoughts"),
        ("hearing voices and not slept for days", "postpartum_psychosis"),
        ("baby floppy and hard to wake", "baby_seriously_unwell"),
        ("partner kicked her in the stomach while pregnant", "unborn_harm"),
        ("took an overdose on Saturday", "suicide_plan"),
        ("acting strangely, not herself at all", "mental_state_change"),
        ("keeps saying the baby is not hers", "maternal_estrangement"),
        ("baby left alone in the flat", "neglect"),
        ("reduced movements since yesterday", "reduced_fetal_movements"),
    ],
)
def test_every_seed_red_flag_is_recognised(seed: Knowledge, text: str, code: str) -> None:
    findings = find_concerns(text, seed)
    assert code in findings.present
    assert seed.concerns[code].red_flag


@pytest.mark.parametrize(
    ("text", "present", "not_present"),
    [
        ("Low mood, PND, denies thoughts of self-harm, bond with baby is lovely", {"low_mood"},
         {"suicidal_thoughts", "violent_self_harm", "bonding"}),
        ("mum not bonding with her baby", {"bonding"}, {"maternal_estrangement"}),
        ("mum not responding to the baby's cues", {"relationship_difficulty"},
         {"baby_seriously_unwell"}),
        ("history of postpartum psychosis, currently well", {"severe_mental_illness"},
         {"postpartum_psychosis"}),
        ("non smoker, no DV, no drugs or alcohol", set(),
         {"smoking", "domestic_abuse", "substance_misuse"}),
        ("potty training battles", set(), {"training_request"}),
        ("cracked nipples and poor latch", {"feeding"}, {"substance_misuse"}),
        ("feeling low and not bonding, EPDS 14", {"low_mood", "bonding"}, set()),
        ("mum worried she might drop the baby when tired", set(), {"nonmobile_injury"}),
        ("mum says she was shaken up by the birth", set(), {"physical_harm_baby"}),
        ("mum feels she is shaking with anxiety", {"anxiety"}, {"physical_harm_baby"}),
        ("HV new birth visit, no DV, no safeguarding concerns", set(),
         {"domestic_abuse", "significant_harm"}),
    ],
)
def test_seed_phrases_in_realistic_notes(
    seed: Knowledge, text: str, present: set[str], not_present: set[str]
) -> None:
    found = set(find_concerns(text, seed).present)
    assert present <= found
    assert not (not_present & found)


def test_every_seed_phrase_finds_its_own_concern(seed: Knowledge) -> None:
    """A phrase swallowed by another concern's longer phrase, or negated by its
    own wording, would silently never fire."""
    for concern in seed.concerns.values():
        for phrase in concern.phrases:
            # a number slot is filled with its lowest value: "{10+}" -> 10, "{0-9}" -> 0
            literal = re.sub(r"\{(\d+)(?:\+|-\d+)\}", r"\1", phrase)
            found = find_concerns(literal, seed).present
            assert concern.code in found, f"{concern.code}: phrase {phrase!r} finds {found}"


@given(st.text(max_size=400))
def test_no_text_crashes_concern_finding(text: str) -> None:
    findings = find_concerns(text, SMALL)
    assert not set(findings.present) & set(findings.absent)


def test_number_like_symbols_are_words_not_numbers() -> None:
    """"❶" counts as a digit to str.isdigit() but int() cannot read it."""
    findings = find_concerns("❶ baby ² not bonding ٣", SMALL)
    assert "bonding" in findings.present


# Concerns whose phrases are by definition about the past ("hx OD", "psychosis
# in 2019"): a present red flag is never written with their words.
HISTORY_CONCERNS = frozenset({"past_self_harm", "severe_mental_illness"})
PAST_WORDS = re.compile(
    r"\b(hx|h/o|history|historic|historical|previous|previously|prev|past|old|used to|ago|"
    r"yrs|years|teen|teens|teenage|teenager|younger|back in|pmh|was|last|scars|record|"
    r"at birth|when born|following|as child|as a child|aged|age)\b")
# Everyday phrases reviewed as not about a present red flag though they share its words.
REVIEWED_SHARERS = {
    "waiting to feel something": "waiting to feel love for the baby, not cutting to feel",
    "doesnt feel like her mum": "a bonding worry in the mother's own words",
    "not responsive to the baby": "the parent's responsiveness, not an unresponsive baby",
    "unresponsive to cues": "the parent's responsiveness, not an unresponsive baby",
    "unresponsive to his cues": "the parent's responsiveness, not an unresponsive baby",
    "unresponsive to her cues": "the parent's responsiveness, not an unresponsive baby",
    "not very responsive to faces": "a withdrawn baby's social response",
    "not responsive to faces": "a withdrawn baby's social response",
    "not reacting to people": "a withdrawn baby's social response",
    "not ready to be anyones mum": "a pregnancy worry",
    "stress harmed the baby": "a worry of having harmed the pregnancy, not thoughts of harm",
    "shell never see the baby again": "an abuser's threat to the mother, not harm to the child",
    "estranged from family": "the parent's own family, not the baby",
}


def test_no_everyday_phrase_hides_a_present_red_flag(seed: Knowledge) -> None:
    """Where two phrases overlap the longer wins, across concerns too: an
    everyday phrase that contains a red flag's words ("took an overdose at")
    takes them from the red flag. Only history phrases and reviewed ones may."""
    red_flags = {code for code, concern in seed.concerns.items() if concern.red_flag}
    red_only = seed.model_copy(update={
        "version": seed.version + 10_000,
        "concerns": {code: c if c.red_flag else c.model_copy(update={"phrases": []})
                     for code, c in seed.concerns.items()},
    })
    hiding = []
    for code, concern in seed.concerns.items():
        if concern.red_flag or code in HISTORY_CONCERNS:
            continue
        for phrase in concern.phrases:
            text = re.sub(r"\{(\d+)[^}]*\}", r"\1", phrase)  # a number slot as a number
            hidden = set(find_concerns(text, red_only).present) & red_flags
            hidden -= set(find_concerns(text, seed).present)
            if hidden and not PAST_WORDS.search(phrase) and phrase not in REVIEWED_SHARERS:
                hiding.append((code, phrase, sorted(hidden)))
    assert not hiding
