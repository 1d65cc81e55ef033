"""Statistical audit of the threat and opportunity scores, the checks of the JRC's audits of
composite indicators as COINr implements them: coverage, skewness and kurtosis, correlations
within and across the dimensions, Cronbach's alpha, effective weights and rank shifts; and
``findings``, the problems and confirmations as keys with numbers, never prose. Each function
takes frames of countries × indicators (NaN = missing) and reads no model: the caller decides
which values are audited (each docstring says which suit)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

COVERAGE_RULE = 0.65  # COINr get_stats(t_avail = 0.65): the share of countries to be measured
MIN_VALUES_FOR_SHAPE = 4  # the sample kurtosis divides by (n − 2)(n − 3)
MIN_PAIRS = 3  # two countries always lie on a line: a correlation needs three
RANK_SHIFT_PLACES = 3  # the shift reported as a share: moving more than three places
OVERALL = "overall"

SHAPE_COLUMNS = ["indicator", "n", "skewness", "kurtosis"]
PAIR_COLUMNS = ["indicator_a", "indicator_b", "dimension_a", "dimension_b", "same_dimension"]
PAIR_COLUMNS += ["n", "correlation"]
SCORE_COLUMNS = ["indicator", "dimension", "score", "own_dimension", "n", "correlation"]
ALPHA_COLUMNS = ["dimension", "indicators", "n_complete", "alpha"]
WEIGHT_COLUMNS = ["indicator", "nominal", "effective", "correlation_with_score", "n"]
SHIFTS = ["median_absolute_shift", "max_absolute_shift"]
SHIFTS += [f"share_moving_more_than_{RANK_SHIFT_PLACES}"]
SHIFT_COLUMNS = ["alternative", "n", *SHIFTS]


def _aligned(applies: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """``applies`` as booleans on ``values``' labels; others are an error, not "applies nowhere"."""
    if set(applies.index) != set(values.index) or set(applies.columns) != set(values.columns):
        raise ValueError("applies must have the same countries and indicators as the values")
    return applies.reindex(index=values.index, columns=values.columns).fillna(False).astype(bool)


def _coverage(measured: pd.DataFrame, applies: pd.DataFrame, rule: float, axis: int):
    applies = _aligned(applies, measured)
    applicable = applies.sum(axis=axis)
    counted = (measured.notna() & applies).sum(axis=axis)
    coverage = (counted / applicable.where(applicable > 0)).astype(float)
    meets_rule = (coverage >= rule).astype(bool)  # NaN (applies nowhere) fails
    table = pd.DataFrame({"applicable": applicable, "measured": counted}).astype(int)
    return table.assign(coverage=coverage, meets_rule=meets_rule)


def coverage_by_indicator(
    measured: pd.DataFrame, applies: pd.DataFrame, rule: float = COVERAGE_RULE
) -> pd.DataFrame:
    """Per indicator: the countries it applies to (``applicable``), those measured among them,
    their share (``coverage``) and whether it reaches ``rule`` (at least, as COINr's
    ``Flag.Avail``). A cell where the indicator does not apply counts neither way, so an EU
    programme indicator is judged on the associated countries only."""
    table = _coverage(measured, applies, rule, axis=0)
    return table.rename_axis("indicator").reset_index()


def coverage_by_country(
    measured: pd.DataFrame, applies: pd.DataFrame, rule: float = COVERAGE_RULE
) -> pd.DataFrame:
    """Per country, as ``coverage_by_indicator``: indexed as ``measured`` and with the index
    also in the column ``country`` (the index loses its name so the two never clash). COINr
    screens units at 2/3 by default; the model's ``quadrants.min_coverage`` is the rule that
    matters for placing a country."""
    table = _coverage(measured, applies, rule, axis=1)
    table.insert(0, "country", table.index.to_numpy())
    return table.rename_axis(None)


def _shape(name: str, values: pd.Series) -> tuple[str, int, float, float]:
    measured = values.dropna().to_numpy(dtype=float)
    if len(measured) < MIN_VALUES_FOR_SHAPE or np.ptp(measured) == 0:
        return name, len(measured), math.nan, math.nan
    skewness = float(stats.skew(measured, bias=False))
    return name, len(measured), skewness, float(stats.kurtosis(measured, bias=False))


