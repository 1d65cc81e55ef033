"""The rendered report in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest

from analysis.build.pdf import chromium, keep_offline, print_pdf
from tests.conftest import REPO_ROOT, find_axe, find_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", REPO_ROOT / "reports" / "test-artifacts"))


@pytest.fixture(scope="module")
def executable() -> str:
    return find_chromium()


@pytest.mark.parametrize("which", ["sector", "UNI-A", "UAS-19", "sector-fi"])
def test_report_opens_offline_with_images_links_and_no_errors(
    built: Path,
    institution_reports: dict[str, Path],
    request: pytest.FixtureRequest,
    executable: str,
    which: str,
) -> None:
    if which == "sector-fi":
        report = request.getfixturevalue("built_fi") / "reports" / "report.fi.html"
    elif which == "sector":
        report = built / "reports" / "report.html"
    else:
        report = institution_reports[which]
    errors: list[str] = []
    outside: list[str] = []
    with chromium(executable) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        keep_offline(page, outside)
        page.goto(report.as_uri(), wait_until="load")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.naturalWidth, i.complete, i.alt])"
        )
        targets = page.evaluate(
            """Array.from(document.querySelectorAll('nav.report-toc a')).map(a => {
                 const target = document.getElementById(a.getAttribute('href').slice(1));
                 return [a.getAttribute('href'), target ? target.tagName : null];
               })"""
        )
        language = page.evaluate("document.documentElement.lang")
        first_link = targets[1][0]
        page.click(f'nav.report-toc a[href="{first_link}"]')
        landed = page.evaluate("window.location.hash")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(report.as_uri(), wait_until="load")
        page.screenshot(path=str(ARTIFACTS / f"report-{which}.png"), full_page=True)
    assert errors == []
    assert outside == [], f"the report asked the network for {outside}"
    sector = which.startswith("sector")
    assert len(images) >= (8 if sector else 2)
    assert all(width > 0 and complete for width, complete, _ in images)
    assert all(alt.strip() for _, _, alt in images), "every image has alt text"
    assert len(targets) >= (8 if sector else 4)
    assert all(tag in {"H1", "H2", "H3", "H4"} for _, tag in targets), targets
    assert landed == first_link
    assert language == ("fi" if which.endswith("-fi") else "en")
    assert (ARTIFACTS / f"report-{which}.png").stat().st_size > 50_000


def test_report_prints_to_pdf(built: Path, executable: str, tmp_path: Path) -> None:
    pdf = print_pdf(built / "reports" / "report.html", tmp_path / "report.pdf", executable)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 5
    text = pdf_text(pdf)
    if text is not None:  # pdftotext (poppler-utils) reads what each page says
        per_page = text.split("\f")[:pages]
        assert all("Synthetic demo data" in page for page in per_page), "banner on every page"
        assert all(f"{number} / {pages}" in page for number, page in enumerate(per_page, 1))
        # Each country card's sentence ("China: … in 100% of the draws") prints on its page.
        cards = [
            (number, title.group(1).strip(), page[: title.start()])
            for number, page in enumerate(per_page, 1)
            for title in re.finditer(r"Table \d+\. Country card: (.+?)\s*$", page, flags=re.M)
        ]
        assert len(cards) >= 10
        assert [(n, name) for n, name, before in cards if f"{name}:" not in before] == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report.pdf")


@pytest.mark.parametrize("edition", ["report.html", "report.fi.html", "report.sv.html"])
def test_tables_sort_filter_and_every_figure_carries_its_data(
    built: Path, executable: str, edition: str
) -> None:
    """A reviewer with only the HTML: sortable, filterable tables and embedded downloads whose
    content is the figure's CSV, offline; with scripts off every table and figure is there."""
    import base64

    report = built / "reports" / edition
    errors: list[str] = []
    with chromium(executable) as browser:
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        keep_offline(page)
        page.goto(report.as_uri(), wait_until="load")
        table = page.locator("table.report-table:has(.sort-button)").first
        column = table.locator("th .sort-button").nth(1)
        column.click()
        assert table.locator("th").nth(1).get_attribute("aria-sort") == "ascending"
        cells = table.locator("tbody tr td:nth-child(2)").all_text_contents()
        numbers = [float(c.replace("\u00a0", "").replace(" ", "").replace(",", ".")) for c in cells]
        assert numbers == sorted(numbers) and len(numbers) > 10
        column.click()
        cells = table.locator("tbody tr td:nth-child(2)").all_text_contents()
        again = [float(c.replace("\u00a0", "").replace(" ", "").replace(",", ".")) for c in cells]
        assert again == sorted(numbers, reverse=True)
        first_cell = table.locator("tbody tr td:first-child").first.text_content().strip()
        page.locator(".table-filter input").first.fill(first_cell)
        visible = table.locator("tbody tr:not([hidden])").count()
        assert 1 <= visible < len(numbers)
        links = page.evaluate(
            """Array.from(document.querySelectorAll('figure.report-figure a.data-download'))
                 .map(a => [a.getAttribute('download'), a.getAttribute('href')])"""
        )
        figures = page.locator("figure.report-figure").count()
        tables_with_links = page.evaluate(
            "Array.from(document.querySelectorAll('figure.report-table-wrap'))"
            ".every(f => f.querySelector('a.data-download'))"
        )
        scripted = page.locator("table.report-table").count()
        nojs = browser.new_page(java_script_enabled=False)
        nojs.goto(report.as_uri(), wait_until="load")
        static_tables = nojs.locator("table.report-table").count()
        static_figures = nojs.locator(
            "figure.report-figure:is(:has(> img), :has(> svg.report-svg))"
        ).count()
    assert errors == []
    assert len(links) == figures >= 8 and tables_with_links
    for name, href in links:
        prefix = "data:text/csv;charset=utf-8;base64,"
        assert href.startswith(prefix), name
        published = built / "figures" / name
        if published.is_file():  # figures of the analysis steps; the report's own are beside
            assert base64.b64decode(href[len(prefix) :]) == published.read_bytes(), name
    assert static_tables == scripted and static_figures == figures


