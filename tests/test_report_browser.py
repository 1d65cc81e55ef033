"""The rendered report in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis.build.pdf import chromium, print_pdf
from tests.conftest import REPO_ROOT, find_chromium

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

        def guard(route):
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
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
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "report.pdf")
