"""The report's chapters: each computes its results, shows them and returns them.

The report notebook holds the narrative and calls these in order. Every number in a sentence
comes from a computed table (``Findings``), never typed, so the text cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.countries import CountryResolver
from analysis.figures import Publisher, say
from analysis.paths import resolve
from analysis.survey.analyse import (
    ALL,
    agreement_shares,
    country_mentions,
    likert_distribution,
    preparedness_index,
)
from analysis.survey.codebook import Codebook, load_codebook
from analysis.tables import read_table

SURVEY_SOURCE = "survey of higher education institutions and research organisations"
OPENALEX_SOURCE = "OpenAlex (CC0), works with at least one Finnish institution"


@dataclass
class ReportData:
    respondents: pd.DataFrame
    answers: pd.DataFrame
    countries: pd.DataFrame
    survey_accounting: pd.DataFrame
    survey_rejects: pd.DataFrame
    output_by_year: pd.DataFrame
    copublications: pd.DataFrame
    cooperation_accounting: pd.DataFrame
    codebook: Codebook
    resolver: CountryResolver
    lang: str
    min_cell: int

    def label(self, item_id: str) -> str:
        return self.codebook.items[item_id].text[self.lang]

    def group_labels(self) -> dict[str, str]:
        scale = self.codebook.scales["org_type"]
        labels = {code: scale.label(code, self.lang) for code in scale.codes}
        labels[ALL] = {"en": "All respondents", "fi": "Kaikki vastaajat", "sv": "Alla"}[self.lang]
        return labels


@dataclass
class Findings:
    """Key results as named values, from which the summary's sentences are written."""

    values: dict[str, object] = field(default_factory=dict)

    def __setitem__(self, key: str, value: object) -> None:
        self.values[key] = value

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"finding": list(self.values), "value": list(self.values.values())})


def load_report_data(
    processed_dir: str, codebook: str, country_aliases: str, lang: str, min_cell: int
) -> ReportData:
    def table(name: str) -> pd.DataFrame:
        return read_table(processed_dir, name)

    return ReportData(
        respondents=table("survey_respondents"),
        answers=table("survey_answers"),
        countries=table("survey_countries"),
        survey_accounting=table("survey_accounting"),
        survey_rejects=table("survey_rejects"),
        output_by_year=table("openalex_output_by_year"),
        copublications=table("openalex_copublications"),
        cooperation_accounting=table("cooperation_accounting"),
        codebook=load_codebook(resolve(codebook)),
        resolver=CountryResolver(resolve(country_aliases)),
        lang=lang,
        min_cell=int(min_cell),
    )


def scope(data: ReportData, pub: Publisher) -> None:
    organisations = data.respondents["organisation_key"].nunique()
    say(
        f"The survey part rests on **{len(data.respondents)} accepted responses** from "
        f"**{organisations} organisations**; the cooperation part on co-publication counts for "
        f"{data.output_by_year['year'].min()}–{data.output_by_year['year'].max()}. "
        "Groups with fewer than "
        f"{data.min_cell} respondents are not shown anywhere in this report."
        + (
            " **All figures here are synthetic demo data, not real figures.**"
            if pub.synthetic
            else ""
        )
    )


