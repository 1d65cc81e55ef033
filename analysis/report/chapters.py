"""The report's chapters: narrative sentences, figures and tables from the results tables.

The report notebook holds the prose and calls these in order. Figures were drawn and saved by
the analysis steps (2x notebooks); numbers in sentences come from the results tables through
``Findings``, never typed, so the text cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_csv_for_people
from analysis.i18n import number, pick, reason_text, share, t
from analysis.reference.countries import CountryResolver
from analysis.steps.survey_analysis import group_labels, readiness_by_group
from analysis.survey.analyse import ALL
from analysis.survey.codebook import Codebook, load_codebook

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
    f["top_partner"] = data.resolver.name(leader["iso2"], data.lang)
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


def summary_sentences(findings: Findings, synthetic: bool, lang: str = "en") -> list[str]:
    """The executive summary, written only from ``findings``."""
    f = findings
    rose = f["international_share_last"] >= f["international_share_first"]
    sentences = [
        t(
            "summary.international_rose" if rose else "summary.international_fell",
            lang,
            first=share(f["international_share_first"], lang),
            last=share(f["international_share_last"], lang),
            first_year=f["first_year"],
            last_year=f["last_year"],
            partner=f["top_partner"],
            works=number(f["top_partner_works"], lang),
        ),
        t(
            "summary.survey_top",
            lang,
            threat=str(f["threats_top_item"]).lower(),
            threat_share=share(f["threats_top_share"], lang),
            opportunity=str(f["opportunities_top_item"]).lower(),
            opportunity_share=share(f["opportunities_top_share"], lang),
        ),
        t(
            "summary.weakest_safeguard",
            lang,
            item=str(f["preparedness_weakest_item"]).lower(),
            share=share(f["preparedness_weakest_share_yes"], lang),
        ),
    ]
    if "concern_top_country" in f:
        sentences.append(
            t(
                "summary.concern_country",
                lang,
                country=f["concern_top_country"],
                share=share(f["concern_top_share"], lang),
            )
        )
    if synthetic:
        sentences.append(t("summary.synthetic", lang))
    return sentences


def executive_summary(findings: Findings, pub: Publisher) -> list[str]:
    sentences = summary_sentences(findings, pub.synthetic, pub.lang)
    say("\n".join(f"- {s}" for s in sentences))
    return sentences


def write_findings(findings: Findings, processed_dir: str) -> Path:
    """Keep the findings as a table, so the summary can be checked against it."""
    path = resolve(processed_dir) / "report_findings.csv"
    write_csv_for_people(findings.table(), path)
    return path


def scope(data: ReportData, pub: Publisher, findings: Findings) -> None:
    lang = data.lang
    text = t(
        "scope.basis",
        lang,
        respondents=findings["respondents"],
        organisations=findings["organisations"],
        first_year=findings["first_year"],
        last_year=findings["last_year"],
        min_cell=data.min_cell,
    )
    say(text + (" " + t("scope.synthetic", lang) if pub.synthetic else ""))


def _country_names(data: ReportData, codes: pd.Series) -> pd.Series:
    return codes.map(lambda c: data.resolver.name(c, data.lang))


def cooperation_landscape(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    last = data.output_by_year.iloc[-1]
    first = data.output_by_year.iloc[0]
    say(
        t(
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
        top.assign(country=_country_names(data, top["iso2"]))[
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
    say(t("landscape.sources", lang))
    pub.show_saved(f"{COOPERATION_FIGURES}__eu_project_partners")
    pub.show_saved(f"{COOPERATION_FIGURES}__field_mix")
    columns = {
        "country": t("column.country", lang),
        "copublications": t("column.copublications_in", lang, year=year),
        "eu_projects": t("column.eu_projects", lang),
        "agreements_active": t("column.agreements_active", lang),
        "students_outgoing": t("column.students_outgoing", lang),
        "students_incoming": t("column.students_incoming", lang),
    }
    table = data.by_country.head(20)
    pub.table(
        table.assign(country=_country_names(data, table["iso2"]))[list(columns)]
        .astype({c: int for c in list(columns)[1:]})
        .rename(columns=columns),
        title=t("landscape.sources_table", lang),
        caption=t("landscape.sources_caption", lang),
    )


def survey_block(data: ReportData, pub: Publisher, block: str) -> None:
    lang = data.lang
    overall = _overall(data.agreement[data.agreement["block"] == block], "share_agree")
    top = overall.sort_values("share_agree", ascending=False).iloc[0]
    say(
        t(
            f"survey.top_{block}",
            lang,
            item=data.label(top["item_id"]).lower(),
            share=share(top["share_agree"], lang),
            low=share(top["ci_low"], lang),
            high=share(top["ci_high"], lang),
            n=int(top["n"]),
        )
    )
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_likert")
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_by_org_type")


def countries_named(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    for item_id, key in (
        ("concern_countries", "concern"),
        ("opportunity_countries", "opportunity"),
    ):
        shown = _shown_mentions(data, item_id).head(10).copy()
        shown["country"] = _country_names(data, shown["iso2"])
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
                    "country": t("column.country", lang),
                    "respondents": t("column.respondents", lang),
                    "share": t("column.share_of_respondents", lang),
                }
            ),
            title=t(f"countries.title_{key}", lang),
            caption=t("countries.caption", lang, hidden=hidden, min_cell=data.min_cell),
        )


def comments(data: ReportData, pub: Publisher, show_comments: bool) -> None:
    """Comment themes as counts; the comments themselves only when asked for, escaped."""
    lang = data.lang
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
                "label": t("column.theme", lang),
                "respondents": t("column.respondents", lang),
                "share": t("column.share_of_commenters", lang),
            }
        ),
        title=t("comments.title", lang),
        caption=t("comments.caption", lang, commenters=commenters, min_cell=data.min_cell),
    )
    if show_comments:
        texts = data.respondents["comment"].dropna()
        pub.table(
            pd.DataFrame(
                {t("column.comment", lang): texts[texts.str.strip() != ""].sort_values().tolist()}
            ),
            title=t("comments.shown_title", lang),
            caption=t("comments.shown_caption", lang),
        )


def preparedness(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    labels = {i.id: i.text[lang] for i in data.codebook.block_items("preparedness")}
    weakest = _overall(data.readiness, "readiness").sort_values("readiness").iloc[0]
    say(
        t(
            "preparedness.weakest",
            lang,
            item=labels[weakest["item_id"]].lower(),
            share=share(weakest["share_yes"], lang),
        )
    )
    groups = group_labels(data.codebook, lang)
    pub.table(
        readiness_by_group(data.readiness, "org_type", groups, lang, data.codebook),
        title=t("preparedness.table_title", lang),
        caption=t("preparedness.table_caption", lang, min_cell=data.min_cell),
    )
    pub.show_saved(f"{SURVEY_FIGURES}__threats_vs_preparedness")


def screening(data: ReportData, pub: Publisher) -> None:
    """Counts of confirmed matches and pending reviews by country; never a name."""
    lang = data.lang
    table = data.screening
    confirmed = int(table["institutions_confirmed"].sum())
    pending = int(table["institutions_pending"].sum())
    say(t("screening.summary", lang, confirmed=confirmed, pending=pending))
    shown = table[(table["institutions_confirmed"] > 0) | (table["institutions_pending"] > 0)]
    pub.table(
        shown.assign(country=_country_names(data, shown["iso2"]))[
            ["country", "institutions_confirmed", "institutions_pending"]
        ].rename(
            columns={
                "country": t("column.country", lang),
                "institutions_confirmed": t("column.institutions_confirmed", lang),
                "institutions_pending": t("column.institutions_pending", lang),
            }
        ),
        title=t("screening.table_title", lang),
        caption=t("screening.table_caption", lang),
    )


def _quadrant_names(data: ReportData, model_path: str) -> dict[str, str]:
    import yaml

    model = yaml.safe_load(resolve(model_path).read_text(encoding="utf-8"))
    return {key: pick(name, data.lang) for key, name in model["quadrants"]["names"].items()}


def threat_opportunity_matrix(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    scores = data.scores  # quadrants were named in the report's language by the scoring step
    counts = scores["quadrant"].value_counts()
    say(
        t(
            "matrix.summary",
            lang,
            countries=len(scores),
            counts=", ".join(
                t("matrix.quadrant_count", lang, count=counts[q], quadrant=q) for q in counts.index
            ),
        )
    )
    pub.show_saved("25_threats_opportunities__matrix")
    pub.show_saved("25_threats_opportunities__quadrant_trends")
    shown = scores.sort_values(["quadrant", "threat"], ascending=[True, False])
    pub.table(
        shown.assign(
            country=_country_names(data, shown["iso2"]),
            opportunity=(shown["opportunity"] * 100).round(0).astype(int),
            threat=(shown["threat"] * 100).round(0).astype(int),
            coverage=(shown["coverage"] * 100).round(0).astype(int),
        )[["country", "quadrant", "opportunity", "threat", "coverage"]].rename(
            columns={
                "country": t("column.country", lang),
                "quadrant": t("column.quadrant", lang),
                "opportunity": t("column.opportunity_score", lang),
                "threat": t("column.threat_score", lang),
                "coverage": t("column.coverage", lang),
            }
        ),
        title=t("matrix.table_title", lang),
    )
    weights = data.sensitivity[data.sensitivity["variant"] == "random weights (all draws)"]
    lowest = float(weights["spearman_median"].min()) if len(weights) else float("nan")
    say(t("matrix.stability", lang, lowest=number(lowest, lang, 2)))
    sensitivity = data.sensitivity.round(2)
    sensitivity["variant"] = sensitivity["variant"].map(lambda v: _variant_name(v, lang))
    sensitivity["score"] = sensitivity["score"].map(lambda d: t(f"dimension.{d}", lang))
    pub.table(
        sensitivity.rename(columns=lambda c: t(f"column.sensitivity.{c}", lang)),
        title=t("matrix.sensitivity_title", lang),
        caption=t("matrix.sensitivity_caption", lang),
    )


def _variant_name(variant: str, lang: str) -> str:
    """Sensitivity variants are written by the scoring step in English; name them in ``lang``."""
    if variant == "random weights (all draws)":
        return t("sensitivity.random_weights", lang)
    if variant.startswith("normalisation: "):
        method = variant.removeprefix("normalisation: ")
        return t("sensitivity.normalisation", lang, method=t(f"normalisation.{method}", lang))
    return variant


def recommendations(data: ReportData, pub: Publisher, rules_path: str) -> list[str]:
    """Draft recommendations from the rules file, each filled from this edition's results."""
    import yaml

    from analysis.scoring.recommendations import draft_recommendations

    rules = yaml.safe_load(resolve(rules_path).read_text(encoding="utf-8"))["rules"]
    drafts = draft_recommendations(rules, data)
    say(
        "\n".join(f"{number}. {draft.text}" for number, draft in enumerate(drafts, start=1))
        or t("recommendations.none", data.lang)
    )
    return [draft.text for draft in drafts]


