"""Where the curated phrases fall short on the corpus's TRAIN split: for the
concern codes given (or all), the train items whose concern no phrase finds,
and the train items where a phrase finds a concern that is not there (a red
flag on a look-alike above all). For content editors writing phrases; it
never shows the held-back dev split.

    .venv/bin/python scripts/phrase-gaps.py [--seed DIR] [CODE ...]

``--seed DIR`` reads the content from another copy of knowledge/content/seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.content.reading_corpus import load_corpus
from knowledge.content.seed_files import load_seed
from pathways.concerns import find_concerns


def main(args: list[str]) -> None:
    seed_dir = None
    if args[:1] == ["--seed"]:
        seed_dir, args = Path(args[1]), args[2:]
    codes = args
    knowledge = load_seed(seed_dir) if seed_dir else load_seed()
    wanted = set(codes) or set(knowledge.concerns)
    unknown = wanted - set(knowledge.concerns)
    if unknown:
        print(f"not concern codes: {sorted(unknown)}")
    missed = extra = 0
    for item in load_corpus(split="train"):
        findings = find_concerns(item.text, knowledge)
        found = set(findings.present)
        for code in sorted((set(item.concerns) - found) & wanted):
            missed += 1
            print(f"MISSED {code}: {item.text}")
        for code in sorted((found - set(item.concerns)) & wanted):
            extra += 1
            print(f"EXTRA {code} ({findings.evidence.get(code)!r}) [{item.kind}]: {item.text}")
    print(f"{missed} missed, {extra} extra")


if __name__ == "__main__":
    main(sys.argv[1:])
