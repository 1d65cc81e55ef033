"""One institution against its sector: the per-institution edition of the survey chapter.

Every number comes from the survey analysis step, which protected the results of all
organisations, sectors and all respondents together (``survey_agreement_by_organisation``
beside the sector tables): nothing is computed here, so no report can show a cell that
another would let a reader work out. An institution with fewer respondents than
``min_cell``, or whose every cell is withheld, gets the sector picture only, and the report
says so plainly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from analysis.disclosure.rules import Rules, load_rules
from analysis.figures.publisher import Publisher, say
from analysis.files.paths import file_safe, resolve
from analysis.files.tables import read_table
from analysis.i18n import page_text, t
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook, load_codebook
from analysis.survey.labels import group_labels, readiness_by_group

INSTITUTION = "institution"


@dataclass
class InstitutionData:
    key: str
    org_type: str
    respondents: int
    shown: bool  # some cell of the institution alone is published
    agreement: pd.DataFrame  # institution and sector rows, per block and item
    readiness: pd.DataFrame
    codebook: Codebook
    lang: str
    min_cell: int
    rules: Rules | None = None

    @property
    def slug(self) -> str:
        """The organisation key as it appears in file names."""
        return file_safe(self.key)

    @property
    def partly_withheld(self) -> bool:
        own = [t[t["group"] == INSTITUTION] for t in (self.agreement, self.readiness)]
        return self.shown and any((part["suppressed"] != "").any() for part in own)


def _with_sector(
    sector: pd.DataFrame, own: pd.DataFrame, org_type: str, key: str, shown: bool
) -> pd.DataFrame:
    parts = [sector[sector["org_type"].isin([org_type, ALL])].assign(group=lambda d: d["org_type"])]
    if shown:
        parts.append(own.assign(group=INSTITUTION))
    table = pd.concat(parts, ignore_index=True).drop(columns=["org_type"], errors="ignore")
    return table.assign(organisation_key=key)


def load_institution(
    processed_dir: str,
    codebook: str,
    institution: str,
    lang: str,
    min_cell: int,
    disclosure: str = "config/disclosure.yaml",
) -> InstitutionData:
    respondents = read_table(processed_dir, "survey_respondents")
    mine = respondents[respondents["organisation_key"] == institution]
    if mine.empty:
        known = ", ".join(sorted(respondents["organisation_key"].unique()))
        raise ValueError(f"no respondents from {institution!r}; the organisations are: {known}")
    rules = load_rules(resolve(disclosure), min_cell)
    org_type = mine["org_type"].mode().iloc[0]
    own_agreement = read_table(processed_dir, "survey_agreement_by_organisation")
    own_agreement = own_agreement[own_agreement["organisation_key"] == institution]
    own_readiness = read_table(processed_dir, "survey_readiness_by_organisation")
    own_readiness = own_readiness[own_readiness["organisation_key"] == institution]
    shown = len(mine) >= min_cell and bool(
        (own_agreement["suppressed"] == "").any() or (own_readiness["suppressed"] == "").any()
    )
    own_agreement = own_agreement.drop(columns=["organisation_key", "org_type"])
    own_readiness = own_readiness.drop(columns=["organisation_key", "org_type"])
    agreement = _with_sector(
        read_table(processed_dir, "survey_agreement"), own_agreement, org_type, institution, shown
    )
    readiness = _with_sector(
        read_table(processed_dir, "survey_readiness"), own_readiness, org_type, institution, shown
    )
    return InstitutionData(
        institution,
        org_type,
        len(mine),
        shown,
        agreement,
        readiness,
        load_codebook(resolve(codebook)),
        lang,
        int(min_cell),
        rules,
    )


def _labels(data: InstitutionData) -> dict[str, str]:
    sector = group_labels(data.codebook, data.lang)
    return {
        INSTITUTION: data.key,
        data.org_type: t("institution.sector", data.lang, group=sector[data.org_type]),
        ALL: sector[ALL],
    }


def _withheld_note(data: InstitutionData) -> str:
    rules = data.rules or Rules.defaults(data.min_cell)
    return t("disclosure.withheld", data.lang, min_cell=rules.min_cell, group_size=rules.group_size)


def introduction(data: InstitutionData, pub: Publisher) -> None:
    lang = data.lang
    if data.respondents < data.min_cell:
        say(page_text("institution.hidden", lang, min_cell=data.min_cell, key=data.key))
    elif not data.shown:
        say(page_text("institution.withheld", lang, respondents=data.respondents, key=data.key))
    else:
        say(page_text("institution.shown", lang, respondents=data.respondents, key=data.key))
        if data.partly_withheld:
            say(page_text("institution.partly_withheld", lang))


def comparison(data: InstitutionData, pub: Publisher, block: str) -> pd.DataFrame:
    from analysis.figures.plots import share_by_group

    lang = data.lang
    labels = {i.id: i.text[lang] for i in data.codebook.block_items(block)}
    table = data.agreement[data.agreement["block"] == block]
    order = [INSTITUTION, data.org_type, ALL] if data.shown else [data.org_type, ALL]
    group_names = {g: _labels(data)[g] for g in order}
    # What is drawn leaves out whose report it is: the reports that show only their sector's
    # results have the same figure, drawn once (Publisher.shared_figure).
    draw = functools.partial(
        share_by_group,
        table.drop(columns="organisation_key").assign(org_type=table["group"]),
        labels=labels,
        group="org_type",
        group_labels=group_names,
        title=t(f"institution.share_heading.{block}", lang),
        xlabel=t("survey.share_axis", lang),
    )
    which = "shown" if data.shown else "sector"
    pub.shared_figure(
        draw,
        f"{data.slug}__{block}",
        title=t(f"institution.title_{which}.{block}", lang, key=data.key),
        caption=f"{t('survey.share_caption', lang)} {_withheld_note(data)}",
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
        caption=_withheld_note(data),
        data=data.readiness,
        slug=f"{data.slug}__readiness",
    )
