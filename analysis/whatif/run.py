"""The what-if itself: the country assessment under other weights or another ``min_cell``, in memory.

For an analyst in a notebook. ``whatif`` scores every country of the built tables
(``data/processed/``) through the step's own code (``assess_countries``: the same indicator
table, scores, joint uncertainty draws and classes as step 25), with the weights and the
small-cell threshold given, and returns scores, classes and how firmly each class holds (the
share of draws in each class). ``plot_matrix`` draws the result as the report's matrix;
``country_card`` shows one country's card. Nothing is written to disk.

A ``min_cell`` below the release's reads survey shares the release withholds: such a result
is marked internal (``attrs["internal"]``) and the publisher refuses to show or save it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.disclosure.internal import mark_internal
from analysis.disclosure.rules import release_min_cell
from analysis.figures.assessment import (
    class_labels,
    drawn_matrix,
    levels_drawn,
    matrix_hover,
    matrix_keys,
)
from analysis.figures.matrix import matrix
from analysis.figures.style import apply_style
from analysis.files.paths import resolve
from analysis.files.tables import read_table
from analysis.i18n import check_language, pick, share, t
from analysis.reference.countries import CountryResolver
from analysis.scoring.cards import country_cards
from analysis.scoring.levels import SCALE
from analysis.scoring.model import CLASS_KEYS, UNCERTAIN, indicators, load_scoring_model
from analysis.scoring.uncertainty import Assessment
from analysis.steps.threats_opportunities import SCORES_SCHEMA, SURVEY_ITEMS, assess_countries
from analysis.survey.analyse import country_mentions


@dataclass
class WhatIf:
    """The assessment under a what-if: every country's row of ``country_scores`` (scores on
    0–1, class, ``share_<class>`` of the draws, ``stable``), its cards and what it was run
    with."""

    scores: pd.DataFrame
    cards: pd.DataFrame
    model: dict
    assessment: Assessment
    weights: dict[str, float]
    min_cell: int
    lang: str
    names: dict[str, str] = field(default_factory=dict)  # ISO code -> name in ``lang``
    internal: bool = False

    def classes(self, lang: str | None = None) -> pd.DataFrame:
        """One row per country: name, both scores on 0–100, the class (or uncertain) in
        ``lang``, the share of draws that support the likeliest class, whether it is settled,
        and the share of draws in each class."""
        lang = check_language(lang or self.lang)
        labels = class_labels(self.model, lang)
        frame = pd.DataFrame(
            {
                "iso2": self.scores["iso2"],
                "country": self.scores["iso2"].map(lambda c: self.names.get(c, c)),
                "opportunity": (self.scores["opportunity"] * SCALE).round(1),
                "threat": (self.scores["threat"] * SCALE).round(1),
                "class": self.scores["quadrant"],
                "class_name": self.scores["quadrant"].map(lambda k: labels.get(k, k)),
                "share_of_draws": self.scores["quadrant_share"].round(3),
                "stable": self.scores["stable"],
                **{f"share_{k}": self.scores[f"share_{k}"].round(3) for k in CLASS_KEYS},
            }
        )
        return mark_internal(frame) if self.internal else frame


def weights_of(scoring_model: str = "config/scoring.yaml") -> dict[str, dict[str, float]]:
    """The declared weight of every indicator, by score (``opportunity``, ``threat``,
    ``exposure``): the starting point of a what-if."""
    model = load_scoring_model(resolve(scoring_model))
    found: dict[str, dict[str, float]] = {}
    for item in indicators(model):
        found.setdefault(item.dimension, {})[item.name] = item.weight
    return found


def _with_weights(model: dict, weights: dict[str, float]) -> dict:
    """A copy of ``model`` with the indicators' weights replaced (the others as declared)."""
    changed = copy.deepcopy(model)
    known = {i.name: i.dimension for i in indicators(model)}
    unknown = sorted(set(weights) - set(known))
    if unknown:
        raise ValueError(f"no such indicator: {', '.join(unknown)} (known: {', '.join(known)})")
    for name, weight in weights.items():
        if float(weight) < 0:
            raise ValueError(f"{name}: a weight cannot be negative")
        changed[known[name]][name]["weight"] = float(weight)
    return changed


