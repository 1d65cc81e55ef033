"""The report on one page: its numbers read back against the tables they come from, in every
edition; where the page puts it; and that it prints alone on page 1."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.build.render import lift_summary_page
from analysis.i18n import pick, t
from analysis.report.chapters.onepage import (
    ARRANGEMENTS_SHOWN,
    imputation_note,
    matrix_counts,
)
from analysis.scoring.model import load_scoring_model
from analysis.survey.analyse import ALL

EDITIONS = {"en": "report.html", "fi": "report.fi.html", "sv": "report.sv.html"}
_SECTION = re.compile(r"<section\b[^>]*summary-page[^>]*>.*?</section>", re.DOTALL)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _tables(fragment: str) -> list[list[list[str]]]:
    return [
        [[_text(c) for c in _CELL.findall(row)] for row in _ROW.findall(table)]
        for table in re.findall(r"<table.*?</table>", fragment, re.DOTALL)
    ]


def test_the_summary_moves_under_the_title_and_out_of_the_body() -> None:
    document = (
        "<h1>T</h1><!-- summary-page --><header>run</header><main><div>"
        '<section aria-labelledby="x" class="summary-page" id="s"><h2>S</h2></section>'
        "</div><h2>Next</h2></main>"
    )
    lifted = lift_summary_page(document)
    assert lifted == (
        '<h1>T</h1><section aria-labelledby="x" class="summary-page" id="s"><h2>S</h2>'
        "</section><header>run</header><main><div></div><h2>Next</h2></main>"
    )
    # A page without a summary (a brief, an institution report) stays as it was.
    assert lift_summary_page("<h1>T</h1><!-- summary-page --><main></main>") == (
        "<h1>T</h1><!-- summary-page --><main></main>"
    )


def test_the_censoring_note_counts_the_censored_and_unmeasured_card_values() -> None:
    cards = pd.DataFrame(
        {
            "iso2": ["AA", "AA", "BB", "BB", "CC", "CC", "CC"],
            "dimension": ["threat", "opportunity", "threat", "exposure", "threat", "threat",
                          "context"],
            "status": ["measured", "censored", "censored", "not_measured", "measured",
                       "not_applicable", "not_measured"],
        }
    )  # fmt: skip
    # Of the four values behind the classes (context, exposure and n/a rows do not count), two
    # are withheld, in two countries (AA and BB); BB's unmeasured value is exposure.
    assert imputation_note(cards, "en", 5) == (
        "Of the 4 values behind the classes, 2 are withheld survey shares (1 to 4 respondents), "
        "drawn over their interval; every other value was measured."
    )
    unmeasured = cards.assign(dimension=cards["dimension"].replace("exposure", "threat"))
    assert "and 1 were not measured; each is drawn" in imputation_note(unmeasured, "en", 5)
    measured = cards.assign(status="measured")
    assert imputation_note(measured, "en", 5) == t("onepage.imputed_none.cards", "en")


def test_matrix_counts_list_each_class_with_its_countries_most_threat_first() -> None:
    scores = pd.DataFrame(
        {
            "iso2": ["AA", "BB", "CC", "DD", "EE", "FF"],
            "quadrant": ["q1", "q1", "q2", "uncertain", "not_placed", "q1"],
            "threat": [0.1, 0.5, 0.2, 0.3, 0.0, 0.3],
        }
    )
    counts = matrix_counts(scores, ["q1", "q2", "q3", "q4", "uncertain", "not_placed"])
    assert counts.index.tolist() == ["q1", "q2", "uncertain", "not_placed"]
    assert counts["countries"].tolist() == [3, 1, 1, 1]
    assert counts["codes"].tolist() == ["BB FF AA", "CC", "DD", "EE"]
    resting = matrix_counts(scores.assign(depends_on=["", "x", "", "", "", ""]), ["q1", "q2"])
    assert resting["resting"].tolist() == ["BB", ""]


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(EDITIONS))
def test_the_summary_agrees_with_the_tables_it_comes_from(built: Path, lang: str) -> None:
    page = (built / "reports" / EDITIONS[lang]).read_text(encoding="utf-8")
    processed = built / "data" / "processed"
    found = _SECTION.findall(page)
    assert len(found) == 1, "one summary per page"
    summary = found[0]
    # Under the title, above the run header, the table of contents and every chapter.
    assert (
        page.index('id="report-title"')
        < page.index(summary)
        < page.index('<header class="report-header"')
    )
    assert page.index(summary) < page.index("<main")
    text = _text(summary)
    assert t("onepage.title", lang) in text

    # The matrix at a glance: countries per published class (uncertain its own row), from
    # country_scores.
    scores = pd.read_parquet(processed / "country_scores.parquet")
    model = load_scoring_model(built / "config" / "scoring.yaml")
    names = {key: pick(name, lang) for key, name in model["classes"]["names"].items()}
    matrix, least = _tables(summary)
    shown = {row[0]: int(row[1]) for row in matrix[1:]}
    resting = {row[0]: row[2] for row in matrix[1:]}
    for key, name in names.items():
        part = scores[scores["quadrant"] == key]
        if len(part):
            assert shown[name] == len(part), name
            if key != "uncertain":  # how many of them one indicator decides
                assert resting[name] == str(int((part["depends_on"].fillna("") != "").sum()))
        else:
            assert name not in shown
    # What enters the scores as an interval: every censored or unmeasured scored value of the
    # country cards (the demo withholds some survey shares), never called measured.
    cards = pd.read_parquet(processed / "country_cards.parquet")
    scored = cards[cards["dimension"].isin(["opportunity", "threat"])]
    scored = scored[scored["status"] != "not_applicable"]
    censored = int((scored["status"] == "censored").sum())
    unmeasured = int((scored["status"] == "not_measured").sum())
    if censored + unmeasured:
        expected = t(
            "onepage.censored_cards" if unmeasured else "onepage.censored_cards_none_unmeasured",
            lang,
            censored=censored,
            unmeasured=unmeasured,
            values=len(scored),
            countries=scored.loc[
                scored["status"].isin(["censored", "not_measured"]), "iso2"
            ].nunique(),
            min_cell=5,
            most=4,
        )
        assert t("onepage.imputed_none.cards", lang) not in text
    else:
        expected = t("onepage.imputed_none.cards", lang)
    assert expected in text

    # The least widespread arrangements, counted per organisation, from the survey table;
    # each cell is published in the preparedness table of the same page.
    organisations = pd.read_parquet(processed / "survey_readiness_of_organisations.parquet")
    overall = organisations[
        (organisations["org_type"] == ALL) & (organisations["suppressed"] == "")
    ].dropna(subset=["share_in_place"])
    lowest = overall.astype({"share_in_place": float}).nsmallest(
        ARRANGEMENTS_SHOWN, "share_in_place"
    )
    assert len(least) == ARRANGEMENTS_SHOWN + 1
    for row, (_, expected) in zip(least[1:], lowest.iterrows(), strict=True):
        counted = {"en": "{k} of {n})", "fi": "{k}/{n})", "sv": "{k} av {n})"}[lang]
        k, n = int(expected["in_place"]), int(expected["organisations"])
        assert row[1].endswith(counted.format(k=k, n=n)), row
        body = page[page.index("<main") :]
        assert html.escape(row[1], quote=False) in body or row[1] in _text(body), row
    # The gap between types of organisation: in the demo only universities of applied
    # sciences are shown, and the others taken together (the total minus them, which any
    # reader can subtract) differ from them; the summary states that, never "no difference".
    assert t("summary.no_sector_gap", lang, points=20) not in text
    findings = pd.read_parquet(processed / "report_findings.parquet").set_index("finding")
    item = findings.loc["sector_gap_item_id", "value"]
    rows = organisations[organisations["item_id"] == item].set_index("org_type")
    rest_k = int(rows.loc[ALL, "in_place"] - rows.loc["uas", "in_place"])
    rest_n = int(rows.loc[ALL, "organisations"] - rows.loc["uas", "organisations"])
    other = {
        "en": "{k} of the other {n}",
        "fi": "yhteensä {k} organisaatiossa {n}:",
        "sv": "{k} av de övriga {n}",
    }
    assert other[lang].format(k=rest_k, n=rest_n) in text

    # The key findings' numbers, each with its denominator, from the survey tables.
    agreement = pd.read_parquet(processed / "survey_agreement.parquet")
    threats = agreement[
        (agreement["block"] == "threats")
        & (agreement["org_type"] == ALL)
        & (agreement["suppressed"] == "")
    ].astype({"share_agree": float})
    top = threats.sort_values("share_agree", ascending=False).iloc[0]
    of = {"en": "{k} of {n}", "fi": "{n} vastaajasta {k}", "sv": "{k} av {n}"}[lang]
    assert of.format(k=int(top["agree"]), n=int(top["n"])) in text
    respondents = pd.read_parquet(processed / "survey_respondents.parquet")
    assert f"{len(respondents)} " in text
    assert text.count(t("onepage.imputed_none.survey", lang)) >= 4

    # What the group is asked to decide: only settled countries named, the others held back.
    drafts = pd.read_csv(processed / "recommendations.csv", keep_default_na=False)
    decisions = re.search(r"<ol>(.*?)</ol>", summary, re.DOTALL).group(1)
    items = [_text(i) for i in re.findall(r"<li>(.*?)</li>", decisions, re.DOTALL)]
    assert len(items) == len(drafts)
    # firm: a settled class that no single indicator decides
    depends = scores["depends_on"].fillna("") != ""
    stable = set(scores.loc[scores["stable"].astype(bool) & ~depends, "iso2"])
    held_back = t("recommendations.held_back", lang, countries="", quadrants="").split(":")[0]
    for item, (_, draft) in zip(items, drafts.iterrows(), strict=True):
        assert set(draft["countries_named"].split()) <= stable
        if draft["countries_held_back"]:
            assert not set(draft["countries_held_back"].split()) & stable
            assert held_back in item
        else:
            assert held_back not in item


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", list(EDITIONS))
def test_the_summary_prints_alone_on_page_one(built: Path, lang: str, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from analysis.build.pdf import print_pdf
    from tests.conftest import find_chromium

    executable = find_chromium()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the pages")
    pdf = print_pdf(built / "reports" / EDITIONS[lang], tmp_path / "report.pdf", executable)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    first, second = (" ".join(p.split()) for p in pages[:2])
    drafts = pd.read_csv(
        built / "data" / "processed" / "recommendations.csv", keep_default_na=False
    )
    assert t("onepage.title", lang) in first
    assert t("onepage.decide", lang) in first
    summary = _SECTION.findall((built / "reports" / EDITIONS[lang]).read_text(encoding="utf-8"))
    last = _text(re.findall(r"<li>(.*?)</li>", summary[0], re.DOTALL)[-1])
    assert " ".join(last.split()[-4:]) in first, "the last decision is on page 1"
    assert len(drafts) > 0
    assert t("header.generated", lang) not in first
    # The next part begins on page 2, and nothing of the summary spills over.
    assert second.startswith(t("header.generated", lang)), second[:200]
    assert t("onepage.title", lang) not in second


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
def test_a_census_of_organisations_is_shown_without_a_sampling_interval(lang: str) -> None:
    """The cell of the least widespread arrangements (on the one-page summary and in the
    preparedness table): a group where every organisation invited answered has no interval."""
    from analysis.report.chapters.survey import in_place_cell

    row = {
        "suppressed": "",
        "share_in_place": 0.25,
        "ci_low": 0.25,
        "ci_high": 0.25,
        "in_place": 2,
        "organisations": 8,
    }
    census = in_place_cell(pd.Series({**row, "census": True}), lang)
    assert census == t("preparedness.cell_census", lang, share=pick(
        {"en": "25%", "fi": "25\u00a0%", "sv": "25\u00a0%"}, lang), k=2, n=8)  # fmt: skip
    sample = in_place_cell(pd.Series({**row, "census": False, "ci_low": 0.1, "ci_high": 0.5}), lang)
    assert "–" in sample and sample != census
    assert in_place_cell(pd.Series({**row, "suppressed": "primary"}), lang) == "–"
