"""``fetch --source ror``: the Zenodo release list and the dump zip, answered offline."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import requests
import responses
import yaml

from analysis.fetch.download import Downloader
from analysis.fetch.ror import DUMP_NAME, ROR_RELEASES
from analysis.fetch.run import run_fetch
from analysis.sources.ror import read_folder

ZIP_URL = "https://zenodo.org/api/records/14429114/files/v1.58-2024-12-11-ror-data.zip/content"
RECORD = {
    "id": "https://ror.org/0aaaaaa01",
    "names": [{"value": "Alpha University", "types": ["ror_display"], "lang": "en"}],
    "admin": {"last_modified": {"date": "2024-12-11", "schema_version": "2.1"}},
    "locations": [],
    "types": ["education"],
    "status": "active",
}
# The shape of Zenodo's records API answer, cut to the fields the fetcher reads.
RELEASES = {
    "hits": {
        "hits": [
            {
                "id": 14429114,
                "metadata": {"version": "v1.58", "publication_date": "2024-12-11"},
                "files": [
                    {"key": "v1.58-2024-12-11-ror-data.zip", "links": {"self": ZIP_URL}},
                ],
            }
        ],
        "total": 70,
    }
}


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DUMP_ZIP = _zip(
    {
        "v1.58-2024-12-11-ror-data.json": "[]",  # the v1 dump, left alone
        "v1.58-2024-12-11-ror-data_schema_v2.json": json.dumps([RECORD]),
        "v1.58-2024-12-11-ror-data_schema_v2.csv": "id,name\n",
    }
)


def _downloader(log: list[str]) -> Downloader:
    return Downloader(session=requests.Session(), sleep=lambda _: None, log=log.append)


@responses.activate
def test_the_newest_dump_is_downloaded_extracted_and_recorded_with_its_version(
    tmp_path: Path,
) -> None:
    responses.add(responses.GET, ROR_RELEASES, json=RELEASES)
    responses.add(responses.GET, ZIP_URL, body=DUMP_ZIP)
    log: list[str] = []
    errors: list[str] = []
    assert run_fetch(tmp_path, ["ror"], downloader=_downloader(log), err=errors.append) == 0
    assert errors == []
    assert [r.name for r in read_folder(tmp_path / "ror")] == ["Alpha University"]
    manifest = yaml.safe_load((tmp_path / "MANIFEST.yaml").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["files"]}
    dump = entries[DUMP_NAME]
    assert dump["version"] == "v1.58" and dump["release_date"] == "2024-12-11"
    assert dump["archive_member"] == "v1.58-2024-12-11-ror-data_schema_v2.json"
    assert dump["url"] == ZIP_URL and dump["licence"].startswith("CC0")
    assert "ror/v1.58-2024-12-11-ror-data.zip" in entries
    # A second run asks only for the release list: the dump's checksum matches.
    assert run_fetch(tmp_path, ["ror"], downloader=_downloader(log), err=errors.append) == 0
    assert [c.request.url for c in responses.calls].count(ZIP_URL) == 1


@responses.activate
def test_a_zip_without_the_v2_dump_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    responses.add(responses.GET, ROR_RELEASES, json=RELEASES)
    responses.add(responses.GET, ZIP_URL, body=_zip({"v1.58-ror-data.json": "[]"}))
    errors: list[str] = []
    assert run_fetch(tmp_path, ["ror"], downloader=_downloader([]), err=errors.append) == 1
    assert "no '..._schema_v2.json'" in errors[0]
    assert not (tmp_path / DUMP_NAME).exists()
    assert not list((tmp_path / "ror").glob("*.zip"))


@responses.activate
def test_an_empty_release_list_is_named(tmp_path: Path) -> None:
    responses.add(responses.GET, ROR_RELEASES, json={"hits": {"hits": []}})
    errors: list[str] = []
    assert run_fetch(tmp_path, ["ror"], downloader=_downloader([]), err=errors.append) == 1
    assert "lists no release" in errors[0]
