"""The critical technology share by year: the changes, the sentence and the figure."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.figures.publisher import Publisher
from analysis.report.critical import (
    critical_share_by_year,
    critical_share_change,
    critical_share_sentence,
)

# Three partners, two years. Shares by hand:
#   SE 2023 20/100 = 0.20, 2024 30/100 = 0.30: +10 points
#   CN 2023 10/50  = 0.20, 2024 30/60  = 0.50: +30 points
#   US 2023 40/200 = 0.20, 2024 30/200 = 0.15:  -5 points
#   all 2023 70/350 = 0.20, 2024 90/360 = 0.25
TABLE = pd.DataFrame(
    {
        "partner_country": ["SE", "SE", "CN", "CN", "US", "US"],
        "year": [2023, 2024, 2023, 2024, 2023, 2024],
        "critical_copublications": [20, 30, 10, 30, 40, 30],
        "copublications": [100, 100, 50, 60, 200, 200],
        "critical_share": [0.20, 0.30, 0.20, 0.50, 0.20, 0.15],
    }
)
NAMES = {"SE": "Sweden", "CN": "China", "US": "United States"}


def test_change_from_first_to_last_year_largest_rise_first() -> None:
    change = critical_share_change(TABLE)
    assert change["partner_country"].tolist() == ["CN", "SE", "US", "ALL"]
    assert change["share_first"].tolist() == pytest.approx([0.20, 0.20, 0.20, 0.20])
    assert change["share_last"].tolist() == pytest.approx([0.50, 0.30, 0.15, 0.25])
    assert change["change"].tolist() == pytest.approx([0.30, 0.10, -0.05, 0.05])


def test_a_partner_missing_in_either_end_year_is_not_compared() -> None:
    table = pd.concat(
        [
            TABLE,
            pd.DataFrame(
                {
                    "partner_country": ["EE"],
                    "year": [2024],
                    "critical_copublications": [1],
                    "copublications": [2],
                    "critical_share": [0.5],
                }
            ),
        ]
    )
    change = critical_share_change(table)
    assert "EE" not in set(change["partner_country"])
    # the pooled share counts every row of the end years: 2024 is 91/362
    assert change["share_last"].iloc[-1] == pytest.approx(91 / 362)


def test_sentence_names_the_largest_rises_and_the_largest_fall() -> None:
    sentence = critical_share_sentence(critical_share_change(TABLE), 2023, 2024, NAMES.get)
    assert sentence == (
        "Across the 3 partner countries measured, **25%** of the co-publications of "
        "2024 were in critical technology areas, against 20% in 2023. The share rose most "
        "with China (from 20% to 50%, +30.0 percentage points) and Sweden (from 20% to 30%, "
        "+10.0 percentage points). It fell most with United States (−5.0 percentage points)."
    )
    # Shares as the catalogue writes them: a no-break space before % where it is spaced.
    finnish = critical_share_sentence(
        critical_share_change(TABLE), 2023, 2024, NAMES.get, lang="fi", shown=1
    ).replace("\u00a0", " ")
    assert "**25 %**" in finnish and "China (20 % → 50 %, +30,0 prosenttiyksikköä)" in finnish
    assert "Sweden" not in finnish.split("laski")[0]
    swedish = critical_share_sentence(
        critical_share_change(TABLE), 2023, 2024, NAMES.get, lang="sv", shown=1
    ).replace("\u00a0", " ")
    assert "**25 %**" in swedish and "China (20 % → 50 %, +30,0 procentenheter)" in swedish
    assert "United States (−5,0 procentenheter)" in swedish


def test_the_section_texts_live_in_the_catalogue() -> None:
    """Every text of the section is a ``critical.*`` key of texts.yaml, which the catalogue
    tests check for every language and placeholder; the module keeps none of its own."""
    import analysis.report.critical as module
    from analysis.i18n import catalogue

    keys = {key for key in catalogue() if key.startswith("critical.")}
    assert {"critical.title", "critical.source", "critical.rose", "critical.points"} <= keys
    assert not [name for name in ("TEXTS", "SOURCE") if hasattr(module, name)]


def test_no_rise_is_said_as_such() -> None:
    falling = TABLE.assign(
        critical_share=[0.3, 0.2, 0.3, 0.2, 0.3, 0.2],
        critical_copublications=[30, 20, 15, 12, 60, 40],
    )
    sentence = critical_share_sentence(critical_share_change(falling), 2023, 2024, NAMES.get)
    assert "With none of them did the share rise between 2023 and 2024." in sentence


def test_section_draws_the_figure_with_the_synthetic_mark(tmp_path: Path, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr("analysis.report.critical.say", said.append)
    monkeypatch.setattr("analysis.figures.publisher.display", lambda *a, **k: None)
    pub = Publisher(tmp_path, "31_report", synthetic=True)
    change = critical_share_by_year(TABLE, pub)
    assert change["partner_country"].iloc[0] == "CN"
    assert "rose most with China" in said[0]
    base = tmp_path / "31_report__critical_share_by_year"
    about = json.loads(Path(f"{base}.en.json").read_text(encoding="utf-8"))
    assert about["synthetic"] is True and "2023 to 2024" in about["alt"]
    assert Path(f"{base}.en.png").stat().st_size > 0
    drawn = pd.read_csv(base.with_suffix(".csv"))
    # The data beside the figure holds country codes, not names in the figure's language.
    assert len(drawn) == 6 and set(drawn["partner_country"]) == set(NAMES)
    assert "country" not in drawn


def test_section_without_data_says_so(tmp_path: Path, monkeypatch) -> None:
    said: list[str] = []
    monkeypatch.setattr("analysis.report.critical.say", said.append)
    pub = Publisher(tmp_path, "31_report", synthetic=False)
    critical_share_by_year(TABLE.iloc[0:0], pub)
    assert "no co-publication counts in critical technology areas" in said[0]
    assert not list(tmp_path.iterdir())


def test_every_column_of_panels_shows_its_years_at_its_lowest_panel() -> None:
    """Seven partners in rows of five: the second row has two panels, so the last three
    columns end in the first row, and those panels keep the years on their axis."""
    import matplotlib.pyplot as plt

    from analysis.figures.plots import critical_share_small_multiples

    codes = ["AA", "BB", "CC", "DD", "EE", "FF", "GG"]
    table = pd.DataFrame(
        {
            "partner_country": [c for c in codes for _ in (2023, 2024)],
            "year": [2023, 2024] * len(codes),
            "critical_share": [0.1 + 0.01 * i for i in range(2 * len(codes))],
        }
    )
    fig = critical_share_small_multiples(table, title="t", names={})
    fig.canvas.draw()
    shown = [
        ax.get_visible() and any(label.get_visible() for label in ax.get_xticklabels())
        for ax in fig.axes
    ]
    plt.close(fig)
    # panels 0-4 in row one, 5-6 in row two, 7-9 hidden
    assert shown == [False, False, True, True, True, True, True, False, False, False]
