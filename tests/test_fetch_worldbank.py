"""``fetch --source wgi``: the World Bank API answers recorded offline, every page, the
manifest with the release date, the skip on a second run and a refused answer."""

from __future__ import annotations

import json
from pathlib import Path

import requests
import responses
import yaml

from analysis.context.governance import governance_indicators
from analysis.fetch.download import Downloader
from analysis.fetch.run import run_fetch
from analysis.fetch.worldbank import countries_url, indicator_url
from analysis.reference.countries import CountryResolver
from tests.conftest import REPO_ROOT
from tests.test_worldbank import COUNTRY_LIST, PAGE_1, PAGE_2

COUNTRIES = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")


def _single(code: str, value: float) -> str:
    meta = {"page": 1, "pages": 1, "per_page": 20000, "total": 1, "sourceid": "3"}
    row = {
        "indicator": {"id": code, "value": code},
        "country": {"id": "FI", "value": "Finland"},
        "countryiso3code": "FIN",
        "date": "2023",
        "value": value,
    }
    return json.dumps([{**meta, "lastupdated": "2024-09-26"}, [row]])


def _answer_everything() -> None:
    responses.add(responses.GET, indicator_url("RL.EST", 1), body=PAGE_1)
    responses.add(responses.GET, indicator_url("RL.EST", 2), body=PAGE_2)
    for code, value in (("PV.EST", 0.71), ("CC.EST", 2.2), ("VA.EST", 1.6)):
        responses.add(responses.GET, indicator_url(code, 1), body=_single(code, value))
    responses.add(responses.GET, countries_url(1), body=COUNTRY_LIST)


def _downloader(log: list[str]) -> Downloader:
    return Downloader(session=requests.Session(), sleep=lambda _: None, log=log.append)


@responses.activate
def test_every_page_is_saved_and_the_release_recorded(tmp_path: Path) -> None:
    _answer_everything()
    log: list[str] = []
    assert run_fetch(tmp_path, ["wgi"], downloader=_downloader(log)) == 0
    manifest = yaml.safe_load((tmp_path / "MANIFEST.yaml").read_text())
    entries = {entry["path"]: entry for entry in manifest["files"]}
    assert sorted(entries) == [
        "context/worldbank_countries.json",
        "context/worldbank_wgi_CC.EST.json",
        "context/worldbank_wgi_PV.EST.json",
        "context/worldbank_wgi_RL.EST.json",
        "context/worldbank_wgi_RL.EST__p2.json",
        "context/worldbank_wgi_VA.EST.json",
    ]
    rule = entries["context/worldbank_wgi_RL.EST__p2.json"]
    assert rule["url"] == indicator_url("RL.EST", 2)
    assert "source=3" in rule["url"] and "format=json" in rule["url"]
    assert (rule["version"], rule["release_date"], rule["source_id"]) == (
        "2024-09-26",
        "2024-09-26",
        3,
    )
    assert rule["licence"].startswith("CC BY 4.0")
    # What was saved is what the loader reads: Finland's four estimates of 2023.
    found = governance_indicators(tmp_path / "context", COUNTRIES).set_index("iso2")
    assert found.loc["FI", ["rule_of_law", "political_stability"]].tolist() == [
        2.01762270927429,
        0.71,
    ]
    assert found.loc["FI", ["control_of_corruption", "voice_accountability"]].tolist() == [2.2, 1.6]
    calls = len(responses.calls)
    assert calls == 6
    assert run_fetch(tmp_path, ["wgi"], downloader=_downloader(log)) == 0
    assert len(responses.calls) == calls  # nothing downloaded again
    assert "wgi: already downloaded (sha256 matches)" in log


@responses.activate
def test_an_error_answer_is_refused_and_leaves_no_file(tmp_path: Path) -> None:
    refused = json.dumps([{"message": [{"id": "175", "key": "Invalid format"}]}])
    responses.add(responses.GET, indicator_url("RL.EST", 1), body=refused)
    errors: list[str] = []
    status = run_fetch(tmp_path, ["wgi"], downloader=_downloader([]), err=errors.append)
    assert status == 1
    assert any("an API error answer" in line and "RL.EST" in line for line in errors)
    assert not list((tmp_path / "context").glob("*.json"))