def distribution_checks(
    values: pd.DataFrame, skew_limit: float = 2.0, kurtosis_limit: float = 3.5
) -> pd.DataFrame:
    """Per indicator, on its measured values only: ``n``, ``skewness``, ``kurtosis`` and
    ``flagged`` when |skewness| > ``skew_limit`` and kurtosis > ``kurtosis_limit``.

    The estimators and limits are COINr's (``skew``/``kurt``, ``check_SkewKurt``, defaults 2
    and 3.5): e1071 type 2, as Excel's SKEW and KURT, that is the adjusted Fisher–Pearson
    skewness G1 (``scipy.stats.skew(bias=False)``) and the bias-corrected *excess* kurtosis G2
    (``scipy.stats.kurtosis(fisher=True, bias=False)``; 0 for a normal sample). Fewer than four
    values or no variation give NaN and no flag. Audit the values the normalisation sees (after
    the declared transform, before imputation): that is where an outlier stretches the scale.
    """
    table = pd.DataFrame([_shape(n, values[n]) for n in values.columns], columns=SHAPE_COLUMNS)
    # a NaN compares False: too few values or none varying are never flagged
    flagged = (table["skewness"].abs() > skew_limit) & (table["kurtosis"] > kurtosis_limit)
    return table.assign(flagged=flagged.astype(bool))


def correlation_matrix(
    values: pd.DataFrame, method: str = "pearson", min_pairs: int = MIN_PAIRS
) -> pd.DataFrame:
    """The square correlation matrix over pairwise complete countries (COINr's
    ``use = "pairwise.complete.obs"``); NaN for a pair measured together in fewer than
    ``min_pairs`` countries or an indicator without variation."""
    return values.corr(method=method, min_periods=min_pairs)


def _dimensions(names, dimension_of: dict[str, str]) -> None:
    missing = [name for name in names if name not in dimension_of]
    if missing:
        raise ValueError(f"no dimension given for {missing}")


def correlations(
    values: pd.DataFrame,
    dimension_of: dict[str, str],
    method: str = "pearson",
    min_pairs: int = MIN_PAIRS,
) -> pd.DataFrame:
    """Every pair of indicators once (in column order), long: ``indicator_a``, ``indicator_b``,
    their dimensions, ``same_dimension``, ``n`` (countries measured on both) and
    ``correlation`` over those countries. Audit the normalised values pointed as the scores use
    them (1 = more of the dimension), so a negative correlation within a dimension means two
    indicators pull its score apart."""
    _dimensions(values.columns, dimension_of)
    matrix = correlation_matrix(values, method, min_pairs)
    present = values.notna().astype(int)
    together = present.T @ present
    names = list(values.columns)
    rows = [
        (a, b, dimension_of[a], dimension_of[b], dimension_of[a] == dimension_of[b])
        + (int(together.at[a, b]), float(matrix.at[a, b]))
        for position, a in enumerate(names)
        for b in names[position + 1 :]
    ]
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def indicator_score_correlations(
    values: pd.DataFrame,
    scores: pd.DataFrame,
    dimension_of: dict[str, str],
    method: str = "pearson",
    min_pairs: int = MIN_PAIRS,
) -> pd.DataFrame:
    """Each indicator against each score (``scores``: one column per dimension, rows as
    ``values``): ``indicator``, ``dimension``, ``score``, ``own_dimension``, ``n`` and
    ``correlation``. An indicator is part of its own score, which lifts that correlation the
    more, the larger its weight; one that correlates more with the other score measures that
    dimension at least as much as its own."""
    _dimensions(values.columns, dimension_of)
    scores = scores.reindex(values.index)
    rows = []
    for name in values.columns:
        for score in scores.columns:
            n = int((values[name].notna() & scores[score].notna()).sum())
            r = values[name].corr(scores[score], method=method, min_periods=min_pairs)
            dimension = dimension_of[name]
            rows.append((name, dimension, score, dimension == score, n, float(r)))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def cronbach_alpha(values: pd.DataFrame) -> tuple[float, int]:
    """Cronbach's alpha of the columns and the number of countries it rests on:
    k/(k − 1) · (1 − Σ var(x_i) / var(Σ x_i)) with sample variances (ddof = 1), over the
    countries complete on every column. COINr's ``get_cronbach`` takes pairwise covariances by
    default; on complete rows the two agree. NaN with fewer than two columns, three complete
    countries, or no variation in the sum."""
    complete = values.dropna()
    k, n = complete.shape[1], len(complete)
    if k < 2 or n < 3:
        return math.nan, n
    total_variance = complete.sum(axis=1).var(ddof=1)
    if not total_variance > 0:
        return math.nan, n
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_variance)), n


