"""How fast recommend() is, on the seed knowledge and on a 10x synthetic one.

Prints p50 / p99 / mean per call over a realistic mix of queries (the public
worked cases plus long free-text notes), after a warm-up that also builds the
per-version phrase index, with both reading layers (the curated phrases and
the similarity layer fitted on the corpus). Target: p50 <= 10 ms and p99 <=
50 ms on the seed.
The 10x knowledge has 300 services, 20,000 postcode sector mappings and ten
times the concerns (copies whose phrases do not collide), generated from the
seed. Figures, not a pass/fail test.

    .venv/bin/python bench/bench_engine.py
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.content.reading_corpus import fitted_reader  # noqa: E402
from knowledge.content.seed_files import load_seed  # noqa: E402
from pathways.model import Knowledge, PostcodeMapping  # noqa: E402
from pathways.postcode import UK_POSTCODE_AREAS  # noqa: E402
from pathways.reading import use_similarity_reader  # noqa: E402
from pathways.recommend import Query, recommend  # noqa: E402

TODAY = date(2026, 1, 15)
CALLS = 1500
WARM_UP = 200
SERVICES_TARGET = 300
POSTCODES_TARGET = 20_000

LONG_NOTES = [
    "HV visit at 6/52. Mum (24, first baby) lives in BD3 9LF with partner. Birth was an "
    "emergency c section after a long labour, baby on NICU for 4 days. Mum says she feels "
    "nothing for the baby and doesn't want to hold him, has been like this since birth. "
    "EPDS 14, Q10 scored 0, denies thoughts of self-harm. No DV disclosed. Feeding: bottle, "
    "going well. Housing stable. Partner supportive but back at work. Consents to referral.",
    "Antenatal contact at 28/40. Lives in BD5 0AA. Very anxious about the pregnancy after a "
    "stillbirth two years ago, not sleeping, checking for movements constantly, feels unable "
    "to connect with the bump. Smokes 5 a day. No concerns about DV. Would like advice on "
    "whether LMM would see her.",
    "Family support worker: mum of a 14 month old in LS29, struggling with tantrums, mum low "
    "in mood, some money worries, universal credit delayed. Mum says the bond is lovely and "
    "she enjoys him. Would like some parenting support.",
]


def worked_case_queries() -> list[Query]:
    cases_file = ROOT / "knowledge" / "content" / "worked_cases.yaml"
    cases = yaml.safe_load(cases_file.read_text(encoding="utf-8"))
    fields = ("description", "age", "postcode", "concerns", "consent_to_referral", "duration")
    queries = [Query(**{k: c[k] for k in fields if k in c}) for c in cases]
    queries += [Query(description=note, consent_to_referral=True) for note in LONG_NOTES]
    return queries


def synthetic(seed: Knowledge) -> Knowledge:
    """Ten times the seed: copies of every service and concern under new ids
    (copied phrases carry an extra made-up word so they never collide with the
    originals), and 20,000 sector mappings spread over real postcode areas."""
    documents: dict[str, Any] = seed.model_dump(mode="json")
    services = dict(documents["services"])
    copies = itertools.count(1)
    while len(services) < SERVICES_TARGET:
        n = next(copies)
        for sid, service in documents["services"].items():
            if len(services) >= SERVICES_TARGET:
                break
            services[f"{sid}-x{n}"] = {**service, "id": f"{sid}-x{n}"}
    concerns = dict(documents["concerns"])
    for n in range(1, 10):
        for code, concern in documents["concerns"].items():
            concerns[f"{code}_x{n}"] = {
                **concern,
                "code": f"{code}_x{n}",
                "phrases": [f"{p} zq{n}" for p in concern["phrases"]],
                "absent_phrases": [f"{p} zq{n}" for p in concern["absent_phrases"]],
                "services": [f"{s}-x{n}" if f"{s}-x{n}" in services else s
                             for s in concern["services"]],
            }
    postcodes = dict(documents["postcodes"])
    area_codes = [a for a in documents["areas"] if a != "united_kingdom"]
    letters = sorted(UK_POSTCODE_AREAS)
    generated = (
        f"{area}{district} {sector}"
        for area in letters
        for district in range(1, 100)
        for sector in range(10)
    )
    for i, prefix in enumerate(generated):
        if len(postcodes) >= POSTCODES_TARGET:
            break
        if prefix not in postcodes:
            postcodes[prefix] = {"prefix": prefix, "areas": [area_codes[i % len(area_codes)]]}
    return Knowledge.model_validate({
        **documents, "version": seed.version + 1000, "services": services,
        "concerns": concerns,
        "postcodes": {p: PostcodeMapping.model_validate(m) for p, m in postcodes.items()},
    })


def measure(name: str, knowledge: Knowledge, queries: list[Query]) -> None:
    started = time.perf_counter()
    recommend(queries[0], knowledge, TODAY)  # builds the phrase index
    first_ms = (time.perf_counter() - started) * 1000
    mix = itertools.cycle(queries)
    for _ in range(WARM_UP):
        recommend(next(mix), knowledge, TODAY)
    timings: list[float] = []
    for _ in range(CALLS):
        query = next(mix)
        start = time.perf_counter_ns()
        recommend(query, knowledge, TODAY)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    timings.sort()
    p50 = timings[len(timings) // 2]
    p99 = timings[int(len(timings) * 0.99)]
    print(
        f"{name:<28} services={len(knowledge.services):>4} postcodes={len(knowledge.postcodes):>6}"
        f" concerns={len(knowledge.concerns):>4}  first call {first_ms:7.1f} ms  "
        f"p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  mean {statistics.fmean(timings):6.3f} ms"
    )


def main() -> None:
    seed = load_seed()
    started = time.perf_counter()
    use_similarity_reader(fitted_reader(seed))
    # As the api runs it: one BLAS thread per request after the fit (api/main.py);
    # with a pool per core, idle workers spin between the layer's small products
    # and the figures swing tenfold from run to run on two cores.
    threadpool_limits(limits=1)
    print(f"similarity layer fitted on the corpus's train split in "
          f"{time.perf_counter() - started:.1f} s")
    queries = worked_case_queries()
    print(f"recommend(): {CALLS} calls over {len(queries)} queries "
          "(worked cases + long notes), one process")
    measure("seed knowledge", seed, queries)
    measure("10x synthetic knowledge", synthetic(seed), queries)
    print("targets: p50 <= 10 ms and p99 <= 50 ms on the seed (both reading layers)")


if __name__ == "__main__":
    main()
