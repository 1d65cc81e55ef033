"""What institutions report: opportunities, threats, countries named, comments, preparedness."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text, share, t
from analysis.report.data import ReportData
from analysis.report.findings import overall_rows, shown_mentions
from analysis.survey.labels import group_labels, readiness_by_group

SURVEY_FIGURES = "21_survey_analysis"


def _survey_block(data: ReportData, pub: Publisher, block: str) -> None:
    lang = data.lang
    overall = overall_rows(data.agreement[data.agreement["block"] == block], "share_agree")
    top = overall.sort_values("share_agree", ascending=False).iloc[0]
    say(
        page_text(
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


def opportunities(data: ReportData, pub: Publisher) -> None:
    _survey_block(data, pub, "opportunities")


def threats(data: ReportData, pub: Publisher) -> None:
    _survey_block(data, pub, "threats")


def countries_named(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    for item_id, key in (
        ("concern_countries", "concern"),
        ("opportunity_countries", "opportunity"),
    ):
        shown = shown_mentions(data.mentions, item_id).head(10).copy()
        shown["country"] = data.country_names(shown["iso2"])
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
            data=data.mentions[data.mentions["item_id"] == item_id],
            slug=f"countries_{key}",
        )


def comments(data: ReportData, pub: Publisher) -> None:
    """Comment themes as counts; the comments themselves only when asked for, escaped."""
    lang = data.lang
    themes = data.comment_themes
    commenters = int(themes["commenters"].iloc[0]) if len(themes) else 0
    shown = themes[themes["suppressed"] == ""]
    shown = shown.assign(label=shown["theme"].map(data.theme_labels))
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
        data=themes,
        slug="comment_themes",
    )
    if data.show_comments:
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
    weakest = overall_rows(data.readiness, "readiness").sort_values("readiness").iloc[0]
    say(
        page_text(
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
        caption=" ".join(
            [
                t("preparedness.table_caption", lang),
                t(
                    "disclosure.withheld",
                    lang,
                    min_cell=data.disclosure_rules.min_cell,
                    group_size=data.disclosure_rules.group_size,
                ),
            ]
        ),
        data=data.readiness,
        slug="preparedness",
    )
    pub.show_saved(f"{SURVEY_FIGURES}__threats_vs_preparedness")
