"""The statistical audit of the scoring model's indicators, part of step 25 (threats and
opportunities): the JRC's checks of a composite indicator, from the same evidence the scores
rest on, written as the ``scoring_audit_*`` tables (keys and numbers, no prose).

- ``scoring_audit_indicators``: per indicator, coverage against the declared rule, skewness and
  kurtosis of its measured values (after the declared transform), its nominal and effective
  weight, and its correlation with its own score and with the other;
- ``scoring_audit_countries``: per country, coverage against the rule;
- ``scoring_audit_correlations``: every pair of indicators, within and across the scores;
- ``scoring_audit_dimensions``: Cronbach's alpha of each score's indicators;
- ``scoring_audit_rank_shifts``: how far the ranks move under each alternative (geometric
  aggregation, each indicator left out, measured evidence only);
- ``scoring_audit_findings``: what the audit concludes, one row per finding.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
from pandera import Check, Column

from analysis.files.schemas import PUBLISHABLE, col, flag, iso2, share, table, text
from analysis.files.tables import write_table
from analysis.scoring import audit
from analysis.scoring.model import (
    CENSORED,
    DIMENSIONS,
    MEASURED,
    SCORES,
    scaled_bounds,
)
from analysis.scoring.uncertainty import (
    Assessment,
    central,
    leave_outs,
    ranks,
    run,
    without_indicators,
)

DEFAULTS = {"coverage_rule": 0.65, "skew_limit": 2.0, "kurtosis_limit": 3.5}
STEP = "threats_opportunities"  # the step that writes these tables


def _number(description: str) -> Column:
    return col(float, description, nullable=True)


_INDICATOR = "indicator of config/scoring.yaml"
_DIMENSION = "the score it belongs to: opportunity or threat"
_APPLICABLE = "countries the indicator applies to"
INDICATORS = table(
    "scoring_audit_indicators",
    "Per indicator: coverage against the declared rule, skewness and kurtosis of its measured "
    "values (after the declared transform), nominal and effective weight, correlations with "
    "its own and the other score.",
    PUBLISHABLE,
    {
        "indicator": text(_INDICATOR, unique=True),
        "dimension": text(_DIMENSION, Check.isin(list(DIMENSIONS))),
        "applicable": col(int, _APPLICABLE),
        "measured": col(int, "of them, countries with a measured value"),
        "coverage": share("measured / applicable"),
        "meets_rule": flag("coverage at least coverage_rule"),
        "n": col(int, "measured values the moments are computed on"),
        "skewness": _number("skewness of the transformed measured values"),
        "kurtosis": _number("excess kurtosis of the transformed measured values"),
        "flagged": flag("skewness or kurtosis beyond the declared limits"),
        "at_low_goalpost": col(int, "measured values held at the low goalpost (below it)"),
        "at_high_goalpost": col(int, "measured values held at the high goalpost (above it)"),
        "nominal": share("declared weight within its score"),
        "effective": _number("effective weight: squared correlation share with its score"),
        "correlation_own_score": _number("Pearson correlation with its own score"),
        "correlation_other_score": _number("Pearson correlation with the other score"),
    },
)
COUNTRIES = table(
    "scoring_audit_countries",
    "Per country: indicators applicable and measured, and coverage against the rule.",
    PUBLISHABLE,
    {
        "iso2": iso2(unique=True),
        "applicable": col(int, "indicators that apply to the country"),
        "measured": col(int, "of them, measured"),
        "coverage": share("measured / applicable"),
        "meets_rule": flag("coverage at least coverage_rule"),
    },
)
CORRELATIONS = table(
    "scoring_audit_correlations",
    "Every pair of indicators: their correlation over the countries measured on both.",
    PUBLISHABLE,
    {
        "indicator_a": text(f"first {_INDICATOR}"),
        "indicator_b": text(f"second {_INDICATOR}"),
        "dimension_a": text("score of indicator_a"),
        "dimension_b": text("score of indicator_b"),
        "same_dimension": flag("both in the same score"),
        "n": col(int, "countries measured on both"),
        "correlation": col(float, "Pearson correlation", Check.in_range(-1, 1), nullable=True),
    },
)
DIMENSIONS_SCHEMA = table(
    "scoring_audit_dimensions",
    "Per score: Cronbach's alpha of its indicators.",
    PUBLISHABLE,
    {
        "dimension": text("opportunity or threat", Check.isin(list(DIMENSIONS))),
        "indicators": col(int, "indicators in the score"),
        "n_complete": col(int, "countries measured on all of them"),
        "alpha": _number("Cronbach's alpha; blank if too few"),
    },
)
RANK_SHIFTS = table(
    "scoring_audit_rank_shifts",
    "How far countries' ranks move under each alternative (geometric aggregation, each "
    "indicator left out, measured evidence only).",
    PUBLISHABLE,
    {
        "score": text("opportunity or threat", Check.isin(list(SCORES))),
        "alternative": text("the alternative model"),
        "n": col(int, "countries ranked"),
        "median_absolute_shift": _number("median absolute change of rank"),
        "max_absolute_shift": _number("largest absolute change of rank"),
        "share_moving_more_than_3": share("countries moving more than 3 places"),
    },
)
FINDINGS = table(
    "scoring_audit_findings",
    "What the audit concludes, one row per finding (keys and numbers; the report words them).",
    PUBLISHABLE,
    {
        "key": text("the finding's key"),
        "kind": text("problem or confirmation", Check.isin(["problem", "confirmation"])),
        "values": text("the finding's numbers and keys, as JSON"),
    },
)


def audit_settings(model: dict) -> dict:
    return {**DEFAULTS, **(model.get("audit") or {})}


def frames(assessment: Assessment, index: pd.Index) -> dict[str, pd.DataFrame]:
    """The evidence as the audit reads it: ``available`` (measured or censored values),
    ``transformed`` (measured values after the declared transform), ``normalised`` (measured
    values on 0–1 between the goalposts) and ``applies``."""
    ev = assessment.inputs.ev
    low, high = scaled_bounds(ev)
    measured = ev.status == MEASURED
    available = measured | (ev.status == CENSORED)
    names = list(ev.names)
    return {
        "available": pd.DataFrame(np.where(available, 1.0, np.nan), index, names),
        "transformed": pd.DataFrame(np.where(measured, ev.low, np.nan), index, names),
        "normalised": pd.DataFrame(np.where(measured, (low + high) / 2, np.nan), index, names),
        "applies": pd.DataFrame(ev.applies, index, names),
    }


def alternative_ranks(assessment: Assessment, model: dict) -> dict[str, pd.DataFrame]:
    """Per score, the ranks under each alternative: geometric aggregation, and each
    leave-out scenario, at the published settings otherwise."""
    inputs = assessment.inputs
    base = central(inputs)
    ev = inputs.ev
    geometric = replace(base, geometric=~base.geometric)
    published = run(inputs, base)
    alternatives = run(inputs, geometric)
    scenarios = {
        name: (columns, run(inputs, without_indicators(base, columns)))
        for name, columns in leave_outs(inputs, model).items()
    }
    found = {}
    for dimension in SCORES:
        table = {
            "published": ranks(published.scores[dimension])[0],
            "geometric": ranks(alternatives.scores[dimension])[0],
        }
        for name, (columns, draws) in scenarios.items():
            # Only what can move this score: its own indicators, and the survey's together
            # where it has more than one of them (one alone is already its own row).
            own = [j for j in columns if ev.items[j].dimension == dimension]
            if own and (len(columns) == 1 or len(own) > 1):
                table[f"leave_out:{name}"] = ranks(draws.scores[dimension])[0]
        found[dimension] = pd.DataFrame(table, index=list(inputs.keys))
    return found


def _plain(value):
    """A finding's value as standard JSON: NaN (a statistic that could not be computed) as
    null, numpy numbers as Python ones."""
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def audit_tables(assessment: Assessment, model: dict, scores: pd.DataFrame) -> dict:
    """Every audit table, and the correlation matrix the heatmap draws."""
    config = audit_settings(model)
    ev = assessment.inputs.ev
    index = pd.Index(assessment.inputs.keys, name=None)
    data = frames(assessment, index)
    dimension_of = {i.name: i.dimension for i in ev.items}
    weights = {i.name: i.weight for i in ev.items}
    rule = float(config["coverage_rule"])
    coverage = audit.coverage_by_indicator(data["available"], data["applies"], rule)
    shape = audit.distribution_checks(
        data["transformed"], float(config["skew_limit"]), float(config["kurtosis_limit"])
    )
    # An indicator declared for some countries only makes a second composite; alpha and the
    # effective weights are taken on the composite every country shares (all countries), so
    # that they do not rest on the few countries the partial indicator applies to.
    shared = [i.name for i in ev.items if not i.applies_to]
    effective = audit.effective_weights_by_dimension(
        data["normalised"][shared],
        {n: weights[n] for n in shared},
        {n: dimension_of[n] for n in shared},
    )
    score_frame = pd.DataFrame(
        {d: scores[d].to_numpy() for d in DIMENSIONS if d in scores}, index=index
    )
    linked = audit.indicator_score_correlations(data["normalised"], score_frame, dimension_of)
    own = linked[linked["own_dimension"]].set_index("indicator")["correlation"]
    other = (
        linked[~linked["own_dimension"] & linked["score"].isin(SCORES)]
        .groupby("indicator")["correlation"]
        .first()
    )
    indicators = (
        coverage.merge(shape, on="indicator")
        .merge(effective[["indicator", "nominal", "effective"]], on="indicator", how="left")
        .assign(
            dimension=lambda f: f["indicator"].map(dimension_of),
            correlation_own_score=lambda f: f["indicator"].map(own),
            correlation_other_score=lambda f: f["indicator"].map(other),
        )
    )
    posts = ev.goalposts()
    transformed = data["transformed"]
    indicators["at_low_goalpost"] = indicators["indicator"].map(
        {n: int((transformed[n] <= posts[j, 0]).sum()) for j, n in enumerate(ev.names)}
    )
    indicators["at_high_goalpost"] = indicators["indicator"].map(
        {n: int((transformed[n] >= posts[j, 1]).sum()) for j, n in enumerate(ev.names)}
    )
    countries = audit.coverage_by_country(data["available"], data["applies"], rule)
    countries = countries.rename(columns={"country": "iso2"}).reset_index(drop=True)
    pairs = audit.correlations(data["normalised"], dimension_of)
    alpha = audit.alpha_by_dimension(
        data["normalised"][shared], {n: dimension_of[n] for n in shared}
    )
    shifts = pd.concat(
        [
            audit.rank_shifts(table["published"], table.drop(columns="published")).assign(
                score=dimension
            )
            for dimension, table in alternative_ranks(assessment, model).items()
        ],
        ignore_index=True,
    )
    found = audit.findings(
        coverage_of_indicators=coverage,
        coverage_of_countries=countries.rename(columns={"iso2": "country"}),
        distribution=shape,
        pairs=pairs,
        score_correlations=linked[linked["score"].isin(SCORES)],
        alpha=alpha,
        effective=effective,
        shifts=shifts,
    )
    findings = pd.DataFrame(
        [
            {"key": f["key"], "kind": f["kind"], "values": json.dumps(
                {k: _plain(v) for k, v in f.items() if k not in ("key", "kind")},
                sort_keys=True)}
            for f in found
        ],
        columns=["key", "kind", "values"],
    )  # fmt: skip
    return {
        "indicators": indicators,
        "countries": countries,
        "correlations": pairs,
        "dimensions": alpha,
        "rank_shifts": shifts,
        "findings": findings,
        "correlation_matrix": audit.correlation_matrix(data["normalised"]),
    }


def write_audit(
    processed_dir: str, assessment: Assessment, model: dict, scores: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Write every audit table (``scoring_audit_<name>``) and return them with the matrix."""
    tables = audit_tables(assessment, model, scores)
    return {
        "indicators": write_table(
            tables["indicators"],
            processed_dir,
            "scoring_audit_indicators",
            INDICATORS,
            csv_copy=True,
        ),
        "countries": write_table(
            tables["countries"],
            processed_dir,
            "scoring_audit_countries",
            COUNTRIES,
            csv_copy=True,
        ),
        "correlations": write_table(
            tables["correlations"],
            processed_dir,
            "scoring_audit_correlations",
            CORRELATIONS,
            csv_copy=True,
        ),
        "dimensions": write_table(
            tables["dimensions"],
            processed_dir,
            "scoring_audit_dimensions",
            DIMENSIONS_SCHEMA,
            csv_copy=True,
        ),
        "rank_shifts": write_table(
            tables["rank_shifts"],
            processed_dir,
            "scoring_audit_rank_shifts",
            RANK_SHIFTS,
            csv_copy=True,
        ),
        "findings": write_table(
            tables["findings"], processed_dir, "scoring_audit_findings", FINDINGS, csv_copy=True
        ),
        "correlation_matrix": tables["correlation_matrix"],
    }
