"""The report's chapters: narrative sentences, figures and tables from the results tables.

The report notebook holds the prose and calls these in order. Figures were drawn and saved by
the analysis steps (2x notebooks); numbers in sentences come from the results tables through
``Findings``, never typed, so the text cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.countries import CountryResolver
from analysis.figures import Publisher, say
from analysis.io import write_csv_for_people
from analysis.paths import resolve
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook, load_codebook
from analysis.survey.results import group_labels
from analysis.tables import read_table

SURVEY_FIGURES = "21_survey_analysis"
COOPERATION_FIGURES = "22_cooperation_analysis"


@dataclass
class ReportData:
    """Everything the report shows, read from ``data/processed/``."""

    respondents: pd.DataFrame
    survey_accounting: pd.DataFrame
    survey_reads: pd.DataFrame
    agreement: pd.DataFrame
    readiness: pd.DataFrame
    mentions: pd.DataFrame
    comment_themes: pd.DataFrame
    output_by_year: pd.DataFrame
    top_partners: pd.DataFrame
    by_country: pd.DataFrame
    screening: pd.DataFrame
    scores: pd.DataFrame
    sensitivity: pd.DataFrame
    cooperation_accounting: pd.DataFrame
    codebook: Codebook
    resolver: CountryResolver
    lang: str
    min_cell: int

    def label(self, item_id: str) -> str:
        return self.codebook.items[item_id].text[self.lang]


@dataclass
class Findings:
    """Key results as named values, from which the summary's sentences are written."""

    values: dict[str, object] = field(default_factory=dict)

    def __setitem__(self, key: str, value: object) -> None:
        self.values[key] = value

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"finding": list(self.values), "value": list(self.values.values())})


def load_report_data(
    processed_dir: str, codebook: str, country_aliases: str, lang: str, min_cell: int
) -> ReportData:
    def table(name: str) -> pd.DataFrame:
        return read_table(processed_dir, name)

    return ReportData(
        respondents=table("survey_respondents")[["respondent_key", "organisation_key", "comment"]],
        survey_accounting=table("survey_accounting"),
        survey_reads=table("survey_reads"),
        agreement=table("survey_agreement"),
        readiness=table("survey_readiness"),
        mentions=table("survey_country_mentions"),
        comment_themes=table("survey_comment_themes"),
        output_by_year=table("openalex_output_by_year"),
        top_partners=table("cooperation_top_partners"),
        by_country=table("cooperation_by_country"),
        screening=table("screening_by_country"),
        scores=table("country_scores"),
        sensitivity=table("scoring_sensitivity"),
        cooperation_accounting=table("cooperation_accounting"),
        codebook=load_codebook(resolve(codebook)),
        resolver=CountryResolver(resolve(country_aliases)),
        lang=lang,
        min_cell=int(min_cell),
    )


def _overall(table: pd.DataFrame, value: str) -> pd.DataFrame:
    return table[(table["org_type"] == ALL) & (table["suppressed"] == "")].dropna(subset=[value])


def _shown_mentions(data: ReportData, item_id: str) -> pd.DataFrame:
    mentions = data.mentions[(data.mentions["item_id"] == item_id)]
    return mentions[mentions["suppressed"] == ""].sort_values(
        ["respondents", "iso2"], ascending=[False, True]
    )


