"""Measuring the reading over many items: the similarity layer is asked in
one batch per set of items, whatever reader it is and however often the
same reader is measured."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pathways.evaluation import CorpusItem, evaluate
from pathways.model import Knowledge
from pathways.similarity import SimilarityReader, Suspicion


class CountingReader(SimilarityReader):
    """Recognises nothing, and counts the batches it is asked."""

    def __init__(self) -> None:
        self.codes = []
        self.batches: list[int] = []

    def suspect_many(self, texts: Sequence[str]) -> list[list[Suspicion]]:
        self.batches.append(len(texts))
        return [[] for _ in texts]


def items(*texts: str) -> list[CorpusItem]:
    return [CorpusItem(text=t, concerns=("low_mood",), red_flag=False, tier="signpost",
                       kind="ordinary", split="train") for t in texts]


def test_each_set_of_items_is_read_in_one_batch(seed: Knowledge) -> None:
    reader = CountingReader()
    today = date(2026, 11, 27)
    first = evaluate(items("mum low and tearful", "PND, EPDS 15"), seed, today, reader)
    second = evaluate(items("mum low and tearful", "feeling down most days", "low mood ++"),
                      seed, today, reader)
    assert reader.batches == [2, 2]  # the second set: only the texts not read before
    assert first.items == 2 and second.items == 3
    assert second.concern_recall == 1.0
