"""Measuring how well the navigator reads: the labelled corpus through the
whole engine.

The figures (red-flag recall, the false-urgent rate on benign look-alikes,
concern precision, recall and F1, tier accuracy, and which layer found each
concern) are what ``bench/bench_reading.py`` prints, what the reading tests
hold to, and what the admin's publish check compares between a draft and
the published version. Reading the corpus files stays outside the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Literal
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field

from pathways.contract import InputError, Query
from pathways.model import Knowledge, Tier
from pathways.recommend import recommend
from pathways.similarity import LabelledText, PrecomputedReader, SimilarityReader

Split = Literal["train", "dev"]
Kind = Literal["red_flag", "lookalike", "ordinary", "nothing"]


class CorpusItem(BaseModel):
    """One labelled wording (see knowledge/content/corpus/README.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    age: str | None = None
    postcode: str | None = None
    consent: bool | None = None
    concerns: tuple[str, ...] = ()
    ruled_out: tuple[str, ...] = ()
    red_flag: bool
    tier: Tier
    kind: Kind
    lookalike_of: str | None = None
    note: str | None = None
    split: Split | None = None

    def query(self) -> Query:
        return Query(description=self.text, age=self.age, postcode=self.postcode,
                     consent_to_referral=self.consent, safety_check="none_apply")


def training_examples(items: Iterable[CorpusItem]) -> list[LabelledText]:
    """The ``train`` split as examples for the similarity layer."""
    return [LabelledText(i.text, i.concerns, i.red_flag) for i in items if i.split == "train"]


class Miss(BaseModel):
    text: str
    expected: str
    got: str


class ReadingScores(BaseModel):
    """The reading figures on one set of items."""

    items: int
    red_flag_items: int
    red_flag_recall: float
    lookalike_items: int
    false_urgent_rate: float
    concern_precision: float
    concern_recall: float
    concern_f1: float
    tier_accuracy: float
    layer_share: dict[str, float]
    missed_red_flags: list[Miss] = []
    false_urgent: list[Miss] = []
    wrong_tiers: list[Miss] = []
    errors: int = 0


# What each fitted layer suspects in each corpus text, kept while the layer
# lives: a publish check reads the corpus with the draft and with the published
# version, which share the layer whenever their phrases are the same.
_PRECOMPUTED: WeakKeyDictionary[SimilarityReader, PrecomputedReader] = WeakKeyDictionary()


def _precomputed(reader: SimilarityReader, texts: list[str]) -> PrecomputedReader:
    if isinstance(reader, PrecomputedReader):
        return reader
    known = _PRECOMPUTED.get(reader)
    if known is None:
        known = _PRECOMPUTED[reader] = PrecomputedReader(reader, texts)
    else:
        known.learn(texts)  # another split: its texts in one batch too
    return known


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 1.0


def evaluate(
    items: Iterable[CorpusItem],
    knowledge: Knowledge,
    today: date,
    reader: SimilarityReader | None = None,
) -> ReadingScores:
    """Run every item through ``recommend`` and score the reading."""
    items = list(items)
    if reader is not None:
        reader = _precomputed(reader, [i.text for i in items])
    red = caught = looks = false_urgent = right_tier = errors = 0
    tp = fp = fn = 0
    layers: Counter[str] = Counter()
    missed: list[Miss] = []
    alarms: list[Miss] = []
    wrong: list[Miss] = []
    for item in items:
        try:
            answer = recommend(item.query(), knowledge, today, reader=reader)
        except InputError as exc:
            errors += 1
            wrong.append(Miss(text=item.text, expected=item.tier, got=f"error: {exc}"))
            continue
        urgent = answer.tier == "urgent"
        if item.red_flag:
            red += 1
            caught += urgent
            if not urgent:
                missed.append(Miss(text=item.text, expected=",".join(item.concerns),
                                   got=answer.tier))
        if item.kind == "lookalike":
            looks += 1
            false_urgent += urgent
            if urgent:
                alarms.append(Miss(text=item.text, expected=item.tier, got=",".join(
                    c.code for c in answer.concerns if c.red_flag)))
        found = {c.code for c in answer.concerns}
        expected = set(item.concerns)
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        layers.update(c.how_found for c in answer.concerns if c.code in expected)
        if answer.tier == item.tier:
            right_tier += 1
        else:
            wrong.append(Miss(text=item.text, expected=item.tier, got=answer.tier))
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    total_layers = sum(layers.values())
    return ReadingScores(
        items=len(items),
        red_flag_items=red,
        red_flag_recall=_ratio(caught, red),
        lookalike_items=looks,
        false_urgent_rate=_ratio(false_urgent, looks) if looks else 0.0,
        concern_precision=precision,
        concern_recall=recall,
        concern_f1=f1,
        tier_accuracy=_ratio(right_tier, len(items)),
        layer_share={k: _ratio(v, total_layers) for k, v in sorted(layers.items())},
        missed_red_flags=missed,
        false_urgent=alarms,
        wrong_tiers=wrong,
        errors=errors,
    )
