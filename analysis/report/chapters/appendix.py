"""The appendices: data quality (row accounting) and the method of scoring."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import listing, number, page_text, pick, reason_text, share, t
from analysis.report.chapters.survey import response_rate_table
from analysis.report.data import ReportData
from analysis.report.method import (
    context_paragraph,
    goalposts_table,
    indicator_paragraph,
    method_table,
    overlap_paragraph,
)
from analysis.report.values import indicator_value
from analysis.scoring.model import indicators
from analysis.scoring.uncertainty import settings
from analysis.scoring.wording import describe_levels, level_rationales


def _accounting_row(column: str, lang: str) -> str:
    if column.startswith("rejected_"):
        reason = column.removeprefix("rejected_")
        return t("accounting.rejected", lang, reason=t(f"reason.{reason}", lang))
    if column.startswith("flagged_"):
        flag = column.removeprefix("flagged_")
        return t("accounting.flagged", lang, flag=t(f"flag.{flag}", lang))
    return t(f"accounting.total.{column}", lang)


def _reads(data: ReportData, lang: str):
    """The reads table with its codes in the edition's language (older tables lack them)."""
    reads = data.survey_reads.copy()
    if "status" in reads:
        reads["status"] = reads["status"].map(lambda c: t(f"read_status.{c}", lang))
        reads["reason"] = reads["reason"].map(lambda c: t(f"not_read.{c}", lang) if c else "")
    return reads


def accounting(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    survey = data.survey_accounting.set_index("source_file")
    shown = [c for c in survey.columns if not c.startswith("rejected_") or survey[c].sum() > 0]
    table = survey[shown].T
    table[t("accounting.all_exports", lang)] = table.sum(axis=1)
    table.index = [_accounting_row(c, lang) for c in table.index]
    table.columns.name = None
    pub.table(
        table.reset_index(names=t("accounting.rows", lang)),
        title=t("accounting.survey_title", lang),
        caption=t("accounting.survey_caption", lang),
    )
    pub.table(
        response_rate_table(data),
        title=t("coverage.table_title", lang),
        caption=t("coverage.table_caption", lang, min_cell=data.min_cell),
    )
    pub.table(
        _reads(data, lang).rename(columns=lambda c: t(f"column.reads.{c}", lang)),
        title=t("accounting.reads_title", lang),
    )
    cooperation = data.cooperation_accounting.assign(
        rejected_reason=data.cooperation_accounting["rejected_reason"].map(
            lambda text: reason_text(text, lang)
        )
    )
    pub.table(
        cooperation.rename(columns=lambda c: t(f"column.cooperation.{c}", lang)),
        title=t("accounting.cooperation_title", lang),
    )
    information_loss(data, pub)


def information_loss(data: ReportData, pub: Publisher) -> None:
    """What the disclosure rules cost: cells published and withheld by reason, per level."""
    lang = data.lang
    rules = data.disclosure_rules
    protection = "on" if rules.differencing else "off"
    say(
        page_text(
            "disclosure.rules",
            lang,
            min_cell=rules.min_cell,
            group_size=rules.group_size,
            margin=rules.margin,
            protection=t(f"disclosure.protection_{protection}", lang),
        )
    )
    table = data.disclosure.assign(
        family=data.disclosure["family"].map(lambda f: t(f"disclosure.family.{f}", lang)),
        level=data.disclosure["level"].map(lambda v: t(f"disclosure.level.{v}", lang)),
    )
    columns = ["family", "level", "cells", "published", "primary", "group", "secondary"]
    pub.table(
        table[columns].rename(columns=lambda c: t(f"disclosure.column.{c}", lang)),
        title=t("disclosure.title", lang),
        caption=t("disclosure.caption", lang, min_cell=rules.min_cell, group_size=rules.group_size),
        data=data.disclosure,
        slug="disclosure",
    )


def method_of_scoring(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    model = data.model
    config = settings(model)
    levels = describe_levels(model, lang)
    reasons = level_rationales(model, lang)
    say(
        page_text(
            "method.scoring",
            lang,
            version=model["version"],
            aggregation=t(f"aggregation.{model.get('aggregation', 'arithmetic')}", lang),
            min_copublications=model["min_copublications"],
            min_coverage=share(float(model["classes"].get("min_coverage", 0)), lang),
            opportunity_level=levels["opportunity"],
            threat_level=levels["threat"],
            opportunity_reason=reasons["opportunity"],
            threat_reason=reasons["threat"],
        )
    )
    say(
        page_text(
            "method.uncertainty",
            lang,
            draws=number(int(config["draws"]), lang),
            concentration=number(float(config["weight_concentration"]), lang),
            aggregations=listing(
                [t(f"aggregation.{a}", lang) for a in config["aggregations"]], lang
            ),
            goalpost_spread=share(float(config["goalpost_spread"]), lang),
            replicates=number(int(config["survey_replicates"]), lang),
            interval_low=number(float(config["interval"][0]) * 100, lang),
            interval_high=number(float(config["interval"][1]) * 100, lang),
            stable_share=share(float(config["stable_share"]), lang),
        )
    )
    say(page_text("method.exposure", lang))
    say(page_text("method.limitations", lang))
    say(indicator_paragraph(model, data.scores, data.min_cell, lang))
    for paragraph in (overlap_paragraph(model, lang), context_paragraph(model, lang)):
        if paragraph is not None:
            say(paragraph)
    pub.table(
        method_table(data.scoring_model, lang),
        title=t("method.table_title", lang),
        caption=t("method.table_caption", lang),
    )
    pub.table(
        goalposts_table(data.scoring_model, lang),
        title=t("method.goalposts_title", lang),
        caption=t("method.goalposts_caption", lang),
    )
    censored_cells(data, pub)


def censored_cells(data: ReportData, pub: Publisher) -> None:
    """Every cell that enters the scores as an interval rather than a value: censored survey
    shares (fewer than min_cell respondents) and values not measured at all."""
    lang = data.lang
    cards = data.cards
    cells = cards[cards["status"].isin(["censored", "not_measured"])]
    cells = cells[cells["dimension"] != "context"].sort_values(["order", "iso2"])
    if cells.empty:
        say(page_text("method.censored_none", lang))
        return
    labels = {i.name: pick(i.label, lang) for i in indicators(data.model)}
    table = pd.DataFrame(
        {
            t("column.country", lang): data.country_names(cells["iso2"]).to_numpy(),
            t("method.column.indicator", lang): cells["indicator"].map(labels).to_numpy(),
            t("cards.column.status", lang): [t(f"cards.status.{v}", lang) for v in cells["status"]],
            t("column.interval", lang): [
                t(
                    "cards.censored_value",
                    lang,
                    low=indicator_value(row.value_low, row.unit, lang),
                    high=indicator_value(row.value_high, row.unit, lang),
                    most=data.min_cell - 1,
                )
                if row.status == "censored"
                else t("cards.whole_scale", lang)
                for row in cells.itertuples(index=False)
            ],
        }
    )
    censored = int((cells["status"] == "censored").sum())
    key = "method.censored" if len(cells) > censored else "method.censored_none_unmeasured"
    say(
        page_text(
            key,
            lang,
            censored=censored,
            unmeasured=len(cells) - censored,
            countries=cells["iso2"].nunique(),
            min_cell=data.min_cell,
            most=data.min_cell - 1,
        )
    )
    pub.table(table, title=t("method.censored_title", lang))
