"""The cooperation analysis step: results tables and figures of the cooperation landscape."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandera import Check

from analysis.figures.plots import field_mix, international_share, top_partners
from analysis.figures.publisher import Publisher
from analysis.files.paths import resolve
from analysis.files.schemas import PUBLISHABLE, col, count, iso2, table, text
from analysis.files.tables import read_table, write_table
from analysis.i18n import field_name, number, share, t
from analysis.reference.countries import CountryResolver

SOURCE = "OpenAlex (CC0), works with at least one Finnish institution"
TOP_N = 15
COMPARE_YEARS_BACK = 5

_COUNTRY = "the country's English short name (labels in other languages: catalog.load)"
TOP_PARTNERS = table(
    "cooperation_top_partners",
    f"The {TOP_N} partner countries with the most co-publications in the latest year (OpenAlex), "
    f"with the change from {COMPARE_YEARS_BACK} years earlier.",
    PUBLISHABLE,
    {
        "year": col(int, "the latest publication year"),
        "iso2": iso2("partner country, ISO 3166-1 alpha-2 code", unique=True),
        "country": text(_COUNTRY),
        "works": count("co-publications with the country in the year"),
        "works_earlier": col(
            "Int64",
            f"co-publications {COMPARE_YEARS_BACK} years earlier; blank if not available",
            Check.ge(0),
            nullable=True,
        ),
        "change_percent": col(float, "change from works_earlier, per cent", nullable=True),
    },
)


BY_COUNTRY = table(
    "cooperation_by_country",
    "Per partner country: every cooperation source's measure (co-publications and their "
    "growth, EU projects and funding, active agreements, student mobility).",
    PUBLISHABLE,
    {
        "iso2": iso2("partner country, ISO 3166-1 alpha-2 code", unique=True),
        "country": text(_COUNTRY),
        "copublications": count("co-publications in the latest year (OpenAlex)"),
        "copublications_earlier": count(f"co-publications {COMPARE_YEARS_BACK} years earlier"),
        "copublication_growth_percent": col(
            float, "change of copublications from the earlier year, per cent", nullable=True
        ),
        "eu_projects": count("EU projects shared with a Finnish participant (CORDIS)"),
        "eu_partner_contribution_eur": col(
            float, "EU contribution to the country's participants in them, EUR", Check.ge(0)
        ),
        "agreements_active": count("active agreements in the institutions' registers"),
        "students_outgoing": count("students from Finland to the country (latest year)"),
        "students_incoming": count("students from the country to Finland (latest year)"),
    },
)


@dataclass
class CooperationResults:
    output_by_year: pd.DataFrame
    top_partners: pd.DataFrame
    by_country: pd.DataFrame


def cooperation_by_country(
    copublications: pd.DataFrame,
    cordis: pd.DataFrame,
    agreements: pd.DataFrame,
    mobility: pd.DataFrame,
    names: dict[str, str],
) -> pd.DataFrame:
    """One row per partner country: every source's measure side by side (0 = none recorded)."""
    years = [*copublications["year"], *mobility["year"]]
    year = int(max(years)) if years else 0
    works = copublications.groupby(["iso2", "year"])["works"].sum().unstack(fill_value=0)
    last = works.get(year, pd.Series(dtype=int))
    earlier = works.get(year - COMPARE_YEARS_BACK, pd.Series(dtype=int))
    eu = cordis.groupby("iso2").agg(
        eu_projects=("projects", "sum"), eu_partner_contribution_eur=("ec_contribution", "sum")
    )
    active = agreements[agreements["status"] == "active"].groupby("iso2").size()
    mobility_year = int(mobility["year"].max()) if len(mobility) else year
    latest = mobility[mobility["year"] == mobility_year]
    students = latest.pivot_table(
        index="iso2", columns="direction", values="students", aggfunc="sum", fill_value=0
    )
    table = pd.DataFrame(
        {
            "copublications": last,
            "copublications_earlier": earlier,
            "eu_projects": eu["eu_projects"] if len(eu) else None,
            "eu_partner_contribution_eur": eu["eu_partner_contribution_eur"] if len(eu) else None,
            "agreements_active": active,
            "students_outgoing": students.get("outgoing"),
            "students_incoming": students.get("incoming"),
        }
    ).fillna(0)
    growth = (table["copublications"] / table["copublications_earlier"] - 1) * 100
    table["copublication_growth_percent"] = growth.where(table["copublications_earlier"] > 0)
    table = table.rename_axis("iso2").reset_index()
    table["country"] = table["iso2"].map(names)
    return table.sort_values(["copublications", "iso2"], ascending=[False, True]).reset_index(
        drop=True
    )