@pytest.mark.parametrize("edition", ["report.html", "report.fi.html", "report.sv.html"])
def test_matrix_and_trend_marks_tell_their_values_on_hover_focus_and_without_scripts(
    built: Path, executable: str, edition: str
) -> None:
    """A matrix bubble tells its country and stability, a trend point its year and value: on
    hover and on keyboard focus (a tooltip), and with scripts off (the mark's SVG title)."""
    import numpy as np
    import pandas as pd

    from analysis.i18n import number, t
    from analysis.reference.countries import CountryResolver
    from analysis.scoring.model import load_scoring_model

    lang = edition.split(".")[1] if edition.count(".") == 2 else "en"
    scores = pd.read_parquet(built / "data" / "processed" / "country_scores.parquet")
    names = CountryResolver(built / "config" / "country_aliases.yaml")
    points = scores[["opportunity", "threat"]].to_numpy()
    apart = np.sort(np.linalg.norm(points[:, None] - points[None], axis=2), axis=1)[:, 1]
    uncertain = scores.index[scores["quadrant"] == "uncertain"]
    row = int(max(uncertain, key=lambda index: apart[index]))  # an uncertain one, clear of others
    country, code = names.name(scores.at[row, "iso2"], lang), scores.at[row, "iso2"]
    trends = pd.read_csv(
        built / "figures" / "25_threats_opportunities__quadrant_trends.csv", encoding="utf-8-sig"
    )
    model = load_scoring_model(built / "config" / "scoring.yaml")
    # The trend marks run quadrant by quadrant in the matrix's order, each year by year.
    first_quadrant = next(k for k in model["classes"]["names"] if k in set(trends["quadrant"]))
    matrix_css = 'figure[data-csv="25_threats_opportunities__matrix.csv"] .value-mark'
    trend_css = 'figure[data-csv="25_threats_opportunities__quadrant_trends.csv"] .value-mark'
    report = (built / "reports" / edition).as_uri()
    with chromium(executable) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report, wait_until="load")
        marks = page.locator(matrix_css)
        assert marks.count() == len(scores)
        marks.nth(row).hover()
        tip = page.locator(".value-tip")
        assert tip.is_visible()
        hovered = tip.text_content()
        # The figure is one stop of the Tab key; the arrow keys reach the same mark from the
        # one before it, and the tooltip follows.
        stops = page.evaluate(
            """Array.from(document.querySelectorAll('svg.report-svg')).map(svg =>
                 svg.querySelectorAll('.value-mark[tabindex="0"]').length)"""
        )
        marks.nth(row - 1).focus()
        page.keyboard.press("ArrowRight")
        focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
        after_key = tip.text_content()
        page.keyboard.press("Escape")
        hidden = tip.is_hidden()
        page.keyboard.press("Tab")
        left_figure = page.evaluate("document.activeElement.closest('svg') === null")
        trend_marks = page.locator(trend_css)
        assert trend_marks.count() == len(trends)
        trend_marks.first.focus()
        trend_tip = tip.text_content()
        nojs = browser.new_page(java_script_enabled=False)
        nojs.goto(report, wait_until="load")
        title = nojs.locator(matrix_css).nth(row).locator("title").text_content()
        static_stops = nojs.locator(f'{matrix_css}[tabindex="0"]').count()
        trend_title = nojs.locator(trend_css).first.locator("title").text_content()
    # "class uncertain" as the hover of an uncertain country says it, before its two classes
    blank = dict.fromkeys(
        ["country", "code", "opportunity", "opportunity_interval", "threat", "threat_interval",
         "exposure", "first", "first_share", "second", "second_share"], ""
    )  # fmt: skip
    uncertain_words = t("matrix.hover_uncertain_class", lang, **blank).split(";")[1]
    uncertain_words = uncertain_words.split(":")[0].strip()
    for text in (hovered, focused, after_key, title):
        assert f"{country} ({code})" in text, text
        assert uncertain_words in text, text
    assert hidden and left_figure
    assert stops and set(stops) == {1}  # one stop per figure with value marks
    assert static_stops == len(scores)  # without scripts, the Tab key reaches every mark
    first = trends[trends["quadrant"] == first_quadrant].sort_values("year").iloc[0]
    for text in (trend_tip, trend_title):
        assert f"{int(first['year'])}: {number(first['works'], lang)}" in text, text


