"""Properties of the scoring model and its joint uncertainty analysis, on generated tables of
3–8 countries with random values, some censored (``<name>_low``/``<name>_high`` with the value
missing) and some missing, under a small hand-built model (three indicators per score,
declared goalposts, Dirichlet weights, moving goalposts and levels, the arithmetic mean
published and the geometric one as a scenario beside it):

1. a country's scores and results (class, class shares, 5–95 % intervals, "depends on") do
   not change when another country is removed or added;
2. the published class is the modal class of the draws when at least ``stable_share`` of them
   support it, else "uncertain" (or "not_placed" below the minimum coverage), never a class
   with a smaller share than another;
3. a censored value never enters a score as a point: what the table does not publish cannot
   change anything, the score interval holds every point in the censored bounds, the central
   score lies in its interval, and every draw lies in the interval when nothing else is
   uncertain (and within what the goalposts can stretch it to when they move);
4. monotonicity: a higher threat signal never lowers the threat score, more academic freedom
   never raises it, under both aggregations and in every draw.
"""

from __future__ import annotations

import copy
import string
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.scoring.model import (
    CLASS_KEYS,
    DIMENSIONS,
    evidence,
    indicators,
    scale,
    score,
)
from analysis.scoring.uncertainty import assess, joint, prepare, run
from analysis.scoring.uncertainty import settings as uncertainty_settings


def posts(low: float, high: float) -> dict:
    return {"low": low, "high": high, "reason": "declared for the test"}


def item(direction: str, weight: float, low: float, high: float, **extra) -> dict:
    return {"label": "x", "source": "s", "direction": direction, "weight": weight,
            "goalposts": posts(low, high), **extra}  # fmt: skip


MODEL = {
    "aggregation": "arithmetic",
    "perception_sources": ["survey"],
    "sources": {"s": "Source", "survey": "Survey"},
    "classes": {
        "min_coverage": 0.6,
        "opportunity_level": {"level": 50, "spread": 5, "rationale": "half of the scale"},
        "threat_level": {"level": 30, "spread": 5, "rationale": "below the middle"},
    },
    "uncertainty": {
        "draws": 200,
        "seed": 11,
        "weight_concentration": 30,
        "aggregations": ["arithmetic", "geometric"],
        "goalpost_spread": 0.1,
        "stable_share": 0.8,
    },
    "opportunity": {
        "volume": item("higher", 0.5, 10, 1000, transform="log"),
        "growth": item("higher", 0.2, -20, 40, applies_to=["eligible"]),
        "named": item("higher", 0.3, 0, 0.2, source="survey"),
    },
    "threat": {
        "freedom": item("lower", 0.4, 0.2, 0.8),
        "sanctions": item("higher", 0.3, 0, 1),
        "concern": item("higher", 0.3, 0, 0.25, source="survey"),
    },
    "exposure": {"critical": item("higher", 1, 0.1, 0.4)},
}
NAMES = [i.name for i in indicators(MODEL)]
# The raw values drawn for each indicator: past both goalposts.
RANGES = {
    "volume": (0.0, 5000.0),
    "growth": (-50.0, 80.0),
    "named": (0.0, 0.3),
    "freedom": (0.0, 1.0),
    "sanctions": (0.0, 1.0),
    "concern": (0.0, 0.4),
    "critical": (0.0, 0.6),
}
# Nothing uncertain but the censored and unmeasured values.
QUIET = {
    "draws": 200,
    "seed": 11,
    "weight_concentration": 0,
    "aggregations": ["arithmetic"],
    "goalpost_spread": 0,
    "stable_share": 0.8,
}
RESULT_COLUMNS = [
    "quadrant",
    *[f"share_{key}" for key in CLASS_KEYS],
    "class_likeliest",
    "class_second",
    "quadrant_share",
    "class_second_share",
    "stable",
    *[f"{d}_{q}" for d in DIMENSIONS for q in ("p05", "p95")],
    "depends_on",
    "quadrant_geometric",  # the other declared aggregation, a scenario
]
PROPERTIES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def quiet_model(aggregation: str = "arithmetic") -> dict:
    """The model with nothing uncertain but the intervals (levels fixed too)."""
    model = copy.deepcopy(MODEL)
    model["aggregation"] = aggregation
    model["uncertainty"] = {**QUIET, "aggregations": [aggregation]}
    for name in ("opportunity_level", "threat_level"):
        model["classes"][name]["spread"] = 0
    return model


