"""The appendices: data quality (row accounting) and the method of scoring."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import number, reason_text, t
from analysis.report.chapters.survey import response_rate_table
from analysis.report.data import ReportData
from analysis.report.method import method_table


def _accounting_row(column: str, lang: str) -> str:
    if column.startswith("rejected_"):
        reason = column.removeprefix("rejected_")
        return t("accounting.rejected", lang, reason=t(f"reason.{reason}", lang))
    if column.startswith("flagged_"):
        flag = column.removeprefix("flagged_")
        return t("accounting.flagged", lang, flag=t(f"flag.{flag}", lang))
    return t(f"accounting.total.{column}", lang)


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
        data.survey_reads.rename(columns=lambda c: t(f"column.reads.{c}", lang)),
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


def method_of_scoring(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    model = data.model
    cuts = model["quadrants"]
    sensitivity = model["sensitivity"]

    def cut(value: object) -> str:
        return t("method.median", lang) if value == "median" else number(float(value), lang, 2)

    say(
        t(
            "method.scoring",
            lang,
            version=model["version"],
            normalisation=t(f"normalisation.{model['normalisation']}", lang),
            min_copublications=model["min_copublications"],
            opportunity_cut=cut(cuts["opportunity_cut"]),
            threat_cut=cut(cuts["threat_cut"]),
            draws=sensitivity["draws"],
            low=number(1 - sensitivity["weight_perturbation"], lang, 2),
            high=number(1 + sensitivity["weight_perturbation"], lang, 2),
        )
    )
    pub.table(
        method_table(data.scoring_model, lang),
        title=t("method.table_title", lang),
        caption=t("method.table_caption", lang),
    )