def _mentions(processed_dir: str, min_cell: int) -> pd.DataFrame:
    """The survey's country shares under ``min_cell``, counted by the survey step's function."""
    countries = read_table(processed_dir, "survey_countries")
    respondents = read_table(processed_dir, "survey_respondents")
    return pd.concat(
        [
            country_mentions(countries, respondents, item, min_cell).assign(item_id=item)
            for item in SURVEY_ITEMS.values()
        ],
        ignore_index=True,
    )


def whatif(
    weights: dict[str, float] | None = None,
    min_cell: int | None = None,
    lang: str = "en",
    processed_dir: str = "data/processed",
    scoring_model: str = "config/scoring.yaml",
    draws: int | None = None,
    *,
    params: str = "config/params.yaml",
    codebook: str = "config/codebook.yaml",
    country_aliases: str = "config/country_aliases.yaml",
) -> WhatIf:
    """Score every partner country of the built tables under a what-if, writing nothing.

    ``weights``: indicator name → weight, replacing the declared ones (``weights_of`` lists
    them; the others keep theirs; a score's weights need not add up to anything). ``min_cell``:
    the survey's small-cell threshold (default: the release's, ``params``); another one counts
    the survey's country shares again from ``survey_countries``, and one below the release's
    marks the result internal. ``draws``: the number of joint uncertainty draws (default: the
    model's). ``lang`` names countries and classes. With no argument the result is the
    published assessment."""
    lang = check_language(lang)
    model = load_scoring_model(resolve(scoring_model))
    model = _with_weights(model, dict(weights or {}))
    if draws is not None:
        model["uncertainty"] = {**(model.get("uncertainty") or {}), "draws": int(draws)}
    released = release_min_cell(resolve(params))
    min_cell = released if min_cell is None else int(min_cell)
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    mentions = None if min_cell == released else _mentions(processed_dir, min_cell)
    table, result, assessment = assess_countries(processed_dir, model, min_cell, codebook, mentions)
    result = SCORES_SCHEMA.validate(result)
    cards = country_cards(table, model, result)
    resolver = CountryResolver(resolve(country_aliases))
    internal = min_cell < released
    if internal:
        result, cards = mark_internal(result), mark_internal(cards)
    return WhatIf(
        scores=result,
        cards=cards,
        model=model,
        assessment=assessment,
        weights={i.name: i.weight for i in indicators(model)},
        min_cell=min_cell,
        lang=lang,
        names={code: resolver.name(code, lang) for code in result["iso2"]},
        internal=internal,
    )


def plot_matrix(result: WhatIf, lang: str | None = None) -> plt.Figure:
    """The what-if's matrix in the report's style: each country's scores with their 5–95 %
    intervals, the reference levels, uncertain countries hollow; returned, not saved."""
    lang = check_language(lang or result.lang)
    apply_style()
    model = result.model
    names = {k: v for k, v in model["classes"]["names"].items() if k != UNCERTAIN}
    countries = result.names
    if lang != result.lang:
        resolver = CountryResolver(resolve("config/country_aliases.yaml"))
        countries = {code: resolver.name(code, lang) for code in result.scores["iso2"]}
    return matrix(
        drawn_matrix(result.scores),
        cuts=levels_drawn(model),
        quadrant_names={k: pick(v, lang) for k, v in names.items()},
        title=t("whatif.heading", lang),
        uncertain_label=t(
            "matrix.legend_uncertain", lang, share=share(result.assessment.stable_share, lang)
        ),
        hover=matrix_hover(result.scores, countries, class_labels(model, lang), lang),
        **matrix_keys(countries, lang),
    )