@st.composite
def cells(draw, name: str) -> dict:
    """One cell: measured, missing, or censored (value missing, bounds given; the lower bound
    sometimes absent, meaning 0, where the scale starts at 0)."""
    low, high = RANGES[name]
    value = st.floats(low, high, allow_nan=False)
    kind = draw(st.sampled_from(["measured", "measured", "measured", "missing", "censored"]))
    if kind == "measured":
        return {name: draw(value)}
    if kind == "missing":
        return {name: np.nan}
    ends = sorted([draw(value), draw(value)])
    bottom = np.nan if low >= 0 and draw(st.booleans()) else ends[0]
    return {name: np.nan, f"{name}_low": bottom, f"{name}_high": ends[1]}


@st.composite
def rows(draw, key: str) -> dict:
    row = {"iso2": key, "eligible": draw(st.booleans())}
    for name in NAMES:
        row.update(draw(cells(name)))
    return row


KEYS = st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2)


def table_of(found: list[dict]) -> pd.DataFrame:
    """Rows as a table with every value and bound column (missing where not given)."""
    columns = ["iso2", "eligible"] + [
        f"{name}{end}" for name in NAMES for end in ("", "_low", "_high")
    ]
    return pd.DataFrame(found).reindex(columns=columns).astype({"eligible": bool})


@st.composite
def tables(draw, min_size: int = 3, max_size: int = 8) -> pd.DataFrame:
    keys = draw(st.lists(KEYS, min_size=min_size, max_size=max_size, unique=True))
    return table_of([draw(rows(key)) for key in keys])


def replicates_for(keys) -> dict[str, pd.DataFrame]:
    """Five bootstrap samples of both survey shares for every key, fixed by the key."""
    found = {}
    for offset, name in enumerate(("named", "concern")):
        columns = {
            key: np.random.default_rng([offset, *map(ord, key)]).uniform(0, 0.3, 5) for key in keys
        }
        found[name] = pd.DataFrame(columns)
    return found