def compute_findings(data: ReportData) -> Findings:
    """Every number the executive summary uses, read from the results tables."""
    f = Findings()
    output = data.output_by_year
    f["respondents"] = len(data.respondents)
    f["organisations"] = int(data.respondents["organisation_key"].nunique())
    f["first_year"] = int(output["year"].min())
    f["last_year"] = int(output["year"].max())
    f["international_share_first"] = float(output.iloc[0]["international_share"])
    f["international_share_last"] = float(output.iloc[-1]["international_share"])
    leader = data.top_partners.sort_values("works", ascending=False).iloc[0]
    f["top_partner"] = leader["country"]
    f["top_partner_works"] = int(leader["works"])
    for block in ("threats", "opportunities"):
        overall = _overall(data.agreement[data.agreement["block"] == block], "share_agree")
        top = overall.sort_values("share_agree", ascending=False).iloc[0]
        f[f"{block}_top_item"] = data.label(top["item_id"])
        f[f"{block}_top_share"] = float(top["share_agree"])
    weakest = _overall(data.readiness, "readiness").sort_values("readiness").iloc[0]
    f["preparedness_weakest_item"] = data.label(weakest["item_id"])
    f["preparedness_weakest_share_yes"] = float(weakest["share_yes"])
    concern = _shown_mentions(data, "concern_countries")
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
    if "concern_top_country" in f:
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
    path = resolve(processed_dir) / "report_findings.csv"
    write_csv_for_people(findings.table(), path)
    return path


def scope(data: ReportData, pub: Publisher, findings: Findings) -> None:
    say(
        f"The survey part rests on **{findings['respondents']} accepted responses** from "
        f"**{findings['organisations']} organisations**; the cooperation part on "
        f"co-publication counts for {findings['first_year']}–{findings['last_year']}. "
        f"Groups with fewer than {data.min_cell} respondents are not shown anywhere in this "
        "report."
        + (
            " **All figures here are synthetic demo data, not real figures.**"
            if pub.synthetic
            else ""
        )
    )


def cooperation_landscape(data: ReportData, pub: Publisher) -> None:
    last = data.output_by_year.iloc[-1]
    first = data.output_by_year.iloc[0]
    say(
        f"In {int(last['year'])}, **{last['international_share']:.0%}** of the works with a "
        f"Finnish institution had at least one co-author abroad "
        f"({int(last['international_works']):,} of {int(last['works']):,}), against "
        f"{first['international_share']:.0%} in {int(first['year'])}.".replace(",", " ")
    )
    pub.show_saved(f"{COOPERATION_FIGURES}__international_share")
    pub.show_saved(f"{COOPERATION_FIGURES}__top_partner_countries")
    top = data.top_partners
    year = int(top["year"].iloc[0])
    pub.table(
        top[["country", "works", "works_earlier", "change_percent"]]
        .round(1)
        .rename(
            columns={
                "country": "Country",
                "works": f"Works {year}",
                "works_earlier": f"Works {year - 5}",
                "change_percent": "Change (%)",
            }
        ),
        title=f"Co-publications with the top partner countries, {year} and {year - 5}",
    )
    say(
        "EU framework programme projects add the partners with whom Finnish organisations "
        "share funded projects; institutions' agreement registers and mobility statistics add "
        "education and exchange. The table puts every source side by side for the twenty "
        "largest partners by co-publications."
    )
    pub.show_saved(f"{COOPERATION_FIGURES}__eu_project_partners")
    pub.show_saved(f"{COOPERATION_FIGURES}__field_mix")
    columns = {
        "country": "Country",
        "copublications": f"Co-publications {year}",
        "eu_projects": "EU projects with FI",
        "agreements_active": "Active agreements",
        "students_outgoing": "Students out",
        "students_incoming": "Students in",
    }
    pub.table(
        data.by_country.head(20)[list(columns)]
        .astype({c: int for c in list(columns)[1:]})
        .rename(columns=columns),
        title="Partner countries in every source",
        caption="Co-publications: OpenAlex; EU projects: CORDIS, projects with at least one "
        "Finnish participant; agreements: the institutions' registers in the data (active "
        "ones); students: the latest year of the mobility statistics. 0 means none recorded.",
    )


def survey_block(data: ReportData, pub: Publisher, block: str) -> None:
    noun = "threat" if block == "threats" else "opportunity"
    overall = _overall(data.agreement[data.agreement["block"] == block], "share_agree")
    top = overall.sort_values("share_agree", ascending=False).iloc[0]
    say(
        f"The {noun} most often rated significant is **{data.label(top['item_id']).lower()}**: "
        f"{top['share_agree']:.0%} of respondents agree (95 % interval "
        f"{top['ci_low']:.0%}–{top['ci_high']:.0%}, n = {int(top['n'])})."
    )
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_likert")
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_by_org_type")


