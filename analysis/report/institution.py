"""One institution against its sector: the per-institution edition of the survey chapter.

The sector results are the ones the survey analysis step already wrote; only the institution's
own shares are computed here. An institution with fewer respondents than ``min_cell`` gets the
sector picture only, and the report says so plainly: nothing about it alone is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.files.paths import resolve
from analysis.files.tables import read_table
from analysis.i18n import t
from analysis.steps.survey_analysis import group_labels, readiness_by_group
from analysis.survey.analyse import ALL, agreement_shares, preparedness_index
from analysis.survey.codebook import Codebook, load_codebook

INSTITUTION = "institution"


@dataclass
class InstitutionData:
    key: str
    org_type: str
    respondents: int
    shown: bool  # enough respondents to show anything of the institution alone
    agreement: pd.DataFrame  # institution and sector rows, per block and item
    readiness: pd.DataFrame
    codebook: Codebook
    lang: str
    min_cell: int


def load_institution(
    processed_dir: str, codebook: str, institution: str, lang: str, min_cell: int
) -> InstitutionData:
    respondents = read_table(processed_dir, "survey_respondents")
    mine = respondents[respondents["organisation_key"] == institution]
    if mine.empty:
        known = ", ".join(sorted(respondents["organisation_key"].unique()))
        raise ValueError(f"no respondents from {institution!r}; the organisations are: {known}")
    book = load_codebook(resolve(codebook))
    org_type = mine["org_type"].mode().iloc[0]
    sector_agreement = read_table(processed_dir, "survey_agreement")
    sector_readiness = read_table(processed_dir, "survey_readiness")
    shown = len(mine) >= min_cell
    answers = read_table(processed_dir, "survey_answers")
    tagged = respondents.assign(
        group=respondents["organisation_key"].where(
            respondents["organisation_key"] == institution, "others"
        )
    )
    agreement_parts = [
        sector_agreement[sector_agreement["org_type"].isin([org_type, ALL])].assign(
            group=lambda d: d["org_type"]
        )
    ]
    readiness_parts = [
        sector_readiness[sector_readiness["org_type"].isin([org_type, ALL])].assign(
            group=lambda d: d["org_type"]
        )
    ]
    if shown:
        mine_answers = answers[answers["respondent_key"].isin(mine["respondent_key"])]
        for block in ("threats", "opportunities"):
            own = agreement_shares(mine_answers, tagged, block, "group", min_cell)
            agreement_parts.append(own[own["group"] == institution].assign(block=block))
        own = preparedness_index(mine_answers, tagged, "group", min_cell)
        readiness_parts.append(own[own["group"] == institution])
    agreement = pd.concat(agreement_parts, ignore_index=True)
    agreement["group"] = agreement["group"].replace({institution: INSTITUTION})
    readiness = pd.concat(readiness_parts, ignore_index=True)
    readiness["group"] = readiness["group"].replace({institution: INSTITUTION})
    return InstitutionData(
        institution, org_type, len(mine), shown, agreement, readiness, book, lang, int(min_cell)
    )


def _labels(data: InstitutionData) -> dict[str, str]:
    sector = group_labels(data.codebook, data.lang)
    return {
        INSTITUTION: data.key,
        data.org_type: t("institution.sector", data.lang, group=sector[data.org_type]),
        ALL: sector[ALL],
    }


def introduction(data: InstitutionData, pub: Publisher) -> None:
    if data.shown:
        say(t("institution.shown", data.lang, respondents=data.respondents, key=data.key))
    else:
        say(t("institution.hidden", data.lang, min_cell=data.min_cell, key=data.key))


def comparison(data: InstitutionData, pub: Publisher, block: str) -> pd.DataFrame:
    from analysis.figures.plots import share_by_group

    lang = data.lang
    labels = {i.id: i.text[lang] for i in data.codebook.block_items(block)}
    table = data.agreement[data.agreement["block"] == block]
    order = [INSTITUTION, data.org_type, ALL] if data.shown else [data.org_type, ALL]
    group_names = {g: _labels(data)[g] for g in order}
    figure = share_by_group(
        table.assign(org_type=table["group"]),
        labels=labels,
        group="org_type",
        group_labels=group_names,
        title=t(f"institution.share_heading.{block}", lang),
        xlabel=t("survey.share_axis", lang),
    )
    which = "shown" if data.shown else "sector"
    pub.figure(
        figure,
        f"{data.key}__{block}",
        title=t(f"institution.title_{which}.{block}", lang, key=data.key),
        caption=t("survey.share_caption", lang, min_cell=data.min_cell),
        alt=t(f"institution.alt_{which}.{block}", lang, key=data.key),
        data=table,
        source=t("survey.source", lang),
    )
    return table


def readiness_table(data: InstitutionData, pub: Publisher) -> None:
    lang = data.lang
    names = _labels(data)
    columns = {g: names[g] for g in (INSTITUTION, data.org_type, ALL)}
    pub.table(
        readiness_by_group(data.readiness, "group", columns, lang, data.codebook),
        title=t("institution.readiness_title", lang),
        caption=t("institution.readiness_caption", lang, min_cell=data.min_cell),
    )