def by_key(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(table["iso2"].to_numpy())


# 1. Removing or adding a country changes no other country's result.


@PROPERTIES
@given(table=tables(), who=st.integers(0, 7))
def test_removing_or_adding_a_country_changes_no_other_country(table, who) -> None:
    """``table`` and ``table`` without one country (anywhere in it): read one way a country is
    removed, read the other way one is added (at any position). The others' scores and
    results are the same to the last bit."""
    replicates = replicates_for(table["iso2"])
    smaller = table.drop(index=who % len(table)).reset_index(drop=True)
    kept = list(smaller["iso2"])
    pd.testing.assert_frame_equal(
        by_key(score(table, MODEL), table).loc[kept],
        by_key(score(smaller, MODEL), smaller),
        check_exact=True,
    )
    larger = assess(table, MODEL, replicates).countries[RESULT_COLUMNS]
    fewer = assess(smaller, MODEL, replicates).countries[RESULT_COLUMNS]
    pd.testing.assert_frame_equal(
        by_key(larger, table).loc[kept], by_key(fewer, smaller), check_exact=True
    )


# 2. The published class is the modal class with at least stable_share of the draws.


def shares_of(classes: np.ndarray) -> np.ndarray:
    """countries × classes: the share of draws (rows of ``classes``) in each class."""
    return np.stack([(classes == c).mean(axis=0) for c in range(len(CLASS_KEYS))], axis=1)


def check_the_rule(published, shares: np.ndarray, placed: np.ndarray, stable: float) -> None:
    """Each country's published class against the shares of its draws."""
    for c, key in enumerate(published):
        if not placed[c]:
            assert key == "not_placed"
            continue
        top = shares[c].max()
        if key == "uncertain":
            assert top < stable
        else:
            assert key in CLASS_KEYS
            own = shares[c, CLASS_KEYS.index(key)]
            assert own == top  # never a class with a smaller share than another
            assert own >= stable - 1e-12


@PROPERTIES
@given(
    table=tables(),
    stable_share=st.floats(0.55, 1.0),
    min_coverage=st.sampled_from([0.0, 0.5, 0.6, 0.8, 1.0]),
)
def test_the_published_class_is_the_modal_class_when_it_is_stable_enough(
    table, stable_share, min_coverage
) -> None:
    model = copy.deepcopy(MODEL)
    model["uncertainty"]["stable_share"] = stable_share
    model["classes"]["min_coverage"] = min_coverage
    result = assess(table, model)
    countries = result.countries
    placed = score(table, model)["coverage"].to_numpy() >= min_coverage
    # The shares, counted again from the draws themselves, are the ones reported.
    counted = shares_of(result.joint_draws.classes)
    reported = countries[[f"share_{key}" for key in CLASS_KEYS]].to_numpy(float)
    assert np.array_equal(reported[placed], counted[placed])
    assert np.isnan(reported[~placed]).all()
    assert np.allclose(counted.sum(axis=1), 1)
    check_the_rule(countries["quadrant"], counted, placed, stable_share)
    settled = countries["quadrant"].isin(CLASS_KEYS).to_numpy()
    assert (countries["stable"].to_numpy() == settled).all()
    assert (countries["quadrant_share"].to_numpy()[placed] == counted[placed].max(axis=1)).all()
    # The geometric scenario: the same draws under the geometric mean, the same rule.
    inputs = result.inputs
    design = joint(inputs, uncertainty_settings(model))
    geometric = run(inputs, replace(design, geometric=np.ones(len(design), dtype=bool)))
    check_the_rule(countries["quadrant_geometric"], shares_of(geometric.classes), placed,
                   stable_share)  # fmt: skip


# 3. A censored value never enters a score as a point.


def truth_in_bounds(table: pd.DataFrame, data, include_missing: bool) -> pd.DataFrame:
    """The table with every censored (and, if asked, every missing) cell given a value in its
    interval: the censored bounds (0 when the lower one is absent), or anywhere for a missing
    value. A given value is a measured point (the bounds beside it are not read)."""
    filled = table.copy()
    for name in NAMES:
        for r in range(len(table)):
            if not np.isnan(table.at[r, name]):
                continue
            top = table.at[r, f"{name}_high"]
            if np.isfinite(top):
                bottom = table.at[r, f"{name}_low"]
                bottom = 0.0 if np.isnan(bottom) else bottom
                low, high = min(bottom, top), max(bottom, top)
            elif include_missing:
                low, high = RANGES[name]
            else:
                continue
            filled.at[r, name] = data.draw(st.floats(low, high, allow_nan=False))
    return filled


def publish(truth: pd.DataFrame) -> pd.DataFrame:
    """What the table publishes of ``truth``: a censored cell's value is withheld (missing)
    and its bounds are given."""
    published = truth.copy()
    for name in NAMES:
        published.loc[published[f"{name}_high"].notna(), name] = np.nan
    return published


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), data=st.data())
def test_what_the_table_does_not_publish_cannot_change_anything(table, data) -> None:
    # Two truths that differ only inside the censored bounds publish the same table, and so
    # give the same scores and the same results, to the last bit.
    first = publish(truth_in_bounds(table, data, False))
    second = publish(truth_in_bounds(table, data, False))
    pd.testing.assert_frame_equal(score(first, MODEL), score(second, MODEL), check_exact=True)
    pd.testing.assert_frame_equal(
        assess(first, MODEL).countries, assess(second, MODEL).countries, check_exact=True
    )


@PROPERTIES
@given(
    table=tables(),
    data=st.data(),
    aggregation=st.sampled_from(["arithmetic", "geometric"]),
    include_missing=st.booleans(),
)
def test_the_score_interval_holds_every_point_in_the_censored_bounds(
    table, data, aggregation, include_missing
) -> None:
    model = copy.deepcopy(MODEL) | {"aggregation": aggregation}
    intervals = score(table, model)
    pointed = score(truth_in_bounds(table, data, include_missing), model)
    for dimension in DIMENSIONS:
        low, high = intervals[f"{dimension}_min"], intervals[f"{dimension}_max"]
        assert (low <= intervals[dimension] + 1e-12).all()
        assert (intervals[dimension] <= high + 1e-12).all()
        assert (low - 1e-12 <= pointed[dimension]).all(), dimension
        assert (pointed[dimension] <= high + 1e-12).all(), dimension


@PROPERTIES
@given(table=tables(), aggregation=st.sampled_from(["arithmetic", "geometric"]))
def test_with_nothing_else_uncertain_every_draw_lies_in_the_score_interval(
    table, aggregation
) -> None:
    model = quiet_model(aggregation)
    intervals = score(table, model)
    draws = assess(table, model).joint_draws.scores
    for dimension in DIMENSIONS:
        low = intervals[f"{dimension}_min"].to_numpy()[None, :]
        high = intervals[f"{dimension}_max"].to_numpy()[None, :]
        assert (draws[dimension] >= low - 1e-12).all(), dimension
        assert (draws[dimension] <= high + 1e-12).all(), dimension


