"""ROR: the registry's data dump, as ROR publishes it on Zenodo (community ``ror-data``).

Each ROR release is a Zenodo record holding one zip, ``<version>-<date>-ror-data.zip``; inside
are the dump in JSON and CSV, for schema v2 named ``..._schema_v2.json``. The newest release is
found through Zenodo's records API (``ROR_RELEASES``, as ROR's documentation describes), its
zip downloaded into ``ror/`` and the schema v2 JSON extracted beside it as
``ror/ror-data_schema_v2.json``. The manifest records the release's version and date.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import requests

from analysis.fetch.download import Downloader, FetchError, today
from analysis.files.atomic import atomic_path
from analysis.files.raw_manifest import RawManifest

# The newest record of ROR's Zenodo community (https://ror.readme.io/docs/data-dump).
ROR_RELEASES = "https://zenodo.org/api/communities/ror-data/records?q=&sort=newest&size=1"
ROR_PRODUCER = "Research Organization Registry (ROR), published on Zenodo"
ROR_LICENCE = "CC0-1.0 (ROR)"
DUMP_NAME = "ror/ror-data_schema_v2.json"


def latest_release(session: requests.Session, timeout: tuple[float, float]) -> dict:
    """Version, date, zip name and URL of the newest ROR release on Zenodo."""
    try:
        answer = session.get(ROR_RELEASES, timeout=timeout)
        answer.raise_for_status()
        hits = answer.json()["hits"]["hits"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise FetchError(f"ror: no release list from {ROR_RELEASES} ({error})") from None
    if not hits:
        raise FetchError(f"ror: {ROR_RELEASES} lists no release")
    record = hits[0]
    zips = [f for f in record.get("files") or [] if str(f.get("key", "")).endswith(".zip")]
    if not zips:
        raise FetchError(f"ror: the newest release on Zenodo ({record.get('id')}) has no zip")
    metadata = record.get("metadata") or {}
    return {
        "version": str(metadata.get("version") or ""),
        "date": str(metadata.get("publication_date") or ""),
        "zenodo_record": str(record.get("id") or ""),
        "file": str(zips[0]["key"]),
        "url": str((zips[0].get("links") or {}).get("self") or ""),
    }


def _v2_member(names: list[str]) -> str | None:
    found = [n for n in names if n.endswith("_schema_v2.json")]
    return found[0] if found else None


def _check(url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        if not zipfile.is_zipfile(path):
            raise FetchError(f"ror: the answer from {url} is not a zip archive")
        with zipfile.ZipFile(path) as archive:
            if _v2_member(archive.namelist()) is None:
                raise FetchError(f"ror: {url} holds no '..._schema_v2.json' dump")

    return check


def fetch_ror(
    folder: Path, manifest: RawManifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """The newest ROR dump into ``ror/`` and its schema v2 JSON extracted; returns what was written."""
    release = latest_release(downloader.session, downloader.timeout)
    archive = f"ror/{release['file']}"
    if not force and manifest.recorded(archive) and manifest.recorded(DUMP_NAME):
        downloader.log(f"ror: release {release['version']} already downloaded (sha256 matches)")
        return []
    about = {
        "producer": ROR_PRODUCER,
        "url": release["url"],
        "accessed": today(),
        "licence": ROR_LICENCE,
        "version": release["version"],
        "release_date": release["date"],
        "zenodo_record": release["zenodo_record"],
    }
    downloader.download("ror", release["url"], folder / archive, _check(release["url"]))
    manifest.record(archive, title=f"ROR data dump {release['version']}, zip", **about)
    with zipfile.ZipFile(folder / archive) as zipped:
        member = _v2_member(zipped.namelist())
        with (
            atomic_path(folder / DUMP_NAME) as temporary,
            zipped.open(member) as inside,
            temporary.open("wb") as out,
        ):
            shutil.copyfileobj(inside, out, 1 << 20)
    manifest.record(
        DUMP_NAME,
        title=f"ROR data dump {release['version']}, schema v2 JSON",
        archive_member=member,
        **about,
    )
    manifest.save()
    downloader.log(f"ror: release {release['version']} of {release['date']} in {DUMP_NAME}")
    return [archive, DUMP_NAME]
