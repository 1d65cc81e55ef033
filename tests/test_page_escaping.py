"""The one escaping path: data-derived strings reach a page as text, never as markup, whichever
helper writes them; withheld cells show as "–", as every caption says."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import analysis.figures.publisher as figures
from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text, t
from analysis.i18n.page import PageText, escape_value, html_text, join, page_format

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    "![pixel](http://example.org/p.png)",
    "**bold** _it_ `code` $x$",
]


class Tags(HTMLParser):
    """Every tag and attribute a page really has (escaped text has none)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[str]:
    parser = Tags()
    parser.feed(html)
    return [tag for tag, _ in parser.tags]


def active(html: str) -> list[str]:
    """What a hostile string could add: scripts, event handlers, outside images, links."""
    parser = Tags()
    parser.feed(html)
    found = []
    for tag, attributes in parser.tags:
        embedded_data = tag == "a" and str(attributes.get("href", "")).startswith(
            "data:text/csv;charset=utf-8;base64,"
        )  # the page's own download of a table's or figure's data
        if tag in ("script", "svg", "a", "iframe") and not embedded_data:
            found.append(tag)
        if any(name.startswith("on") for name in attributes):
            found.append(f"{tag} with an event handler")
        if tag == "img" and not str(attributes.get("src", "")).startswith("data:image/png"):
            found.append("img from outside")
    return found


def markdown_html(text: str) -> str:
    from nbconvert.filters.markdown import markdown2html

    return markdown2html(text)


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    captured: list[str] = []
    monkeypatch.setattr(figures, "display", lambda obj: captured.append(obj.data))
    return captured


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_in_narrative_is_shown_as_written(value: str) -> None:
    html = markdown_html(page_format("Organisation {key} answered.", key=value))
    assert tags(html) == ["p"]  # as for any plain key: the value adds no tag at all
    # The characters are all still there for the reader.
    plain = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    plain = plain.replace("&amp;", "&").replace("&#x27;", "'")
    for character in "<>[]()":
        if character in value:
            assert character in plain


def test_catalogue_markup_survives_and_values_do_not_add_any() -> None:
    text = page_text("institution.shown", "en", respondents=12, key=HOSTILE[0])
    html = markdown_html(text)
    assert "<strong>12 respondents</strong>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert tags(html) == tags(
        markdown_html(page_text("institution.shown", "en", respondents=12, key="UNI-A"))
    )


def test_say_takes_page_text_only(shown, monkeypatch) -> None:
    monkeypatch.setattr(figures, "display", lambda obj: shown.append(obj.data))
    with pytest.raises(TypeError, match="page text only"):
        say("**" + HOSTILE[0] + "**")
    say(page_text("institution.hidden", "en", min_cell=5, key=HOSTILE[1]))
    assert tags(markdown_html(shown[0])) == ["p", "strong"]
    with pytest.raises(TypeError, match="not page text"):
        join([escape_value("a"), "b"])
    assert join([escape_value("<a>"), PageText(" and "), escape_value("b")]) == "&lt;a&gt; and b"


def test_tables_escape_headings_and_cells_and_show_withheld_cells_as_a_dash(
    tmp_path: Path, shown
) -> None:
    pub = Publisher(tmp_path, "32_institution_report", synthetic=False)
    frame = pd.DataFrame(
        {
            t("column.arrangement", "en"): ["Training", HOSTILE[1]],
            HOSTILE[0]: pd.array([61, None], dtype="Int64"),  # an organisation key as heading
            "Sector": [55.0, float("nan")],
        }
    )
    data = pd.DataFrame({"organisation_key": [HOSTILE[0]], "n": [None], "suppressed": ["group"]})
    pub.table(frame, title=f"Readiness {HOSTILE[2]}", caption=HOSTILE[3], data=data, slug="k")
    html = shown[0]
    assert active(html) == []
    assert "&lt;NA&gt;" not in html and "<NA>" not in html and "nan" not in html.lower()
    assert html.count(">–</td>") == 2
    assert 'data-csv="32_institution_report__k.csv"' in html
    assert (tmp_path / "32_institution_report__k.csv").is_file()


def test_figure_titles_captions_and_alt_texts_are_escaped(tmp_path: Path, shown) -> None:
    pub = Publisher(tmp_path, "32_institution_report", synthetic=False)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    pub.figure(
        fig,
        "k",
        title=f"Threats: {HOSTILE[0]} against its sector",
        caption=HOSTILE[2],
        alt=f"Dot plot for {HOSTILE[2]}",
        data=pd.DataFrame({"organisation_key": [HOSTILE[1]]}),
        source=HOSTILE[1],
    )
    assert active(shown[0]) == []
    tags = Tags()
    tags.feed(shown[0])
    (image,) = [a for tag, a in tags.tags if tag == "img"]
    assert image["alt"] == f"Dot plot for {HOSTILE[2]}"  # one attribute, the text intact


def test_html_text_escapes_quotes_for_attributes() -> None:
    assert html_text('a" onmouseover="x') == "a&quot; onmouseover=&quot;x"
