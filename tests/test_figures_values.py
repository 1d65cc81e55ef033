"""Values on hover and focus: marks with titles in the SVG, the one escaping path for every SVG
that reaches a page, and matrix labels that never overlap (measured on the drawn figure)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Annotation, Text

import analysis.figures.publisher as figures
from analysis.figures.matrix import matrix, quadrant_trends
from analysis.figures.publisher import Publisher
from analysis.figures.svg import inline_svg, marked_svg, value_mark, value_marks

POISON = "<img src=x onerror=alert(1)>"
QUADRANTS = {
    "high_opportunity_low_threat": "Deepen",
    "high_opportunity_high_threat": "Manage",
    "low_opportunity_low_threat": "Monitor",
    "low_opportunity_high_threat": "Reconsider",
}


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    captured: list[str] = []
    monkeypatch.setattr(figures, "display", lambda obj: captured.append(obj.data))
    return captured


class Tags(HTMLParser):
    """Every tag and attribute a page's parser sees, and the text of each ``<title>``."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.titles: list[str] = []
        self._title = False

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        self._title = tag == "title"

    def handle_endtag(self, tag) -> None:
        self._title = False

    def handle_data(self, data) -> None:
        if self._title:
            self.titles.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def crowded(count: int, seed: int = 3) -> pd.DataFrame:
    """Many large bubbles in a small corner of the matrix (scores on 0–100), some uncertain,
    one not placed."""
    rng = np.random.default_rng(seed)
    codes = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(count)]
    keys = list(QUADRANTS)
    return pd.DataFrame(
        {
            "iso2": codes,
            "copublications": rng.integers(50, 5000, count),
            "opportunity": rng.uniform(55, 75, count),
            "threat": rng.uniform(0, 15, count),
            "quadrant": [
                "not_placed" if i == 5 else "uncertain" if i % 3 == 0 else keys[i % 4]
                for i in range(count)
            ],
        }
    )


def label_boxes(fig: plt.Figure) -> tuple:
    """The codes written beside the bubbles, as the renderer drew them (pixels)."""
    canvas = FigureCanvasAgg(fig)  # a figure the publisher closed has lost its own
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    return (
        [
            Text.get_window_extent(text, renderer)
            for text in ax.texts
            if isinstance(text, Annotation)
        ],
        ax.get_window_extent(renderer),
        renderer,
    )


def assert_no_two_overlap(boxes, frame) -> None:
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, box
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, box


def draw_crowded(table: pd.DataFrame, **extra) -> plt.Figure:
    return matrix(
        table,
        cuts={"opportunity": 50, "threat": 30},
        quadrant_names=QUADRANTS,
        title="Matrix",
        hover=[f"{code} hover" for code in table["iso2"]],
        names={code: f"Country {code}" for code in table["iso2"]},
        **extra,
    )


def test_matrix_labels_never_overlap_in_a_crowded_corner(tmp_path: Path, shown) -> None:
    table = crowded(120)
    fig = draw_crowded(table)
    # Drawn as the report draws it: Finnish ticks, the demo mark, saved as PNG and SVG.
    Publisher(tmp_path, "25_x", synthetic=True, lang="fi").figure(
        fig, "matrix", title="T", caption="C", alt="A", data=table, source="S"
    )
    boxes, frame, renderer = label_boxes(fig)
    assert_no_two_overlap(boxes, frame)
    # Too crowded for every code: those left out are in the hover (every bubble is a mark).
    assert 5 <= len(boxes) < len(table)
    svg = (tmp_path / "25_x__matrix.fi.svg").read_text(encoding="utf-8")
    assert len(parsed(svg).titles) == len(table)
    # The key of the codes sits below both legends and names every country.
    key = next(text for text in fig.texts if text.get_text().startswith("Country codes"))
    lowest = min(
        legend.get_window_extent(renderer).y0
        for legend in fig.axes[0].findobj(lambda artist: artist.__class__.__name__ == "Legend")
    )
    assert key.get_window_extent(renderer).y1 <= lowest
    assert all(f"{code}\u00a0Country\u00a0{code}" in key.get_text() for code in table["iso2"])


def test_the_matrix_keys_its_bubble_sizes_in_round_numbers() -> None:
    table = crowded(8).assign(copublications=[4818, 3000, 2000, 900, 400, 300, 200, 120])
    fig = draw_crowded(table, size_label="Bubble area", count=lambda v: f"{v:.0f}")
    size_key = next(
        legend
        for legend in fig.axes[0].findobj(lambda a: a.__class__.__name__ == "Legend")
        if legend.get_title().get_text() == "Bubble area"
    )
    # 4 818 → 5 000; 4 818 / 4 → 1 000; 4 818 / 20 → 200, each drawn at the area it stands for.
    assert [text.get_text() for text in size_key.get_texts()] == ["200", "1000", "5000"]
    drawn = [float(h.get_sizes()[0]) for h in size_key.legend_handles]
    assert drawn == pytest.approx([30 + 900 * v / 4818 for v in (200, 1000, 5000)])


