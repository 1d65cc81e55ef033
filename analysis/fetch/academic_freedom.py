"""V-Dem's Academic Freedom Index as Our World in Data publishes it (grapher CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.fetch.download import Downloader, FetchError, today
from analysis.files.raw_manifest import RawManifest

ACADEMIC_FREEDOM_URL = (
    "https://ourworldindata.org/grapher/academic-freedom-index.csv"
    "?v=1&csvType=full&useColumnShortNames=false"
)
ACADEMIC_FREEDOM_FILE = "context/academic_freedom_index.csv"


def _check_owid_csv(source: str, url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        with path.open(encoding="utf-8-sig") as handle:
            header = [h.strip() for h in handle.readline().split(",")]
        values = [h for h in header if "academic" in h.lower()]
        if header[:3] != ["Entity", "Code", "Year"] or len(values) != 1:
            raise FetchError(
                f"{source}: {url} is not the grapher CSV layout "
                f"(Entity, Code, Year, one academic freedom column); its header is {header[:6]}"
            )

    return check


def fetch_academic_freedom(
    folder: Path, manifest: RawManifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """The Academic Freedom Index grapher CSV into ``context/academic_freedom_index.csv``."""
    if not force and manifest.recorded(ACADEMIC_FREEDOM_FILE):
        downloader.log("academic_freedom: already downloaded (sha256 matches)")
        return []
    downloader.download(
        "academic_freedom",
        ACADEMIC_FREEDOM_URL,
        folder / ACADEMIC_FREEDOM_FILE,
        _check_owid_csv("academic_freedom", ACADEMIC_FREEDOM_URL),
    )
    manifest.record(
        ACADEMIC_FREEDOM_FILE,
        title="Academic Freedom Index (V-Dem), Our World in Data grapher CSV",
        producer="V-Dem Institute; processed and published by Our World in Data",
        url=ACADEMIC_FREEDOM_URL,
        accessed=today(),
        licence="CC BY 4.0 (Our World in Data); cite V-Dem as the source of the index",
    )
    manifest.save()
    return [ACADEMIC_FREEDOM_FILE]
