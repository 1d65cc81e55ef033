"""A step is skipped only when its last run stands: the same fingerprint, and every output still
the file that run recorded. Parameter errors stop a run before any step writes anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.build.config import load_config
from analysis.build.run_manifest import RunManifest, rerun_reasons
from analysis.build.runner import run_pipeline
from analysis.files.hashing import sha256_file
from tests.conftest import copy_project

DOUBLED = "data/processed/doubled.csv"


def run(root: Path, overrides=None, **kwargs):
    config = load_config(root / "config" / "params.yaml", overrides)
    messages: list[str] = []
    result = run_pipeline(config, root, log=messages.append, **kwargs)
    return result, messages


def files_of(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and modification time: a write changes them."""
    return {
        path.relative_to(root).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- the decision, on a hand-made manifest -------------------------------------------------


def test_an_output_is_trusted_only_when_its_recorded_sha256_matches(tmp_path: Path) -> None:
    outputs = [
        tmp_path / "out" / name for name in ("same.csv", "edited.csv", "gone.csv", "new.csv")
    ]
    outputs[0].parent.mkdir()
    for path in outputs[:3]:
        path.write_text("value\n1\n")
    recorded = {f"out/{p.name}": {"sha256": sha256_file(p)} for p in outputs[:3]}
    outputs[1].write_text("value\n999\n")  # edited by hand after the run
    outputs[2].unlink()
    outputs[3].write_text("value\n1\n")  # a file the last run did not record
    (tmp_path / "reports").mkdir()
    manifest_file = tmp_path / "reports" / "run_manifest.json"
    manifest_file.write_text(json.dumps({"steps": {"step": {"outputs": recorded}}}))

    manifest = RunManifest(tmp_path)
    assert manifest.changed_outputs("step", outputs) == {
        "out/edited.csv": "changed",
        "out/gone.csv": "missing",
        "out/new.csv": "unrecorded",
    }
    assert manifest.changed_outputs("step", outputs[:1]) == {}
    # A step the manifest has never seen trusts nothing.
    assert manifest.changed_outputs("other", outputs[:1]) == {"out/same.csv": "unrecorded"}


def test_the_console_names_each_changed_output_and_why() -> None:
    one = {"data/processed/country_scores.parquet": "changed"}
    assert rerun_reasons("threats_opportunities", one) == [
        "threats_opportunities: data/processed/country_scores.parquet was changed outside the "
        "runner: rerunning"
    ]
    several = {"a.csv": "changed", "b.csv": "missing", "c.csv": "changed", "d.csv": "unrecorded"}
    assert rerun_reasons("s", several) == [
        "s: a.csv and c.csv were changed outside the runner: rerunning",
        "s: b.csv is missing: rerunning",
        "s: d.csv has no sha256 in the run manifest: rerunning",
    ]
    many = {f"{n}.png": "changed" for n in "abcde"}
    assert rerun_reasons("s", many) == [
        "s: a.png, b.png, c.png and 2 more were changed outside the runner: rerunning"
    ]


# --- the runner, on the tiny project -------------------------------------------------------


@pytest.mark.kernel
def test_an_output_edited_by_hand_reruns_its_step_and_not_the_report(tiny_project: Path) -> None:
    run(tiny_project)
    report = tiny_project / "reports" / "report.html"
    good_report = report.read_bytes()
    output = tiny_project / DOUBLED
    output.write_text("value\n999\n")  # what the old runner would have put in the report

    result, messages = run(tiny_project)
    assert "double: data/processed/doubled.csv was changed outside the runner: rerunning" in (
        messages
    )
    # The step wrote its output again, so the report's input is what it was: no new report.
    assert result.ran == ["double"] and result.skipped == ["report"]
    assert output.read_text() == "value\n2\n4\n6\n"
    assert report.read_bytes() == good_report

    quiet, messages = run(tiny_project)
    assert quiet.ran == [] and not any("outside the runner" in m for m in messages)


@pytest.mark.kernel
def test_a_report_edited_by_hand_is_rendered_again(tiny_project: Path) -> None:
    run(tiny_project)
    report = tiny_project / "reports" / "report.html"
    report.write_text(report.read_text().replace("Tiny test report", "Doctored report"))
    result, messages = run(tiny_project)
    assert result.ran == ["report"]
    assert "report: reports/report.html was changed outside the runner: rerunning" in messages
    assert "Doctored" not in report.read_text()


@pytest.mark.kernel
def test_an_output_without_a_recorded_sha256_is_not_trusted(tiny_project: Path) -> None:
    run(tiny_project)
    manifest_file = tiny_project / "reports" / "run_manifest.json"
    manifest = json.loads(manifest_file.read_text())
    del manifest["steps"]["double"]["outputs"][DOUBLED]["sha256"]
    manifest_file.write_text(json.dumps(manifest))
    result, messages = run(tiny_project)
    assert result.ran == ["double"]
    assert f"double: {DOUBLED} has no sha256 in the run manifest: rerunning" in messages


@pytest.mark.kernel
def test_a_run_that_changes_nothing_hashes_each_file_once(tiny_project: Path, monkeypatch) -> None:
    import analysis.files.hashing as hashing

    run(tiny_project)
    hashed: list[str] = []
    original = hashing.sha256_file

    def counting(path):
        if Path(path).is_relative_to(tiny_project):  # not the package's own code files
            hashed.append(Path(path).relative_to(tiny_project).as_posix())
        return original(path)

    monkeypatch.setattr(hashing, "sha256_file", counting)
    result, messages = run(tiny_project)
    assert result.skipped == ["double", "report"]
    assert sorted(hashed) == sorted(set(hashed)), "a file was hashed twice"
    # The step's output, verified for its skip, is the report's input: hashed once for both.
    assert hashed.count(DOUBLED) == 1 and "reports/report.html" in hashed


# --- parameter errors: nothing is written --------------------------------------------------


def test_a_wrong_type_stops_the_run_before_anything_is_written(
    tiny_project: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tiny_project)
    before = files_of(tiny_project)
    assert main(["report", "--no-check", "-p", "factor=two"]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "configuration error: -p factor=two: factor takes a whole number (its default is 2), "
        "not text"
    )
    assert files_of(tiny_project) == before

    # The same mistake written in the configuration: held against the notebook's default.
    config_file = tiny_project / "config" / "params.yaml"
    config_file.write_text(config_file.read_text().replace("factor: 2", 'factor: "two"'))
    before = files_of(tiny_project)
    assert main(["report", "--no-check"]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "configuration error: step 'double': factor is text (\"two\"), but "
        "notebooks/11_double.ipynb takes a whole number (its default is 1)"
    )
    assert files_of(tiny_project) == before


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "languages=[en, de]",
            "-p languages=[en, de]: de is not among the editions of the configuration "
            "(en, fi, sv; declared under 'editions')",
        ),
        (
            "languages=fi",
            '-p languages=fi: languages takes a list (its default is ["en", "fi", "sv"]), '
            "not text; write languages=[fi]",
        ),
        ("lang=de", "-p lang: ['de'] is not a report language (use en, fi, sv)"),
        ("min_cel=3", "'min_cel' is not a parameter of any step (did you mean min_cell?)"),
        ("min_cell=3.5", "-p min_cell=3.5: min_cell takes a whole number (its default is 5)"),
        ("report.show_comments=maybe", "show_comments takes true or false"),
    ],
)
def test_parameter_errors_on_the_project_stop_with_status_2_and_write_nothing(
    tmp_path: Path, monkeypatch, capsys, override: str, message: str
) -> None:
    root = copy_project(tmp_path)
    monkeypatch.chdir(root)
    before = files_of(root)
    assert main(["report", "-p", override]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("configuration error: "), error
    assert message in error
    assert files_of(root) == before


# --- the demo pipeline ---------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.kernel
def test_scores_written_outside_the_runner_are_computed_again_before_the_report(
    built: Path, capsys
) -> None:
    """Notebook 25 run by hand with another scoring file rewrites the scores; the next report
    run computes them again from the configured model rather than publishing them."""
    import pandas as pd

    scores_file = built / "data" / "processed" / "country_scores.parquet"
    clean_bytes = scores_file.read_bytes()
    pages = {page: page.read_bytes() for page in (built / "reports").glob("report*.html")}
    clean = pd.read_parquet(scores_file)
    other_model = clean.copy()
    other_model["threat"] = 1 - other_model["threat"]
    other_model["quadrant"] = "high_opportunity_high_threat"
    other_model.to_parquet(scores_file)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(built)
            assert main(["report"]) == 0
        printed = capsys.readouterr().out
        assert (
            "threats_opportunities: data/processed/country_scores.parquet was changed outside "
            "the runner: rerunning"
        ) in printed
        assert "threats_opportunities (notebooks/25_threats_opportunities.ipynb): done" in printed
        pd.testing.assert_frame_equal(pd.read_parquet(scores_file), clean)
        # The step writes the same table again, so the steps after it see the inputs they had
        # and skip: the clean build's report stands, the hand-made scores reached no page.
        assert "key_findings (notebooks/26_key_findings.ipynb): skipped, unchanged" in printed
        assert {page: page.read_bytes() for page in pages} == pages
        recorded = json.loads((built / "reports" / "run_manifest.json").read_text())
        entry = recorded["steps"]["threats_opportunities"]["outputs"]
        assert entry["data/processed/country_scores.parquet"]["sha256"] == sha256_file(scores_file)
    finally:
        if pd.read_parquet(scores_file).equals(other_model):
            scores_file.write_bytes(clean_bytes)  # leave the shared build as it was


@pytest.mark.slow
@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("min_cell=five", "-p min_cell=five: min_cell takes a whole number"),
        ("languages=[en, xx]", "-p languages=[en, xx]: xx is not among the editions"),
    ],
)
def test_parameter_errors_leave_a_built_project_as_it_was(
    built: Path, capsys, override: str, message: str
) -> None:
    before = files_of(built)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["report", "-p", override]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"configuration error: {message}") and error.count("\n") == 1
    assert files_of(built) == before
