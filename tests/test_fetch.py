"""``python -m analysis fetch``: downloads recorded offline, the manifest, resume, errors, profile."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
import requests
import responses
import yaml
from responses import matchers

from analysis.__main__ import main
from analysis.build.config import ConfigError, load_config
from analysis.context.indicators import read_academic_freedom
from analysis.cooperation.cordis import cordis_projects, programme_files
from analysis.fetch.academic_freedom import ACADEMIC_FREEDOM_URL
from analysis.fetch.cordis import CORDIS_PROGRAMMES
from analysis.fetch.download import Downloader, FetchError
from analysis.fetch.run import run_fetch
from analysis.files.raw_manifest import data_profile
from analysis.reference.countries import CountryResolver
from tests.conftest import REPO_ROOT

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
HORIZON_URL, H2020_URL = (p.url for p in CORDIS_PROGRAMMES)

PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
    "ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;"
    "contentUpdateDate;rcn;grantDoi\n"
)
ORGANISATION_HEADER = (
    '"projectID";"projectAcronym";"organisationID";"vatNumber";"name";"shortName";"SME";'
    '"activityType";"street";"postCode";"city";"country";"nutsCode";"geolocation";'
    '"organizationURL";"contactForm";"contentUpdateDate";"rcn";"order";"role";"ecContribution";'
    '"netEcContribution";"totalCost";"endOfParticipation";"active"\n'
)


def _project(pid: str, acronym: str, start: str, programme: str) -> str:
    return (
        f"{pid};{acronym};SIGNED;A title;{start};2027-12-31;1000000;1000000;{programme}.1;"
        f"T-{acronym};2022-11-30;{programme};C;C;{programme}-RIA;;"
        f'"An objective ""quoted""; with a semicolon";2024-10-01 12:00:00;9{pid[-3:]};'
        f"10.3030/{pid}\n"
    )


def _organisation(pid: str, acronym: str, name: str, country: str, role: str) -> str:
    return (
        f'"{pid}";"{acronym}";"999{pid[-3:]}";"";"{name}";"";"false";"HES";"";"";"";"{country}";'
        f'"";"";"";"";"2024-10-01 12:00:00";"1";"1";"{role}";"500000";"500000";"500000";'
        f'"false";"true"\n'
    )


def _cordis_zip(programme: str, pid: str, acronym: str, start: str, partner: str) -> bytes:
    """A bulk archive in the published layout: the CSVs side by side, with their siblings."""
    members = {
        "project.csv": PROJECT_HEADER + _project(pid, acronym, start, programme),
        "organization.csv": ORGANISATION_HEADER
        + _organisation(pid, acronym, "HELSINGIN YLIOPISTO", "FI", "coordinator")
        + _organisation(pid, acronym, "PARTNER UNIVERSITY", partner, "participant"),
        "topics.csv": f"projectID;topic;title\n{pid};T-{acronym};A topic\n",
        "euroSciVoc.csv": f"projectID;euroSciVocCode;euroSciVocPath\n{pid};/23;/natural\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HORIZON_ZIP = _cordis_zip("HORIZON", "101094001", "HEONE", "2023-02-01", "EL")
H2020_ZIP = _cordis_zip("H2020", "870001", "HTWO", "2020-01-01", "UK")
OWID_CSV = (
    b"Entity,Code,Year,Academic freedom index (central estimate)\n"
    b"Finland,FIN,2023,0.96\nFinland,FIN,2024,0.95\nChina,CHN,2024,0.07\n"
    b"World,OWID_WRL,2024,0.5\n"
)


def _downloader(log: list[str], **kwargs) -> Downloader:
    return Downloader(session=requests.Session(), sleep=lambda _: None, log=log.append, **kwargs)


def _all_sources_answer() -> None:
    responses.add(responses.GET, HORIZON_URL, body=HORIZON_ZIP)
    responses.add(responses.GET, H2020_URL, body=H2020_ZIP)
    responses.add(responses.GET, ACADEMIC_FREEDOM_URL, body=OWID_CSV)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".part"))


@responses.activate
def test_full_fetch_writes_files_manifest_and_skips_on_the_second_run(tmp_path: Path) -> None:
    _all_sources_answer()
    log: list[str] = []
    errors: list[str] = []
    status = run_fetch(
        tmp_path, ["cordis", "academic_freedom"], downloader=_downloader(log), err=errors.append
    )
    assert status == 0 and errors == []
    assert len(responses.calls) == 3
    expected = {
        "cordis/cordis-HORIZONprojects-csv.zip",
        "cordis/cordis-h2020projects-csv.zip",
        "cordis/horizon_project.csv",
        "cordis/horizon_organization.csv",
        "cordis/h2020_project.csv",
        "cordis/h2020_organization.csv",
        "context/academic_freedom_index.csv",
    }
    manifest = yaml.safe_load((tmp_path / "MANIFEST.yaml").read_text(encoding="utf-8"))
    assert manifest["profile"] == "public" and manifest["synthetic"] is False
    entries = {e["path"]: e for e in manifest["files"]}
    assert set(entries) == expected
    for relative, entry in entries.items():
        assert entry["sha256"] == _sha(tmp_path / relative), relative
        assert {"title", "producer", "url", "accessed", "licence"} <= set(entry)
    assert entries["cordis/h2020_project.csv"]["url"] == H2020_URL
    assert entries["cordis/h2020_project.csv"]["archive_member"] == "project.csv"
    assert entries["context/academic_freedom_index.csv"]["url"] == ACADEMIC_FREEDOM_URL
    with zipfile.ZipFile(io.BytesIO(HORIZON_ZIP)) as archive:
        assert (tmp_path / "cordis/horizon_project.csv").read_bytes() == archive.read("project.csv")
    assert (tmp_path / "context/academic_freedom_index.csv").read_bytes() == OWID_CSV
    assert _leftovers(tmp_path) == []
    assert any(line.startswith("cordis: downloading " + HORIZON_URL) for line in log)
    assert f"academic_freedom: saved academic_freedom_index.csv ({len(OWID_CSV)} B)" in log

    # what was fetched is what the pipeline reads, both programmes together
    result = cordis_projects(tmp_path / "cordis", RESOLVER)
    assert sorted(result.projects["framework_programme"]) == ["H2020", "HORIZON"]
    assert result.partner_countries[["year", "iso2", "projects"]].values.tolist() == [
        [2020, "GB", 1],
        [2023, "GR", 1],
    ]
    assert set(result.accounting["source_file"]) == {
        "h2020_project.csv",
        "h2020_organization.csv",
        "horizon_project.csv",
        "horizon_organization.csv",
    }
    freedom = read_academic_freedom(tmp_path / "context/academic_freedom_index.csv", RESOLVER)
    assert freedom.set_index("iso2")["academic_freedom"].to_dict() == {"FI": 0.95, "CN": 0.07}
    assert data_profile(tmp_path)["name"] == "public"
    assert data_profile(tmp_path)["synthetic"] is False

    log.clear()
    assert run_fetch(tmp_path, ["cordis", "academic_freedom"], downloader=_downloader(log)) == 0
    assert len(responses.calls) == 3  # nothing downloaded again
    assert "academic_freedom: already downloaded (sha256 matches)" in log

    # an extracted file that no longer matches is extracted again from the kept archive
    (tmp_path / "cordis/h2020_project.csv").write_text("edited\n", encoding="utf-8")
    assert run_fetch(tmp_path, ["cordis"], downloader=_downloader(log)) == 0
    assert len(responses.calls) == 3
    assert (
        _sha(tmp_path / "cordis/h2020_project.csv") == entries["cordis/h2020_project.csv"]["sha256"]
    )

    assert run_fetch(tmp_path, ["academic_freedom"], downloader=_downloader(log), force=True) == 0
    assert len(responses.calls) == 4


@responses.activate
def test_server_error_is_retried_then_named_and_leaves_no_file(tmp_path: Path) -> None:
    responses.add(responses.GET, ACADEMIC_FREEDOM_URL, status=500)
    errors: list[str] = []
    log: list[str] = []
    status = run_fetch(
        tmp_path, ["academic_freedom"], downloader=_downloader(log, retries=2), err=errors.append
    )
    assert status == 1
    assert len(responses.calls) == 3
    assert errors[0] == (
        f"fetch failed: academic_freedom: HTTP 500 Internal Server Error for "
        f"{ACADEMIC_FREEDOM_URL} after 3 attempts"
    )
    assert "--source academic_freedom" in errors[-1]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@responses.activate
def test_connection_refused_fails_at_once_and_the_other_sources_still_run(tmp_path: Path) -> None:
    refused = requests.ConnectionError(
        "HTTPSConnectionPool(host='cordis.europa.eu', port=443): Max retries exceeded "
        "(Caused by NewConnectionError('Failed to establish a new connection: "
        "[Errno 111] Connection refused'))"
    )
    responses.add(responses.GET, HORIZON_URL, body=refused)
    responses.add(responses.GET, ACADEMIC_FREEDOM_URL, body=OWID_CSV)
    errors: list[str] = []
    status = run_fetch(
        tmp_path, ["cordis", "academic_freedom"], downloader=_downloader([]), err=errors.append
    )
    assert status == 1
    assert errors[0] == f"fetch failed: cordis: connection refused for {HORIZON_URL}"
    assert not (tmp_path / "cordis").exists() or list((tmp_path / "cordis").iterdir()) == []
    assert (tmp_path / "context/academic_freedom_index.csv").read_bytes() == OWID_CSV
    assert len(responses.calls) == 2


@responses.activate
def test_not_found_and_wrong_content_are_refused_without_a_file(tmp_path: Path) -> None:
    responses.add(responses.GET, HORIZON_URL, status=404)
    with pytest.raises(FetchError, match=f"^cordis: HTTP 404 Not Found for {HORIZON_URL}$"):
        _downloader([]).download("cordis", HORIZON_URL, tmp_path / "a.zip")
    assert len(responses.calls) == 1  # a 4xx is not retried

    responses.replace(responses.GET, HORIZON_URL, body=b"<html>maintenance</html>")
    errors: list[str] = []
    assert run_fetch(tmp_path, ["cordis"], downloader=_downloader([]), err=errors.append) == 1
    assert errors[0] == f"fetch failed: cordis: the answer from {HORIZON_URL} is not a zip archive"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []

    responses.add(responses.GET, ACADEMIC_FREEDOM_URL, body=b"country,value\nFinland,1\n")
    assert run_fetch(tmp_path, ["academic_freedom"], downloader=_downloader([]), err=print) == 1
    assert not (tmp_path / "context/academic_freedom_index.csv").exists()


class _CutOff(io.BufferedReader):
    """A response body that sends its first bytes and then loses the connection."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.left = data

    def read(self, size: int | None = -1) -> bytes:
        if not self.left:
            raise ConnectionResetError(104, "Connection reset by peer")
        size = len(self.left) if size is None or size < 0 else size
        chunk, self.left = self.left[:size], self.left[size:]
        return chunk

    read1 = read

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@responses.activate
def test_interrupted_download_leaves_no_final_file_and_resumes_with_range(tmp_path: Path) -> None:
    half = len(H2020_ZIP) // 2
    length = {"Content-Length": str(len(H2020_ZIP))}
    responses.add(responses.GET, H2020_URL, body=_CutOff(H2020_ZIP[:half]), headers=length)
    target = tmp_path / "cordis" / "cordis-h2020projects-csv.zip"
    part = target.parent / f".{target.name}.part"
    with pytest.raises(
        FetchError,
        match=r"kept in \.cordis-h2020projects-csv\.zip\.part; run fetch again to resume",
    ):
        _downloader([], retries=0, chunk_size=128).download("cordis", H2020_URL, target)
    assert not target.exists()
    kept = part.stat().st_size
    assert 0 < kept <= half and part.read_bytes() == H2020_ZIP[:kept]

    responses.replace(
        responses.GET,
        H2020_URL,
        body=H2020_ZIP[kept:],
        status=206,
        headers={"Content-Range": f"bytes {kept}-{len(H2020_ZIP) - 1}/{len(H2020_ZIP)}"},
        match=[matchers.header_matcher({"Range": f"bytes={kept}-"})],
    )
    log: list[str] = []
    _downloader(log).download("cordis", H2020_URL, target)
    assert target.read_bytes() == H2020_ZIP and not part.exists()
    assert f"cordis: resuming .cordis-h2020projects-csv.zip.part at {kept} B" in log


