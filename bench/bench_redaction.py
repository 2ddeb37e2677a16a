"""How long redacting one chat message takes, and how much it changes.

Times ``api.redaction.redact`` over every wording in the labelled reading
corpus (practitioner text with no personal details but full postcodes) and
over the same wordings with a name, a phone number, a date of birth and a
street address added, as practitioners type them. Prints p50 / p99 per
message and the share of clean wordings whose text changed other than by
cutting a postcode. Figures, not a pass/fail test.

    .venv/bin/python bench/bench_redaction.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.redaction import redact  # noqa: E402
from knowledge.content.reading_corpus import load_corpus  # noqa: E402

DETAILS = "Mrs Khan, 07700 900123, DOB 03/04/2026, lives at 14 Oak Road BD3 9LF. "
ROUNDS = 5


def timed(texts: list[str]) -> list[float]:
    times: list[float] = []
    for _ in range(ROUNDS):
        for text in texts:
            start = time.perf_counter()
            redact(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def line(name: str, times: list[float]) -> str:
    p50, mean = statistics.median(times), statistics.fmean(times)
    p99 = statistics.quantiles(times, n=100)[98]
    return f"| {name} | {p50:.3f} | {p99:.3f} | {mean:.3f} |"


def main() -> None:
    clean = [item.text for item in load_corpus()]
    with_details = [DETAILS + text for text in clean]
    changed = [t for t in clean if set(redact(t).kinds) - {"postcode"}]
    print(f"{len(clean)} corpus wordings, {ROUNDS} rounds each")
    print("| messages | p50 ms | p99 ms | mean ms |")
    print("| --- | ---: | ---: | ---: |")
    print(line("corpus wordings as written", timed(clean)))
    print(line("with a name, phone, date of birth and address added", timed(with_details)))
    print(f"clean wordings changed beyond a postcode cut: {len(changed)} of {len(clean)}")
    for text in changed[:10]:
        print(f"  - {text!r} -> {redact(text).text!r}")


if __name__ == "__main__":
    main()
