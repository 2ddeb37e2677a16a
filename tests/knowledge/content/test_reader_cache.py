"""Fitted similarity layers on disk: reused after a restart, refitted when
what they depend on changes, and never a reason for reading to fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.content.reader_cache import cache_key, corpus_digest, load_or_fit
from pathways.similarity import LabelledText, SimilarityReader

EXAMPLES = [
    LabelledText("baby gone limp and floppy, not responding", ("baby_seriously_unwell",), True),
    LabelledText("LO really floppy this morning and grey", ("baby_seriously_unwell",), True),
    LabelledText("infant limp and wont wake for feeds", ("baby_seriously_unwell",), True),
    LabelledText("baby had a fit of giggles at the clinic", (), False),
    LabelledText("weaning going well, eating lumps", (), False),
]


class Fits:
    """A fit that counts how often it ran."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> SimilarityReader:
        self.count += 1
        return SimilarityReader(EXAMPLES, ["baby_seriously_unwell"])


def test_a_stored_layer_is_reused_as_fitted(tmp_path: Path) -> None:
    fits = Fits()
    first = load_or_fit(tmp_path, "k1", fits)
    again = load_or_fit(tmp_path, "k1", fits)  # as a restarted process would
    assert fits.count == 1
    assert again is not None and first is not None
    assert again.thresholds == first.thresholds
    text = "little one floppy and grey"
    assert [s.code for s in again.suspect(text)] == [s.code for s in first.suspect(text)]


def test_a_changed_key_refits(tmp_path: Path) -> None:
    fits = Fits()
    load_or_fit(tmp_path, "k1", fits)
    load_or_fit(tmp_path, "k2", fits)
    assert fits.count == 2


def test_a_damaged_file_is_refitted_and_replaced(tmp_path: Path) -> None:
    fits = Fits()
    load_or_fit(tmp_path, "k1", fits)
    (tmp_path / "reader-k1.pickle").write_bytes(b"not a pickle")
    assert load_or_fit(tmp_path, "k1", fits) is not None
    assert fits.count == 2
    assert load_or_fit(tmp_path, "k1", fits) is not None
    assert fits.count == 2


def test_a_folder_that_cannot_be_written_only_means_no_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    fits = Fits()
    assert load_or_fit(blocked / "cache", "k1", fits) is not None
    assert load_or_fit(blocked / "cache", "k1", fits) is not None
    assert fits.count == 2
    assert not list(tmp_path.glob("**/*.part"))


def test_old_layers_are_pruned(tmp_path: Path) -> None:
    fits = Fits()
    for n in range(9):
        load_or_fit(tmp_path, f"k{n}", fits)
    assert len(list(tmp_path.glob("reader-*.pickle"))) == 6


@pytest.mark.parametrize("change", ["corpus", "phrases", "learner"])
def test_the_key_follows_what_the_layer_depends_on(tmp_path: Path, change: str) -> None:
    corpus = tmp_path / "items.yaml"
    corpus.write_text("- text: a\n")
    before = cache_key(corpus_digest([corpus]), "phrases-1", "both")
    if change == "corpus":
        corpus.write_text("- text: b\n")
    after = cache_key(corpus_digest([corpus]), "phrases-2" if change == "phrases" else "phrases-1",
                      "knn" if change == "learner" else "both")
    assert before != after


def test_the_key_is_stable_for_the_same_inputs(tmp_path: Path) -> None:
    corpus = tmp_path / "items.yaml"
    corpus.write_text("- text: a\n")
    digest = corpus_digest([corpus])
    assert cache_key(digest, "p", "both") == cache_key(corpus_digest([corpus]), "p", "both")