@responses.activate
def test_a_broken_connection_is_retried_from_where_it_stopped(tmp_path: Path) -> None:
    half = len(H2020_ZIP) // 2
    responses.add(responses.GET, H2020_URL, body=_CutOff(H2020_ZIP[:half]))
    responses.add(
        responses.GET,
        H2020_URL,
        body=H2020_ZIP[half // 128 * 128 :],
        status=206,
        match=[matchers.header_matcher({"Range": f"bytes={half // 128 * 128}-"})],
    )
    log: list[str] = []
    target = tmp_path / "h2020.zip"
    _downloader(log, chunk_size=128, progress_every=256).download("cordis", H2020_URL, target)
    assert target.read_bytes() == H2020_ZIP
    assert "cordis: 256 B" in log  # progress: source and bytes so far
    assert "cordis: the connection broke off; retrying in 2 s" in log
    assert len(responses.calls) == 2


def test_openalex_without_a_key_is_named_and_the_other_sources_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    with responses.RequestsMock() as mock:
        mock.add(responses.GET, ACADEMIC_FREEDOM_URL, body=OWID_CSV)
        status = main(
            [
                "fetch",
                "--output",
                str(tmp_path),
                "--source",
                "openalex",
                "--source",
                "academic_freedom",
            ]
        )
        assert len(mock.calls) == 1
    assert status == 1
    err = capsys.readouterr().err
    assert "fetch failed: openalex: OpenAlex needs an API key" in err
    assert "export OPENALEX_API_KEY=" in err
    assert (tmp_path / "context/academic_freedom_index.csv").is_file()


def test_openalex_answers_are_merged_into_the_manifest(tmp_path: Path) -> None:
    answer = b'{"meta": {"count": 2}, "group_by": []}\n'

    def refresh(folder: Path) -> None:  # what analysis.fetch.openalex.refresh leaves
        folder.mkdir(parents=True)
        (folder / "fi_works_by_year.json").write_bytes(answer)
        entry = {
            "file": "fi_works_by_year.json",
            "url": "https://api.openalex.org/works?filter=institutions.country_code:FI",
            "retrieved": "2025-03-01T10:00:00+00:00",
            "sha256": hashlib.sha256(answer).hexdigest(),
            "licence": "CC0-1.0 (OpenAlex)",
        }
        (folder / "manifest.json").write_text(json.dumps({"queries": [entry]}))

    assert run_fetch(tmp_path, ["openalex"], refresh, _downloader([])) == 0
    manifest = yaml.safe_load((tmp_path / "MANIFEST.yaml").read_text(encoding="utf-8"))
    (entry,) = manifest["files"]
    assert entry["path"] == "openalex/fi_works_by_year.json"
    assert entry["sha256"] == hashlib.sha256(answer).hexdigest()
    assert entry["accessed"] == "2025-03-01" and entry["licence"] == "CC0-1.0 (OpenAlex)"


def test_cordis_files_pair_by_programme(tmp_path: Path) -> None:
    for name in ("project.csv", "organization.csv", "h2020_project.csv", "h2020_organization.csv"):
        (tmp_path / name).write_text("x\n")
    assert [(p.name, o.name) for p, o in programme_files(tmp_path)] == [
        ("project.csv", "organization.csv"),
        ("h2020_project.csv", "h2020_organization.csv"),
    ]
    (tmp_path / "horizon_project.csv").write_text("x\n")
    with pytest.raises(FileNotFoundError, match=r"lack their partner: \['horizon_project.csv'\]"):
        programme_files(tmp_path)


def test_cordis_files_as_downloaded_now_pair_too(tmp_path: Path) -> None:
    names = ("projects-fp2-2025.csv", "organizations-fp2-2025.csv", "projectDeliverables.csv")
    for name in names:
        (tmp_path / name).write_text("x\n")
    assert [(p.name, o.name) for p, o in programme_files(tmp_path)] == [
        ("projects-fp2-2025.csv", "organizations-fp2-2025.csv")
    ]


CONFIG = """\
report: {step: a}
common:
  profile: demo
  raw_dir: data/raw/{profile}
  min_cell: 5
steps:
  - name: a
    notebook: a.ipynb
    inputs: ["{raw_dir}/survey/*"]
"""


def test_profile_chooses_the_raw_folder_without_a_new_notebook_parameter(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert config.profile == "demo"
    assert config.common == {"raw_dir": "data/raw/demo", "min_cell": 5}
    assert config.step("a").parameters == {"raw_dir": "data/raw/demo", "min_cell": 5, "lang": "en"}
    assert load_config(path, ["raw_dir=data/raw/2025"]).common["raw_dir"] == "data/raw/2025"
    with pytest.raises(ConfigError, match="whole run"):
        load_config(path, ["a.profile=public"])

    with pytest.raises(ConfigError) as missing:
        load_config(path, ["profile=public"])
    message = str(missing.value)
    assert message.startswith(f"profile 'public' reads {tmp_path / 'data/raw/public'}")
    assert "`make fetch` (python -m analysis fetch --source openalex --source cordis" in message
    assert "survey/* (the survey export(s)" in message

    public = tmp_path / "data/raw/public"
    for relative in (
        "MANIFEST.yaml",
        "openalex/fi_works_by_year.json",
        "cordis/horizon_project.csv",
        "cordis/horizon_organization.csv",
        "survey/export.csv",
        "agreements/register.csv",
        "mobility/mobility.csv",
        "screening/list.csv",
    ):
        (public / relative).parent.mkdir(parents=True, exist_ok=True)
        (public / relative).write_text("x\n")
    with pytest.raises(ConfigError) as one_missing:
        load_config(path, ["profile=public"])
    assert "missing context/academic_freedom_index.csv" in str(one_missing.value)
    assert "fetch --source academic_freedom;" in str(one_missing.value)
    assert "survey" not in str(one_missing.value)

    (public / "context").mkdir()
    (public / "context/academic_freedom_index.csv").write_text("x\n")
    config = load_config(path, ["profile=public"])
    assert config.profile == "public" and config.common["raw_dir"] == "data/raw/public"


def test_the_project_config_runs_on_the_demo_by_default() -> None:
    config = load_config(REPO_ROOT / "config" / "params.yaml")
    assert config.profile == "demo"
    assert config.common["raw_dir"] == "data/raw/demo"
    assert all("profile" not in step.parameters for step in config.steps)


def test_the_openalex_download_asks_for_the_critical_subfields(tmp_path, monkeypatch) -> None:
    """The by-year critical-technology answers need the mapping's subfield ids passed in."""
    import argparse

    import analysis.fetch.openalex as client_module
    from analysis.__main__ import _openalex_refresh
    from analysis.context.indicators import critical_subfields
    from tests.conftest import REPO_ROOT

    seen = {}
    monkeypatch.setenv("OPENALEX_API_KEY", "test-key")
    monkeypatch.setattr(client_module, "refresh", lambda *a, **k: seen.update(k))
    arguments = argparse.Namespace(
        budget_usd=0.5, first_year=2015, last_year=2024, ror=None, top_partners=15
    )
    _openalex_refresh(arguments, tmp_path / "openalex")
    expected = critical_subfields(REPO_ROOT / "config" / "critical_technologies.yaml")
    assert seen["critical_subfields"] == expected and len(expected) > 10