def countries_named(data: ReportData, pub: Publisher) -> None:
    for item_id, key in (
        ("concern_countries", "concern"),
        ("opportunity_countries", "opportunity"),
    ):
        shown = _shown_mentions(data, item_id).head(10).copy()
        shown["country"] = shown["iso2"].map(lambda c: data.resolver.name(c, data.lang))
        hidden = int(
            ((data.mentions["item_id"] == item_id) & (data.mentions["suppressed"] != "")).sum()
        )
        pub.table(
            shown.assign(share=(shown["share"].astype(float) * 100).round(1))[
                ["country", "respondents", "share"]
            ]
            .astype({"respondents": int})
            .rename(
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


def comments(data: ReportData, pub: Publisher, show_comments: bool) -> None:
    """Comment themes as counts; the comments themselves only when asked for, escaped."""
    themes = data.comment_themes
    commenters = int(themes["commenters"].iloc[0]) if len(themes) else 0
    shown = themes[themes["suppressed"] == ""]
    pub.table(
        shown.assign(share=(shown["share_of_commenters"].astype(float) * 100).round(1))[
            ["label", "respondents", "share"]
        ]
        .astype({"respondents": int})
        .rename(
            columns={
                "label": "Theme",
                "respondents": "Respondents",
                "share": "Share of those who commented (%)",
            }
        ),
        title="Themes of the free-text comments",
        caption=f"{commenters} respondents left a comment; a comment may touch several themes. "
        f"Themes mentioned by fewer than {data.min_cell} respondents are not shown. The "
        "comments themselves are not published.",
    )
    if show_comments:
        texts = data.respondents["comment"].dropna()
        pub.table(
            pd.DataFrame({"Comment": texts[texts.str.strip() != ""].sort_values().tolist()}),
            title="Free-text comments as written",
            caption="Shown because the report was run with show_comments; every character "
            "is printed as text, none is interpreted as markup.",
        )


def preparedness(data: ReportData, pub: Publisher) -> None:
    labels = {i.id: i.text[data.lang] for i in data.codebook.block_items("preparedness")}
    weakest = _overall(data.readiness, "readiness").sort_values("readiness").iloc[0]
    say(
        f"The least widespread arrangement is **{labels[weakest['item_id']].lower()}**: "
        f"{weakest['share_yes']:.0%} of those who answered say it is in place."
    )
    groups = group_labels(data.codebook, data.lang)
    wide = data.readiness.pivot(index="item_id", columns="org_type", values="readiness")
    wide = wide.reindex(list(labels))
    wide.index = [labels[i] for i in wide.index]
    wide = wide[[g for g in groups if g in wide.columns]].rename(columns=groups)
    wide.columns.name = None
    pub.table(
        (wide.astype(float) * 100).round(0).astype("Int64").reset_index(names="Arrangement"),
        title="Readiness index by organisation type (0 = no, 50 = partly, 100 = yes)",
        caption=f'Mean over respondents; "don\'t know" left out; – marks a suppressed cell '
        f"(fewer than {data.min_cell} respondents).",
    )
    pub.show_saved(f"{SURVEY_FIGURES}__threats_vs_preparedness")


def screening(data: ReportData, pub: Publisher) -> None:
    """Counts of confirmed matches and pending reviews by country; never a name."""
    table = data.screening
    confirmed = int(table["institutions_confirmed"].sum())
    pending = int(table["institutions_pending"].sum())
    say(
        "Partner institutions were screened against the reference lists in the data. "
        f"Partner institutions with a match a reviewer confirmed: **{confirmed}**; with "
        f"candidates awaiting review: **{pending}**. Unconfirmed candidates are not "
        "findings: this report shows only counts, and no institution is named."
    )
    shown = table[(table["institutions_confirmed"] > 0) | (table["institutions_pending"] > 0)]
    pub.table(
        shown.assign(country=shown["iso2"].map(lambda c: data.resolver.name(c, data.lang)))[
            ["country", "institutions_confirmed", "institutions_pending"]
        ].rename(
            columns={
                "country": "Country",
                "institutions_confirmed": "Institutions with a confirmed match",
                "institutions_pending": "Institutions awaiting review",
            }
        ),
        title="Partner screening by country",
        caption="Identifier matches first (ROR, OpenAlex id), then names compared token by "
        "token; every candidate is reviewed by a person before it counts.",
    )


def threat_opportunity_matrix(data: ReportData, pub: Publisher) -> None:
    scores = data.scores
    counts = scores["quadrant"].value_counts()
    say(
        f"{len(scores)} partner countries with at least the configured number of "
        "co-publications are scored with the same rules: "
        + ", ".join(f"**{counts[q]}** in *{q}*" for q in counts.index)
        + ". The scores rank countries against each other in this data; they are a starting "
        "point for the group's judgement, not a verdict."
    )
    pub.show_saved("25_threats_opportunities__matrix")
    pub.show_saved("25_threats_opportunities__quadrant_trends")
    shown = scores.sort_values(["quadrant", "threat"], ascending=[True, False])
    pub.table(
        shown.assign(
            country=shown["iso2"].map(lambda c: data.resolver.name(c, data.lang)),
            opportunity=(shown["opportunity"] * 100).round(0).astype(int),
            threat=(shown["threat"] * 100).round(0).astype(int),
            coverage=(shown["coverage"] * 100).round(0).astype(int),
        )[["country", "quadrant", "opportunity", "threat", "coverage"]].rename(
            columns={
                "country": "Country",
                "quadrant": "Quadrant",
                "opportunity": "Opportunity (0–100)",
                "threat": "Threat (0–100)",
                "coverage": "Indicators available (%)",
            }
        ),
        title="Scores and quadrants of the partner countries",
    )
    weights = data.sensitivity[data.sensitivity["variant"] == "random weights (all draws)"]
    lowest = float(weights["spearman_median"].min()) if len(weights) else float("nan")
    say(
        f"**Stability.** With every weight varied at random by up to a quarter, the median rank "
        f"correlation with the published ranking is at least {lowest:.2f}; the table shows the "
        "same for the other normalisations."
    )
    pub.table(
        data.sensitivity.round(2).rename(columns=lambda c: c.replace("_", " ")),
        title="Sensitivity of the ranking to weights and normalisation",
        caption="Spearman rank correlation with the published scores, and the share of "
        "countries whose quadrant changes.",
    )


def recommendations(data: ReportData, pub: Publisher, rules_path: str) -> list[str]:
    """Draft recommendations from the rules file, each filled from this edition's results."""
    import yaml

    from analysis.recommendations import draft_recommendations

    rules = yaml.safe_load(resolve(rules_path).read_text(encoding="utf-8"))["rules"]
    drafts = draft_recommendations(rules, data)
    say(
        "\n".join(f"{number}. {draft.text}" for number, draft in enumerate(drafts, start=1))
        or "No rule's condition holds in this edition's results."
    )
    return [draft.text for draft in drafts]


def since_previous_edition(
    data: ReportData, pub: Publisher, processed_dir: str, previous_edition: str
) -> None:
    if not previous_edition:
        say(
            "No previous edition was given (parameter `previous_edition`), so nothing is "
            "compared. Keep this run's `data/processed/` folder to compare the next edition "
            "with it."
        )
        return
    from analysis.editions import compare_editions

    changes = compare_editions(resolve(processed_dir), resolve(previous_edition))
    name = lambda code: data.resolver.name(code, data.lang)  # noqa: E731
    moves = changes.quadrants
    say(
        f"**{len(moves)}** partner countries changed quadrant since the previous edition."
        if len(moves)
        else "No partner country changed quadrant since the previous edition."
    )
    if len(moves):
        pub.table(
            moves.assign(country=moves["iso2"].map(name))[
                ["country", "quadrant_before", "quadrant"]
            ].rename(
                columns={"country": "Country", "quadrant_before": "Before", "quadrant": "Now"}
            ),
            title="Countries that changed quadrant",
        )
    if len(changes.volume):
        volume = changes.volume
        pub.table(
            volume.assign(country=volume["iso2"].map(name))[
                ["country", "copublications_before", "copublications", "change", "change_percent"]
            ]
            .round(1)
            .rename(
                columns={
                    "country": "Country",
                    "copublications_before": "Before",
                    "copublications": "Now",
                    "change": "Change",
                    "change_percent": "Change (%)",
                }
            ),
            title="Largest changes in co-publications with a partner country",
        )
    if len(changes.survey):
        survey = changes.survey
        pub.table(
            survey.assign(
                item=survey["item_id"].map(data.label),
                before=(survey["share_agree_before"] * 100).round(0),
                now=(survey["share_agree"] * 100).round(0),
                points=survey["change_points"].round(1),
            )[["item", "before", "now", "points"]].rename(
                columns={
                    "item": "Item",
                    "before": "Agree before (%)",
                    "now": "Agree now (%)",
                    "points": "Change (percentage points)",
                }
            ),
            title="Largest changes in the survey's shares agreeing",
        )


def method_of_scoring(pub: Publisher, scoring_model: str) -> None:
    import yaml

    from analysis.matrix import method_table

    model = yaml.safe_load(resolve(scoring_model).read_text(encoding="utf-8"))
    cuts = model["quadrants"]
    sensitivity = model["sensitivity"]
    say(
        f"**Scoring model {model['version']}.** Each indicator is normalised over the scored "
        f"countries by *{model['normalisation']}*, pointed so that 1 means more of its score; "
        "a missing value takes the indicator's median and an indicator equal for all countries "
        "adds nothing. A score is the weighted mean of its indicators. Countries with at least "
        f"{model['min_copublications']} co-publications in the latest year are scored. Quadrant "
        f"cuts: opportunity at {cuts['opportunity_cut']}, threat at {cuts['threat_cut']}. "
        f"Sensitivity: {sensitivity['draws']} draws with every weight multiplied by a factor "
        f"between {1 - sensitivity['weight_perturbation']:.2f} and "
        f"{1 + sensitivity['weight_perturbation']:.2f}, and the other normalisations."
    )
    pub.table(
        method_table(scoring_model),
        title="The scoring model, as configured",
        caption="Read from config/scoring.yaml when this report was built.",
    )


def accounting(data: ReportData, pub: Publisher) -> None:
    survey = data.survey_accounting.set_index("source_file")
    shown = [c for c in survey.columns if not c.startswith("rejected_") or survey[c].sum() > 0]
    table = survey[shown].T
    table["all exports"] = table.sum(axis=1)
    table.index = [
        c.replace("rejected_", "rejected: ")
        .replace("flagged_", "flagged (kept): ")
        .replace("_", " ")
        for c in table.index
    ]
    pub.table(
        table.reset_index(names="Rows"),
        title="Survey rows: read, kept and rejected by reason, per export",
        caption="Every raw row is either kept or rejected with one reason; flagged rows "
        "(speeders, straight-liners) are kept and marked.",
    )
    pub.table(
        data.survey_reads.rename(columns=lambda c: c.replace("_", " ")),
        title="Survey exports as read: format, detected encoding and delimiter",
    )
    pub.table(
        data.cooperation_accounting.rename(columns=lambda c: c.replace("_", " ")),
        title="Co-publication rows: read, kept and rejected, per OpenAlex response",
    )
