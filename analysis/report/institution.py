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
from analysis.report.chapters.survey import in_place_cell
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook, load_codebook
from analysis.survey.labels import group_labels

INSTITUTION = "institution"


@dataclass
class InstitutionData:
    key: str
    org_type: str
    respondents: int
    shown: bool  # some cell of the institution alone is published
    agreement: pd.DataFrame  # institution and sector rows, per block and item
    status: pd.DataFrame  # its status per arrangement, its split, its sector without it
    all_organisations: pd.DataFrame  # the sector report's row of all organisations, per item
    codebook: Codebook
    lang: str
    min_cell: int
    rules: Rules | None = None
    rule: str = "designated_or_majority"

    @property
    def slug(self) -> str:
        """The organisation key as it appears in file names."""
        return file_safe(self.key)

    @property
    def partly_withheld(self) -> bool:
        own = self.agreement[self.agreement["group"] == INSTITUTION]["suppressed"]
        split = self.status["split_suppressed"]
        return self.shown and bool((own != "").any() or (split != "").any())


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
    status = read_table(processed_dir, "survey_organisation_status")
    status = status[status["organisation_key"] == institution].reset_index(drop=True)
    shown = len(mine) >= min_cell and bool(
        (own_agreement["suppressed"] == "").any() or (status["split_suppressed"] == "").any()
    )
    own_agreement = own_agreement.drop(columns=["organisation_key", "org_type"])
    agreement = _with_sector(
        read_table(processed_dir, "survey_agreement"), own_agreement, org_type, institution, shown
    )
    everyone = read_table(processed_dir, "survey_readiness_of_organisations")
    return InstitutionData(
        institution,
        org_type,
        len(mine),
        shown,
        agreement,
        status,
        everyone[everyone["org_type"] == ALL].set_index("item_id"),
        load_codebook(resolve(codebook)),
        lang,
        int(min_cell),
        rules,
        str(status["rule"].iloc[0]) if len(status) else "designated_or_majority",
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


def status_data(data: InstitutionData) -> pd.DataFrame:
    """What the preparedness table shows, as published beside it: per arrangement the
    organisation's status, how it was decided, its respondents' split (``group`` =
    institution, withheld as ``suppressed`` says), its sector without it and all
    organisations (both counted in organisations, withheld as ``*_suppressed`` says)."""
    status = data.status
    everyone = data.all_organisations.reindex(status["item_id"])
    return pd.DataFrame(
        {
            "organisation_key": data.key,
            "group": INSTITUTION,
            "item_id": status["item_id"],
            "status": status["status"],
            "decided_by": status["decided_by"],
            **{m: status[m] for m in ("n", "yes", "partly", "no", "dont_know")},
            "suppressed": status["split_suppressed"],
            "sector": data.org_type,
            **{c: status[c] for c in status.columns if c.startswith("sector_")},
            "all_organisations": everyone["organisations"].to_numpy(),
            "all_in_place": everyone["in_place"].to_numpy(),
            "all_share": everyone["share_in_place"].to_numpy(),
            "all_ci_low": everyone["ci_low"].to_numpy(),
            "all_ci_high": everyone["ci_high"].to_numpy(),
            "all_suppressed": everyone["suppressed"].fillna("primary").to_numpy(),
        }
    )


def status_rows(data: InstitutionData, published: pd.DataFrame) -> pd.DataFrame:
    """The preparedness table in the edition's language: one row per arrangement."""
    lang = data.lang
    rules = data.rules or Rules.defaults(data.min_cell)
    sector = group_labels(data.codebook, lang)[data.org_type]
    labels = {i.id: i.text[lang] for i in data.codebook.block_items("preparedness")}
    rows = []
    for row in published.to_dict("records"):
        if row["suppressed"] == "":
            split = t("institution.split_cell", lang, **{m: int(row[m]) for m in _SPLIT})
        else:
            split = t(
                f"institution.split_withheld.{row['suppressed']}",
                lang,
                min_cell=rules.min_cell,
                group_size=rules.group_size,
            )
        if row["sector_suppressed"] == "":
            others = in_place_cell(_cell(row, "sector_", "sector_organisations"), lang)
        else:
            others = t(
                f"institution.sector_withheld.{row['sector_suppressed']}",
                lang,
                min_cell=rules.min_cell,
            )
        rows.append(
            {
                t("column.arrangement", lang): labels.get(row["item_id"], row["item_id"]),
                t("institution.column.status", lang, key=data.key): t(
                    f"institution.status.{row['status']}", lang
                ),
                t("institution.column.decided", lang): t(
                    f"institution.decided.{row['decided_by']}", lang
                ),
                t("institution.column.split", lang): split,
                t("institution.column.sector", lang, group=sector): others,
                t("institution.column.all", lang): in_place_cell(
                    _cell(row, "all_", "all_organisations"), lang
                ),
            }
        )
    return pd.DataFrame(rows)


_SPLIT = ("yes", "partly", "no", "dont_know")


def _cell(row: dict, prefix: str, count: str) -> pd.Series:
    """A comparator's cell under the names of the sector report's table of organisations,
    so that it is written as that table writes it (``in_place_cell``)."""
    return pd.Series(
        {
            "suppressed": row[f"{prefix}suppressed"],
            "share_in_place": row[f"{prefix}share"],
            "ci_low": row[f"{prefix}ci_low"],
            "ci_high": row[f"{prefix}ci_high"],
            "in_place": row[f"{prefix}in_place"],
            "organisations": row[count],
        }
    )


def readiness_table(data: InstitutionData, pub: Publisher) -> None:
    """The organisation's status per arrangement against its sector without it and all
    organisations, with ``status_data`` as the page's data file."""
    lang = data.lang
    published = status_data(data)
    pub.table(
        status_rows(data, published),
        title=t("institution.readiness_title", lang, key=data.key),
        caption=" ".join(
            [
                t(
                    "institution.status_caption",
                    lang,
                    key=data.key,
                    rule=t(f"preparedness.rule.{data.rule}", lang),
                ),
                _withheld_note(data),
            ]
        ),
        data=published,
        slug=f"{data.slug}__readiness",
    )


def about(data: InstitutionData) -> None:
    """What the report compares and the disclosure rules it keeps, with the run's values."""
    rules = data.rules or Rules.defaults(data.min_cell)
    say(
        page_text(
            "institution.about", data.lang, min_cell=rules.min_cell, group_size=rules.group_size
        )
    )