def since_previous_edition(
    data: ReportData,
    pub: Publisher,
    processed_dir: str,
    previous_edition: str,
    scoring_model: str = "config/scoring.yaml",
) -> None:
    lang = data.lang
    if not previous_edition:
        say(t("editions.none", lang))
        return
    from analysis.report.previous_edition import compare_editions

    changes = compare_editions(
        resolve(processed_dir), resolve(previous_edition), not_scored=t("editions.not_scored", lang)
    )
    quadrant = _quadrant_names(data, scoring_model)
    moves = changes.quadrants
    say(
        t("editions.moved", lang, count=len(moves))
        if len(moves)
        else t("editions.none_moved", lang)
    )
    if len(moves):
        pub.table(
            moves.assign(
                country=_country_names(data, moves["iso2"]),
                before=_quadrant_label(moves, "quadrant_key_before", "quadrant_before", quadrant),
                now=_quadrant_label(moves, "quadrant_key", "quadrant", quadrant),
            )[["country", "before", "now"]].rename(
                columns={
                    "country": t("column.country", lang),
                    "before": t("column.before", lang),
                    "now": t("column.now", lang),
                }
            ),
            title=t("editions.moves_title", lang),
        )
    if len(changes.volume):
        volume = changes.volume
        pub.table(
            volume.assign(country=_country_names(data, volume["iso2"]))[
                ["country", "copublications_before", "copublications", "change", "change_percent"]
            ]
            .round(1)
            .rename(
                columns={
                    "country": t("column.country", lang),
                    "copublications_before": t("column.before", lang),
                    "copublications": t("column.now", lang),
                    "change": t("column.change", lang),
                    "change_percent": t("column.change_percent", lang),
                }
            ),
            title=t("editions.volume_title", lang),
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
                    "item": t("column.item", lang),
                    "before": t("column.agree_before", lang),
                    "now": t("column.agree_now", lang),
                    "points": t("column.change_points", lang),
                }
            ),
            title=t("editions.survey_title", lang),
        )


def _quadrant_label(moves: pd.DataFrame, key: str, label: str, names: dict[str, str]):
    """Quadrants by key in the report's language; editions without keys keep their labels."""
    if key not in moves:
        return moves[label]
    return moves[key].map(names).fillna(moves[label])


def method_of_scoring(pub: Publisher, scoring_model: str) -> None:
    import yaml

    from analysis.steps.threats_opportunities import method_table

    lang = pub.lang
    model = yaml.safe_load(resolve(scoring_model).read_text(encoding="utf-8"))
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
        method_table(scoring_model, lang),
        title=t("method.table_title", lang),
        caption=t("method.table_caption", lang),
    )


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


def critical_areas(data: ReportData, pub: Publisher, processed_dir: str) -> pd.DataFrame:
    """Co-publications in critical technology areas, by partner country and year."""
    from analysis.report.critical import critical_share_by_year

    table = read_table(processed_dir, "openalex_critical_by_partner_year")
    return critical_share_by_year(table, pub, data.lang)