def cooperation_landscape(data: ReportData, pub: Publisher) -> None:
    output = data.output_by_year
    last = output.iloc[-1]
    first = output.iloc[0]
    say(
        f"In {int(last['year'])}, **{last['international_share']:.0%}** of the works with a "
        f"Finnish institution had at least one co-author abroad "
        f"({int(last['international_works']):,} of {int(last['works']):,}), against "
        f"{first['international_share']:.0%} in {int(first['year'])}.".replace(",", " ")
    )
    pub.figure(
        _international_share_figure(output),
        "international_share",
        title="Internationally co-authored share of Finnish publications by year",
        caption="Share of works with a Finnish institution that also have an author "
        "affiliated in another country.",
        alt="Line chart of the internationally co-authored share of Finnish publications, "
        f"from {first['international_share']:.0%} in {int(first['year'])} to "
        f"{last['international_share']:.0%} in {int(last['year'])}.",
        data=output,
        source=OPENALEX_SOURCE,
    )
    year = int(data.copublications["year"].max())
    latest = data.copublications[data.copublications["year"] == year]
    earlier = data.copublications[data.copublications["year"] == year - 5].set_index("iso2")
    top = latest.nlargest(15, "works").copy()
    top["works_five_years_earlier"] = top["iso2"].map(earlier["works"]).astype("Int64")
    top["change_percent"] = (top["works"] / top["works_five_years_earlier"] - 1) * 100
    leader = top.iloc[0]
    from analysis.plots import top_partners

    pub.figure(
        top_partners(
            top,
            value="works",
            label="country",
            title=f"Top 15 partner countries by co-publications, {year}",
            xlabel="Works co-authored with Finnish institutions",
        ),
        "top_partner_countries",
        title=f"The fifteen countries with most co-publications with Finland in {year}",
        caption="A work counts once for each partner country among its authors' affiliations.",
        alt=f"Bar chart of co-publications by partner country in {year}; "
        f"{leader['country']} is first with {int(leader['works'])} works.",
        data=top,
        source=OPENALEX_SOURCE,
    )
    pub.table(
        top[["country", "works", "works_five_years_earlier", "change_percent"]]
        .round(1)
        .rename(
            columns={
                "country": "Country",
                "works": f"Works {year}",
                "works_five_years_earlier": f"Works {year - 5}",
                "change_percent": "Change (%)",
            }
        ),
        title=f"Co-publications with the top partner countries, {year} and {year - 5}",
    )


def _international_share_figure(output: pd.DataFrame):
    from analysis.plots import international_share

    return international_share(output, title="International co-authorship, share of output")


def survey_block(data: ReportData, pub: Publisher, block: str) -> pd.DataFrame:
    shares = agreement_shares(data.answers, data.respondents, block, "org_type", data.min_cell)
    labels = {i.id: i.text[data.lang] for i in data.codebook.block_items(block)}
    overall = shares[shares["org_type"] == ALL].dropna(subset=["share_agree"])
    overall = overall.sort_values("share_agree", ascending=False)
    top = overall.iloc[0]
    noun, nouns = ("threat", "threats") if block == "threats" else ("opportunity", "opportunities")
    say(
        f"The {noun} most often rated significant is **{labels[top['item_id']].lower()}**: "
        f"{top['share_agree']:.0%} of respondents agree (95 % interval "
        f"{top['ci_low']:.0%}–{top['ci_high']:.0%}, n = {top['n']})."
    )
    from analysis.plots import diverging_likert, share_by_group

    distribution = likert_distribution(
        data.answers, data.respondents, block, "org_type", data.min_cell
    )
    everyone = distribution[distribution["org_type"] == ALL].dropna(subset=["share_1"])
    scale = data.codebook.scales["agree5"]
    pub.figure(
        diverging_likert(
            everyone,
            labels=labels,
            scale_labels=[scale.label(c, data.lang) for c in scale.codes],
            title=f"Answers on each {noun}, all respondents",
        ),
        f"{block}_likert",
        title=f"How significant respondents consider each {noun}",
        caption="Bars are centred on the neutral answer: disagreement to the left, agreement "
        'to the right. "Don\'t know" answers are left out.',
        alt=f"Diverging bar chart of agreement with each {noun}; most agreement for "
        f"{labels[top['item_id']].lower()}.",
        data=everyone,
        source=SURVEY_SOURCE,
    )
    pub.figure(
        share_by_group(
            shares,
            labels=labels,
            group="org_type",
            group_labels=data.group_labels(),
            title=f"Share agreeing (4–5) by organisation type, {nouns}",
            xlabel="Respondents agreeing (%) with 95 % Wilson interval",
        ),
        f"{block}_by_org_type",
        title=f"Share of respondents who rate each {noun} significant, by organisation type",
        caption="Points show the share answering 4 or 5; lines, the 95 % Wilson interval. "
        f"Groups of fewer than {data.min_cell} respondents are suppressed.",
        alt=f"Dot plot of the share agreeing with each {noun} for each type of organisation.",
        data=shares,
        source=SURVEY_SOURCE,
    )
    return shares