def stretched_bounds(table: pd.DataFrame, model: dict) -> dict[str, tuple[np.ndarray, ...]]:
    """Per score, the lowest and highest value any cell of a country can take on 0–1 when each
    goalpost moves by up to the declared spread (its interval's ends scaled between the most
    extreme goalposts), over the indicators that apply: no weighting and neither mean can take
    a score outside them (0 where no indicator applies)."""
    ev = evidence(table, model)
    spread = float(model["uncertainty"]["goalpost_spread"])
    lowest, highest = [], []
    for j, indicator in enumerate(ev.items):
        low, high = indicator.transformed_goalposts()
        distance = high - low
        options = []
        for end in (ev.low[:, j], ev.high[:, j]):
            for a in (low - spread * distance, low + spread * distance):
                for b in (high - spread * distance, high + spread * distance):
                    options.append(scale(end, a, b, indicator.direction))
        options = np.array(options)
        # Not measured (or not applying): no bounds, anywhere on the scale.
        unknown = ~np.isfinite(options).all(axis=0)
        options = np.where(unknown[None, :], 0.5, options)
        lowest.append(np.where(unknown, 0.0, options.min(axis=0)))
        highest.append(np.where(unknown, 1.0, options.max(axis=0)))
    lowest, highest = np.column_stack(lowest), np.column_stack(highest)
    found = {}
    for position, dimension in enumerate(DIMENSIONS):
        own = (ev.dimension == position)[None, :] & ev.applies
        any_own = own.any(axis=1)
        found[dimension] = (
            np.where(any_own, np.where(own, lowest, np.inf).min(axis=1), 0.0),
            np.where(any_own, np.where(own, highest, -np.inf).max(axis=1), 0.0),
        )
    return found


@PROPERTIES
@given(table=tables())
def test_every_draw_lies_within_what_the_declared_uncertainty_can_reach(table) -> None:
    intervals = score(table, MODEL)
    result = assess(table, MODEL)
    countries = result.countries
    for dimension, (low, high) in stretched_bounds(table, MODEL).items():
        draws = result.joint_draws.scores[dimension]
        assert (draws >= low[None, :] - 1e-12).all(), dimension
        assert (draws <= high[None, :] + 1e-12).all(), dimension
        assert (countries[f"{dimension}_p05"] <= countries[f"{dimension}_p95"]).all()
        # The published interval lies within the same reach.
        assert (low - 1e-12 <= intervals[f"{dimension}_min"]).all()
        assert (intervals[f"{dimension}_max"] <= high + 1e-12).all()


# 4. Monotonicity of the threat score.


@PROPERTIES
@given(
    table=tables(),
    who=st.integers(0, 7),
    name=st.sampled_from(["sanctions", "concern", "freedom"]),
    start=st.floats(0, 1),
    step=st.floats(0.001, 1),
    aggregation=st.sampled_from(["arithmetic", "geometric"]),
)
def test_a_stronger_threat_signal_never_lowers_the_threat_score(
    table, who, name, start, step, aggregation
) -> None:
    """Raising sanctions or concern (direction higher) never lowers the threat score; raising
    academic freedom (direction lower) never raises it: for the published score and its ends,
    under both aggregations, and in every draw of the joint analysis."""
    model = copy.deepcopy(MODEL) | {"aggregation": aggregation}
    who = who % len(table)
    low, high = RANGES[name]
    before, after = table.copy(), table.copy()
    for frame, value in ((before, start), (after, start + step)):
        frame.at[who, name] = low + value * (high - low)  # a measured value, raised
        frame.at[who, f"{name}_low"] = frame.at[who, f"{name}_high"] = np.nan
    sign = -1.0 if name == "freedom" else 1.0  # more freedom, less threat
    first, second = score(before, model), score(after, model)
    for column in ("threat", "threat_min", "threat_max"):
        assert sign * (second.at[who, column] - first.at[who, column]) >= -1e-12, column
    # The other scores do not move.
    for column in ("opportunity", "exposure"):
        assert second.at[who, column] == first.at[who, column]
    # In every draw (the same draws: the statuses are the same in both tables).
    config = uncertainty_settings(model)
    inputs_before, inputs_after = prepare(before, model), prepare(after, model)
    design = joint(inputs_before, config)
    threat_before = run(inputs_before, design).scores["threat"][:, who]
    threat_after = run(inputs_after, design).scores["threat"][:, who]
    assert (sign * (threat_after - threat_before) >= -1e-12).all()