def _members(values: pd.DataFrame, dimension_of: dict[str, str]) -> dict[str, list[str]]:
    """The columns of ``values`` by dimension, in the order of ``dimension_of``."""
    _dimensions(values.columns, dimension_of)
    groups: dict[str, list[str]] = {}
    for name, dimension in dimension_of.items():
        if name in values.columns:
            groups.setdefault(dimension, []).append(name)
    return groups


def alpha_by_dimension(values: pd.DataFrame, dimension_of: dict[str, str]) -> pd.DataFrame:
    """``cronbach_alpha`` of each dimension's indicators: ``dimension``, ``indicators`` (k),
    ``n_complete`` and ``alpha``. An indicator that applies to some countries only leaves the
    others out of ``n_complete``."""
    rows = [
        (dimension, len(names), *cronbach_alpha(values[names])[::-1])
        for dimension, names in _members(values, dimension_of).items()
    ]
    return pd.DataFrame(rows, columns=ALPHA_COLUMNS)


def effective_weights(values: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """How much of a score's spread each indicator carries, against its nominal weight.

    With S = Σ w_i x_i / Σ w over the countries complete on all ``weights``' indicators:
    ``nominal`` = w_i / Σ w; ``effective`` = nominal_i · cov(x_i, S) / var(S), its share of
    var(S) (the shares sum to 1 since Σ w_i cov(x_i, S) = Σ w · var(S));
    ``correlation_with_score`` = corr(x_i, S); ``n`` = complete countries. COINr's
    ``get_eff_weights`` gives what is here ``nominal`` (weights multiplied down the hierarchy);
    this is the variance share, since a weight is not an importance: an indicator with little
    spread, or one unrelated to the others, moves the score less than its weight says. A share
    can be negative: the indicator works against the rest of its dimension and raising its
    weight can lower its influence. NaN shares with under three complete countries or a constant
    score.
    """
    names = list(weights)
    raw = np.array([weights[name] for name in names], dtype=float)
    if not raw.sum() > 0:
        raise ValueError("weights must sum to more than 0")
    nominal = raw / raw.sum()
    complete = values[names].dropna().to_numpy(dtype=float)  # KeyError: a weight without values
    n = len(complete)
    effective = np.full(len(names), math.nan)
    correlation = np.full(len(names), math.nan)
    if n >= 3:
        centred = complete - complete.mean(axis=0)
        score = centred @ nominal
        score_variance = score @ score / (n - 1)
        if score_variance > 0:
            covariance = centred.T @ score / (n - 1)
            effective = nominal * covariance / score_variance
            spread = centred.std(axis=0, ddof=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                correlation = np.where(
                    spread > 0, covariance / (spread * math.sqrt(score_variance)), math.nan
                )
    columns = [names, nominal, effective, correlation, [n] * len(names)]
    return pd.DataFrame(dict(zip(WEIGHT_COLUMNS, columns, strict=True)))


def effective_weights_by_dimension(
    values: pd.DataFrame, weights: dict[str, float], dimension_of: dict[str, str]
) -> pd.DataFrame:
    """``effective_weights`` of each dimension's indicators, with a ``dimension`` column first."""
    parts = []
    for dimension, names in _members(values, dimension_of).items():
        part = effective_weights(values, {name: weights[name] for name in names})
        parts.append(part.assign(dimension=dimension))
    table = pd.concat(parts, ignore_index=True)
    return table[["dimension", *table.columns.drop("dimension")]]


def _shift_summary(alternative: str, shifts: np.ndarray) -> tuple:
    shifts = shifts[~np.isnan(shifts)]
    if not len(shifts):
        return (alternative, 0, math.nan, math.nan, math.nan)
    moving = float((shifts > RANK_SHIFT_PLACES).mean())
    return (alternative, len(shifts), float(np.median(shifts)), float(shifts.max()), moving)


def rank_shifts(published: pd.Series, alternatives: pd.DataFrame) -> pd.DataFrame:
    """How far countries move from their ``published`` ranks under each alternative (columns of
    ``alternatives``, ranks on the same countries): ``n``, ``median_absolute_shift``,
    ``max_absolute_shift`` and ``share_moving_more_than_3``, as COINr's ``compare_coins``
    absolute rank differences; then an ``overall`` row over every alternative's shifts. A
    country unranked on either side is left out of that comparison."""
    if OVERALL in alternatives.columns:
        raise ValueError(f"an alternative cannot be called {OVERALL!r}")
    shifts = alternatives.reindex(published.index).sub(published, axis=0).abs().astype(float)
    rows = [_shift_summary(name, shifts[name].to_numpy()) for name in shifts.columns]
    rows.append(_shift_summary(OVERALL, shifts.to_numpy().ravel()))
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


PROBLEM, CONFIRMATION = "problem", "confirmation"


def _finding(key: str, kind: str, row: dict | None = None, *keys: str, **values) -> dict:
    """A finding: key, kind, the ``keys`` that ``row`` has and ``values``, as plain values."""
    values = {k: row[k] for k in keys if k in row} | values if row else values
    plain = {name: v.item() if isinstance(v, np.generic) else v for name, v in values.items()}
    return {"key": key, "kind": kind} | plain


def _coverage_findings(table: pd.DataFrame, unit: str) -> list[dict]:
    nowhere = table["applicable"] == 0
    below = table[~nowhere & ~table["meets_rule"]]
    found = [_finding("applies_nowhere", PROBLEM, None, **{unit: n}) for n in table[unit][nowhere]]
    for row in below.to_dict("records"):
        keys = (unit, "coverage", "measured", "applicable")
        found.append(_finding("coverage_below_rule", PROBLEM, row, *keys))
    if below.empty:
        count = int((~nowhere).sum())
        found.append(_finding("coverage_meets_rule", CONFIRMATION, unit=unit, count=count))
    return found


def _distribution_findings(table: pd.DataFrame) -> list[dict]:
    flagged = table[table["flagged"]]
    found = [_finding("skewed", PROBLEM, r, *SHAPE_COLUMNS) for r in flagged.to_dict("records")]
    if flagged.empty:
        count = int(table["skewness"].notna().sum())
        found.append(_finding("no_skewed_indicator", CONFIRMATION, count=count))
    return found


def _pair_findings(pairs: pd.DataFrame, negative_below: float, high_above: float) -> list[dict]:
    within = pairs[pairs["same_dimension"]].rename(columns={"dimension_a": "dimension"})
    keys = ("dimension", "indicator_a", "indicator_b", "correlation", "n")
    found = []
    for row in within.to_dict("records"):
        if row["correlation"] < negative_below:
            found.append(_finding("negative_correlation_within_dimension", PROBLEM, row, *keys))
        elif row["correlation"] > high_above:
            found.append(_finding("high_correlation_within_dimension", PROBLEM, row, *keys))
    negative = set(within.loc[within["correlation"] < negative_below, "dimension"])
    for dimension, part in within.groupby("dimension", sort=False):
        if dimension not in negative:
            key = "no_negative_correlation_within_dimension"
            found.append(_finding(key, CONFIRMATION, dimension=dimension, pairs=len(part)))
    return found


def _score_findings(table: pd.DataFrame, weak_below: float) -> list[dict]:
    others = table[~table["own_dimension"]].dropna(subset=["correlation"])
    closest = others.loc[others.groupby("indicator")["correlation"].idxmax()].set_index("indicator")
    found = []
    for row in table[table["own_dimension"]].to_dict("records"):
        if row["correlation"] < weak_below:
            keys = ("indicator", "dimension", "correlation", "n")
            found.append(_finding("weak_correlation_with_own_score", PROBLEM, row, *keys))
        other = closest.loc[row["indicator"]] if row["indicator"] in closest.index else None
        if other is not None and other["correlation"] > row["correlation"]:
            numbers = {"other_dimension": other["score"], "correlation_own": row["correlation"]}
            numbers["correlation_other"] = other["correlation"]
            key = "closer_to_other_dimension"
            found.append(_finding(key, PROBLEM, row, "indicator", "dimension", **numbers))
    return found


def _alpha_findings(alpha: pd.DataFrame, alpha_below: float) -> list[dict]:
    keys = ("dimension", "alpha", "n_complete")
    return [
        _finding("low_alpha", PROBLEM, row, *keys, caveat="formative_index")
        if row["alpha"] < alpha_below
        else _finding("alpha_adequate", CONFIRMATION, row, *keys)
        for row in alpha.dropna(subset=["alpha"]).to_dict("records")
    ]


def _weight_key(row: dict, negligible: float, dominant: float) -> str | None:
    if row["effective"] < 0:
        return "negative_effective_weight"
    if row["effective"] < row["nominal"] * negligible:
        return "negligible_effective_weight"
    if row["effective"] > row["nominal"] * dominant:
        return "dominant_effective_weight"
    return None


def _weight_findings(effective: pd.DataFrame, negligible: float, dominant: float) -> list[dict]:
    by_dimension = "dimension" in effective  # else one score's table: no dimension to name
    groups = effective.groupby("dimension", sort=False) if by_dimension else [(None, effective)]
    found = []
    for dimension, part in groups:
        rows = part.dropna(subset=["effective"]).to_dict("records")
        keys = [(row, _weight_key(row, negligible, dominant)) for row in rows]
        numbers = ("dimension", "indicator", "nominal", "effective")
        found += [_finding(key, PROBLEM, row, *numbers) for row, key in keys if key]
        if rows and not any(key for _, key in keys):
            where = {"dimension": dimension} if by_dimension else {}
            found.append(_finding("effective_weights_follow_nominal", CONFIRMATION, **where))
    return found


def _shift_findings(shifts: pd.DataFrame, share_above: float) -> list[dict]:
    found, keys = [], ("dimension", "score", *SHIFT_COLUMNS)  # the caller's label, if any
    for row in shifts.to_dict("records"):
        if row[SHIFTS[-1]] > share_above:
            found.append(_finding("rank_shift", PROBLEM, row, *keys))
        elif row["alternative"] == OVERALL and row["n"] > 0:
            found.append(_finding("ranks_stable", CONFIRMATION, row, *keys))
    return found


def findings(
    *,
    coverage_of_indicators: pd.DataFrame | None = None,
    coverage_of_countries: pd.DataFrame | None = None,
    distribution: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
    score_correlations: pd.DataFrame | None = None,
    alpha: pd.DataFrame | None = None,
    effective: pd.DataFrame | None = None,
    shifts: pd.DataFrame | None = None,
    negative_correlation_below: float = -0.4,
    high_correlation_above: float = 0.9,
    weak_score_correlation_below: float = 0.3,
    negligible_fraction: float = 1 / 3,
    dominant_factor: float = 2.0,
    alpha_below: float = 0.7,
    rank_shift_share_above: float = 0.2,
) -> list[dict]:
    """The audit's problems and confirmations, each ``{"key", "kind", ...numbers}`` with
    ``kind`` "problem" or "confirmation", from the tables of this module (each optional):
    ``coverage_by_indicator``/``_by_country``, ``distribution_checks``, ``correlations``
    (``pairs``), ``indicator_score_correlations``, ``alpha_by_dimension``,
    ``effective_weights_by_dimension`` and ``rank_shifts`` (a ``dimension`` or ``score`` column
    added by the caller is carried into its findings). Coverage and skewness use the tables'
    flags.

    Thresholds, and why these defaults:

    - ``negative_correlation_below`` −0.4: the within-group limit of COINr-based indicator
      analysis (``neg_corr_thresh``); with 30–50 countries a weaker negative correlation is
      hard to tell from none (at n = 40, |r| < 0.31 is within the 5 % noise band).
    - ``high_correlation_above`` 0.9: COINr's ``get_corr_flags`` default: counted twice.
    - ``weak_score_correlation_below`` 0.3: the usual reading of a weak link to the aggregate
      in composite-indicator audits, and about the 5 % noise band at n = 40; ``closer_to_other
      _dimension`` needs no threshold (the other score correlates more than the own one).
    - ``negligible_fraction`` 1/3: an indicator carrying under a third of its nominal share of
      the score's variance hardly moves the score, its weight is mostly nominal; a negative
      share is reported as ``negative_effective_weight`` (it works against its dimension).
    - ``dominant_factor`` 2: at twice its nominal share, the rest of the dimension carries
      clearly less than its weights declare (a symmetric 3 is hardly reachable: shares sum to 1).
    - ``alpha_below`` 0.7: Nunnally's conventional threshold. ``low_alpha`` carries
      ``caveat: formative_index``: in a formative score the indicators need not measure one
      latent trait, so a low alpha is not by itself a defect (the correlations show where).
    - ``rank_shift_share_above`` 0.2: when more than a fifth of the countries move more than
      three places, the published order does not hold for a notable group (a declared choice,
      not a JRC constant); the ``overall`` row below it is confirmed as ``ranks_stable``.
    """
    checks = [
        (coverage_of_indicators, lambda t: _coverage_findings(t, "indicator")),
        (coverage_of_countries, lambda t: _coverage_findings(t, "country")),
        (distribution, _distribution_findings),
        (pairs, lambda t: _pair_findings(t, negative_correlation_below, high_correlation_above)),
        (score_correlations, lambda t: _score_findings(t, weak_score_correlation_below)),
        (alpha, lambda t: _alpha_findings(t, alpha_below)),
        (effective, lambda t: _weight_findings(t, negligible_fraction, dominant_factor)),
        (shifts, lambda t: _shift_findings(t, rank_shift_share_above)),
    ]
    return [found for table, check in checks if table is not None for found in check(table)]
