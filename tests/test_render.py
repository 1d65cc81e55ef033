"""Report rendering helpers: the table of contents and the header."""

from __future__ import annotations

from analysis.build.render import TOC_PLACEHOLDER, add_table_of_contents


def test_toc_links_every_heading_and_adds_missing_ids() -> None:
    document = (
        "<header><h1>Title</h1></header>" + TOC_PLACEHOLDER + "<main>"
        '<h2 id="Summary">Summary<a class="anchor-link" href="#Summary">¶</a></h2>'
        "<h3>Näin & noin</h3><h3>Näin & noin</h3><h4>too deep</h4></main>"
    )
    result = add_table_of_contents(document)
    assert '<a href="#Summary">Summary</a>' in result
    assert '<h3 id="nain-noin">' in result and '<h3 id="nain-noin-2">' in result
    assert '<a href="#nain-noin">Näin &amp; noin</a>' in result
    assert "too deep" not in result.split("</nav>")[0]
    assert result.index("<nav") < result.index("<main>")
    assert result.startswith("<header><h1>Title</h1></header>"), "the header is left alone"


def test_without_placeholder_the_document_is_unchanged() -> None:
    assert add_table_of_contents("<h2>x</h2>") == "<h2>x</h2>"


def test_toc_ids_with_ampersands_and_repeated_headings_land() -> None:
    document = (
        TOC_PLACEHOLDER
        + '<h2 id="Risks-&amp;-benefits">Risks &amp; benefits</h2>'
        + '<h3 id="Notes">Notes</h3><h3 id="Notes">Notes</h3>'
    )
    result = add_table_of_contents(document)
    assert '<a href="#Risks-&amp;-benefits">' in result
    assert '<h2 id="Risks-&amp;-benefits">' in result
    assert '<a href="#Notes">' in result and '<a href="#Notes-2">' in result
    assert result.count('id="Notes"') == 1 and '<h3 id="Notes-2">' in result
