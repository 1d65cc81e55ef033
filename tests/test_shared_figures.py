"""A figure many pages share is drawn once per process, and every page gets it as if drawn."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import analysis.figures.publisher as figures
from analysis.figures.plots import share_by_group
from analysis.figures.publisher import Publisher

SECTOR = pd.DataFrame(
    {
        "item_id": ["q1", "q2", "q1", "q2"],
        "org_type": ["uas", "uas", "all", "all"],
        "share_agree": [0.5, 0.25, 0.75, 0.125],
        "ci_low": [0.25, 0.0625, 0.5, 0.0],
        "ci_high": [0.75, 0.5, 0.875, 0.375],
    }
)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    captured: list[str] = []
    monkeypatch.setattr(figures, "display", lambda obj: captured.append(obj.data))
    monkeypatch.setattr(figures, "_DRAWN", {})
    return captured


def _draw(table: pd.DataFrame, sector_label: str = "Sector: UAS"):
    return functools.partial(
        share_by_group,
        table,
        labels={"q1": "First question", "q2": "Second question"},
        group="org_type",
        group_labels={"uas": sector_label, "all": "All respondents"},
        title="Shares agreeing",
        xlabel="Agree (%)",
    )


def _publish(pub: Publisher, slug: str, draw, shared: bool = True) -> None:
    about = {
        "title": f"Title of {slug}",
        "caption": f"Caption of {slug}",
        "alt": f"Alt of {slug}",
        "data": SECTOR.assign(organisation_key=slug),
        "source": "Survey",
    }
    if shared:
        pub.shared_figure(draw, slug, **about)
    else:
        pub.figure(draw(), slug, **about)


def test_a_shared_figure_is_drawn_once_and_shown_as_a_drawn_one(
    tmp_path: Path, shown, monkeypatch
) -> None:
    drawn: list[str] = []
    original = figures.Publisher.figure

    def counting(self, fig, slug, **about):
        drawn.append(slug)
        return original(self, fig, slug, **about)

    # Drawn for each page, as figure() does: the reference.
    reference = Publisher(tmp_path / "drawn", "32_inst", synthetic=True, lang="fi")
    for slug in ("a", "b"):
        _publish(reference, slug, _draw(SECTOR), shared=False)
    expected, shown[:] = list(shown), []
    monkeypatch.setattr(figures.Publisher, "figure", counting)
    pub = Publisher(tmp_path / "shared", "32_inst", synthetic=True, lang="fi")
    for slug in ("a", "b"):
        _publish(pub, slug, _draw(SECTOR))
    assert drawn == ["a"], "the second page reused the first one's drawing"
    assert shown == expected, "each page shows what it would have shown drawn"
    for name in ("b.fi.png", "b.fi.json", "b.csv"):
        path = f"32_inst__{name}"
        assert (tmp_path / "shared" / path).read_bytes() == (
            tmp_path / "drawn" / path
        ).read_bytes(), name
    # matplotlib names an SVG's markers and clip paths afresh in each drawing; nothing else
    # differs.
    svg = [
        re.sub(r"\b[mp][0-9a-f]{10}\b", "id", (tmp_path / f / "32_inst__b.fi.svg").read_text())
        for f in ("shared", "drawn")
    ]
    assert svg[0] == svg[1]
    about = json.loads((tmp_path / "shared" / "32_inst__b.fi.json").read_text(encoding="utf-8"))
    assert about["title"] == "Title of b" and about["data"] == "32_inst__b.csv"
    assert "Kuvio 2." in shown[1] and "Title of b" in shown[1]


def test_another_drawing_or_language_is_drawn_again(tmp_path: Path, shown, monkeypatch) -> None:
    drawn: list[str] = []
    original = figures.Publisher.figure

    def counting(self, fig, slug, **about):
        drawn.append(f"{self.lang} {slug}")
        return original(self, fig, slug, **about)

    monkeypatch.setattr(figures.Publisher, "figure", counting)
    english = Publisher(tmp_path, "32_inst", synthetic=True, lang="en")
    finnish = Publisher(tmp_path, "32_inst", synthetic=True, lang="fi")
    _publish(english, "a", _draw(SECTOR))
    _publish(english, "b", _draw(SECTOR.assign(share_agree=[0.5, 0.25, 0.75, 0.25])))
    _publish(english, "c", _draw(SECTOR, sector_label="Sector: universities"))
    _publish(finnish, "d", _draw(SECTOR))
    _publish(english, "e", _draw(SECTOR))
    assert drawn == ["en a", "en b", "en c", "fi d"]
    assert (tmp_path / "32_inst__e.en.png").read_bytes() == (
        tmp_path / "32_inst__a.en.png"
    ).read_bytes()
    assert (tmp_path / "32_inst__b.en.png").read_bytes() != (
        tmp_path / "32_inst__a.en.png"
    ).read_bytes()


def test_a_publisher_that_does_not_show_still_numbers_its_shared_figures(
    tmp_path: Path, shown
) -> None:
    pub = Publisher(tmp_path, "32_inst", synthetic=False, show=False)
    _publish(pub, "a", _draw(SECTOR))
    _publish(pub, "b", _draw(SECTOR))
    assert pub.figure_count == 2 and shown == []
    assert (tmp_path / "32_inst__b.en.png").is_file()
