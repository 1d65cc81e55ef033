"""The World Bank's Worldwide Governance Indicators (WGI) through the API v2 (JSON).

For each of the four estimates in ``analysis.context.governance.WGI``, every page of
``https://api.worldbank.org/v2/country/all/indicator/<code>?format=json&source=3&per_page=…``
is saved as ``context/worldbank_wgi_<code>.json`` (``…__p2.json`` for further pages), and the
country list ``/v2/country`` as ``context/worldbank_countries.json``, which names the regional
and income aggregates the indicator answers mix in. The manifest records, per file, the URL,
the date accessed, the licence (CC BY 4.0), the database (``source_id`` 3, WGI) and the
release date the API states (``meta.lastupdated``) as its version.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.context.governance import API_PREFIX, COUNTRY_LIST, WGI
from analysis.fetch.download import Downloader, FetchError, today
from analysis.files.raw_manifest import RawManifest
from analysis.sources.worldbank import WorldBankFormatError, read_api_answer

API = "https://api.worldbank.org/v2"
WGI_SOURCE = 3  # the API's database id of the Worldwide Governance Indicators
PER_PAGE = 20000  # one page holds every country-year of one WGI indicator (about 7 000)
PRODUCER = "The World Bank, Worldwide Governance Indicators (D. Kaufmann and A. Kraay)"
LICENCE = "CC BY 4.0 (The World Bank); cite the Worldwide Governance Indicators"
TITLES = {
    "RL.EST": "Rule of Law: Estimate",
    "PV.EST": "Political Stability and Absence of Violence/Terrorism: Estimate",
    "CC.EST": "Control of Corruption: Estimate",
    "VA.EST": "Voice and Accountability: Estimate",
}


def indicator_url(code: str, page: int = 1) -> str:
    return (
        f"{API}/country/all/indicator/{code}?format=json&source={WGI_SOURCE}"
        f"&per_page={PER_PAGE}&page={page}"
    )


def countries_url(page: int = 1) -> str:
    return f"{API}/country?format=json&per_page=400&page={page}"


def _check(url: str, page: int) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        try:
            meta, _ = read_api_answer(path)
        except WorldBankFormatError as error:
            raise FetchError(f"wgi: {url}: {error}") from None
        if int(meta.get("page", 0) or 0) != page:
            raise FetchError(f"wgi: {url} answered page {meta.get('page')}, not {page}")

    return check


def _pages(
    folder: Path,
    stem: str,
    url: Callable[[int], str],
    downloader: Downloader,
) -> list[tuple[str, str, dict]]:
    """Download every page of one answer: (relative path, URL, meta) of each."""
    saved, page, pages = [], 1, 1
    while page <= pages:
        relative = f"context/{stem}.json" if page == 1 else f"context/{stem}__p{page}.json"
        address = url(page)
        downloader.download("wgi", address, folder / relative, _check(address, page))
        meta, _ = read_api_answer(folder / relative)
        pages = int(meta.get("pages", 1) or 1)
        saved.append((relative, address, meta))
        page += 1
    return saved


def fetch_wgi(
    folder: Path, manifest: RawManifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """The four WGI estimates and the country list into ``context/``; returns what was written.
    Files already there with their recorded sha256 are kept unless ``force``."""
    wanted = [f"context/{API_PREFIX}{code}.json" for code in WGI]
    wanted.append(f"context/{COUNTRY_LIST}.json")
    if not force and all(manifest.recorded(relative) for relative in wanted):
        downloader.log("wgi: already downloaded (sha256 matches)")
        return []
    written = []
    answers = [(f"{API_PREFIX}{code}", code) for code in WGI] + [(COUNTRY_LIST, None)]
    for stem, code in answers:
        url = (lambda page, c=code: indicator_url(c, page)) if code else countries_url
        for relative, address, meta in _pages(folder, stem, url, downloader):
            about = {
                "title": f"Worldwide Governance Indicators, {TITLES[code]} ({code}), API v2 JSON"
                if code
                else "World Bank countries and aggregates, API v2 JSON",
                "producer": PRODUCER if code else "The World Bank",
                "url": address,
                "accessed": today(),
                "licence": LICENCE if code else "CC BY 4.0 (The World Bank)",
            }
            if code:
                about.update(
                    indicator=code,
                    source_id=WGI_SOURCE,
                    version=str(meta.get("lastupdated", "")),
                    release_date=str(meta.get("lastupdated", "")),
                )
            manifest.record(relative, **about)
            written.append(relative)
        downloader.log(f"wgi: {stem} saved")
    manifest.save()
    return written
