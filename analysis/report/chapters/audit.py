"""The statistical audit of the scoring model, an appendix of every edition: the checks of
the JRC's audits of composite indicators, read from the ``scoring_audit_*`` tables and the
Sobol' indices, and what they conclude, written from the numbers."""

from __future__ import annotations

import json

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import number, page_text, pick, share, t
from analysis.i18n.page import PageText, join
from analysis.report.chapters.matrix import input_name, sobol_overall, variant_name
from analysis.report.data import ReportData
from analysis.scoring.model import SCORES, indicators

INDICATOR_KEYS = ("indicator", "indicator_a", "indicator_b")
DIMENSION_KEYS = ("dimension", "other_dimension", "score")
COUNT_KEYS = ("n", "count", "measured", "applicable", "n_complete", "pairs")
SHARE_KEYS = ("coverage", "share_moving_more_than_3", "nominal", "effective")
RANK_KEYS = ("median_absolute_shift", "max_absolute_shift")  # places: whole or halves


def finding_values(values: dict, data: ReportData) -> dict[str, str]:
    """A finding's keys and numbers as the report writes them in its language."""
    lang = data.lang
    labels = {i.name: pick(i.label, lang) for i in indicators(data.model)}
    shown = {}
    for key, value in values.items():
        if key in INDICATOR_KEYS:
            shown[key] = labels.get(value, value)
        elif key in DIMENSION_KEYS:
            shown[key] = t(f"dimension.{value}", lang)
            # the score as the language's sentence needs it (Finnish genitive, Swedish definite)
            shown[f"{key}_score"] = t(f"score_form.{value}", lang)
        elif key == "alternative":
            shown[key] = (
                t("audit.all_alternatives", lang)
                if value == "overall"
                else variant_name(value, data)
                if value.startswith("leave_out:")
                else t(f"audit.alternative.{value}", lang)
            )
        elif key == "country":
            shown[key] = data.country(value)
        elif key == "unit":
            shown[key] = t(f"audit.unit.{value}", lang)
        elif key in COUNT_KEYS:
            shown[key] = number(int(value), lang)
        elif key in SHARE_KEYS:
            shown[key] = share(float(value), lang)
        elif key in RANK_KEYS:
            shown[key] = number(float(value), lang, 0 if float(value).is_integer() else 1)
        elif isinstance(value, float):
            shown[key] = signed(value, lang)
        else:
            shown[key] = str(value)
    return shown


def signed(value: float, lang: str, digits: int = 2) -> str:
    """A number that may be negative, with a true minus sign (−0,23, not -0,23)."""
    return number(value, lang, digits).replace("-", "\u2212")


def finding_key(key: str, values: dict) -> str:
    """The text key of a finding: a negative alpha says more than a low one."""
    if key == "low_alpha" and values.get("alpha") is not None and values["alpha"] < 0:
        return "negative_alpha"
    return key


def conclusions(data: ReportData) -> list[PageText]:
    """One sentence per finding, the problems first, each written from its numbers."""
    findings = data.audit["findings"]
    ordered = pd.concat(
        [findings[findings["kind"] == "problem"], findings[findings["kind"] != "problem"]]
    )
    found = []
    for row in ordered.itertuples(index=False):
        values = json.loads(row.values)
        found.append(
            page_text(
                f"audit.finding.{finding_key(row.key, values)}",
                data.lang,
                **({"indicator": "", "country": ""} | finding_values(values, data)),
            )
        )
    return found