@pytest.mark.parametrize("edition", ["report.html", "report.fi.html", "report.sv.html", "UNI-A"])
def test_nothing_printed_is_wider_than_the_page(
    built: Path, institution_reports: dict[str, Path], executable: str, edition: str
) -> None:
    """On paper a table or figure wider than the page is cut off at its edge: laid out as
    printed, at the width an A4 page leaves, every table, figure and image fits."""
    from analysis.build.pdf import printed_width_px

    report = institution_reports[edition] if edition == "UNI-A" else built / "reports" / edition
    with chromium(executable) as browser:
        page = browser.new_page(viewport={"width": printed_width_px(), "height": 1000})
        page.goto(report.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        wide = page.evaluate(
            """() => {
                 const edge = document.documentElement.clientWidth;
                 return Array.from(document.querySelectorAll('table, figure, img, svg'))
                   .filter(e => e.getBoundingClientRect().right > edge + 1)
                   .map(e => [e.tagName, (e.querySelector('caption, figcaption') || e).textContent
                     .trim().slice(0, 60), Math.round(e.getBoundingClientRect().right - edge)]);
               }"""
        )
    assert wide == [], wide


def test_the_print_styles_keep_headings_with_their_text_and_figures_whole() -> None:
    css = (REPO_ROOT / "templates" / "report" / "report.css").read_text(encoding="utf-8")
    printed = css.split("@media print", 1)[1].split("\n}\n", 1)[0]
    for rule in (
        "break-after: avoid",
        "break-inside: avoid",
        "thead { display: table-header-group; }",
    ):
        assert rule in printed, rule


def pdf_text(pdf: Path) -> str | None:
    import subprocess

    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing in CI: .ci/run installs poppler-utils")
        return None
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def axe_violations(browser, url: str, axe: str) -> list[tuple[str, str, str]]:
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.add_script_tag(content=axe)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], v["nodes"][0]["html"][:120])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_accessibility_check_sees_a_missing_alt_text(executable: str, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><main><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>'
    )
    with chromium(executable) as browser:
        found = axe_violations(browser, page.as_uri(), find_axe().read_text(encoding="utf-8"))
    assert "image-alt" in [rule for rule, _, _ in found]


@pytest.mark.parametrize(
    "page_name",
    ["report.html", "report.fi.html", "report.sv.html", "institutions/UNI-A.html"],
)
def test_axe_finds_no_serious_or_critical_accessibility_violation(
    built: Path, institution_reports: dict[str, Path], executable: str, page_name: str
) -> None:
    axe = find_axe().read_text(encoding="utf-8")
    with chromium(executable) as browser:
        page = browser.new_page()
        page.goto((built / "reports" / page_name).as_uri(), wait_until="load")
        page.add_script_tag(content=axe)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], v["nodes"][0]["html"][:120])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert result["testEngine"]["name"] == "axe-core"


