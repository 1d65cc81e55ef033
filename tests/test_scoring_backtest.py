"""Back test: four hand-made countries through the scoring model, the classification and the
country cards, compared value by value with results worked out by hand below (never copied
from the code's own output)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from analysis.scoring.cards import country_cards
from analysis.scoring.model import (
    QUADRANT_KEYS,
    imputed_cells,
    measured_evidence,
    quadrant_cuts,
    score,
)
from analysis.scoring.uncertainty import assess

MODEL = {
    "normalisation": "minmax",
    "quadrants": {
        "min_coverage": 0.75,
        "opportunity_cut": {"quantile": 0.5},
        "threat_cut": {"quantile": 0.75},
        "names": {key: {"en": key} for key in QUADRANT_KEYS},
    },
    # No weight, indicator, normalisation or cut is varied: every draw is the published one.
    "uncertainty": {"draws": 8, "seed": 1, "normalisations": ["minmax"]},
    "sources": {"s": "Source"},
    "opportunity": {
        "copubs": {"label": "c", "source": "s", "unit": "count", "direction": "higher",
                   "transform": "log", "weight": 3},
        "growth": {"label": "g", "source": "s", "unit": "percent", "direction": "higher",
                   "weight": 1},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "unit": "index", "direction": "lower",
                    "weight": 2},
        "sanctions": {"label": "r", "source": "s", "unit": "flag", "direction": "higher",
                      "weight": 2},
    },
}  # fmt: skip
TABLE = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC", "DD"],
        "copubs": [999, 99, 9, 0],
        "copubs_year": [2024, 2024, 2024, 2024],
        "growth": [10.0, np.nan, 30.0, 20.0],  # BB not measured
        "freedom": [0.9, 0.8, 0.4, 0.1],
        "freedom_year": [2023, 2023, 2022, 2023],
        "sanctions": [0, 0, 0, 1],
    }
)

# copubs, log(1 + x): ln 1000, ln 100, ln 10, 0; min-max over 0 … ln 1000: 1, 2/3, 1/3, 0
#   (ln 100 / ln 1000 = 2 / 3 exactly).
# growth: BB takes the median of 10, 30, 20 = 20; min-max over 10 … 30: 0, 0.5, 1, 0.5.
# opportunity = (3 copubs + 1 growth) / 4:
#   AA (3 + 0) / 4 = 0.75; BB (2 + 0.5) / 4 = 0.625; CC (1 + 1) / 4 = 0.5; DD (0 + 0.5) / 4 = 0.125
# freedom points down: -0.9, -0.8, -0.4, -0.1; min-max over -0.9 … -0.1 (a range of 0.8):
#   0, 0.1 / 0.8 = 0.125, 0.5 / 0.8 = 0.625, 1.
# sanctions: 0, 0, 0, 1.
# threat = (2 freedom + 2 sanctions) / 4: AA 0; BB 0.0625; CC 0.3125; DD (2 + 2) / 4 = 1.
OPPORTUNITY = [0.75, 0.625, 0.5, 0.125]
THREAT = [0.0, 0.0625, 0.3125, 1.0]
# Coverage: BB has 3 of 4 indicators (0.75, placed at min_coverage 0.75), the others 4 of 4.
# Opportunity cut, the median of 0.125 0.5 0.625 0.75: (0.5 + 0.625) / 2 = 0.5625.
# Threat cut, quantile 0.75 of 0 0.0625 0.3125 1: position 0.75 × 3 = 2.25, so
#   0.3125 + 0.25 × (1 − 0.3125) = 0.484375.
# AA 0.75 ≥ 0.5625, 0 < 0.484: high opportunity, low threat; BB likewise (0.625, 0.0625);
# CC 0.5 < 0.5625, 0.3125 < 0.484: low, low; DD 0.125, 1 ≥ 0.484: low opportunity, high threat.
QUADRANTS = [
    "high_opportunity_low_threat",
    "high_opportunity_low_threat",
    "low_opportunity_low_threat",
    "low_opportunity_high_threat",
]
# Cards: weight shares copubs 3/4, growth 1/4, freedom 2/4, sanctions 2/4; contribution =
# share × normalised value. Rows: (iso2, indicator, raw, used, status, normalised, contribution)
CARDS = [
    ("AA", "copubs", 999, 999, "measured", 1.0, 0.75),
    ("AA", "growth", 10, 10, "measured", 0.0, 0.0),
    ("AA", "freedom", 0.9, 0.9, "measured", 0.0, 0.0),
    ("AA", "sanctions", 0, 0, "measured", 0.0, 0.0),
    ("BB", "copubs", 99, 99, "measured", 2 / 3, 0.5),  # 3/4 × 2/3
    ("BB", "growth", np.nan, 20, "imputed", 0.5, 0.125),  # 1/4 × 0.5
    ("BB", "freedom", 0.8, 0.8, "measured", 0.125, 0.0625),  # 1/2 × 0.125
    ("BB", "sanctions", 0, 0, "measured", 0.0, 0.0),
    ("CC", "copubs", 9, 9, "measured", 1 / 3, 0.25),  # 3/4 × 1/3
    ("CC", "growth", 30, 30, "measured", 1.0, 0.25),
    ("CC", "freedom", 0.4, 0.4, "measured", 0.625, 0.3125),
    ("CC", "sanctions", 0, 0, "measured", 0.0, 0.0),
    ("DD", "copubs", 0, 0, "measured", 0.0, 0.0),
    ("DD", "growth", 20, 20, "measured", 0.5, 0.125),
    ("DD", "freedom", 0.1, 0.1, "measured", 1.0, 0.5),
    ("DD", "sanctions", 1, 1, "measured", 1.0, 0.5),
]


def published(model: dict = MODEL) -> pd.DataFrame:
    scores = score(TABLE, model)
    return pd.concat([TABLE, scores, assess(TABLE, model).countries], axis=1)


def test_scores_and_quadrants_match_the_hand_computation() -> None:
    result = published()
    assert result["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
    assert result["threat"].tolist() == pytest.approx(THREAT)
    assert result["coverage"].tolist() == [1.0, 0.75, 1.0, 1.0]
    assert quadrant_cuts(result, MODEL) == pytest.approx(
        {"opportunity": 0.5625, "threat": 0.484375}
    )
    assert result["quadrant"].tolist() == QUADRANTS
    assert result["opportunity_rank"].tolist() == [1, 2, 3, 4]
    assert result["threat_rank"].tolist() == [4, 3, 2, 1]
    # Nothing varies, so every draw is the published classification and ranking.
    assert result["quadrant_share"].tolist() == [1.0] * 4 and result["stable"].all()
    assert result["opportunity_rank_low"].tolist() == result["opportunity_rank_high"].tolist()
    assert result["opportunity_rank_low"].tolist() == [1, 2, 3, 4]
    assert result["threat_rank_high"].tolist() == [4, 3, 2, 1]


def test_the_country_cards_match_the_hand_computation_value_by_value() -> None:
    cards = country_cards(TABLE, MODEL, published())
    assert len(cards) == len(CARDS)
    for row, expected in zip(cards.itertuples(index=False), CARDS, strict=True):
        iso2, indicator, raw, used, status, normalised, contribution = expected
        assert (row.iso2, row.indicator, row.status) == (iso2, indicator, status)
        assert row.raw_value == pytest.approx(raw, nan_ok=True)
        assert row.value_used == pytest.approx(used)
        assert row.normalised == pytest.approx(normalised)
        assert row.contribution == pytest.approx(contribution)
    # The year is shown where the data give one and the value was measured.
    years = cards.set_index(["iso2", "indicator"])["year"]
    assert years[("CC", "freedom")] == 2022 and years[("AA", "copubs")] == 2024
    assert pd.isna(years[("BB", "growth")]) and pd.isna(years[("AA", "sanctions")])
    # The contributions of a score add up to the score.
    sums = cards.groupby(["iso2", "dimension"])["contribution"].sum().unstack()
    assert sums["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
    assert sums["threat"].tolist() == pytest.approx(THREAT)


def test_the_imputed_cell_is_recorded() -> None:
    cells = imputed_cells(TABLE, MODEL)
    assert cells[["row", "indicator", "value_used", "median_of"]].values.tolist() == [
        [1, "growth", 20.0, 3]
    ]


def test_a_country_below_the_coverage_level_is_not_placed_and_leaves_the_cuts() -> None:
    model = copy.deepcopy(MODEL)
    model["quadrants"]["min_coverage"] = 0.8  # BB (3 of 4) is no longer placed
    result = published(model)
    # The cuts are taken over AA, CC and DD only. Opportunity: the median of 0.125, 0.5,
    # 0.75 is 0.5, so CC (0.5) is now high. Threat: quantile 0.75 of 0, 0.3125, 1 sits at
    # position 1.5: 0.3125 + 0.5 × 0.6875 = 0.65625.
    assert quadrant_cuts(result, model) == pytest.approx({"opportunity": 0.5, "threat": 0.65625})
    assert result["quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "not_placed",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]
    assert not result.loc[1, "stable"] and np.isnan(result.loc[1, "quadrant_share"])
    # Scores do not change: BB is still scored, with the median for its missing value.
    assert result["opportunity"].tolist() == pytest.approx(OPPORTUNITY)


def test_measured_evidence_only_matches_the_hand_computation() -> None:
    # Declare freedom a perception: the matrix on measured evidence only leaves it out.
    model = copy.deepcopy(MODEL)
    model["threat"]["freedom"]["source"] = "p"
    model["sources"]["p"] = "Perceptions"
    model["perception_sources"] = ["p"]
    evidence = measured_evidence(TABLE, model)
    # Opportunity keeps both its indicators: the published 0.75, 0.625, 0.5, 0.125.
    assert evidence["opportunity_measured_only"].tolist() == pytest.approx(OPPORTUNITY)
    # Threat is sanctions alone (weight 2 of 2): 0, 0, 0, 1.
    assert evidence["threat_measured_only"].tolist() == [0.0, 0.0, 0.0, 1.0]
    # Coverage: BB has copubs and sanctions of its 3 indicators (growth not measured):
    # 2 / 3 < 0.75, so BB is not placed; the others 3 of 3.
    assert evidence["coverage_measured_only"].tolist() == pytest.approx([1, 2 / 3, 1, 1])
    # Cuts over AA, CC, DD. Opportunity: the median of 0.75, 0.5, 0.125 is 0.5, so CC
    # (0.5) is high. Threat: quantile 0.75 of 0, 0, 1 at position 1.5: 0 + 0.5 × 1 = 0.5;
    # DD (1) is high, AA and CC (0) low.
    assert evidence["quadrant_measured_only"].tolist() == [
        "high_opportunity_low_threat",
        "not_placed",
        "high_opportunity_low_threat",
        "low_opportunity_high_threat",
    ]


def test_context_indicators_come_after_the_scored_ones_on_the_cards_without_weight() -> None:
    model = copy.deepcopy(MODEL)
    model["context"] = {"rule": {"label": "r", "source": "s", "unit": "estimate"}}
    table = TABLE.assign(rule=[1.5, np.nan, -0.25, -1.75], rule_year=[2023, None, 2022, 2023])
    cards = country_cards(table, model, published())
    context = cards[cards["dimension"] == "context"].set_index("iso2")
    assert context["order"].tolist() == [4, 4, 4, 4]  # after the four scored indicators
    assert context["raw_value"].tolist() == pytest.approx([1.5, np.nan, -0.25, -1.75], nan_ok=True)
    assert context["status"].tolist() == ["measured", "not_measured", "measured", "measured"]
    assert context["year"].tolist()[2] == 2022 and pd.isna(context["year"].tolist()[1])
    assert (context["weight"] == 0).all() and (context["contribution"] == 0).all()
    # The scored rows and their sums are those worked out above.
    scored = cards[cards["dimension"] != "context"]
    sums = scored.groupby(["iso2", "dimension"])["contribution"].sum().unstack()
    assert sums["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
