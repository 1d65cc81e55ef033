"""The comments chapter: themes of the free-text comments as counts, of those who commented
and of all respondents, coded by keywords; each theme above the declared share answered by a
draft recommendation or a stated reason; the comments themselves only when asked for."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text, pick, share, t
from analysis.i18n.page import PageText, join
from analysis.report.data import ReportData
from analysis.scoring.recommendations import check_themes_answered, drafts_from_table


def theme_answers(data: ReportData) -> list[PageText]:
    """For every published theme raised by at least the declared share of those who commented:
    the draft recommendation it leads to, or the declared reason why none (both shares
    stated). A theme with neither stops the report."""
    lang = data.lang
    themes = data.comment_themes
    if not len(themes):
        return []
    drafts = drafts_from_table(data.recommendations)
    check_themes_answered(themes, data.themes, data.rules, drafts, data.attention_share)
    drafted = {
        rule["theme"]
        for rule in data.rules
        if rule.get("kind") == "comment_theme" and rule["key"] in {d.rule_key for d in drafts}
    }
    reasons = {theme.key: theme.no_recommendation for theme in data.themes}
    shown = themes[themes["suppressed"] == ""]
    raised = shown[shown["share_of_commenters"].astype(float) >= data.attention_share]
    raised = raised.sort_values(["share_of_commenters", "theme"], ascending=[False, True])
    answers = []
    for row in raised.itertuples(index=False):
        values = {
            "theme": data.theme_labels.get(row.theme, row.theme),
            "share": share(row.share_of_commenters, lang, 1),
            "share_of_all": share(getattr(row, "share_of_respondents", float("nan")), lang, 1),
        }
        if row.theme in drafted:
            answers.append(page_text("comments.answer_draft", lang, **values))
        else:
            reason = " ".join(pick(reasons[row.theme], lang).split())
            answers.append(page_text("comments.answer_reason", lang, reason=reason, **values))
    return answers


def comments(data: ReportData, pub: Publisher) -> None:
    """Comment themes as counts, of those who commented and of all respondents; each theme
    above the declared share answered by a draft recommendation or a stated reason; the
    comments themselves only when asked for, escaped."""
    lang = data.lang
    themes = data.comment_themes
    commenters = int(themes["commenters"].iloc[0]) if len(themes) else 0
    everyone = (
        int(themes["all_respondents"].iloc[0])
        if len(themes) and "all_respondents" in themes
        else len(data.respondents)
    )
    shown = themes[themes["suppressed"] == ""]
    shown = shown.assign(label=shown["theme"].map(data.theme_labels))
    if "share_of_respondents" not in shown:
        shown = shown.assign(share_of_respondents=shown["respondents"] / everyone)
    pub.table(
        shown.assign(
            share=(shown["share_of_commenters"].astype(float) * 100).round(1),
            share_all=(shown["share_of_respondents"].astype(float) * 100).round(1),
        )[["label", "respondents", "share", "share_all"]]
        .astype({"respondents": int})
        .rename(
            columns={
                "label": t("column.theme", lang),
                "respondents": t("column.respondents", lang),
                "share": t("column.share_of_commenters", lang),
                "share_all": t("comments.column_share_of_respondents", lang),
            }
        ),
        title=t("comments.title", lang),
        caption=t(
            "comments.caption",
            lang,
            commenters=commenters,
            respondents=everyone,
            min_cell=data.min_cell,
        ),
        data=themes,
        slug="comment_themes",
    )
    answers = theme_answers(data)
    if answers:
        say(
            join(
                [
                    page_text(
                        "comments.answers_intro", lang, attention=share(data.attention_share, lang)
                    ),
                    *[PageText.composed(f"\n- {answer}") for answer in answers],
                ]
            )
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
