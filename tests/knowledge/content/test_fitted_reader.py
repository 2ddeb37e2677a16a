"""The similarity layer for a phrase set: a draft that changes only phrases
reuses what the published layer learnt from the corpus (its thresholds are
set again in seconds instead of a minute's refit); a change of red flags or
of the corpus refits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.content.reading_corpus import fitted_reader
from knowledge.content.seed_files import load_seed
from pathways.model import Knowledge

ITEMS = [
    ("baby gone limp and floppy, not responding", ["baby_seriously_unwell"]),
    ("LO really floppy this morning and grey", ["baby_seriously_unwell"]),
    ("infant limp and wont wake for feeds", ["baby_seriously_unwell"]),
    ("little one grey and floppy after a feed", ["baby_seriously_unwell"]),
    ("dad gave him a shake to stop the crying", ["physical_harm_baby"]),
    ("OH shook the baby hard last night", ["physical_harm_baby"]),
    ("partner admits shaking her when she screamed", ["physical_harm_baby"]),
    ("baby had a fit of giggles at the clinic", []),
    ("weaning going well, eating lumps", []),
    ("shaking the rattle and laughing", []),
    ("mum tired, baby sleeping well", []),
    ("grandma knitted a grey cardigan for the baby", []),
]


@pytest.fixture(scope="module")
def seed() -> Knowledge:
    return load_seed()


def corpus(folder: Path, extra: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    items = [
        {"text": text + extra, "split": "train", "concerns": codes, "red_flag": bool(codes),
         "tier": "urgent" if codes else "signpost", "kind": "red_flag" if codes else "ordinary"}
        for text, codes in ITEMS
    ]
    (folder / "items.yaml").write_text(yaml.safe_dump(items), encoding="utf-8")
    return folder


def with_phrase(knowledge: Knowledge, code: str, phrase: str) -> Knowledge:
    concern = knowledge.concerns[code]
    changed = concern.model_copy(update={"phrases": (*concern.phrases, phrase)})
    return knowledge.model_copy(update={"concerns": {**knowledge.concerns, code: changed}})


def test_a_draft_with_other_phrases_reuses_the_learnt_model(
    tmp_path: Path, seed: Knowledge,
) -> None:
    folder = corpus(tmp_path / "corpus")
    published = fitted_reader(seed, folder, cache_dir=None)
    draft = fitted_reader(with_phrase(seed, "physical_harm_baby", "gave him a shake"), folder,
                          cache_dir=None)
    assert published is not None and draft is not None and draft is not published
    assert draft.model is published.model
    text = "baby went limp and grey on me"
    assert [s.code for s in draft.suspect(text)] == [s.code for s in published.suspect(text)]


def test_a_change_of_red_flags_or_of_the_corpus_refits(tmp_path: Path, seed: Knowledge) -> None:
    folder = corpus(tmp_path / "corpus")
    published = fitted_reader(seed, folder, cache_dir=None)
    unflagged = seed.concerns["physical_harm_baby"].model_copy(update={"red_flag": False})
    fewer_flags = seed.model_copy(
        update={"concerns": {**seed.concerns, "physical_harm_baby": unflagged}})
    other = fitted_reader(fewer_flags, folder, cache_dir=None)
    assert published is not None and other is not None
    assert other.model is not published.model
    assert "physical_harm_baby" not in other.red_flags

    corpus(folder, extra=" today")  # the corpus files change under the same folder
    refitted = fitted_reader(seed, folder, cache_dir=None)
    assert refitted is not None and refitted.model is not published.model
    assert all(e.text.endswith(" today") for e in refitted.examples)