def indicator_table(data: ReportData) -> pd.DataFrame:
    lang = data.lang
    table = data.audit["indicators"]
    labels = {i.name: pick(i.label, lang) for i in indicators(data.model)}

    def maybe(value) -> str:
        return "–" if pd.isna(value) else signed(float(value), lang)

    yes, no = t("value.yes", lang), t("value.no", lang)
    return pd.DataFrame(
        {
            t("method.column.score", lang): [t(f"dimension.{d}", lang) for d in table["dimension"]],
            t("method.column.indicator", lang): table["indicator"].map(labels).to_numpy(),
            t("audit.column.applies", lang): [
                t("audit.applies_of", lang, applies=int(a), scored=len(data.scores))
                for a in table["applicable"]
            ],
            t("audit.column.coverage", lang): [share(v, lang) for v in table["coverage"]],
            t("audit.column.clipped", lang): [
                f"{int(low)} / {int(high)}"
                for low, high in zip(
                    table["at_low_goalpost"], table["at_high_goalpost"], strict=True
                )
            ],
            t("audit.column.skewness", lang): [maybe(v) for v in table["skewness"]],
            t("audit.column.kurtosis", lang): [maybe(v) for v in table["kurtosis"]],
            t("audit.column.flagged", lang): [yes if v else no for v in table["flagged"]],
            t("audit.column.nominal", lang): [
                "–" if pd.isna(v) else share(v, lang) for v in table["nominal"]
            ],
            t("audit.column.effective", lang): [
                "–" if pd.isna(v) else share(v, lang) for v in table["effective"]
            ],
            t("audit.column.own", lang): [maybe(v) for v in table["correlation_own_score"]],
            t("audit.column.other", lang): [maybe(v) for v in table["correlation_other_score"]],
        }
    )


def shift_table(data: ReportData) -> pd.DataFrame:
    lang = data.lang
    table = data.audit["rank_shifts"]
    return pd.DataFrame(
        {
            t("method.column.score", lang): [t(f"dimension.{d}", lang) for d in table["score"]],
            t("audit.column.alternative", lang): [
                finding_values({"alternative": a}, data)["alternative"]
                for a in table["alternative"]
            ],
            t("audit.column.median_shift", lang): [
                number(v, lang, 0 if float(v).is_integer() else 1)
                for v in table["median_absolute_shift"]
            ],
            t("audit.column.max_shift", lang): [
                number(v, lang, 0) for v in table["max_absolute_shift"]
            ],
            t("audit.column.moving", lang): [
                share(v, lang) for v in table["share_moving_more_than_3"]
            ],
        }
    )


def sobol_table(data: ReportData) -> pd.DataFrame:
    """Per uncertain input and score: the first-order and total-effect indices over all
    countries (each weighted by its score's variance), and the median and largest total effect
    of a single country."""
    lang = data.lang
    summary = sobol_overall(data.sobol)
    return pd.DataFrame(
        {
            t("method.column.score", lang): [t(f"dimension.{d}", lang) for d in summary["score"]],
            t("audit.column.input", lang): [input_name(i, data) for i in summary["input"]],
            t("audit.column.first_order", lang): [
                number(v, lang, 2) for v in summary["first_order"]
            ],
            t("audit.column.total_effect", lang): [
                number(v, lang, 2) for v in summary["total_effect"]
            ],
            t("audit.column.median_total", lang): [
                number(v, lang, 2) for v in summary["median_total"]
            ],
            t("audit.column.largest", lang): [number(v, lang, 2) for v in summary["largest_total"]],
        }
    )


def statistical_audit(data: ReportData, pub: Publisher) -> None:
    """The audit appendix: coverage, distributions, correlations, alpha, effective weights,
    rank shifts, Sobol' indices, and the conclusions."""
    lang = data.lang
    if data.audit["indicators"].empty:
        say(page_text("matrix.not_scored", lang))
        return
    # One finding a line, the problems first: a reader scans them as a list.
    say(join([join([PageText.composed("- "), line], "") for line in conclusions(data)], "\n"))
    pub.table(
        indicator_table(data),
        title=t("audit.indicators_title", lang),
        caption=t("audit.indicators_caption", lang),
    )
    pub.show_saved("25_threats_opportunities__indicator_correlations")
    alpha = data.audit["dimensions"]
    say(
        join(
            [
                page_text(
                    "audit.alpha",
                    lang,
                    dimension_score=t(f"score_form.{row.dimension}", lang),
                    alpha="–" if pd.isna(row.alpha) else signed(float(row.alpha), lang),
                    indicators=int(row.indicators),
                    n=int(row.n_complete),
                )
                for row in alpha.itertuples(index=False)
                if row.dimension in (*SCORES, "exposure")
            ],
            " ",
        )
    )
    pub.table(
        shift_table(data),
        title=t("audit.shifts_title", lang),
        caption=t("audit.shifts_caption", lang),
    )
    pub.table(
        sobol_table(data),
        title=t("audit.sobol_title", lang),
        caption=t("audit.sobol_caption", lang),
    )
