"""The numpy encoder gives the same sentence vectors as the reference
implementation (sentence-transformers on torch), read from a file of vectors
it computed once for these texts, including an empty one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from pathways.embedding import SentenceEncoder, shared_encoder
from pathways.model import Knowledge
from pathways.reading import read_text
from pathways.shorthand import spell_out
from pathways.similarity import SimilarityReader
from tests.pathways.test_reading import SMALL_TRAIN

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.json"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return shared_encoder()


def test_vectors_match_the_reference_implementation(encoder: SentenceEncoder) -> None:
    reference = json.loads(REFERENCE.read_text())
    ours = encoder.encode(reference["texts"])
    expected = np.array(reference["vectors"])
    assert ours.shape == expected.shape
    assert np.abs(ours - expected).max() < 1e-4


def test_vectors_do_not_depend_on_the_batch(encoder: SentenceEncoder) -> None:
    texts = ["baby went all floppy", "mum tearful ++ not bonding with LO since birth", "ok"]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_meaning_is_closer_than_shared_words(encoder: SentenceEncoder) -> None:
    floppy, limp, giggles = encoder.encode([
        "baby went all floppy on me", "the baby went limp and would not wake",
        "a fit of giggles at baby group"])
    assert floppy @ limp > floppy @ giggles


def test_no_texts_give_no_rows(encoder: SentenceEncoder) -> None:
    assert encoder.encode([]).shape == (0, 384)


def test_the_similarity_layer_can_compare_by_meaning(seed: Knowledge, today: date) -> None:
    # The same small labelled set as the reading tests; compared by sentence
    # embedding, a wording sharing no content word with any example is read.
    red_flags = [c.code for c in seed.concerns.values() if c.red_flag]
    reader = SimilarityReader(SMALL_TRAIN, red_flags, "both", features="embedding")
    reading = read_text("her baby is unresponsive and very pale", seed, today, reader)
    assert "baby_seriously_unwell" in {c.code for c in reading.concerns}
    assert not read_text("we had tea and cake at the group", seed, today, reader).red_flag


def test_shorthand_is_spelt_out_for_the_model_only_where_unambiguous() -> None:
    assert spell_out("hx od and sh, dv ongoing") == (
        "history of overdose and self harm, domestic violence ongoing")
    # "an" and "oh" are English words; "fm" and "nfa" have two meanings
    assert spell_out("oh an fm nfa") == "oh an fm nfa"
