"""The labelled corpus (knowledge/content/corpus) and its measurement through the
whole engine with both reading layers. The similarity layer is fitted on the
train split only; dev is held back and only measured."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from knowledge.content.reading_corpus import fitted_reader, load_corpus, split_for
from pathways.evaluation import CorpusItem, ReadingScores, evaluate
from pathways.model import Knowledge

CORPUS = load_corpus()


@pytest.fixture(scope="module")
def scores(seed: Knowledge) -> dict[str, ReadingScores]:
    reader = fitted_reader(seed)
    today = date(2026, 11, 27)
    return {
        split: evaluate([i for i in CORPUS if i.split == split], seed, today, reader)
        for split in ("train", "dev")
    }


def test_the_corpus_is_broad_and_labelled_with_known_codes(seed: Knowledge) -> None:
    assert len(CORPUS) >= 1500
    assert sum(i.red_flag for i in CORPUS) >= 400
    assert sum(i.kind == "lookalike" for i in CORPUS) >= 300
    used = {code for i in CORPUS for code in (*i.concerns, *i.ruled_out)}
    assert used <= set(seed.concerns), used - set(seed.concerns)
    red_flag_items = Counter(c for i in CORPUS if i.red_flag for c in i.concerns)
    for code, concern in seed.concerns.items():
        if concern.red_flag:
            assert red_flag_items[code] >= 10, f"too few red-flag items for {code}"


def test_labels_agree_with_themselves() -> None:
    for item in CORPUS:
        assert item.split is not None, item.text
        assert item.red_flag == (item.tier == "urgent"), item.text
        assert (item.kind == "nothing") <= (not item.concerns), item.text
        assert not set(item.concerns) & set(item.ruled_out), item.text


def test_the_split_is_the_stable_hash_nobody_chose() -> None:
    assert all(item.split == split_for(item.text) for item in CORPUS)
    dev_share = sum(i.split == "dev" for i in CORPUS) / len(CORPUS)
    assert 0.2 < dev_share < 0.4


def test_the_figures_are_measured_on_both_splits(scores: dict[str, ReadingScores]) -> None:
    """The figures bench/bench_reading.py prints and the admin shows. The
    issue's targets (100% red-flag recall, at most 10% false urgent, F1 0.9 and
    95% tier accuracy on dev) are not all met yet: see bench/README.md."""
    for split, result in scores.items():
        assert result.items == sum(i.split == split for i in CORPUS)
        assert result.errors == 0, [m.got for m in result.wrong_tiers if "error" in m.got]
        assert result.red_flag_items > 100
        assert abs(sum(result.layer_share.values()) - 1) < 0.01
        assert len(result.missed_red_flags) == round(
            (1 - result.red_flag_recall) * result.red_flag_items)


def test_an_item_is_a_valid_query() -> None:
    item = CorpusItem(text="mum low", red_flag=False, tier="signpost", kind="ordinary",
                      concerns=("low_mood",), split="train")
    assert item.query().safety_check == "none_apply"
