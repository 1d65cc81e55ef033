"""The report on one page: the key findings with their numbers, the matrix at a glance, the
least widespread arrangements and the gaps between types of organisation, and what the working
group is asked to decide. Written only from the results tables; the page puts it above the run
header (``analysis.build.render.lift_summary_page``) and prints it alone on page 1."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from analysis.figures.publisher import Publisher
from analysis.i18n import number, page_text, share, t
from analysis.i18n.page import PageText, html_text
from analysis.report.chapters.summary import scope_basis
from analysis.report.chapters.survey import in_place_cell
from analysis.report.data import ReportData
from analysis.report.findings import Findings, keyed_sentences, overall_rows
from analysis.scoring.model import NOT_PLACED, UNCERTAIN
from analysis.scoring.recommendations import drafts_from_table, render
from analysis.scoring.uncertainty import settings
from analysis.survey.labels import group_labels

SUMMARY_CLASS = "summary-page"
ARRANGEMENTS_SHOWN = 3  # the least widespread arrangements listed, as the recommendation rule
# Where each finding's numbers come from, for the line that says nothing was imputed.
SOURCE_OF = {"cooperation": "openalex"}
# Findings the page leaves to the executive summary: the sector gap stands under preparedness,
# and the written-in countries of concern need the whole chapter's context.
ON_PAGE_ELSEWHERE = ("sector_gap", "sector_gap_disagreement", "concern_written_in")


def one_page_summary(data: ReportData, pub: Publisher) -> str:
    """Show the one-page summary (an HTML ``section``) and return it."""
    page = summary_page(data)
    display(HTML(page))
    return page


def _markdown(text: PageText) -> str:
    """A page text (every value in it escaped) as inline HTML."""
    rendered = markdown2html_mistune(str(text)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def _table(
    head: list[str], rows: list[list[str]], numeric: set[int], caption: str, kind: str
) -> str:
    def cell(tag: str, position: int, value: str) -> str:
        kind = ' class="num"' if position in numeric else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{kind}{scope}>{html_text(value)}</{tag}>"

    header = "".join(cell("th", i, v) for i, v in enumerate(head))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f'<table class="summary-table {kind}"><caption>{html_text(caption)}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    )


def key_findings(data: ReportData) -> list[tuple[str, str]]:
    """The executive summary's findings except those in ``ON_PAGE_ELSEWHERE``, each with the
    line saying whether anything behind it was imputed."""
    findings = Findings.from_table(data.findings)
    groups = group_labels(data.codebook, data.lang)
    sentences = keyed_sentences(findings, data.lang, data.label, data.country, groups.get)
    return [
        (
            _markdown(text),
            t(f"onepage.imputed_none.{SOURCE_OF.get(key, 'survey')}", data.lang),
        )
        for key, text in sentences
        if key not in ON_PAGE_ELSEWHERE
    ]


def matrix_counts(scores: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Countries per published class (the model's order: the four classes, uncertain, then
    not placed), with their codes, most threat first."""
    ordered = scores.sort_values(["threat", "iso2"], ascending=[False, True])
    resting = ordered.get("depends_on", pd.Series("", index=ordered.index)).fillna("") != ""
    counts = pd.DataFrame(
        {
            "countries": ordered.groupby("quadrant").size(),
            "codes": ordered.groupby("quadrant")["iso2"].agg(" ".join),
            # a settled class that one indicator decides, marked where it is listed
            "resting": ordered[resting].groupby("quadrant")["iso2"].agg(" ".join),
        }
    ).fillna({"resting": ""})
    return counts.reindex([q for q in order if q in counts.index])


def _matrix(data: ReportData) -> str:
    lang = data.lang
    scores = data.scores
    if not len(scores):
        return f"<p>{_markdown(page_text('matrix.not_scored', lang))}</p>"
    labels = data.quadrant_labels()
    counts = matrix_counts(scores, [*data.quadrant_names(), NOT_PLACED])
    rows = [
        [
            labels[q],
            str(int(r.countries)),
            str(len(r.resting.split())) if q not in (UNCERTAIN, NOT_PLACED) else "–",
        ]
        for q, r in counts.iterrows()
    ]
    draws = data.sensitivity.loc[data.sensitivity["variant"] == "joint", "draws"]
    stability = t(
        "onepage.stable_means",
        lang,
        share=share(float(settings(data.model)["stable_share"]), lang),
        draws=number(int(draws.iloc[0]) if len(draws) else 0, lang),
    )
    imputation = imputation_note(data.cards, lang, data.min_cell)
    head = [
        t("column.quadrant", lang),
        t("onepage.column.countries", lang),
        t("onepage.column.resting", lang),
    ]
    return _table(head, rows, {1, 2}, t("onepage.matrix_caption", lang), "matrix-glance") + (
        f'<p class="summary-note">{html_text(stability)} {html_text(imputation)}</p>'
    )


