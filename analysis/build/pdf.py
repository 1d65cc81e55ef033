"""Headless Chromium (Debian's package) driven by Playwright: PDF printing of the report.

Playwright's own browser downloads are not used: the report is printed by the Chromium the
system provides, found at ``$CHROMIUM``, ``/usr/bin/chromium`` or on the PATH.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from analysis.files.atomic import atomic_path

# Flags for a closed network: no background connections, no first-run work.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class BrowserMissing(RuntimeError):
    """No Chromium to drive; the message says how to get one."""


A4_WIDTH_MM = 210
PAGE_MARGINS_MM = {"top": 15, "bottom": 18, "left": 12, "right": 12}


def printed_width_px() -> int:
    """The width a printed A4 page leaves for the report, in CSS pixels (96 per inch)."""
    mm = A4_WIDTH_MM - PAGE_MARGINS_MM["left"] - PAGE_MARGINS_MM["right"]
    return int(mm * 96 / 25.4)


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise BrowserMissing(
        "Chromium was not found: install Debian's package (apt-get install chromium) or set "
        "CHROMIUM=/path/to/chromium"
    )


@contextmanager
def chromium(executable: str | None = None):
    """A launched headless Chromium (Playwright ``Browser``), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable or chromium_path(), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def page_footer(banner: str) -> str:
    """The footer of every printed page: the page number of the total, and the demo banner
    when the report has one (Chromium fills the ``pageNumber`` and ``totalPages`` spans)."""
    import html

    mark = f' <b style="color:#9a3412">{html.escape(banner)}</b>' if banner else ""
    return (
        '<div style="font-size:8px;width:100%;margin:0 12mm;display:flex;'
        'justify-content:space-between;font-family:sans-serif">'
        f"<span>{mark}</span>"
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )


def keep_offline(page, refused: list[str] | None = None) -> None:
    """Let ``page`` load only the file itself and its ``data:`` URIs: every other request
    fails (and its address is added to ``refused``, when given)."""

    def guard(route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
            return
        if refused is not None:
            refused.append(route.request.url)
        route.abort()

    page.route("**/*", guard)


def print_pdf(html: Path, pdf: Path, executable: str | None = None) -> Path:
    """Print ``html`` with its print styles to ``pdf`` (A4), written only when complete."""
    if not html.is_file():
        raise FileNotFoundError(f"{html} is missing: run `make report` first")
    with atomic_path(pdf) as temporary, chromium(executable) as browser:
        page = browser.new_page()
        keep_offline(page)
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        # A printed page cannot be clicked open: show every collapsed section (the parameters).
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        banner = page.evaluate(
            "(() => { const b = document.querySelector('.demo-banner');"
            " return b ? b.textContent.trim() : ''; })()"
        )
        page.pdf(
            path=str(temporary),
            format="A4",
            print_background=True,
            margin={side: f"{mm}mm" for side, mm in PAGE_MARGINS_MM.items()},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=page_footer(banner),
        )
    return pdf
