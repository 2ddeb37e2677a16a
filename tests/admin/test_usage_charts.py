"""The usage insights' SVG bar charts: one bar, label and value per count,
names escaped, nothing the strict Content-Security-Policy would block."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.admin.charts import (
    BAR_HEIGHT,
    ELLIPSIS,
    FONT_SIZE,
    PAD,
    WIDTH,
    bar_chart,
    fit_label,
    max_label_chars,
    text_width,
    usage_chart,
)
from knowledge.usage.counts import UsageKey, add_counts
from tests.admin.support import engine_of, quick_session

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (the app's own SVG, in a test)


def rows_of(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "admin-chart__row"]


def drawn(svg: ET.Element, kind: str) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")
            if t.get("class") == f"admin-chart__{kind}"]


def bars(svg: ET.Element) -> list[ET.Element]:
    return list(svg.iter(f"{SVG}rect"))


def test_one_bar_label_and_value_per_count() -> None:
    counts = [("2026-09", 4), ("2026-10", 12), ("2026-11", 7)]
    svg = parse(bar_chart(counts, title="Recommendations by month", chart_id="c", description="d"))
    assert len(rows_of(svg)) == len(bars(svg)) == 3
    assert drawn(svg, "label") == ["2026-09", "2026-10", "2026-11"]
    assert drawn(svg, "value") == ["4", "12", "7"]
    widths = [float(rect.get("width", "")) for rect in bars(svg)]
    assert widths[1] == max(widths)
    assert widths[0] / widths[1] == pytest.approx(4 / 12, abs=0.001)
    assert widths[2] / widths[1] == pytest.approx(7 / 12, abs=0.001)


def test_accessible_name_and_description() -> None:
    svg = parse(usage_chart([("perinatal_low_mood", 3)], "Recommendations by main concern",
                            "usage-chart-concern"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "usage-chart-concern-title"
    assert svg.get("aria-describedby") == "usage-chart-concern-desc"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "usage-chart-concern-title"
    assert title.text == "Recommendations by main concern"
    assert desc is not None and desc.get("id") == "usage-chart-concern-desc"
    assert "1 bar;" in (desc.text or "") and "table" in (desc.text or "")
    assert drawn(svg, "label") == ["perinatal low mood"], "named as the table names it"


def test_names_are_escaped() -> None:
    name = '<script>alert("x")</script> & <b>'
    markup = str(bar_chart([(name, 2)], title="<i>t</i>", chart_id='x" onload="y',
                           description="a & b"))
    assert "<script" not in markup and "<b>" not in markup and "<i>" not in markup
    svg = parse(markup)
    assert svg.get("id") == "x--onload--y", "the id's quote cannot end the attribute"
    label = drawn(svg, "label")[0]
    assert label == fit_label(name), "drawn as text, not markup"
    tooltip = rows_of(svg)[0].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == f"{name}: 2", "the full name as its tooltip"


def test_long_names_are_cut_and_never_reach_past_the_chart() -> None:
    long = "difficulties with feeding, sleeping and settling a very unsettled baby"
    svg = parse(bar_chart([(long, 9), ("short", 1000)], title="t", chart_id="c", description="d"))
    label, short = drawn(svg, "label")
    assert short == "short"
    assert label.endswith(ELLIPSIS) and len(label) == max_label_chars()
    assert long.startswith(label[:-1])
    assert PAD + text_width(label) <= WIDTH - PAD
    tooltip = rows_of(svg)[0].find(f"{SVG}title")
    assert tooltip is not None and tooltip.text == f"{long}: 9"
    for rect, value in zip(bars(svg), drawn(svg, "value"), strict=True):
        end = float(rect.get("x", "")) + float(rect.get("width", ""))
        value_x = float(next(t.get("x", "") for t in svg.iter(f"{SVG}text") if t.text == value))
        assert value_x > end, "a value starts after its bar"
        assert value_x + text_width(value) <= WIDTH, "and fits in the chart"
    assert fit_label("short") == "short"


def test_labels_bars_and_values_never_overlap_vertically() -> None:
    svg = parse(bar_chart([(f"area {i}", i + 1) for i in range(6)], title="t", chart_id="c",
                          description="d"))
    boxes: list[tuple[float, float]] = []
    for row in rows_of(svg):
        label = row.findall(f"{SVG}text")[0]
        rect = row.find(f"{SVG}rect")
        assert rect is not None
        label_box = (float(label.get("y", "")) - FONT_SIZE, float(label.get("y", "")) + 4)
        bar_top = float(rect.get("y", ""))
        bar_box = (bar_top, bar_top + BAR_HEIGHT)
        assert label_box[1] <= bar_box[0], "the label sits above its bar"
        boxes += [label_box, bar_box]
    assert all(a[1] <= b[0] for a, b in pairwise(boxes))
    height = float(svg.get("height", ""))
    assert boxes[-1][1] <= height and svg.get("viewBox") == f"0 0 {WIDTH} {svg.get('height')}"


def test_nothing_the_csp_blocks() -> None:
    markup = str(bar_chart([("a", 1), ("b", 0)], title="t", chart_id="c", description="d"))
    assert not re.search(r"<script|<style|\sstyle=|\son\w+=|javascript:|<foreignObject", markup)
    assert [float(r.get("width", "")) for r in bars(parse(markup))][1] == 0, "a zero is no bar"


def test_an_empty_chart_is_still_valid() -> None:
    svg = parse(bar_chart([], title="t", chart_id="c", description="d"))
    assert bars(svg) == [] and float(svg.get("height", "")) > 0


def test_the_usage_page_shows_a_chart_beside_each_table(admin_client: TestClient) -> None:
    counts = {
        UsageKey("2026-10", "targeted", "feeding_difficulties", "bradford_south", False, False): 3,
        UsageKey("2026-11", "specialist", "perinatal_low_mood", "bradford_east", True, False): 5,
    }
    with Session(engine_of(admin_client)) as session:
        add_counts(session, counts)
    quick_session(admin_client, "editor")
    page = admin_client.get("/admin/usage")
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') == 4
    assert html.count('<table class="nhsuk-table">') == 4
    for key in ("month", "tier", "concern", "area"):
        assert f'aria-labelledby="usage-chart-{key}-title"' in html
    month = re.search(r'<svg [^>]*id="usage-chart-month".*?</svg>', html, re.S)
    assert month is not None
    svg = parse(month.group(0))
    assert drawn(svg, "label") == ["2026-10", "2026-11"] and drawn(svg, "value") == ["3", "5"]
    concern = re.search(r'<svg [^>]*id="usage-chart-concern".*?</svg>', html, re.S)
    assert concern is not None
    assert drawn(parse(concern.group(0)), "label") == ["perinatal low mood", "feeding difficulties"]
    assert "<progress" not in html
    assert "<h2" in html.split('id="usage-month-heading"')[0][-60:], "h2 under the page's h1"