def cooperation_results(
    processed_dir: str,
    figures_dir: str,
    raw_dir: str,
    country_aliases: str,
    languages: list[str],
    stem: str = "22_cooperation_analysis",
) -> CooperationResults:
    """Write the cooperation tables (language-neutral) and draw each figure in every language."""
    output = read_table(processed_dir, "openalex_output_by_year")
    copublications = read_table(processed_dir, "openalex_copublications")
    cordis = read_table(processed_dir, "cordis_partner_countries")
    resolver = CountryResolver(resolve(country_aliases))
    everywhere = set(copublications["iso2"]) | set(cordis["iso2"])
    agreements = read_table(processed_dir, "agreements")
    mobility = read_table(processed_dir, "mobility")
    everywhere |= set(agreements["iso2"]) | set(mobility["iso2"])
    by_country = write_table(
        cooperation_by_country(
            copublications,
            cordis,
            agreements,
            mobility,
            {code: resolver.name(code) for code in everywhere},
        ),
        processed_dir,
        "cooperation_by_country",
        BY_COUNTRY,
        csv_copy=True,
    )
    year = int(copublications["year"].max()) if len(copublications) else 0
    latest = copublications[copublications["year"] == year]
    earlier = copublications[copublications["year"] == year - COMPARE_YEARS_BACK]
    top = latest.nlargest(TOP_N, "works").copy()
    top["works_earlier"] = top["iso2"].map(earlier.set_index("iso2")["works"]).astype("Int64")
    top["change_percent"] = (top["works"] / top["works_earlier"] - 1).astype(float) * 100
    top = write_table(top, processed_dir, "cooperation_top_partners", TOP_PARTNERS)

    fields = read_table(processed_dir, "openalex_fields_by_partner")
    for pub in Publisher.for_languages(stem, figures_dir, raw_dir, languages):
        draw_cooperation_figures(pub, output, top, by_country, fields, resolver)
    return CooperationResults(output_by_year=output, top_partners=top, by_country=by_country)


def draw_cooperation_figures(
    pub: Publisher,
    output: pd.DataFrame,
    top: pd.DataFrame,
    by_country: pd.DataFrame,
    fields: pd.DataFrame,
    resolver: CountryResolver,
) -> None:
    """The cooperation figures in ``pub.lang``; the data beside each holds keys, not names."""
    lang = pub.lang
    source = t("cooperation.source_openalex", lang)
    if len(output) and len(top):  # without OpenAlex answers there is nothing to draw here
        _draw_openalex_figures(pub, output, top, resolver, source)
    eu_top = by_country[by_country["eu_projects"] > 0].nlargest(TOP_N, "eu_projects")
    if len(eu_top):
        _draw_eu_figure(pub, eu_top, resolver)
    if len(fields):
        _draw_field_mix(pub, fields, source, resolver)


def _draw_openalex_figures(
    pub: Publisher,
    output: pd.DataFrame,
    top: pd.DataFrame,
    resolver: CountryResolver,
    source: str,
) -> None:
    lang = pub.lang
    year = int(top["year"].max())
    first, last = output.iloc[0], output.iloc[-1]
    pub.figure(
        international_share(
            output,
            title=t("cooperation.international_heading", lang),
            ylabel=t("cooperation.international_axis", lang),
            percent=lambda value: share(value, lang),
            hover=lambda row: t(
                "cooperation.international_hover",
                lang,
                year=int(row["year"]),
                share=share(row["international_share"], lang),
                international=number(row["international_works"], lang),
                works=number(row["works"], lang),
            ),
        ),
        "international_share",
        title=t("cooperation.international_title", lang),
        caption=t("cooperation.international_caption", lang),
        alt=t(
            "cooperation.international_alt",
            lang,
            first=share(first["international_share"], lang),
            first_year=int(first["year"]),
            last=share(last["international_share"], lang),
            last_year=int(last["year"]),
        ),
        data=output,
        source=source,
    )
    named = top.assign(country=top["iso2"].map(lambda c: resolver.name(c, lang)))
    leader = named.iloc[0]
    pub.figure(
        top_partners(
            named,
            value="works",
            label="country",
            title=t("cooperation.top_heading", lang, top=TOP_N, year=year),
            xlabel=t("cooperation.top_axis", lang),
        ),
        "top_partner_countries",
        title=t("cooperation.top_title", lang, top=TOP_N, year=year),
        caption=t("cooperation.top_caption", lang),
        alt=t(
            "cooperation.top_alt",
            lang,
            year=year,
            country=leader["country"],
            works=number(leader["works"], lang),
        ),
        data=top.drop(columns="country"),
        source=source,
    )


def _draw_eu_figure(pub: Publisher, eu_top: pd.DataFrame, resolver: CountryResolver) -> None:
    lang = pub.lang
    eu_top = eu_top.assign(country=eu_top["iso2"].map(lambda c: resolver.name(c, lang)))
    eu_leader = eu_top.iloc[0]
    pub.figure(
        top_partners(
            eu_top,
            value="eu_projects",
            label="country",
            title=t("cooperation.eu_heading", lang, top=TOP_N),
            xlabel=t("cooperation.eu_axis", lang),
        ),
        "eu_project_partners",
        title=t("cooperation.eu_title", lang),
        caption=t("cooperation.eu_caption", lang),
        alt=t(
            "cooperation.eu_alt",
            lang,
            country=eu_leader["country"],
            projects=number(eu_leader["eu_projects"], lang),
        ),
        data=eu_top.drop(columns="country"),
        source=t("cooperation.source_cordis", lang),
    )


def _draw_field_mix(
    pub: Publisher, fields: pd.DataFrame, source: str, resolver: CountryResolver
) -> None:
    lang = pub.lang
    if len(fields):
        named_fields = fields.assign(
            country=fields["iso2"].map(lambda c: resolver.name(c, lang)),
            field=fields["field"].map(lambda name: field_name(name, lang)),
        )
        pub.figure(
            field_mix(
                named_fields,
                title=t("cooperation.fields_heading", lang),
                colour_label=t("cooperation.fields_colour", lang),
            ),
            "field_mix",
            title=t("cooperation.fields_title", lang),
            caption=t("cooperation.fields_caption", lang),
            alt=t("cooperation.fields_alt", lang),
            data=fields,
            source=source,
        )
