"""What institutions report: opportunities, threats, countries named, comments, preparedness."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import in_sentence, listing, page_text, share, t
from analysis.i18n.page import PageText, join
from analysis.report.data import ReportData
from analysis.report.findings import (
    overall_rows,
    shown_mentions,
    split_by_prompting,
    with_naming_intervals,
)
from analysis.survey.analyse import ALL
from analysis.survey.compare import leader
from analysis.survey.labels import group_labels

SURVEY_FIGURES = "21_survey_analysis"


TOP_COUNTRIES = 10


def _survey_block(data: ReportData, pub: Publisher, block: str) -> None:
    lang = data.lang
    overall = overall_rows(data.agreement[data.agreement["block"] == block], "share_agree")
    top = leader(overall, "item_id", "share_agree")
    row = overall.set_index("item_id").loc[top.key]
    values = {
        "item": in_sentence(data.label(top.key)),
        "share": share(row["share_agree"], lang),
        "low": share(row["ci_low"], lang),
        "high": share(row["ci_high"], lang),
        "agree": int(row["agree"]),
        "n": int(row["n"]),
        "weighting": " ".join(
            [
                t(f"survey.weighting.{data.weighting}", lang),
                t(f"survey.interval.{data.interval_method}", lang),
            ]
        ),
    }
    if top.separated:
        say(page_text(f"survey.top_{block}", lang, **values))
    else:
        rivals = overall.set_index("item_id").loc[list(top.rivals)]
        named = [
            t(
                "survey.rival",
                lang,
                item=in_sentence(data.label(key)),
                share=share(rival["share_agree"], lang),
            )
            for key, rival in rivals.iterrows()
        ]
        say(page_text(f"survey.among_top_{block}", lang, rivals=listing(named, lang), **values))
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_likert")
    pub.show_saved(f"{SURVEY_FIGURES}__{block}_by_org_type")


def opportunities(data: ReportData, pub: Publisher) -> None:
    _survey_block(data, pub, "opportunities")


def threats(data: ReportData, pub: Publisher) -> None:
    _survey_block(data, pub, "threats")


def _country_lead(data: ReportData, shown: pd.DataFrame, key: str, named_any: int) -> PageText:
    """The most named of the countries the questionnaire listed, with both denominators;
    "among the most named" (naming the rivals) unless its interval separates from the next.
    Written-in countries were not offered, so they are ranked apart, in a sentence of their
    own."""
    lang = data.lang
    item_id = f"{key}_countries"
    listed, written = split_by_prompting(
        with_naming_intervals(shown), data.codebook.items[item_id].options
    )
    parts = []
    for rows, lead, among in (
        (listed, f"countries.lead_{key}", f"countries.among_lead_{key}"),
        (written, f"countries.written_in_lead_{key}", f"countries.among_written_in_lead_{key}"),
    ):
        if rows.empty:
            continue
        top = leader(rows, "iso2", "value")
        row = rows.set_index("iso2").loc[top.key]
        values = {
            "country": data.country(top.key),
            "k": int(row["respondents"]),
            "base": int(row["base"]),
            "share": share(row["share"], lang),
            "named_any": named_any,
            "share_of_naming": share(row["share_of_naming"], lang),
        }
        if top.separated:
            parts.append(page_text(lead, lang, **values))
        else:
            rivals = listing([data.country(code) for code in top.rivals], lang)
            parts.append(page_text(among, lang, rivals=rivals, **values))
    return join(parts, " ")


def countries_named(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    for item_id, key in (
        ("concern_countries", "concern"),
        ("opportunity_countries", "opportunity"),
    ):
        part = data.mentions[data.mentions["item_id"] == item_id]
        every = shown_mentions(data.mentions, item_id)
        if every.empty:
            continue
        named_any = int(part["named_any"].iloc[0])
        say(_country_lead(data, every, key, named_any))
        # Listed in the questionnaire or written in: a listed country is named more easily, so
        # the table ranks each group on its own, listed countries first.
        options = set(data.codebook.items[item_id].options)
        listed, written = split_by_prompting(every, options)
        shown = pd.concat([listed.head(TOP_COUNTRIES), written.head(TOP_COUNTRIES)]).copy()
        cut = every[~every.index.isin(shown.index)]
        shown["country"] = data.country_names(shown["iso2"])
        shown["asked"] = [
            t("countries.prompted" if code in options else "countries.written_in", lang)
            for code in shown["iso2"]
        ]
        hidden = int((part["suppressed"] != "").sum())
        caption = t(
            "countries.caption",
            lang,
            hidden=hidden,
            min_cell=data.min_cell,
            named_any=named_any,
            base=int(part["base"].iloc[0]),
        )
        if len(cut):
            caption += " " + t(
                "countries.cut",
                lang,
                top=TOP_COUNTRIES,
                cut=len(cut),
                most=int(cut["respondents"].max()),
            )
        pub.table(
            shown.assign(
                share=(shown["share"].astype(float) * 100).round(1),
                share_of_naming=(shown["share_of_naming"].astype(float) * 100).round(1),
            )[["country", "asked", "respondents", "share", "share_of_naming"]]
            .astype({"respondents": int})
            .rename(
                columns={
                    "country": t("column.country", lang),
                    "asked": t("column.asked", lang),
                    "respondents": t("column.respondents", lang),
                    "share": t("column.share_of_respondents", lang),
                    "share_of_naming": t("column.share_of_naming", lang),
                }
            ),
            title=t(f"countries.title_{key}", lang),
            caption=caption,
            data=data.mentions[data.mentions["item_id"] == item_id],
            slug=f"countries_{key}",
        )


def in_place_cell(row: pd.Series, lang: str) -> str:
    """A share of organisations with its interval and counts, or that every organisation
    answered (a census, no sampling interval); "–" where withheld."""
    if row["suppressed"] != "" or pd.isna(row["share_in_place"]):
        return "–"
    return t(
        "preparedness.cell_census" if _census(row) else "preparedness.cell",
        lang,
        share=share(row["share_in_place"], lang),
        low=share(row["ci_low"], lang),
        high=share(row["ci_high"], lang),
        k=int(row["in_place"]),
        n=int(row["organisations"]),
    )


def _census(row: pd.Series) -> bool:
    return not pd.isna(row.get("census")) and bool(row.get("census"))


def _interval_text(row: pd.Series, data: ReportData) -> str:
    """The interval of a share of organisations, or that there is none (a census)."""
    if _census(row):
        return t("preparedness.no_interval", data.lang)
    invited = data.response_rates.set_index("org_type").loc[ALL, "invited"]
    return t(
        "preparedness.interval",
        data.lang,
        low=share(row["ci_low"], data.lang),
        high=share(row["ci_high"], data.lang),
        invited=int(invited),
    )


def readiness_profile(data: ReportData) -> pd.DataFrame:
    """Per organisational item: share of organisations with it in place, by sector (with
    interval and count), how often one organisation's respondents disagree, and the share of
    respondents answering yes, for comparison."""
    lang = data.lang
    groups = {**group_labels(data.codebook, lang), ALL: t("survey.all_organisations", lang)}
    table = data.readiness_by_organisation
    respondents = data.readiness[data.readiness["org_type"] == ALL].set_index("item_id")
    present = [g for g in [ALL, *groups] if g in set(table["org_type"])]
    present = list(dict.fromkeys(present))
    rows = []
    for item in data.codebook.block_items("preparedness"):
        part = table[table["item_id"] == item.id].set_index("org_type")
        row = {t("column.arrangement", lang): item.text[lang]}
        for group in present:
            row[t("preparedness.column_group", lang, group=groups[group])] = in_place_cell(
                part.loc[group], lang
            )
        everyone = part.loc[ALL]
        row[t("preparedness.column_disagree", lang)] = (
            "–"
            if everyone["suppressed"] != "" or pd.isna(everyone["multi_respondent"])
            else t(
                "preparedness.disagree_cell",
                lang,
                split=int(everyone["split"]),
                undecided=int(everyone["undecided"]),
                n=int(everyone["multi_respondent"]),
            )
        )
        mine = respondents.loc[item.id] if item.id in respondents.index else None
        row[t("preparedness.column_respondents", lang)] = (
            "–"
            if mine is None or pd.isna(mine["share_yes"])
            else t(
                "preparedness.respondent_cell",
                lang,
                share=share(mine["share_yes"], lang),
                n=int(mine["n"]),
            )
        )
        rows.append(row)
    return pd.DataFrame(rows)


def preparedness(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    labels = {i.id: i.text[lang] for i in data.codebook.block_items("preparedness")}
    overall = overall_rows(data.readiness_by_organisation, "share_in_place")
    weakest = leader(overall, "item_id", "share_in_place", largest=False)
    row = overall.set_index("item_id").loc[weakest.key]
    by_respondent = overall_rows(data.readiness, "share_yes").set_index("item_id")
    values = {
        "item": in_sentence(labels[weakest.key]),
        "k": int(row["in_place"]),
        "n": int(row["organisations"]),
        "share": share(row["share_in_place"], lang),
        "interval": _interval_text(row, data),
        "respondent_share": share(by_respondent.loc[weakest.key, "share_yes"], lang),
        "respondents": int(by_respondent.loc[weakest.key, "n"]),
    }
    if weakest.separated:
        say(page_text("preparedness.weakest", lang, **values))
    else:
        rivals = listing([in_sentence(labels[key]) for key in weakest.rivals], lang)
        say(page_text("preparedness.among_weakest", lang, rivals=rivals, **values))
    if not pd.isna(row["disputed"]):
        say(
            page_text(
                "preparedness.disputed",
                lang,
                item=labels[weakest.key],
                k=values["k"],
                n=values["n"],
                disputed=int(row["disputed"]),
                multi=int(row["multi_respondent"]),
                unanimous=int(row["unanimous"]),
                split=int(row["split"]),
                undecided=int(row["undecided"]),
            )
        )
    several = overall.dropna(subset=["share_disagreeing"])
    if len(several):
        say(
            page_text(
                "preparedness.disagreement",
                lang,
                low=share(several["share_disagreeing"].astype(float).min(), lang),
                high=share(several["share_disagreeing"].astype(float).max(), lang),
                organisations=int(several["multi_respondent"].astype(float).max()),
                rule=t(f"preparedness.rule.{data.organisation_rule}", lang),
            )
        )
    pub.table(
        readiness_profile(data),
        title=t("preparedness.table_title", lang),
        caption=" ".join(
            [
                t(
                    "preparedness.table_caption",
                    lang,
                    min_cell=data.min_cell,
                    rule=t(f"preparedness.rule.{data.organisation_rule}", lang),
                ),
                t(
                    "disclosure.withheld",
                    lang,
                    min_cell=data.disclosure_rules.min_cell,
                    group_size=data.disclosure_rules.group_size,
                ),
            ]
        ),
        # The respondent cells beside the organisations' (the release audits them).
        data=data.readiness,
        slug="preparedness",
    )
    pub.show_saved(f"{SURVEY_FIGURES}__threats_vs_preparedness")


def response_rate_table(data: ReportData) -> pd.DataFrame:
    """Organisations invited, responding and not responding per sector, with the response
    rate (a count of a census of organisations: no interval); withheld sectors marked –."""
    lang = data.lang
    groups = {**group_labels(data.codebook, lang), ALL: t("survey.all_organisations", lang)}
    order = {key: number for number, key in enumerate([*groups, ALL])}
    rows = []
    for row in sorted(
        data.response_rates.itertuples(index=False), key=lambda r: order.get(r.org_type, 99)
    ):
        shown = row.suppressed == "" and not pd.isna(row.response_rate)

        def count(value: object, shown: bool = shown) -> object:
            return int(value) if shown else "–"

        rows.append(
            {
                t("column.org_type", lang): groups.get(row.org_type, row.org_type),
                t("coverage.invited", lang): count(row.invited),
                t("coverage.responded", lang): count(row.responded),
                t("coverage.rate", lang): t(
                    "coverage.rate_cell",
                    lang,
                    share=share(row.response_rate, lang),
                )
                if shown
                else "–",
                t("coverage.not_responded", lang): count(row.not_responded),
                t("coverage.responses", lang): count(row.responses),
            }
        )
    return pd.DataFrame(rows)


def coverage(data: ReportData, pub: Publisher) -> None:
    """Who was invited and who answered: response rates by sector, non-response by count."""
    lang = data.lang
    rates = data.response_rates.set_index("org_type")
    everyone = rates.loc[ALL]
    groups = group_labels(data.codebook, lang)
    silent = [
        t(
            "coverage.silent_sector",
            lang,
            n=int(r.not_responded),
            group=in_sentence(groups[r.Index]),
        )
        for r in rates.drop(index=ALL).itertuples()
        if r.suppressed == "" and not pd.isna(r.not_responded) and r.not_responded > 0
    ]
    withheld = int((rates.drop(index=ALL)["suppressed"] != "").sum())
    parts = [
        page_text(
            "coverage.summary",
            lang,
            invited=int(everyone["invited"]),
            responded=int(everyone["responded"]),
            share=share(everyone["response_rate"], lang),
            responses=int(everyone["responses"]),
            not_responded=int(everyone["not_responded"]),
            by_sector=listing(silent, lang) if silent else "–",
        )
    ]
    if withheld:
        parts.append(page_text("coverage.withheld", lang, n=withheld, min_cell=data.min_cell))
    say(join(parts, " "))
    pub.table(
        response_rate_table(data),
        title=t("coverage.table_title", lang),
        caption=t("coverage.table_caption", lang, min_cell=data.min_cell),
    )