def preparedness(data: ReportData, pub: Publisher, threat_shares: pd.DataFrame) -> pd.DataFrame:
    index = preparedness_index(data.answers, data.respondents, "org_type", data.min_cell)
    labels = {i.id: i.text[data.lang] for i in data.codebook.block_items("preparedness")}
    overall = index[index["org_type"] == ALL].dropna(subset=["readiness"])
    weakest = overall.sort_values("readiness").iloc[0]
    say(
        f"The least widespread arrangement is **{labels[weakest['item_id']].lower()}**: "
        f"{weakest['share_yes']:.0%} of those who answered say it is in place."
    )
    wide = index.pivot(index="item_id", columns="org_type", values="readiness").reindex(
        list(labels)
    )
    wide.index = [labels[i] for i in wide.index]
    groups = data.group_labels()
    wide = wide[[g for g in groups if g in wide.columns]].rename(columns=groups)
    wide.columns.name = None
    pub.table(
        (wide.astype(float) * 100).round(0).astype("Int64").reset_index(names="Arrangement"),
        title="Readiness index by organisation type (0 = no, 50 = partly, 100 = yes)",
        caption=f'Mean over respondents; "don\'t know" left out; – marks a suppressed cell '
        f"(fewer than {data.min_cell} respondents).",
    )
    threats = threat_shares.groupby("org_type")["share_agree"].apply(
        lambda s: pd.to_numeric(s, errors="coerce").mean()
    )
    ready = index.groupby("org_type")["readiness"].apply(
        lambda s: pd.to_numeric(s, errors="coerce").mean()
    )
    points = pd.DataFrame({"threat_share": threats, "readiness": ready}).dropna()
    points = points.drop(index=ALL, errors="ignore").reset_index(names="group")
    points["label"] = points["group"].map(groups)
    from analysis.plots import threats_against_preparedness

    pub.figure(
        threats_against_preparedness(
            points,
            title="Concern about threats against readiness",
            xlabel="Readiness index (mean over arrangements, %)",
            ylabel="Share agreeing threats are significant (mean, %)",
        ),
        "threats_vs_preparedness",
        title="Where concern is high and preparation low",
        caption="Each point is a type of organisation: the mean share agreeing over the ten "
        "threats, against the mean readiness over the eleven arrangements.",
        alt="Scatter plot of mean threat concern against mean readiness by organisation type.",
        data=points,
        source=SURVEY_SOURCE,
    )
    return index


def countries_named(data: ReportData, pub: Publisher) -> None:
    for item_id, key in (
        ("concern_countries", "concern"),
        ("opportunity_countries", "opportunity"),
    ):
        table = country_mentions(data.countries, data.respondents, item_id, data.min_cell)
        shown = table[table["suppressed"] == ""].head(10).copy()
        shown["country"] = shown["iso2"].map(lambda c: data.resolver.name(c, data.lang))
        hidden = int((table["suppressed"] != "").sum())
        pub.table(
            shown.assign(share=(shown["share"].astype(float) * 100).round(1))[
                ["country", "respondents", "share"]
            ].rename(
                columns={
                    "country": "Country",
                    "respondents": "Respondents",
                    "share": "Share of respondents (%)",
                }
            ),
            title=f"Countries or regions named most often as of particular {key}",
            caption=f"Each respondent counted once per country. {hidden} further countries "
            f"were named by fewer than {data.min_cell} respondents and are not shown.",
        )


def accounting(data: ReportData, pub: Publisher) -> None:
    survey = data.survey_accounting
    columns = {c: c.replace("rejected_", "rejected: ").replace("_", " ") for c in survey.columns}
    non_zero = [c for c in survey.columns if not c.startswith("rejected_") or survey[c].sum() > 0]
    pub.table(
        survey[non_zero].rename(columns=columns),
        title="Survey rows: read, kept and rejected by reason, per export",
        caption="Every raw row is either kept or rejected with one reason; flagged rows "
        "(speeders, straight-liners) are kept and marked.",
    )
    pub.table(
        data.cooperation_accounting,
        title="Co-publication rows: read, kept and rejected, per OpenAlex response",
    )