def test_every_mark_has_its_title_a_keyboard_stop_and_a_name(tmp_path: Path, shown) -> None:
    table = pd.DataFrame({"year": [2023, 2024, 2023], "quadrant": ["a", "a", "b"], "works": 5})
    fig = quadrant_trends(
        table,
        title="Trends",
        order=["a", "b"],
        hover=lambda key, year, works: f"{key} in {year}: {works:.0f}",
    )
    assert list(value_marks(fig).values()) == ["a in 2023: 5", "a in 2024: 5", "b in 2023: 5"]
    pub = Publisher(tmp_path, "25_x", synthetic=False)
    pub.figure(fig, "trends", title="T", caption="C", alt="Alt text", data=table, source="S")
    about = json.loads((tmp_path / "25_x__trends.en.json").read_text(encoding="utf-8"))
    assert about["marks"] == 3
    page = parsed(shown[0])
    marks = [attrs for tag, attrs in page.tags if attrs.get("class") == "value-mark"]
    assert [m["aria-label"] for m in marks] == ["a in 2023: 5", "a in 2024: 5", "b in 2023: 5"]
    assert all(m["tabindex"] == "0" and m["role"] == "img" for m in marks)
    assert page.titles == ["a in 2023: 5", "a in 2024: 5", "b in 2023: 5"]
    assert not any(tag == "img" for tag, _ in page.tags)  # the SVG replaces the PNG
    root = next(attrs for tag, attrs in page.tags if tag == "svg")
    assert root["aria-label"] == "Alt text" and root["role"] == "group"
    # The report shows the same SVG from the figures folder; the PNG stays there for others.
    assert (tmp_path / "25_x__trends.en.png").stat().st_size > 1000
    Publisher(tmp_path, "31_report", synthetic=False).show_saved("25_x__trends")
    assert parsed(shown[1]).titles == page.titles


def test_markup_in_a_name_or_label_never_becomes_markup_in_the_svg(tmp_path, shown) -> None:
    fig, ax = plt.subplots()
    (point,) = ax.plot([1], [2], marker="o")
    value_mark(point, f"{POISON} & 'quoted' \"text\"")
    ax.set_title(f"{POISON}<script>alert(1)</script>")
    pub = Publisher(tmp_path, "25_x", synthetic=False)
    pub.figure(fig, "p", title=POISON, caption="C", alt=POISON, data=pd.DataFrame(), source="S")
    page = parsed(shown[0])
    assert {tag for tag, _ in page.tags} <= {
        "figure",
        "svg",
        "g",
        "defs",
        "clippath",
        "path",
        "use",
        "rect",
        "text",
        "title",
        "figcaption",
        "strong",
        "em",
        "a",
    }
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert (
        f"{POISON} &amp; &#x27;quoted&#x27; &quot;text&quot;".replace("<", "&lt;").replace(
            ">", "&gt;"
        )
        in shown[0]
    )
    assert page.titles == [f"{POISON} & 'quoted' \"text\""]


def test_an_svg_is_reduced_to_drawing_with_its_ids_its_own() -> None:
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10" onload="alert(1)"><style>body{display:none}</style>'
        "<script>alert(2)</script><foreignObject><div>x</div></foreignObject>"
        '<defs><clipPath id="c1"><rect width="5" height="5"/></clipPath>'
        '<path id="m1" d="M0 0"/></defs>'
        '<g id="mark" clip-path="url(#c1)" onclick="alert(3)">'
        '<use xlink:href="#m1" x="1" style="fill: url(#c1)"/>'
        '<use href="http://example.org/x.svg#a"/>'
        '<rect style="fill: url(http://example.org/p)" width="1" height="1"/>'
        '<a href="javascript:alert(4)"><text>link</text></a></g></svg>'
    )
    out = inline_svg(marked_svg(hostile.encode(), {"mark": "A mark"}), "f3-", "Figure")
    tags = parsed(out).tags
    assert [tag for tag, _ in tags] == [
        "svg",
        "defs",
        "clippath",
        "rect",
        "path",
        "g",
        "title",
        "use",
        "use",
        "rect",
    ]
    attributes = dict(tags)
    assert "onload" not in attributes["svg"] and "onclick" not in attributes["g"]
    assert attributes["clippath"]["id"] == "f3-c1" and attributes["path"]["id"] == "f3-m1"
    assert attributes["g"]["id"] == "f3-mark" and attributes["g"]["clip-path"] == "url(#f3-c1)"
    uses = [attrs for tag, attrs in tags if tag == "use"]
    assert uses[0]["href"] == "#f3-m1" and uses[0]["style"] == "fill: url(#f3-c1)"
    assert "href" not in uses[1]  # a link leaving the figure is dropped
    assert "style" not in [attrs for tag, attrs in tags if tag == "rect"][1]
    assert "body{display:none}" not in out and "alert" not in out
    with pytest.raises(ValueError, match="not drawn"):
        marked_svg(hostile.encode(), {"missing": "x"})


