"""MANIFEST.yaml is checked, and a synthetic file marks the report wherever it sits."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis.files.raw_manifest import RawManifest, data_profile, manifest_problems
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "data" / "raw" / "demo"


def test_the_demo_matches_its_manifest() -> None:
    assert manifest_problems(DEMO) == []


def _real_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "survey").mkdir(parents=True)
    (folder / "survey" / "export.csv").write_text("id\n1\n", encoding="utf-8")
    manifest = RawManifest(folder, header={"profile": "2025", "synthetic": False})
    manifest.record("survey/export.csv", title="Export", producer="us")
    manifest.save()
    return folder


def test_changed_unlisted_and_missing_files_are_named(tmp_path: Path) -> None:
    folder = _real_folder(tmp_path)
    assert manifest_problems(folder) == []
    recorded = RawManifest.load(folder).files["survey/export.csv"]["sha256"]
    (folder / "survey" / "export.csv").write_text("id\n2\n", encoding="utf-8")
    (folder / "survey" / "extra.csv").write_text("id\n", encoding="utf-8")
    (folder / "survey" / ".~lock.export.csv#").write_text("x", encoding="utf-8")
    problems = dict(manifest_problems(folder))
    assert set(problems) == {"survey/export.csv", "survey/extra.csv"}
    assert recorded in problems["survey/export.csv"]
    assert "not listed in MANIFEST.yaml" in problems["survey/extra.csv"]
    (folder / "survey" / "export.csv").unlink()
    assert "but missing" in dict(manifest_problems(folder))["survey/export.csv"]


def test_no_manifest_is_a_problem(tmp_path: Path) -> None:
    assert manifest_problems(tmp_path)[0][0] == "MANIFEST.yaml"


def test_a_demo_file_copied_into_a_real_folder_keeps_the_banner(tmp_path: Path) -> None:
    folder = _real_folder(tmp_path)
    assert data_profile(folder)["synthetic"] is False
    (folder / "cordis").mkdir()
    shutil.copy(DEMO / "cordis" / "project.csv", folder / "cordis" / "project.csv")
    profile = data_profile(folder)
    assert profile["synthetic"] is True
    assert profile["synthetic_files"] == ["cordis/project.csv"]


def test_a_file_marked_synthetic_marks_the_folder(tmp_path: Path) -> None:
    folder = _real_folder(tmp_path)
    manifest = RawManifest.load(folder)
    manifest.files["survey/export.csv"]["synthetic"] = True
    manifest.save()
    assert data_profile(folder)["synthetic"] is True


def test_a_profile_follows_every_change_to_the_folder(tmp_path: Path) -> None:
    folder = _real_folder(tmp_path)
    first = data_profile(folder)
    assert first["name"] == "2025" and first["not_provided"][0] == "openalex"
    first["synthetic_files"].append("changed by a caller")
    assert data_profile(folder)["synthetic_files"] == [], "each caller gets its own copy"
    manifest = RawManifest.load(folder)
    manifest.header["profile"] = "2026"
    manifest.save()
    assert data_profile(folder)["name"] == "2026"
    (folder / "openalex").mkdir()
    (folder / "openalex" / "works.json").write_text("{}", encoding="utf-8")
    assert "openalex" not in data_profile(folder)["not_provided"]
    (folder / "openalex" / "works.json").unlink()
    assert "openalex" in data_profile(folder)["not_provided"]