def compute_findings(data: ReportData) -> Findings:
    """Every number the executive summary uses, computed with the chapters' own functions."""
    f = Findings()
    output = data.output_by_year
    f["respondents"] = len(data.respondents)
    f["organisations"] = int(data.respondents["organisation_key"].nunique())
    f["first_year"] = int(output["year"].min())
    f["last_year"] = int(output["year"].max())
    f["international_share_first"] = float(output.iloc[0]["international_share"])
    f["international_share_last"] = float(output.iloc[-1]["international_share"])
    latest = data.copublications[data.copublications["year"] == f["last_year"]]
    leader = latest.nlargest(1, "works").iloc[0]
    f["top_partner"] = leader["country"]
    f["top_partner_works"] = int(leader["works"])
    for block in ("threats", "opportunities"):
        shares = agreement_shares(data.answers, data.respondents, block, "org_type", data.min_cell)
        overall = shares[shares["org_type"] == ALL].dropna(subset=["share_agree"])
        top = overall.sort_values("share_agree", ascending=False).iloc[0]
        f[f"{block}_top_item"] = data.label(top["item_id"])
        f[f"{block}_top_share"] = float(top["share_agree"])
    index = preparedness_index(data.answers, data.respondents, "org_type", data.min_cell)
    overall = index[index["org_type"] == ALL].dropna(subset=["readiness"])
    weakest = overall.sort_values("readiness").iloc[0]
    f["preparedness_weakest_item"] = data.label(weakest["item_id"])
    f["preparedness_weakest_share_yes"] = float(weakest["share_yes"])
    concern = country_mentions(data.countries, data.respondents, "concern_countries", data.min_cell)
    concern = concern[concern["suppressed"] == ""]
    if len(concern):
        f["concern_top_country"] = data.resolver.name(concern.iloc[0]["iso2"], data.lang)
        f["concern_top_share"] = float(concern.iloc[0]["share"])
    return f


def summary_sentences(findings: Findings, synthetic: bool) -> list[str]:
    """The executive summary, written only from ``findings``."""
    f = findings
    sentences = [
        f"International co-authorship rose from {f['international_share_first']:.0%} to "
        f"{f['international_share_last']:.0%} of Finnish publications between "
        f"{f['first_year']} and {f['last_year']}; the largest partner is {f['top_partner']} "
        f"({f['top_partner_works']:,} co-publications in {f['last_year']}).".replace(",", " "),
        f"Respondents most often rate {str(f['threats_top_item']).lower()} as a significant "
        f"threat ({f['threats_top_share']:.0%} agree) and "
        f"{str(f['opportunities_top_item']).lower()} as a significant opportunity "
        f"({f['opportunities_top_share']:.0%}).",
        f"The least widespread safeguard is {str(f['preparedness_weakest_item']).lower()}, "
        f"in place according to {f['preparedness_weakest_share_yes']:.0%} of respondents.",
    ]
    if "concern_top_country" in f.values:
        sentences.append(
            f"{f['concern_top_country']} is the country most often named as of particular "
            f"concern ({f['concern_top_share']:.0%} of respondents)."
        )
    if synthetic:
        sentences.append("These sentences describe synthetic demo data, not real figures.")
    return sentences


def executive_summary(findings: Findings, pub: Publisher) -> list[str]:
    sentences = summary_sentences(findings, pub.synthetic)
    say("\n".join(f"- {s}" for s in sentences))
    return sentences


def write_findings(findings: Findings, processed_dir: str) -> Path:
    """Keep the findings as a table, so the summary can be checked against it."""
    from analysis.io import write_csv_for_people

    path = resolve(processed_dir) / "report_findings.csv"
    write_csv_for_people(findings.table(), path)
    return path
