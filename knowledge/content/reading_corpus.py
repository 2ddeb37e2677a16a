"""The labelled reading corpus (``knowledge/content/corpus/*.yaml``): loading it,
assigning new items to a split, and fitting the similarity layer on ``train``.

    python -m knowledge.content.reading_corpus assign-splits   # give new items a split
    python -m knowledge.content.reading_corpus check           # counts per split and kind
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Final, Literal

import yaml

from knowledge.content.reader_cache import cache_key, corpus_digest, load_or_fit
from knowledge.settings import get_database_settings
from pathways.concerns import find_concerns
from pathways.evaluation import CorpusItem, Split, training_examples
from pathways.model import Knowledge
from pathways.similarity import Learner, Likeness, SimilarityReader

CORPUS_DIR: Final = Path(__file__).parent / "corpus"
DEV_SHARE: Final = 3  # in ten: about 30% of items are held back for measuring


def corpus_files(folder: Path = CORPUS_DIR) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def load_corpus(folder: Path = CORPUS_DIR, split: Split | None = None) -> list[CorpusItem]:
    """Every item (or one split's), validated."""
    items: list[CorpusItem] = []
    for path in corpus_files(folder):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            item = CorpusItem.model_validate(raw)
            if split is None or item.split == split:
                items.append(item)
    return items


def split_for(text: str) -> Split:
    """The split an item's text falls in: a stable hash, so nobody chooses."""
    digest = hashlib.sha256(text.strip().lower().encode("utf-8")).digest()
    return "dev" if digest[0] % 10 < DEV_SHARE else "train"


def assign_splits(folder: Path = CORPUS_DIR) -> int:
    """Give every item without a split its split, keeping the files' layout
    (a ``split:`` line is added after the item's ``text:`` line)."""
    added = 0
    for path in corpus_files(folder):
        lines = path.read_text(encoding="utf-8").splitlines()
        items = yaml.safe_load("\n".join(lines)) or []
        starts = [i for i, line in enumerate(lines) if line.startswith("- ")]
        if len(starts) != len(items):
            raise SystemExit(f"{path.name}: write one item per '- ' line start")
        out: list[str] = []
        for index, line in enumerate(lines):
            out.append(line)
            if index in starts:
                item = items[starts.index(index)]
                if "split" not in item:
                    indent = " " * (len(line) - len(line.lstrip("- ")))
                    out.append(f"{indent}split: {split_for(str(item['text']))}")
                    added += 1
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return added


# Per phrase set, corpus folder and learner: the corpus files' digest and the layer.
_READERS: dict[tuple[str, Path, str], tuple[str, SimilarityReader | None]] = {}


def _phrase_fingerprint(knowledge: Knowledge) -> str:
    """What the first reading layer depends on: the concerns and their phrases."""
    concerns = [c.model_dump(include={"code", "phrases", "absent_phrases", "red_flag"})
                for c in knowledge.concerns.values()]
    return hashlib.sha256(json.dumps(concerns, sort_keys=True).encode()).hexdigest()


def default_cache_dir() -> Path | None:
    """Where fitted layers are kept on disk: ``READING_CACHE_DIR``, by default
    ``DATA_DIR/reading-cache``."""
    return get_database_settings().reading_cache_dir


def fitted_reader(
    knowledge: Knowledge,
    folder: Path = CORPUS_DIR,
    learner: Learner = "both",
    cache_dir: Path | Literal["default"] | None = "default",
) -> SimilarityReader | None:
    """The similarity layer fitted on the ``train`` split, with thresholds set
    on what it must add to ``knowledge``'s phrases. Kept per process and per
    phrase set, and on disk in ``cache_dir`` (``None``: not on disk), as
    fitting takes half a minute."""
    fingerprint = _phrase_fingerprint(knowledge)
    key = (fingerprint, folder, learner)
    digest = corpus_digest(corpus_files(folder))
    if key not in _READERS or _READERS[key][0] != digest:
        red_flags = frozenset(c.code for c in knowledge.concerns.values() if c.red_flag)

        def fit() -> SimilarityReader | None:
            examples = training_examples(load_corpus(folder))
            return SimilarityReader(
                examples, red_flags, learner,
                found_first=lambda text: frozenset(find_concerns(text, knowledge).present),
                likeness=_learnt_before(folder, learner, digest, red_flags),
            ) if examples else None

        disk = default_cache_dir() if cache_dir == "default" else cache_dir
        _READERS[key] = (digest, load_or_fit(disk, cache_key(digest, fingerprint, learner), fit))
    return _READERS[key][1]


def _learnt_before(
    folder: Path, learner: str, digest: str, red_flags: frozenset[str],
) -> Likeness | None:
    """What a layer fitted in this process on the same corpus and red flags
    learnt: a draft that changes only phrases then sets its thresholds again
    in seconds instead of refitting (a minute)."""
    for (_, other_folder, other_learner), (other_digest, reader) in _READERS.items():
        if (reader is not None and other_folder == folder and other_learner == learner
                and other_digest == digest and reader.red_flags == red_flags):
            return reader.likeness()
    return None


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "assign-splits":
        print(f"assigned a split to {assign_splits()} items")
        return 0
    if command == "check":
        items = load_corpus()
        print(f"{len(items)} items")
        print("by split:", dict(Counter(i.split for i in items)))
        print("by kind:", dict(Counter(i.kind for i in items)))
        print("by tier:", dict(Counter(i.tier for i in items)))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
