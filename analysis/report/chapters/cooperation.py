"""The cooperation landscape: co-publications, EU projects, agreements, mobility, critical areas."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.files.tables import read_table
from analysis.i18n import number, page_text, share, t
from analysis.report.critical import critical_share_by_year
from analysis.report.data import ReportData

COOPERATION_FIGURES = "22_cooperation_analysis"


def cooperation_landscape(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    if len(data.output_by_year) and len(data.top_partners):
        _copublications(data, pub)
        year = int(data.top_partners["year"].iloc[0])
    else:  # OpenAlex answers not provided
        say(page_text("landscape.no_copublications", lang))
        year = None
    say(page_text("landscape.sources", lang))
    if (data.by_country["eu_projects"] > 0).any():
        pub.show_saved(f"{COOPERATION_FIGURES}__eu_project_partners")
    if year is not None:
        pub.show_saved(f"{COOPERATION_FIGURES}__field_mix")
    _sources_table(data, pub, year)


def _copublications(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    last = data.output_by_year.iloc[-1]
    first = data.output_by_year.iloc[0]
    say(
        page_text(
            "landscape.international_share",
            lang,
            year=int(last["year"]),
            share=share(last["international_share"], lang),
            international=number(last["international_works"], lang),
            works=number(last["works"], lang),
            first_share=share(first["international_share"], lang),
            first_year=int(first["year"]),
        )
    )
    pub.show_saved(f"{COOPERATION_FIGURES}__international_share")
    pub.show_saved(f"{COOPERATION_FIGURES}__top_partner_countries")
    top = data.top_partners
    year = int(top["year"].iloc[0])
    pub.table(
        top.assign(country=data.country_names(top["iso2"]))[
            ["country", "works", "works_earlier", "change_percent"]
        ]
        .round(1)
        .rename(
            columns={
                "country": t("column.country", lang),
                "works": t("column.works_in", lang, year=year),
                "works_earlier": t("column.works_in", lang, year=year - 5),
                "change_percent": t("column.change_percent", lang),
            }
        ),
        title=t("landscape.top_table", lang, year=year, earlier=year - 5),
    )


def _sources_table(data: ReportData, pub: Publisher, year: int | None) -> None:
    """Every source's measure per partner country (co-publications only when provided)."""
    lang = data.lang
    columns = {
        "country": t("column.country", lang),
        "copublications": t("column.copublications_in", lang, year=year),
        "eu_projects": t("column.eu_projects", lang),
        "agreements_active": t("column.agreements_active", lang),
        "students_outgoing": t("column.students_outgoing", lang),
        "students_incoming": t("column.students_incoming", lang),
    }
    if year is None:
        del columns["copublications"]
    table = data.by_country.head(20)
    pub.table(
        table.assign(country=data.country_names(table["iso2"]))[list(columns)]
        .astype({c: int for c in list(columns)[1:]})
        .rename(columns=columns),
        title=t("landscape.sources_table", lang),
        caption=t("landscape.sources_caption", lang),
    )


def critical_areas(data: ReportData, pub: Publisher) -> None:
    """Co-publications in critical technology areas, by partner country and year."""
    table = read_table(data.processed_dir, "openalex_critical_by_partner_year")
    critical_share_by_year(table, pub, data.lang)