def imputation_note(cards: pd.DataFrame, lang: str, min_cell: int) -> str:
    """How many of the country cards' scored values are censored (withheld survey shares,
    carried as intervals) or not measured, in how many countries; or that every value was
    measured. Nothing is imputed: an unknown value is an interval, never a point."""
    scored = cards[cards["dimension"].isin(["opportunity", "threat"])]  # exposure: no class
    applying = scored[scored["status"] != "not_applicable"]
    unknown = applying[applying["status"].isin(["censored", "not_measured"])]
    if not len(unknown):
        return t("onepage.imputed_none.cards", lang)
    censored = unknown[unknown["status"] == "censored"]
    key = (
        "onepage.censored_cards"
        if len(unknown) > len(censored)
        else ("onepage.censored_cards_none_unmeasured")
    )
    return t(
        key,
        lang,
        censored=len(censored),
        unmeasured=len(unknown) - len(censored),
        values=len(applying),
        countries=unknown["iso2"].nunique(),
        min_cell=min_cell,
        most=min_cell - 1,
    )


def least_widespread(data: ReportData) -> pd.DataFrame:
    """The arrangements in place in the fewest organisations (all organisations, cells that
    are published), fewest first."""
    overall = overall_rows(data.readiness_by_organisation, "share_in_place")
    overall = overall.astype({"share_in_place": float})
    return overall.sort_values(["share_in_place", "item_id"]).head(ARRANGEMENTS_SHOWN)


def _preparedness(data: ReportData) -> str:
    lang = data.lang
    rows = [
        [data.label(str(row["item_id"])), in_place_cell(row, lang)]
        for _, row in least_widespread(data).iterrows()
    ]
    head = [
        t("column.arrangement", lang),
        t("preparedness.column_group", lang, group=t("survey.all_organisations", lang)),
    ]
    findings = Findings.from_table(data.findings)
    groups = group_labels(data.codebook, lang)
    gap = dict(keyed_sentences(findings, lang, data.label, data.country, groups.get))
    caption = t("onepage.least_caption", lang, shown=len(rows))
    return _table(head, rows, {1}, caption, "least-widespread") + (
        f'<p class="summary-note">{_markdown(gap["sector_gap"])} '
        f"{html_text(t('onepage.imputed_none.survey', lang))}</p>"
    )


def decisions(data: ReportData) -> list[str]:
    """The draft recommendations as the report writes them: only countries whose class is
    settled named, the uncertain ones held back."""
    labels = data.quadrant_labels()
    return [
        render(draft, data.rules, data.lang, data.label, data.country, labels.get, short=True)
        for draft in drafts_from_table(data.recommendations)
    ]


def summary_page(data: ReportData) -> str:
    """The summary as one HTML ``section``; every value in it escaped."""
    lang = data.lang
    basis = scope_basis(data)
    items = "".join(
        f'<li>{sentence} <span class="imputed">{html_text(note)}</span></li>'
        for sentence, note in key_findings(data)
    )
    texts = decisions(data)
    decide = (
        "<ol>" + "".join(f"<li>{html_text(text)}</li>" for text in texts) + "</ol>"
        if texts
        else f"<p>{html_text(t('recommendations.none', lang))}</p>"
    )

    def heading(key: str) -> str:
        return f'<h3 id="summary-page-{key}" class="toc-exclude">{html_text(t(f"onepage.{key}", lang))}</h3>'

    return (
        f'<section class="{SUMMARY_CLASS}" id="summary-page" aria-labelledby="summary-page-title">'
        f'<h2 id="summary-page-title" class="toc-exclude">{html_text(t("onepage.title", lang))}</h2>'
        f'<p class="summary-basis">{_markdown(basis)}</p>'
        f"{heading('findings')}<ul>{items}</ul>"
        '<div class="summary-columns">'
        f"<div>{heading('matrix')}{_matrix(data)}</div>"
        f"<div>{heading('gaps')}{_preparedness(data)}</div>"
        "</div>"
        f"{heading('decide')}"
        f'<p class="summary-note">{html_text(t("onepage.decide_note", lang))}</p>{decide}'
        "</section>"
    )
