"""The committed demo data is exactly what the generator writes, and it is plainly synthetic."""

from __future__ import annotations

import filecmp
from pathlib import Path

import yaml

from analysis.demo import write_demo
from analysis.demo.entities import ORGANISATIONS
from analysis.files.raw_manifest import data_profile
from tests.conftest import REPO_ROOT

DEMO = REPO_ROOT / "data" / "raw" / "demo"


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_regenerated_demo_is_byte_identical_to_the_committed_files(tmp_path: Path) -> None:
    write_demo(tmp_path)
    assert _files(tmp_path) == _files(DEMO)
    different = [
        name
        for name in _files(DEMO)
        if not filecmp.cmp(DEMO / name, tmp_path / name, shallow=False)
    ]
    assert different == [], f"run `python -m analysis demo` and commit: {different}"


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    write_demo(tmp_path, seed=1)
    assert (tmp_path / "survey" / "limesurvey_results_2024.csv").read_bytes() != (
        DEMO / "survey" / "limesurvey_results_2024.csv"
    ).read_bytes()


def test_demo_manifest_marks_the_data_synthetic_and_lists_every_file() -> None:
    profile = data_profile(DEMO)
    assert profile["synthetic"] is True
    manifest = yaml.safe_load((DEMO / "MANIFEST.yaml").read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == set(_files(DEMO)) - {"MANIFEST.yaml"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


def test_demo_organisations_are_pseudonymous() -> None:
    assert len(ORGANISATIONS) == 40
    for org in ORGANISATIONS:
        assert org.name.split()[0] in {"University", "UAS", "Research"}, org.name


def test_demo_critical_works_by_year_fit_the_other_openalex_answers() -> None:
    """There is one critical answer per scored partner (as the refresh asks: every partner
    with at least min_copublications in the latest year) and none for the others. Each year's
    critical works are at most that year's co-publications with the partner; for a partner with
    a subfield mix they add up over the years to its critical subfields."""
    import json

    from analysis.context.indicators import critical_subfields
    from analysis.scoring.model import load_scoring_model

    critical = set(critical_subfields(REPO_ROOT / "config" / "critical_technologies.yaml"))
    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    folder = DEMO / "openalex"

    def groups(name: str) -> dict[str, int]:
        body = json.loads((folder / name).read_text(encoding="utf-8"))
        return {g["key"].rsplit("/", 1)[-1]: g["count"] for g in body["group_by"]}

    latest = groups("fi_works_by_country_2024.json")
    scored = {c for c, n in latest.items() if c != "FI" and n >= model["min_copublications"]}
    files = sorted(folder.glob("fi_critical_by_year_with_*.json"))
    assert {p.stem.rsplit("_", 1)[-1] for p in files} == scored
    mixes = {p.stem.rsplit("_", 1)[-1] for p in folder.glob("fi_subfields_with_*.json")}
    assert len(mixes) == 15 and mixes < scored
    for path in files:
        partner = path.stem.rsplit("_", 1)[-1]
        by_year = groups(path.name)
        works = {y: groups(f"fi_works_by_country_{y}.json").get(partner, 0) for y in by_year}
        for year, count in by_year.items():
            assert count <= works[year], (partner, year)
        if partner in mixes:
            subfields = groups(f"fi_subfields_with_{partner}.json")
            in_critical = sum(n for s, n in subfields.items() if int(s) in critical)
            assert sum(by_year.values()) == in_critical, partner
        else:
            every_year = sum(
                groups(f"fi_works_by_country_{y}.json").get(partner, 0) for y in range(2015, 2025)
            )
            assert 0.1 < sum(by_year.values()) / every_year < 0.4, partner