@pytest.mark.slow
def test_matrix_labels_never_overlap_on_the_demo_data(built: Path) -> None:
    from analysis.figures.assessment import drawn_matrix, levels_drawn, matrix_hover
    from analysis.reference.countries import CountryResolver
    from analysis.scoring.model import load_scoring_model

    result = pd.read_parquet(built / "data" / "processed" / "country_scores.parquet")
    model = load_scoring_model(built / "config" / "scoring.yaml")
    resolver = CountryResolver(built / "config" / "country_aliases.yaml")
    for lang in ("en", "fi", "sv"):
        names = {code: resolver.name(code, lang) for code in result["iso2"]}
        labels = {k: v[lang] for k, v in model["classes"]["names"].items()}
        fig = matrix(
            drawn_matrix(result),
            cuts=levels_drawn(model),
            quadrant_names={k: v for k, v in labels.items() if k != "uncertain"},
            title="Matrix",
            hover=matrix_hover(result, names, {**labels, "not_placed": "-"}, lang),
            names=names,
        )
        boxes, frame, _ = label_boxes(fig)
        assert_no_two_overlap(boxes, frame)
        assert len(boxes) >= 0.75 * len(result), (lang, len(boxes), len(result))
        assert len(value_marks(fig)) == len(result)
        plt.close(fig)


def test_a_countrys_hover_tells_its_scores_intervals_class_and_support() -> None:
    from analysis.figures.assessment import matrix_hover

    result = pd.DataFrame(
        {
            "iso2": ["DE", "CA", "XK"],
            "opportunity": [0.885306, 0.457701, 0.2],
            "opportunity_p05": [0.80, 0.30, 0.1],
            "opportunity_p95": [0.91, 0.55, 0.3],
            "threat": [0.028893, 0.031701, 0.5],
            "threat_p05": [0.0, 0.01, 0.4],
            "threat_p95": [0.05, 0.06, 0.6],
            "exposure": [0.62, 0.47, 0.3],
            "quadrant": ["high_opportunity_low_threat", "uncertain", "not_placed"],
            "quadrant_share": [1.0, 0.677, float("nan")],
            "class_likeliest": ["high_opportunity_low_threat", "low_opportunity_low_threat", None],
            "class_second": ["low_opportunity_low_threat", "high_opportunity_low_threat", None],
            "class_second_share": [0.0, 0.321, float("nan")],
        }
    )
    names = {"DE": "Saksa", "CA": "Kanada", "XK": "Kosovo"}
    labels = {
        "high_opportunity_low_threat": "Suuri mahdollisuus, pieni uhka",
        "low_opportunity_low_threat": "Pieni mahdollisuus, pieni uhka",
        "uncertain": "Epävarma",
        "not_placed": "Ei sijoitettu",
    }
    # Scores on 0–100 as in the tables and cards; shares rounded down, never up.
    assert matrix_hover(result, names, labels, "fi") == [
        "Saksa (DE): mahdollisuus 89 (90 %:n väli 80–91), uhka 3 (90 %:n väli 0–5), "
        "altistuminen 62; "
        "Suuri mahdollisuus, pieni uhka, jota tukee 100\u00a0% arvonnoista",
        "Kanada (CA): mahdollisuus 46 (90 %:n väli 30–55), uhka 3 (90 %:n väli 1–6), "
        "altistuminen 47; "
        "luokka epävarma: Pieni mahdollisuus, pieni uhka osuudessa 67\u00a0% arvonnoista, "
        "Suuri mahdollisuus, pieni uhka osuudessa 32\u00a0%",
        "Kosovo (XK): mahdollisuus 20 (90 %:n väli 10–30), uhka 50 (90 %:n väli 40–60), "
        "altistuminen 30; Ei sijoitettu",
    ]
    english = matrix_hover(result, names, labels, "en")[1]
    assert english.endswith(
        "class uncertain: Pieni mahdollisuus, pieni uhka in 67% of the draws, "
        "Suuri mahdollisuus, pieni uhka in 32%"
    )
