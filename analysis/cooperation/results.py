"""The cooperation analysis step: results tables and figures of the cooperation landscape."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.countries import CountryResolver
from analysis.figures import Publisher
from analysis.paths import resolve
from analysis.plots import field_mix, international_share, top_partners
from analysis.tables import read_table, write_table

SOURCE = "OpenAlex (CC0), works with at least one Finnish institution"
TOP_N = 15
COMPARE_YEARS_BACK = 5

TOP_PARTNERS = pa.DataFrameSchema(
    {
        "year": Column(int),
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "country": Column(str),
        "works": Column(int, Check.ge(0)),
        "works_earlier": Column("Int64", Check.ge(0), nullable=True),
        "change_percent": Column(float, nullable=True),
    },
    strict=True,
    coerce=True,
)


BY_COUNTRY = pa.DataFrameSchema(
    {
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "country": Column(str),
        "copublications": Column(int, Check.ge(0)),
        "copublications_earlier": Column(int, Check.ge(0)),
        "copublication_growth_percent": Column(float, nullable=True),
        "eu_projects": Column(int, Check.ge(0)),
        "eu_partner_contribution_eur": Column(float, Check.ge(0)),
        "agreements_active": Column(int, Check.ge(0)),
        "students_outgoing": Column(int, Check.ge(0)),
        "students_incoming": Column(int, Check.ge(0)),
    },
    strict=True,
    coerce=True,
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
    year = int(copublications["year"].max())
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
    stem: str = "22_cooperation_analysis",
) -> CooperationResults:
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
    year = int(copublications["year"].max())
    latest = copublications[copublications["year"] == year]
    earlier = copublications[copublications["year"] == year - COMPARE_YEARS_BACK]
    top = latest.nlargest(TOP_N, "works").copy()
    top["works_earlier"] = top["iso2"].map(earlier.set_index("iso2")["works"]).astype("Int64")
    top["change_percent"] = (top["works"] / top["works_earlier"] - 1).astype(float) * 100
    top = write_table(top, processed_dir, "cooperation_top_partners", TOP_PARTNERS)

    pub = Publisher.for_notebook(stem, figures_dir, raw_dir)
    first, last = output.iloc[0], output.iloc[-1]
    pub.figure(
        international_share(output, title="International co-authorship, share of output"),
        "international_share",
        title="Internationally co-authored share of Finnish publications by year",
        caption="Share of works with a Finnish institution that also have an author "
        "affiliated in another country.",
        alt="Line chart of the internationally co-authored share of Finnish publications, "
        f"from {first['international_share']:.0%} in {int(first['year'])} to "
        f"{last['international_share']:.0%} in {int(last['year'])}.",
        data=output,
        source=SOURCE,
    )
    leader = top.iloc[0]
    pub.figure(
        top_partners(
            top,
            value="works",
            label="country",
            title=f"Top {TOP_N} partner countries by co-publications, {year}",
            xlabel="Works co-authored with Finnish institutions",
        ),
        "top_partner_countries",
        title=f"The {TOP_N} countries with most co-publications with Finland in {year}",
        caption="A work counts once for each partner country among its authors' affiliations.",
        alt=f"Bar chart of co-publications by partner country in {year}; "
        f"{leader['country']} is first with {int(leader['works'])} works.",
        data=top,
        source=SOURCE,
    )
    eu_top = by_country[by_country["eu_projects"] > 0].nlargest(TOP_N, "eu_projects")
    eu_leader = eu_top.iloc[0]
    pub.figure(
        top_partners(
            eu_top,
            value="eu_projects",
            label="country",
            title=f"EU framework programme projects with a Finnish participant, top {TOP_N} "
            "partner countries",
            xlabel="Projects with at least one participant from the country",
        ),
        "eu_project_partners",
        title="Partner countries in EU framework programme projects with a Finnish participant",
        caption="Projects counted once per partner country, all start years in the data.",
        alt=f"Bar chart of EU projects by partner country; {eu_leader['country']} is first "
        f"with {int(eu_leader['eu_projects'])} projects.",
        data=eu_top,
        source="CORDIS (European Commission), Horizon Europe projects",
    )
    fields = read_table(processed_dir, "openalex_fields_by_partner")
    if len(fields):
        fields = fields.assign(country=fields["iso2"].map(resolver.name))
        pub.figure(
            field_mix(fields, title="Field mix of co-publications with the largest partners"),
            "field_mix",
            title="What Finland co-publishes with its largest partners, by field",
            caption="Each row is a partner country: the share of its co-publications with Finnish "
            "institutions in each of the ten largest OpenAlex fields (primary topic).",
            alt="Heat map of the field shares of co-publications for each large partner country.",
            data=fields,
            source=SOURCE,
        )
    return CooperationResults(output_by_year=output, top_partners=top, by_country=by_country)
