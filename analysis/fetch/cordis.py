"""CORDIS: the bulk CSV archives of Horizon Europe and Horizon 2020, with their members
``project.csv`` and ``organization.csv`` extracted as ``cordis/<programme>_<member>``."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.fetch.download import Downloader, FetchError, today
from analysis.files.atomic import atomic_path
from analysis.files.raw_manifest import RawManifest

CORDIS_PRODUCER = "European Commission, CORDIS (Publications Office of the European Union)"
CORDIS_LICENCE = "CC BY 4.0 (Commission reuse policy, Decision 2011/833/EU)"


@dataclass(frozen=True)
class Programme:
    prefix: str  # file name prefix in cordis/
    title: str
    url: str


CORDIS_PROGRAMMES = (
    Programme(
        "horizon",
        "CORDIS: EU research projects under Horizon Europe (2021-2027)",
        "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
    ),
    Programme(
        "h2020",
        "CORDIS: EU research projects under Horizon 2020 (2014-2020)",
        "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
    ),
)
CORDIS_MEMBERS = ("project.csv", "organization.csv")


def _check_zip(source: str, url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        if not zipfile.is_zipfile(path):
            raise FetchError(f"{source}: the answer from {url} is not a zip archive")
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name for n in archive.namelist()}
        missing = [m for m in CORDIS_MEMBERS if m not in names]
        if missing:
            raise FetchError(f"{source}: {url} has no {', '.join(missing)} in it")

    return check


def fetch_cordis(
    folder: Path, manifest: RawManifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """Both programmes' archives into ``cordis/`` and their two CSVs extracted beside them."""
    written = []
    for programme in CORDIS_PROGRAMMES:
        archive = f"cordis/{programme.url.rsplit('/', 1)[-1]}"
        extracted = {m: f"cordis/{programme.prefix}_{m}" for m in CORDIS_MEMBERS}
        if not force and all(manifest.recorded(p) for p in [archive, *extracted.values()]):
            downloader.log(f"cordis: {programme.prefix} already downloaded (sha256 matches)")
            continue
        if force or not manifest.recorded(archive):
            downloader.download(
                "cordis", programme.url, folder / archive, _check_zip("cordis", programme.url)
            )
            manifest.record(
                archive,
                title=f"{programme.title}, CSV archive",
                producer=CORDIS_PRODUCER,
                url=programme.url,
                accessed=today(),
                licence=CORDIS_LICENCE,
            )
            written.append(archive)
        accessed = manifest.files[archive]["accessed"]
        try:
            _extract(folder, archive, extracted, programme, accessed, manifest)
        except (zipfile.BadZipFile, KeyError) as error:
            raise FetchError(
                f"cordis: cannot extract from {archive} ({error}); rerun with --force"
            ) from None
        written += list(extracted.values())
        manifest.save()
    return written


def _extract(
    folder: Path,
    archive: str,
    extracted: dict[str, str],
    programme: Programme,
    accessed: str,
    manifest: RawManifest,
) -> None:
    """Copy the archive's members out through temporary files and record them."""
    with zipfile.ZipFile(folder / archive) as zipped:
        members = {Path(n).name: n for n in zipped.namelist()}
        for member, relative in extracted.items():
            target = folder / relative
            with (
                atomic_path(target) as temporary,
                zipped.open(members[member]) as inside,
                temporary.open("wb") as out,
            ):
                shutil.copyfileobj(inside, out, 1 << 20)
            manifest.record(
                relative,
                title=f"{programme.title}: {member}",
                producer=CORDIS_PRODUCER,
                url=programme.url,
                archive_member=members[member],
                accessed=accessed,
                licence=CORDIS_LICENCE,
            )
