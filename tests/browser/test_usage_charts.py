"""The usage insights in a real browser at 320 px and 1280 px: each SVG chart
and its table are both shown, no part of a chart overlaps any table (or the
chart's own labels, bars and values each other), nothing is blocked by the
Content-Security-Policy, and axe-core finds no violations at all."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from knowledge.db import make_engine
from knowledge.usage.counts import UsageKey, add_counts
from tests.browser.admin_support import AdminServer, admin_server
from tests.browser.live import AXE_JS
from tests.browser.test_admin_flow import sign_in

pytestmark = pytest.mark.browser
__all__ = ["admin_server"]

KEYS = ("month", "tier", "concern", "area")
COUNTS = {
    UsageKey("2026-09", "universal", "none", "unknown", False, False): 2,
    UsageKey("2026-10", "targeted", "feeding_difficulties", "bradford_south", False, False): 17,
    UsageKey("2026-11", "specialist", "perinatal_low_mood", "bradford_east", True, False): 140,
    UsageKey("2026-11", "urgent",
             "a_very_long_concern_name_about_sleeping_feeding_and_settling_difficulties",
             "keighley_and_the_worth_valley_with_a_long_name", False, True): 1,
}
Box = dict[str, float]


def add_usage(server: AdminServer) -> None:
    engine = make_engine(f"sqlite:///{server.data_dir / 'navigator.db'}")
    try:
        with Session(engine) as session:
            add_counts(session, COUNTS)
    finally:
        engine.dispose()


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return (
        a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5
    )


def boxes(page: Any, selector: str) -> list[Box]:
    found: list[Box] = page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })",
    )
    return found


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe-core finding (WCAG 2.0-2.2 A/AA and best practice), whatever its impact."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def check_layout(page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    tables = [boxes(page, f"#usage-{key}-heading ~ .admin-usage__pair table")[0] for key in KEYS]
    for key in KEYS:
        chart = page.locator(f"#usage-chart-{key}")
        table = page.locator(f"#usage-{key}-heading ~ .admin-usage__pair table")
        assert chart.is_visible() and table.is_visible(), f"{key} at {width} px"
        assert chart.get_attribute("role") == "img"
        name = f"Recommendations by {'main ' * (key == 'concern')}{key}"
        assert page.get_by_role("img", name=name, exact=True).count() == 1
        chart_box = boxes(page, f"#usage-chart-{key}")[0]
        parts = boxes(page, f"#usage-chart-{key} text, #usage-chart-{key} rect")
        assert len(parts) == 3 * page.locator(f"#usage-chart-{key} rect").count() > 0
        for part in [chart_box, *parts]:
            assert part["width"] >= 0 and part["x"] + part["width"] <= width
            clashes = [t for t in tables if overlap(part, t)]
            assert not clashes, f"part of the {key} chart overlaps a table at {width} px"
        for part in parts:  # inside the chart, and clear of each other
            assert part["x"] >= chart_box["x"] - 0.5
            assert part["x"] + part["width"] <= chart_box["x"] + chart_box["width"] + 0.5
        drawn = [p for p in parts if p["width"] > 0]
        for i, a in enumerate(drawn):
            for b in drawn[i + 1:]:
                assert not overlap(a, b), f"{key} chart: {a} overlaps {b} at {width} px"
        label_size = page.eval_on_selector(
            f"#usage-chart-{key} .admin-chart__label",
            "e => e.getBoundingClientRect().height",
        )
        assert label_size >= 12, f"{key} chart labels readable at {width} px"


def test_usage_charts_beside_their_tables(page: Any, admin_server: AdminServer) -> None:
    add_usage(admin_server)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text
            else None)
    sign_in(page, admin_server)
    page.goto(f"{admin_server.url}/admin/usage")
    page.get_by_text("160 recommendations counted").wait_for()
    assert page.locator("main svg.admin-chart").count() == 4
    concern_labels = page.locator("#usage-chart-concern .admin-chart__label").all_text_contents()
    assert any(label.endswith("…") for label in concern_labels), "the long name is cut"
    assert page.locator("#usage-concern-heading ~ .admin-usage__pair table").get_by_text(
        "a very long concern name about sleeping feeding and settling difficulties"
    ).is_visible(), "and given in full in the table"
    for width in (1280, 320):
        check_layout(page, width)
        assert axe_violations(page) == [], f"axe at {width} px"
    assert blocked == []
