"""How well the navigator reads practitioners' words: the labelled corpus
(knowledge/content/corpus) through the whole engine, for each way of reading.

Approaches compared (the similarity layer is always fitted on `train` only;
`dev` is held back and only measured):

* phrases: the curated phrases alone (the first, exact layer);
* phrases+knn: plus nearest labelled examples (TF-IDF cosine, weighted vote);
* phrases+linear: plus one logistic regression per concern;
* phrases+both: plus the larger of the two scores (what the navigator uses);
* phrases+both (all concerns): the same layer allowed to raise every concern,
  not only red flags;
* the same learners over a sentence embedding (all-MiniLM-L6-v2 run with
  numpy, pathways/embedding.py) instead of TF-IDF ("embedding"), or over both
  ("combined"). ``--no-embedding`` leaves these out (encoding the corpus
  takes a minute or two).

The similarity layer raises red flags only in the navigator: it is a safety
net behind the phrases (see pathways/similarity.py).

For each: red-flag recall, the false-urgent rate on benign look-alikes,
concern precision / recall / micro-F1, tier accuracy, each layer's share of
the concerns found rightly, the time to fit and per description. Figures,
not a pass/fail test (tests/pathways/test_reading_corpus.py holds the
targets).

    .venv/bin/python bench/bench_reading.py [--misses] [--no-embedding]

``--misses`` lists the train split's misses only (dev stays unread).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.content.reading_corpus import load_corpus  # noqa: E402
from knowledge.content.seed_files import load_seed  # noqa: E402
from pathways.concerns import find_concerns  # noqa: E402
from pathways.evaluation import ReadingScores, evaluate, training_examples  # noqa: E402
from pathways.recommend import recommend  # noqa: E402
from pathways.similarity import (  # noqa: E402
    LEARNERS,
    FeatureKind,
    Learner,
    Scope,
    SimilarityReader,
)

TODAY = date(2026, 11, 27)


def _row(name: str, split: str, s: ReadingScores, per_item_ms: float) -> str:
    layers = " ".join(f"{k} {v:.0%}" for k, v in s.layer_share.items())
    return (f"| {name} | {split} | {s.items} | {s.red_flag_recall:.1%} | "
            f"{s.false_urgent_rate:.1%} | {s.concern_precision:.3f} | {s.concern_recall:.3f} | "
            f"{s.concern_f1:.3f} | {s.tier_accuracy:.1%} | {layers} | {per_item_ms:.2f} |")


def main() -> None:
    show_misses = "--misses" in sys.argv
    knowledge = load_seed()
    items = load_corpus()
    splits = {name: [i for i in items if i.split == name] for name in ("train", "dev")}
    red_flags = frozenset(c.code for c in knowledge.concerns.values() if c.red_flag)
    print(f"corpus: {len(items)} items, train {len(splits['train'])}, dev {len(splits['dev'])}; "
          f"{sum(i.red_flag for i in items)} red-flag items, "
          f"{sum(i.kind == 'lookalike' for i in items)} look-alikes")
    print("| approach | split | items | red-flag recall | false urgent (look-alikes) | "
          "precision | recall | F1 | tier accuracy | layer share | ms per item |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    approaches: list[tuple[str, SimilarityReader | None]] = [("phrases", None)]
    variants: list[tuple[Learner, Scope, FeatureKind]] = [
        *((learner, "red_flags", "tfidf") for learner in LEARNERS), ("both", "all", "tfidf")]
    if "--no-embedding" not in sys.argv:
        variants += [("knn", "red_flags", "embedding"), ("both", "red_flags", "embedding"),
                     ("both", "red_flags", "combined"), ("both", "all", "combined")]
    for learner, scope, features in variants:
        started = time.perf_counter()
        fitted_reader = SimilarityReader(
            training_examples(items), red_flags, learner,
            found_first=lambda text: frozenset(find_concerns(text, knowledge).present),
            scope=scope, features=features,
        )
        fitted = time.perf_counter() - started
        name = (f"phrases+{learner}" + (f" [{features}]" if features != "tfidf" else "")
                + (" (all concerns)" if scope == "all" else ""))
        print(f"(fitted {name} in {fitted:.1f} s)", file=sys.stderr)
        approaches.append((name, fitted_reader))
    for name, reader in approaches:
        for split, chosen in splits.items():
            started = time.perf_counter()
            scores = evaluate(chosen, knowledge, TODAY, reader) if reader else evaluate(
                chosen, knowledge, TODAY, _NoReader.instance())
            per_item = (time.perf_counter() - started) * 1000 / max(1, len(chosen))
            print(_row(name, split, scores, per_item))
            if show_misses and name == "phrases+both" and split == "train":
                for miss in scores.missed_red_flags:
                    print(f"    MISSED {split}: {miss.text!r} ({miss.expected})")
                for alarm in scores.false_urgent:
                    print(f"    FALSE URGENT {split}: {alarm.text!r} ({alarm.got})")
                for wrong in scores.wrong_tiers[:60]:
                    print(f"    TIER {split}: {wrong.text!r} expected {wrong.expected}, "
                          f"got {wrong.got}")
    _latency(knowledge, items, approaches[3][1])


class _NoReader(SimilarityReader):
    """The phrases alone: a reader that recognises nothing."""

    _one: _NoReader | None = None

    def __init__(self) -> None:
        self.codes = []

    @classmethod
    def instance(cls) -> _NoReader:
        cls._one = cls._one or cls()
        return cls._one

    def suspect_many(self, texts):  # type: ignore[no-untyped-def]
        return [[] for _ in texts]


def _latency(knowledge, items, reader) -> None:  # type: ignore[no-untyped-def]
    """recommend() per description with the chosen reader: p50 / p99."""
    times = []
    for item in items * 2:
        started = time.perf_counter()
        recommend(item.query(), knowledge, TODAY, reader=reader)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99)]
    print(f"recommend() with phrases+both over {len(times)} descriptions: "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
