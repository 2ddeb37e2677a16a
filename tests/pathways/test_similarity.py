"""The similarity layer on its own: what it scores and what it names as evidence."""

from __future__ import annotations

import pytest

from pathways.model import Knowledge
from pathways.similarity import BATCH, LabelledText, SimilarityReader, word_view
from pathways.text import tokenize

PREGNANCY_VIOLENCE = [
    LabelledText("pregnant and partner pushed her down the stairs", ("unborn_harm",), True),
    LabelledText("32 weeks pregnant, he kicked her in the stomach", ("unborn_harm",), True),
    LabelledText("pregnant, boyfriend punched her in the bump", ("unborn_harm",), True),
    LabelledText("partner pushed her into the wall, she is 28 weeks pregnant", ("unborn_harm",),
                 True),
    LabelledText("pushed the pram up the hill to clinic", (), False),
    LabelledText("pushed for two hours then forceps", (), False),
    LabelledText("pregnant with twins, very tired", (), False),
    LabelledText("pregnant and nervous about the birth", ("pregnancy_anxiety",), False),
    LabelledText("mum pregnant again, toddler jealous", (), False),
    LabelledText("she is pregnant, sickness bad", (), False),
]

def _reader(seed: Knowledge, examples: list[LabelledText]) -> SimilarityReader:
    return SimilarityReader(examples, [c.code for c in seed.concerns.values() if c.red_flag])


def test_a_worry_split_over_a_comma_is_read_from_the_whole_note(seed: Knowledge) -> None:
    # Neither "she's 30 weeks pregnant" nor "her fella shoved her into the door"
    # says it alone; together they are violence in pregnancy.
    text = "she's 30 weeks pregnant, last night her fella shoved her into the door"
    found = {s.code: s for s in _reader(seed, PREGNANCY_VIOLENCE).suspect(text)}
    assert "unborn_harm" in found
    assert found["unborn_harm"].clause is None  # the evidence is the whole note
    assert "pregnant" in found["unborn_harm"].words and "shoved" in found["unborn_harm"].words


def test_a_clause_that_says_it_alone_is_named_as_the_evidence(seed: Knowledge) -> None:
    text = "34 weeks pregnant with her second, yesterday partner pushed her over"
    found = {s.code: s for s in _reader(seed, PREGNANCY_VIOLENCE).suspect(text)}
    assert found["unborn_harm"].clause == 1
    assert found["unborn_harm"].words == "yesterday partner pushed her over"


@pytest.mark.parametrize(("shorthand", "spelt_out"), [
    ("took an OD last night", "overdose"),
    ("DV ongoing", "domestic violence"),
    ("LO floppy", "baby"),
])
def test_shorthand_is_compared_with_its_spelling_out(shorthand: str, spelt_out: str) -> None:
    compared = set(word_view(tokenize(shorthand)).split())
    assert set(word_view(tokenize(spelt_out)).split()) <= compared


def test_many_texts_are_read_as_each_alone(seed: Knowledge) -> None:
    # The corpus is read in batches of texts; a batch's edge changes nothing.
    reader = _reader(seed, PREGNANCY_VIOLENCE)
    texts = [f"{n} weeks pregnant, last night her fella shoved her into the door"
             if n % 3 else "pregnant with twins, tired" for n in range(BATCH + 7)]
    together = reader.suspect_many(texts)
    assert len(together) == len(texts)
    for index in (0, 1, BATCH - 1, BATCH, BATCH + 6):
        assert together[index] == reader.suspect(texts[index])


def test_a_word_counts_as_evidence_only_when_examples_of_the_concern_share_it(
    seed: Knowledge,
) -> None:
    # "Chloe" is used by two examples, of two different concerns: a message
    # naming a baby Chloe is not like either for that.
    examples = [
        *PREGNANCY_VIOLENCE,
        LabelledText("Chloe 14, pregnant by her 21 year old boyfriend", ("sexual_abuse",), True),
        LabelledText("girl of 13 pregnant, the father is 30", ("sexual_abuse",), True),
        LabelledText("15 and pregnant, says he is 25", ("sexual_abuse",), True),
        LabelledText("our Chloe very low since the baby", ("low_mood",), False),
    ]
    reader = _reader(seed, examples)
    chloe = reader.examples.index(examples[-4])
    assert "chloe" in reader.example_stems[chloe]
    assert "chloe" not in reader.code_stems["sexual_abuse"]
    assert "pregnant" in reader.code_stems["sexual_abuse"]
