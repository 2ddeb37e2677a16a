"""A check on wordings nobody tuned on: 120 messages (80 with a red flag
present now, 40 benign look-alikes) written on 2026-11-28 by a writer who
saw no corpus item, phrase or test (bench/data/fresh_wordings.yaml). They
are not in the corpus and must never be used to write phrases or set
thresholds: once they are, they stop measuring anything.

Each is read by the whole engine (age and postcode given, the safety check
answered "none apply", as the corpus items are) and the script prints how
many red flags were caught, by which layer, and how many look-alikes were
made urgent. ``--show`` lists the misses and false alarms.

    .venv/bin/python bench/bench_fresh_wordings.py [--show]
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.content.reading_corpus import fitted_reader  # noqa: E402
from knowledge.content.seed_files import load_seed  # noqa: E402
from pathways.recommend import Query, recommend  # noqa: E402

WORDINGS = ROOT / "bench" / "data" / "fresh_wordings.yaml"
TODAY = date(2026, 11, 28)


def main() -> None:
    show = "--show" in sys.argv
    knowledge = load_seed()
    reader = fitted_reader(knowledge)
    items = yaml.safe_load(WORDINGS.read_text(encoding="utf-8"))
    caught = false_alarms = 0
    by_layer = {"phrase": 0, "similarity": 0}
    for item in items:
        answer = recommend(Query(description=item["text"], age="3 months", postcode="BD8",
                                 safety_check="none_apply"), knowledge, TODAY, reader=reader)
        urgent = answer.tier == "urgent"
        if item["urgent"] and urgent:
            caught += 1
            phrase = any(c.red_flag and c.how_found == "phrase" for c in answer.concerns)
            by_layer["phrase" if phrase else "similarity"] += 1
        elif item["urgent"] and show:
            print(f"MISSED ({item['about']}): {item['text']}")
        if not item["urgent"] and urgent:
            false_alarms += 1
            if show:
                print(f"FALSE URGENT ({item['about']}): {item['text']}")
    red = sum(i["urgent"] for i in items)
    benign = len(items) - red
    print(f"{len(items)} fresh wordings: red flags caught {caught}/{red} ({caught / red:.1%}; "
          f"by a phrase {by_layer['phrase']}, by similarity alone {by_layer['similarity']}); "
          f"look-alikes made urgent {false_alarms}/{benign} ({false_alarms / benign:.1%})")


if __name__ == "__main__":
    main()
