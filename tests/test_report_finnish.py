"""The Finnish edition: the whole pipeline with ``-p lang=fi``, read as a Finnish reader would."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.i18n import DEMO_BANNER, catalogue, demo_banner

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

# Common English words of the report's headings, labels and captions. None is a Finnish word,
# so any of them in the visible text of the Finnish report is English left behind.
ENGLISH_WORDS = {
    "the", "and", "of", "with", "share", "country", "countries", "respondents", "rows",
    "figure", "table", "source", "data", "by", "for", "threat", "threats", "opportunity",
    "opportunities", "readiness", "score", "year", "works", "partner", "partners", "agree",
    "rejected", "kept", "file", "suppressed", "yes", "all", "steps", "generated", "contents",
    "parameters", "value", "scope", "quadrant", "change", "before", "now", "deepen",
    "monitor", "reconsider", "manage", "survey", "not", "is", "are", "from", "to", "each",
    "per", "most", "least", "review", "institutions", "index", "organisation", "type",
    "training", "which", "where", "what", "how", "appendix", "summary", "preparedness",
}  # fmt: skip


class VisibleText(HTMLParser):
    """Visible text and alt texts, without code, the parameter table and text marked as
    written in another language (a data manifest's own description)."""

    def __init__(self, lang: str = "fi") -> None:
        super().__init__()
        self.lang = lang
        self.skipping: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        quoted = attributes.get("lang", self.lang) != self.lang  # a source's own words, marked
        if (
            quoted
            or tag in ("script", "style", "code")
            or "parameters" in attributes.get("class", "")
        ):
            self.skipping.append(tag)
        elif not self.skipping and attributes.get("alt"):
            self.texts.append(attributes["alt"])

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


# Words English shares with Swedish ("all", "data", "partner", "by" = village, ...).
SHARED_WITH_SWEDISH = {"all", "data", "index", "per", "by", "partner", "organisation"}


def english_left(document: str, lang: str = "fi") -> list[str]:
    parser = VisibleText(lang)
    parser.feed(document)
    english = ENGLISH_WORDS - (SHARED_WITH_SWEDISH if lang == "sv" else set())
    found = []
    for text in parser.texts:
        text = text.replace(demo_banner(lang), "").replace("synthetic demo data", "")
        text = re.sub(r"\S+\.(csv|json|xlsx|yaml|html)\b", "", text)  # file names
        words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
        if words & english:
            found.append(" ".join(text.split())[:120])
    return found


def test_the_finnish_report_has_no_english_headings_or_labels_left(built_fi: Path) -> None:
    document = (built_fi / "reports" / "report.fi.html").read_text(encoding="utf-8")
    assert '<html lang="fi"' in document
    assert english_left(document) == []
    for heading in ("Tiivistelmä", "Uhka- ja mahdollisuusnelikenttä", "Liite: aineiston laatu"):
        assert f">{heading}" in document, heading
    assert "Executive summary" not in document and "Figure 1." not in document
    assert "Sammanfattning" not in document and "Figur 1." not in document, "no Swedish cells"
    english = (built_fi / "reports" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and "Executive summary" in english, "editions apart"


def test_the_finnish_report_keeps_the_demo_banner_and_formats_numbers_in_finnish(
    built_fi: Path,
) -> None:
    document = (built_fi / "reports" / "report.fi.html").read_text(encoding="utf-8")
    assert document.count(html_lib.escape(demo_banner("fi"))) >= 2
    assert DEMO_BANNER in document, "the English words stay beside the Finnish ones"
    parser = VisibleText()
    parser.feed(document)
    text = " ".join(parser.texts)
    assert re.search(r"\d\u00a0%", text), "a share written 45 %"
    assert not re.search(r"\d%", text), "no share written the English way"
    assert re.search(r"\b\d+,\d\b", text), "decimal commas in the tables"
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4} klo \d\d\.\d\d UTC", text)


def test_the_finnish_figures_are_drawn_in_finnish(built_fi: Path) -> None:
    import json

    import pandas as pd

    drawn = sorted((built_fi / "figures").glob("2*.fi.json"))
    assert len(drawn) >= 11
    for about in drawn:
        meta = json.loads(about.read_text(encoding="utf-8"))
        assert meta["lang"] == "fi", about.name
        assert english_left(f"<p>{meta['title']} {meta['caption']}</p>") == [], about.name
    figures = built_fi / "figures"
    svg = (figures / "25_threats_opportunities__matrix.fi.svg").read_text()
    assert "Mahdollisuuspisteet" in svg and "Opportunity score" not in svg
    english_svg = (figures / "25_threats_opportunities__matrix.en.svg").read_text()
    assert "Opportunity score" in english_svg and "Mahdollisuuspisteet" not in english_svg
    svg = (built_fi / "figures" / "21_survey_analysis__threats_vs_preparedness.fi.svg").read_text()
    assert "high concern" not in svg
    # The corner is named only when a group sits in it: an empty quadrant is not a finding.
    points = pd.read_csv(figures / "21_survey_analysis__threats_vs_preparedness.csv")
    occupied = ((points["threat_share"] > 0.5) & (points["readiness"] < 0.5)).any()
    assert ("suuri huoli" in svg) == bool(occupied)
    svg = (built_fi / "figures" / "21_survey_analysis__threats_likert.fi.svg").read_text()
    assert "50\u00a0%" in svg and "50%" not in svg, "the axis shares written 50 %"


def test_the_figure_data_and_tables_hold_keys_not_finnish_labels(built_fi: Path) -> None:
    import pandas as pd

    finnish = {"Syvennä", "Seuraa", "Harkitse uudelleen", "Hallitse aktiivisesti", "Kiina"}
    matrix = (built_fi / "figures" / "25_threats_opportunities__matrix.csv").read_text("utf-8-sig")
    assert not [word for word in finnish if word in matrix]
    scores = pd.read_parquet(built_fi / "data" / "processed" / "country_scores.parquet")
    assert set(scores["quadrant"]) <= {
        "uncertain",
        "high_opportunity_low_threat",
        "high_opportunity_high_threat",
        "low_opportunity_low_threat",
        "low_opportunity_high_threat",
    }
    themes = pd.read_parquet(built_fi / "data" / "processed" / "survey_comment_themes.parquet")
    assert "label" not in themes


def test_the_finnish_institution_report(built_fi: Path) -> None:
    document = (built_fi / "reports" / "institutions" / "fi" / "UNI-A.html").read_text(
        encoding="utf-8"
    )
    assert '<html lang="fi"' in document
    assert english_left(document) == []
    assert "verrattuna sektoriinsa" in document


def test_the_swedish_edition_has_no_english_left_in_its_text_or_figures(built: Path) -> None:
    """One build wrote all three editions; the Swedish one is Swedish throughout."""
    import json

    document = (built / "reports" / "report.sv.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in document
    assert english_left(document, "sv") == []
    assert "Executive summary" not in document and "Tiivistelmä" not in document
    assert document.count(html_lib.escape(demo_banner("sv"))) >= 2
    assert DEMO_BANNER in document
    drawn = sorted((built / "figures").glob("2*.sv.json"))
    assert len(drawn) >= 11
    for about in drawn:
        meta = json.loads(about.read_text(encoding="utf-8"))
        assert meta["lang"] == "sv", about.name
        text = f"<p>{meta['title']} {meta['caption']} {meta['alt']}</p>"
        assert english_left(text, "sv") == [], about.name
    svg = (built / "figures" / "25_threats_opportunities__matrix.sv.svg").read_text()
    assert "Opportunity score" not in svg and "Mahdollisuuspisteet" not in svg


# Texts with no word in them, only placeholders and the symbol n: the same in every language.
SYMBOLS_ONLY = {
    "survey.group_n",
    "survey.group_small",
    "preparedness.respondent_cell",
    "coverage.rate_cell",
    "coverage.silent_sector",
    "survey.rival",
    "matrix.interval",
    "matrix.likeliest",
    "matrix.moves.source_item",
    "matrix.sobol_item",
    "editions.share_cell",
    "institution.decided.none",
}


def test_every_finnish_text_differs_from_its_english_one_where_it_should() -> None:
    """A copied English text in the Finnish column would pass every other test."""
    same = [
        key
        for key, entry in catalogue().items()
        if entry["en"] == entry["fi"]
        and not key.startswith("normalisation.")
        and key not in SYMBOLS_ONLY
    ]
    assert same == []
