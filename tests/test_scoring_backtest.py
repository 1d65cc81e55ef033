"""Back test: hand-made countries through the scoring model, the joint uncertainty analysis and
the country cards, compared value by value with results worked out by hand below (never copied
from the code's own output).

First four countries on a small model (a measured country, one with a censored and an
unmeasured value, one an indicator does not apply to, one measured too little to be placed);
then three cases on the configured model (``config/scoring.yaml``): an ally with much
critical-technology cooperation and a clean context (not high threat; exposure shown beside),
a country whose only lifting opportunity evidence is censored (uncertain, not low; its card
says censored) and a country whose high threat rests on the survey's concern alone (its
"depends on" says so)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from analysis.scoring.cards import country_cards
from analysis.scoring.model import (
    indicators,
    load_scoring_model,
    measured_evidence,
    point_classes,
    score,
)
from analysis.scoring.uncertainty import assess
from tests.conftest import REPO_ROOT


def posts(low: float, high: float) -> dict:
    return {"low": low, "high": high, "reason": "declared for the test"}


MODEL = {
    "aggregation": "arithmetic",
    "classes": {
        "min_coverage": 0.75,
        "opportunity_level": {"level": 50, "rationale": "half of the scale"},
        "threat_level": {"level": 40, "rationale": "two fifths of the scale"},
    },
    # No weight, goalpost, aggregation or level is varied; only the censored and unmeasured
    # values move within their intervals.
    "uncertainty": {"draws": 200, "seed": 1, "aggregations": ["arithmetic"]},
    "perception_sources": ["survey"],
    "sources": {"s": "Source", "survey": "Survey"},
    "opportunity": {
        "copubs": {"label": "c", "source": "s", "unit": "count", "direction": "higher",
                   "transform": "log", "weight": 3, "goalposts": posts(9, 999)},
        "growth": {"label": "g", "source": "s", "unit": "percent", "direction": "higher",
                   "weight": 1, "goalposts": posts(-20, 20), "applies_to": ["eligible"]},
    },
    "threat": {
        "freedom": {"label": "f", "source": "s", "unit": "index", "direction": "lower",
                    "weight": 2, "goalposts": posts(0, 1)},
        "concern": {"label": "r", "source": "survey", "unit": "share", "direction": "higher",
                    "weight": 2, "goalposts": posts(0, 0.2)},
    },
}  # fmt: skip
TABLE = pd.DataFrame(
    {
        "iso2": ["AA", "BB", "CC", "DD"],
        "copubs": [999.0, 999.0, 9.0, 0.0],
        "copubs_year": [2024, 2024, 2024, 2024],
        "growth": [10.0, np.nan, 5.0, 20.0],  # BB not measured; CC not eligible
        "eligible": [True, True, False, True],
        "freedom": [0.9, 0.8, 0.3, np.nan],  # DD not measured
        "freedom_year": [2023, 2023, 2022, 2023],
        "concern": [0.0, np.nan, 0.2, np.nan],  # BB censored, DD not measured
        "concern_low": [np.nan, 0.0, np.nan, np.nan],
        "concern_high": [np.nan, 0.04, np.nan, np.nan],
    }
)
# copubs, log(1 + x) between ln 10 and ln 1000 = 3 ln 10: AA, BB ln 1000: 1; CC ln 10: 0;
#   DD ln 1 = 0, below the low goalpost: 0.
# growth on −20 … 20: AA (10 + 20) / 40 = 0.75; BB not measured: 0 … 1, centre 0.5;
#   CC does not apply (its 5 is not used); DD 1.
# freedom pointed down on 0 … 1: AA 0.1, BB 0.2, CC 0.7; DD not measured: 0 … 1.
# concern on 0 … 0.2: AA 0; BB censored 0 … 0.04: 0 … 0.2, centre 0.1; CC 1; DD 0 … 1.
# opportunity = (3 copubs + 1 growth) / 4, CC copubs alone:
#   AA (3 + 0.75) / 4 = 0.9375; BB (3 + 0 … 1) / 4 = 0.75 … 1, centre 0.875; CC 0;
#   DD (0 + 1) / 4 = 0.25.
# threat = (2 freedom + 2 concern) / 4: AA (0.2 + 0) / 4 = 0.05;
#   BB (0.4 + 0 … 0.4) / 4 = 0.1 … 0.2, centre 0.15; CC (1.4 + 2) / 4 = 0.85;
#   DD (0 … 2 + 0 … 2) / 4 = 0 … 1, centre 0.5.
OPPORTUNITY = [0.9375, 0.875, 0.0, 0.25]
OPPORTUNITY_MIN = [0.9375, 0.75, 0.0, 0.25]
OPPORTUNITY_MAX = [0.9375, 1.0, 0.0, 0.25]
THREAT = [0.05, 0.15, 0.85, 0.5]
THREAT_MIN = [0.05, 0.1, 0.85, 0.0]
THREAT_MAX = [0.05, 0.2, 0.85, 1.0]
# Coverage (measured or censored, of the indicators that apply): AA 4/4; BB 3/4 (growth
# not measured; the censored concern counts), placed at 0.75; CC 3/3; DD 2/4, not placed.
COVERAGE = [1.0, 0.75, 1.0, 0.5]
# Levels 0.5 and 0.4. AA high/low. BB's intervals never reach a level (opportunity ≥ 0.75,
# threat ≤ 0.2): high/low in every draw. CC 0 and 0.85: low/high. DD not placed.
CLASSES = [
    "high_opportunity_low_threat",
    "high_opportunity_low_threat",
    "low_opportunity_high_threat",
    "not_placed",
]
# Depends on (each of copubs, growth, freedom, concern left out, and the survey, i.e. concern):
# AA: without copubs opportunity is growth's 0.75, without freedom threat is concern's 0:
#   no change. BB: without copubs opportunity is the unmeasured growth alone, 0 … 1: high in
#   half of the draws, no longer settled; nothing else moves it. CC: without copubs no
#   opportunity indicator applies (0, low as before); threat without either 1 or 0.7. DD is
#   not placed.
DEPENDS_ON = ["", "copubs", "", ""]
# Cards: weight shares copubs 3/4, growth 1/4 (CC: copubs 3/3, growth 0), freedom 2/4,
# concern 2/4; contribution = share × the centre of the normalised interval.
# (iso2, indicator, status, raw, normalised low, normalised high, contribution)
CARDS = [
    ("AA", "copubs", "measured", 999, 1.0, 1.0, 0.75),
    ("AA", "growth", "measured", 10, 0.75, 0.75, 0.1875),
    ("AA", "freedom", "measured", 0.9, 0.1, 0.1, 0.05),
    ("AA", "concern", "measured", 0.0, 0.0, 0.0, 0.0),
    ("BB", "copubs", "measured", 999, 1.0, 1.0, 0.75),
    ("BB", "growth", "not_measured", np.nan, 0.0, 1.0, 0.125),  # 1/4 × 0.5
    ("BB", "freedom", "measured", 0.8, 0.2, 0.2, 0.1),
    ("BB", "concern", "censored", np.nan, 0.0, 0.2, 0.05),  # 1/2 × 0.1
    ("CC", "copubs", "measured", 9, 0.0, 0.0, 0.0),
    ("CC", "growth", "not_applicable", np.nan, np.nan, np.nan, 0.0),
    ("CC", "freedom", "measured", 0.3, 0.7, 0.7, 0.35),
    ("CC", "concern", "measured", 0.2, 1.0, 1.0, 0.5),
    ("DD", "copubs", "measured", 0, 0.0, 0.0, 0.0),
    ("DD", "growth", "measured", 20, 1.0, 1.0, 0.25),
    ("DD", "freedom", "not_measured", np.nan, 0.0, 1.0, 0.25),  # 1/2 × 0.5
    ("DD", "concern", "not_measured", np.nan, 0.0, 1.0, 0.25),
]


def published(table: pd.DataFrame = TABLE, model: dict = MODEL) -> pd.DataFrame:
    return pd.concat([score(table, model), assess(table, model).countries], axis=1)


def test_scores_intervals_and_classes_match_the_hand_computation() -> None:
    result = published()
    assert result["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
    assert result["opportunity_min"].tolist() == pytest.approx(OPPORTUNITY_MIN)
    assert result["opportunity_max"].tolist() == pytest.approx(OPPORTUNITY_MAX)
    assert result["threat"].tolist() == pytest.approx(THREAT)
    assert result["threat_min"].tolist() == pytest.approx(THREAT_MIN)
    assert result["threat_max"].tolist() == pytest.approx(THREAT_MAX)
    assert result["coverage"].tolist() == pytest.approx(COVERAGE)
    assert result["quadrant"].tolist() == CLASSES
    assert point_classes(result, MODEL).tolist() == CLASSES
    assert result["quadrant_share"].tolist()[:3] == [1.0, 1.0, 1.0]
    assert result["depends_on"].tolist() == DEPENDS_ON
    # The draws stay inside each score's interval (nothing else varies).
    for dimension in ("opportunity", "threat"):
        assert (result[f"{dimension}_p05"] >= result[f"{dimension}_min"] - 1e-12).all()
        assert (result[f"{dimension}_p95"] <= result[f"{dimension}_max"] + 1e-12).all()
    # AA, measured everywhere, is a point in every draw.
    assert result.loc[0, ["opportunity_p05", "opportunity_p95"]].tolist() == pytest.approx(
        [0.9375, 0.9375]
    )


def test_the_country_cards_match_the_hand_computation_value_by_value() -> None:
    cards = country_cards(TABLE, MODEL, published())
    assert len(cards) == len(CARDS)
    for row, expected in zip(cards.itertuples(index=False), CARDS, strict=True):
        iso2, indicator, status, raw, low, high, contribution = expected
        assert (row.iso2, row.indicator, row.status) == (iso2, indicator, status)
        assert row.raw_value == pytest.approx(raw, nan_ok=True)
        assert row.normalised_low == pytest.approx(low, nan_ok=True)
        assert row.normalised_high == pytest.approx(high, nan_ok=True)
        assert row.contribution == pytest.approx(contribution)
    by_cell = cards.set_index(["iso2", "indicator"])
    # The censored cell shows its bounds; other cells none.
    assert by_cell.loc[("BB", "concern"), ["value_low", "value_high"]].tolist() == [0.0, 0.04]
    assert by_cell[["value_low", "value_high"]].drop(("BB", "concern")).isna().all().all()
    # Weight shares: CC's copubs carries its whole opportunity score.
    assert by_cell.loc[("CC", "copubs"), "weight_share"] == 1.0
    assert by_cell.loc[("CC", "growth"), "weight_share"] == 0.0
    assert by_cell.loc[("AA", "copubs"), "weight_share"] == 0.75
    # The year is shown where the data give one and the value was measured.
    years = by_cell["year"]
    assert years[("CC", "freedom")] == 2022 and years[("AA", "copubs")] == 2024
    assert pd.isna(years[("DD", "freedom")]) and pd.isna(years[("AA", "concern")])
    # The contributions of a score add up to its published centre.
    sums = cards.groupby(["iso2", "dimension"])["contribution"].sum().unstack()
    assert sums["opportunity"].tolist() == pytest.approx(OPPORTUNITY)
    assert sums["threat"].tolist() == pytest.approx(THREAT)
    # Each row carries its country's class.
    assert cards.groupby("iso2")["quadrant"].first().tolist() == CLASSES


def test_a_censored_cell_with_only_its_upper_bound_has_a_card() -> None:
    table = TABLE.drop(columns="concern_low")
    # Scores as before: the lower bound defaults to 0.
    assert score(table, MODEL)["threat"].tolist() == pytest.approx(THREAT)
    cards = country_cards(table, MODEL, published(table)).set_index(["iso2", "indicator"])
    assert cards.loc[("BB", "concern"), ["value_low", "value_high"]].tolist() == [0.0, 0.04]


def test_a_country_below_the_coverage_level_is_scored_but_not_placed() -> None:
    model = copy.deepcopy(MODEL)
    model["classes"]["min_coverage"] = 0.8  # BB (3 of 4) is no longer placed
    result = published(model=model)
    assert result["quadrant"].tolist() == [
        "high_opportunity_low_threat",
        "not_placed",
        "low_opportunity_high_threat",
        "not_placed",
    ]
    assert not result.loc[1, "stable"] and np.isnan(result.loc[1, "quadrant_share"])
    # Scores do not change, and no other country's class does: nothing is relative.
    assert result["opportunity"].tolist() == pytest.approx(OPPORTUNITY)


def test_measured_evidence_only_matches_the_hand_computation() -> None:
    evidence = measured_evidence(TABLE, MODEL)
    # Without the survey's concern, threat is freedom alone: AA 0.1, BB 0.2, CC 0.7,
    # DD not measured (0 … 1, centre 0.5). Opportunity keeps both indicators.
    assert evidence["opportunity_measured_only"].tolist() == pytest.approx(OPPORTUNITY)
    assert evidence["threat_measured_only"].tolist() == pytest.approx([0.1, 0.2, 0.7, 0.5])
    # Coverage of the indicators left: AA 3/3; BB copubs and freedom of 3 (growth not
    # measured) = 2/3 < 0.75; CC 2/2 (growth does not apply); DD copubs and growth of 3.
    assert evidence["coverage_measured_only"].tolist() == pytest.approx([1, 2 / 3, 1, 2 / 3])
    assert evidence["quadrant_measured_only"].tolist() == [
        "high_opportunity_low_threat",
        "not_placed",
        "low_opportunity_high_threat",
        "not_placed",
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
    scored = cards[cards["dimension"] != "context"]
    sums = scored.groupby(["iso2", "dimension"])["contribution"].sum().unstack()
    assert sums["opportunity"].tolist() == pytest.approx(OPPORTUNITY)


# The configured model (config/scoring.yaml, version 3.0.0), as the report runs it.
CONFIGURED = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
FLAGS = ("eu_member", "eea_efta_member", "horizon_europe_associated")
# Values at the midpoint of a log scale: log(1 + x) halfway between log(1 + low) and
# log(1 + high), i.e. 1 + x = sqrt((1 + low)(1 + high)).
COPUBLICATIONS_MIDPOINT = math.sqrt(101 * 10001) - 1  # about 1004: 0.5
STUDENTS_MIDPOINT = math.sqrt(11 * 2001) - 1  # about 147.4: 0.5
# Opportunity at the top of every scale: 10 000 co-publications, growth 50 %, 50 EU projects
# per 1 000 (a member), 2 000 students, 15 % of respondents: 1 on each, opportunity 1.
TOP_OPPORTUNITY = {
    "copublications": 10000.0,
    "copublication_growth": 50.0,
    "eu_member": True,
    "eu_projects_per_1000": 50.0,
    "students": 2000.0,
    "survey_opportunity": 0.15,
}
# A clean context: academic freedom above 0.8 (0 threat), no EU measures, no confirmed
# screening match, named as a concern by no respondent.
CLEAN = {
    "academic_freedom": 0.95,
    "restrictive_measures": 0.0,
    "screening_confirmed": 0.0,
    "survey_concern": 0.0,
}


def configured_table(*rows: dict) -> pd.DataFrame:
    """Rows of the configured model's indicators: every indicator column present (missing
    where not given), the applies_to flags false unless given."""
    names = [item.name for item in indicators(CONFIGURED)]
    return pd.DataFrame(
        [{**dict.fromkeys(names, np.nan), **dict.fromkeys(FLAGS, False), **row} for row in rows]
    )


def test_an_ally_with_much_critical_cooperation_and_a_clean_context_is_not_high_threat() -> None:
    ally = {
        "iso2": "AL",
        **CLEAN,
        "copublications": 10000.0,  # 1
        "copublication_growth": 12.5,  # (12.5 + 25) / 75 = 0.5
        "eu_member": True,
        "eu_projects_per_1000": 50.0,  # 1
        "students": 2000.0,  # 1
        "survey_opportunity": 0.075,  # 0.075 / 0.15 = 0.5
        "critical_share": 0.45,  # above 0.4: 1
        "critical_copublications": 3000.0,  # above 2 000: 1
    }
    table = configured_table(ally)
    scores = score(table, CONFIGURED)
    # Opportunity 0.30 × 1 + 0.15 × 0.5 + 0.20 × 1 + 0.10 × 1 + 0.25 × 0.5 = 0.8.
    assert scores.loc[0, "opportunity"] == pytest.approx(0.8)
    # Threat: freedom 0.95 is past 0.8 (0 threat), and every other threat indicator is 0.
    assert scores.loc[0, "threat"] == pytest.approx(0.0)
    # Exposure (shown beside the class, never counted as threat): 1 on both indicators.
    assert scores.loc[0, "exposure"] == pytest.approx(1.0)
    countries = assess(table, CONFIGURED).countries
    assert countries.loc[0, "quadrant"].endswith("low_threat")
    assert countries.loc[0, "quadrant"] == "high_opportunity_low_threat"
    assert countries.loc[0, "share_high_opportunity_high_threat"] == 0
    assert countries.loc[0, "share_low_opportunity_high_threat"] == 0
    # Exposure stays high in the draws too (≥ 0.9); threat stays far below the lowest level
    # the draws use (30 − 5 = 25 on 0–100).
    assert countries.loc[0, "exposure_p05"] >= 0.9
    assert countries.loc[0, "threat_p95"] < 0.25
    # Without the critical cooperation the threat is the same 0: exposure is not threat.
    quiet = configured_table({**ally, "critical_share": 0.0, "critical_copublications": 0.0})
    assert score(quiet, CONFIGURED).loc[0, "threat"] == scores.loc[0, "threat"]


def test_a_country_lifted_only_by_a_censored_share_is_uncertain_not_low() -> None:
    country = {
        "iso2": "CE",
        **CLEAN,
        "academic_freedom": 0.9,
        "copublications": COPUBLICATIONS_MIDPOINT,  # 0.5
        "copublication_growth": 12.5,  # 0.5
        # Not a member or associated: eu_projects_per_1000 does not apply, its weight shared.
        "students": STUDENTS_MIDPOINT,  # 0.5
        # Withheld: named by fewer than the smallest cell, i.e. 0 … 15 % of respondents.
        "survey_opportunity": np.nan,
        "survey_opportunity_low": 0.0,
        "survey_opportunity_high": 0.15,
        "critical_share": 0.2,
        "critical_copublications": 100.0,
    }
    table = configured_table(country)
    scores = score(table, CONFIGURED)
    # Opportunity over the weights that apply, 0.30 + 0.15 + 0.10 + 0.25 = 0.80:
    # (0.30 × 0.5 + 0.15 × 0.5 + 0.10 × 0.5 + 0.25 × (0 … 1)) / 0.80
    #   = (0.275 + 0 … 0.25) / 0.80 = 0.34375 … 0.65625, centre 0.5.
    # The interval straddles the level (0.5): the censored share decides the class.
    assert scores.loc[0, "opportunity_min"] == pytest.approx(0.34375)
    assert scores.loc[0, "opportunity_max"] == pytest.approx(0.65625)
    assert scores.loc[0, "opportunity"] == pytest.approx(0.5)
    assert scores.loc[0, "coverage"] == 1.0  # the censored share is evidence
    # Read as a zero it would be low: 0.275 / 0.80 = 0.34375 < 0.5.
    as_zero = configured_table({**country, "survey_opportunity": 0.0})
    assert point_classes(score(as_zero, CONFIGURED), CONFIGURED)[0] == (
        "low_opportunity_low_threat"
    )
    # In the draws the share lies anywhere in its interval: high in about half of them,
    # low in the other half, so neither reaches 0.8 of the draws. Threat stays low
    # (freedom 0.9 is past 0.8; no other signal).
    result = pd.concat([scores, assess(table, CONFIGURED).countries], axis=1)
    assert result.loc[0, "quadrant"] == "uncertain"
    assert {result.loc[0, "class_likeliest"], result.loc[0, "class_second"]} == {
        "high_opportunity_low_threat",
        "low_opportunity_low_threat",
    }
    assert 0.3 < result.loc[0, "share_high_opportunity_low_threat"] < 0.7
    # The card says the share is censored, with its bounds and the whole scale.
    cards = country_cards(table, CONFIGURED, result).set_index("indicator")
    card = cards.loc["survey_opportunity"]
    assert card["status"] == "censored"
    assert (card["value_low"], card["value_high"]) == (0.0, 0.15)
    assert (card["normalised_low"], card["normalised_high"]) == (0.0, 1.0)
    assert pd.isna(card["raw_value"])
    assert cards.loc["eu_projects_per_1000", "status"] == "not_applicable"


def test_a_high_threat_that_rests_on_the_survey_s_concern_depends_on_it() -> None:
    country = {
        "iso2": "TH",
        **TOP_OPPORTUNITY,
        "academic_freedom": 0.56,  # (0.8 − 0.56) / 0.6 = 0.4
        "restrictive_measures": 0.0,
        "screening_confirmed": 1.0,  # log 2 / log 6 = 0.386853
        "survey_concern": 0.25,  # a quarter of respondents: 1
        "critical_share": 0.25,
    }
    table = configured_table(country)
    scores = score(table, CONFIGURED)
    one_match = math.log(2) / math.log(6)
    # Threat over 0.85: (0.30 × 0.4 + 0.25 × 0 + 0.10 × 0.386853 + 0.20 × 1) / 0.85
    #   = 0.358685 / 0.85 = 0.421983: above the level (0.30) and its whole spread (0.35).
    assert scores.loc[0, "threat"] == pytest.approx((0.12 + 0.1 * one_match + 0.2) / 0.85)
    # Without survey_concern: (0.12 + 0.038685) / 0.65 = 0.244131, below even 0.25.
    # Without academic freedom (0.038685 + 0.2) / 0.55 = 0.434; without the measures
    # 0.358685 / 0.60 = 0.598; without the screening (0.12 + 0.2) / 0.75 = 0.427: all high.
    # Opportunity is 1 whichever indicator is left out.
    evidence = measured_evidence(table, CONFIGURED)
    assert evidence.loc[0, "threat_measured_only"] == pytest.approx((0.12 + 0.1 * one_match) / 0.65)
    countries = assess(table, CONFIGURED).countries
    assert countries.loc[0, "quadrant"] == "high_opportunity_high_threat"
    # The class rests on survey_concern: on its own, and as part of the survey as a whole.
    assert countries.loc[0, "depends_on"] == "survey_concern survey"
