"""The cooperation analysis step: results tables and figures of the cooperation landscape."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import Check, Column

from analysis.figures import Publisher
from analysis.plots import international_share, top_partners
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


@dataclass
class CooperationResults:
    output_by_year: pd.DataFrame
    top_partners: pd.DataFrame


def cooperation_results(
    processed_dir: str, figures_dir: str, raw_dir: str, stem: str = "22_cooperation_analysis"
) -> CooperationResults:
    output = read_table(processed_dir, "openalex_output_by_year")
    copublications = read_table(processed_dir, "openalex_copublications")
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
    return CooperationResults(output_by_year=output, top_partners=top)