@pytest.mark.parametrize(
    "page_name",
    [
        "briefs/advanced-materials-institute-of-puc2-0zz004312.html",
        "briefs/index-RI-2_partners.html",
    ],
)
def test_a_partner_brief_and_its_index_open_offline_accessible_and_linked(
    partner_briefs: Path, executable: str, page_name: str
) -> None:
    report = partner_briefs / "reports" / page_name
    axe = find_axe().read_text(encoding="utf-8")
    errors: list[str] = []
    outside: list[str] = []
    with chromium(executable) as browser:
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))

        keep_offline(page, outside)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(report.as_uri(), wait_until="load")
        links = page.evaluate(
            "Array.from(document.querySelectorAll('main a[href$=\".html\"]')).map(a => a.href)"
        )
        images = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, i.complete])")
        # Every link inside the page (the contents) lands on an element of the page.
        anchors = page.evaluate(
            """Array.from(document.querySelectorAll('a[href^="#"]')).map(a =>
                 [a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])"""
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(page_name).stem}.png"), full_page=True)
        for link in links:  # every brief the index links to opens, without errors
            assert page.goto(link).ok, link
            assert page.evaluate("document.querySelector('h1') !== null"), link
        violations = axe_violations(browser, report.as_uri(), axe)
    assert errors == [] and outside == []
    assert violations == []
    assert all(width > 0 and complete for width, complete in images)
    assert all(found for _, found in anchors), anchors
    if "index" not in page_name:
        assert len(anchors) >= 6  # the brief's contents: one link per part
    if "index" in page_name:
        assert len(links) == 5


BRIEF_PARTS = (
    "Red-flag checklist",
    "Identity",
    "Screening against the lists",
    "Country card",
    "Cooperation",
    "Decision record",
)


def _pages(pdf: Path) -> list[str]:
    text = pdf_text(pdf)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the pages")
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_every_demo_brief_prints_on_two_pages_with_each_item_its_source_and_date(
    partner_briefs: Path, executable: str, tmp_path: Path
) -> None:
    import re

    briefs = sorted(p for p in (partner_briefs / "reports" / "briefs").glob("*.html"))
    briefs = [p for p in briefs if not p.name.startswith("index-")]
    assert len(briefs) == 5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for brief in briefs:
        pdf = print_pdf(brief, tmp_path / f"{brief.stem}.pdf", executable)
        pages = _pages(pdf)
        assert len(pages) <= 2, f"{brief.name} prints on {len(pages)} pages"
        printed = " ".join(pages)
        assert all("Synthetic demo data" in page for page in pages), "banner on every page"
        for part in BRIEF_PARTS:
            assert part in printed, (brief.name, part)
        assert "Finnish counterpart institutions" in printed, brief.name
        # Every table's caption (its source and the date of it) is on paper too.
        page = brief.read_text(encoding="utf-8")
        captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.DOTALL)
        assert len(captions) >= 4
        for caption in captions:
            caption = caption.split('<a class="data-download"')[0]
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", caption)).split())
            assert words in printed, (brief.name, words)
        shutil.copy(pdf, ARTIFACTS / pdf.name)


def test_long_lists_print_their_first_items_and_a_count_and_stay_whole_on_screen(
    executable: str, tmp_path: Path
) -> None:
    import pandas as pd

    from analysis.figures.tables import PRINT_ITEMS, PrintList, table_html

    children = tuple(f"Child organisation {i}" for i in range(1, 10))
    decisions = pd.DataFrame({"Date": [f"2024-01-{d:02d}" for d in range(1, 13)]})
    css = (REPO_ROOT / "templates" / "report" / "report.css").read_text(encoding="utf-8")
    items = pd.DataFrame({"Item": ["Children"], "Value": [PrintList(children)]})
    page = tmp_path / "lists.html"
    page.write_text(
        f'<!doctype html><html lang="en"><head><style>{css}</style></head>'
        '<body class="report report-brief"><main>'
        + table_html(items, "en")
        + table_html(decisions, "en", printed=range(7, 12))
        + '<p class="print-more">… and 7 more rows</p></main></body></html>',
        encoding="utf-8",
    )
    with chromium(executable) as browser:
        screen = browser.new_page()
        screen.goto(page.as_uri())
        on_screen = screen.evaluate("document.body.innerText")
    pages = _pages(print_pdf(page, tmp_path / "lists.pdf", executable))
    printed = " ".join(pages)
    assert all(name in on_screen for name in children) and "2024-01-01" in on_screen
    assert "… and" not in on_screen
    assert all(name in printed for name in children[:PRINT_ITEMS])
    assert children[-1] not in printed
    assert f"… and {len(children) - PRINT_ITEMS} more" in printed
    assert "2024-01-12" in printed and "2024-01-07" not in printed  # the latest decisions
    assert "… and 7 more rows" in printed
