"""The runner: incremental skips, force, overrides, failure handling and atomic publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.build.config import load_config
from analysis.build.runner import StepFailed, run_pipeline
from tests.conftest import REPORT_CELLS, write_notebook

pytestmark = pytest.mark.kernel


def run(root: Path, overrides=None, **kwargs):
    config = load_config(root / "config" / "params.yaml", overrides)
    messages: list[str] = []
    result = run_pipeline(config, root, log=messages.append, **kwargs)
    return result, messages


def test_second_run_skips_every_step_and_force_reruns(tiny_project: Path) -> None:
    first, _ = run(tiny_project)
    assert first.ran == ["double", "report"]
    assert (tiny_project / "data/processed/doubled.csv").read_text() == "value\n2\n4\n6\n"
    report = tiny_project / "reports/report.html"
    assert report.is_file()
    assert (tiny_project / "reports/executed/11_double.ipynb").is_file()

    second, messages = run(tiny_project)
    assert second.ran == []
    assert second.skipped == ["double", "report"]
    assert any("skipped, unchanged" in m for m in messages)

    forced, _ = run(tiny_project, force=True)
    assert forced.ran == ["double", "report"]


def test_changes_to_inputs_parameters_or_missing_outputs_rerun_only_what_is_affected(
    tiny_project: Path,
) -> None:
    run(tiny_project)
    manifest = json.loads((tiny_project / "reports/run_manifest.json").read_text())
    entry = manifest["steps"]["double"]
    assert entry["inputs"]["data/raw/tiny/numbers.csv"]
    output = entry["outputs"]["data/processed/doubled.csv"]
    assert (
        output["rows"] == 3 and output["step"] == "double" and output["parameters"]["factor"] == 2
    )
    processed = json.loads((tiny_project / "data/processed/manifest.json").read_text())
    assert processed["outputs"]["data/processed/doubled.csv"]["rows"] == 3

    # The same output bytes mean the report does not need to run again.
    (tiny_project / "data/processed/doubled.csv").unlink()
    again, _ = run(tiny_project)
    assert again.ran == ["double"]

    (tiny_project / "data/raw/tiny/numbers.csv").write_text("value\n5\n")
    changed, _ = run(tiny_project)
    assert changed.ran == ["double", "report"]

    overridden, _ = run(tiny_project, ["double.factor=10"])
    assert overridden.ran == ["double", "report"]
    assert (tiny_project / "data/processed/doubled.csv").read_text() == "value\n50\n"


def test_the_run_manifest_is_written_once_per_step_started_and_once_at_the_end(
    tiny_project: Path, monkeypatch
) -> None:
    import analysis.build.run_manifest as run_manifest

    run(tiny_project)
    written: list[set[str]] = []
    original = run_manifest.write_json_atomic

    def counting(path, value):
        if path.name == "run_manifest.json":
            written.append(set(value["steps"]))
        return original(path, value)

    monkeypatch.setattr(run_manifest, "write_json_atomic", counting)
    forced, _ = run(tiny_project, force=True)
    assert forced.ran == ["double", "report"]
    # Each step's old record goes before it starts (the new ones are written once the next
    # step is under way, here at the end).
    assert written == [{"report"}, set(), {"double", "report"}]
    manifest = json.loads((tiny_project / "reports/run_manifest.json").read_text())
    assert set(manifest["steps"]) == {"double", "report"}
    assert manifest["git"] == {"commit": None, "short_commit": None, "dirty": None}


def test_only_runs_the_named_step(tiny_project: Path) -> None:
    run(tiny_project)
    result, _ = run(tiny_project, only=["report"], force=True)
    assert result.ran == ["report"]


def test_failing_cell_names_notebook_and_cell_and_keeps_last_report(tiny_project: Path) -> None:
    run(tiny_project)
    report = tiny_project / "reports/report.html"
    good_report = report.read_bytes()

    broken = [
        *REPORT_CELLS[:2],
        ("code", "x = 1"),
        ("code", "raise ValueError('broken on purpose')"),
    ]
    write_notebook(tiny_project / "notebooks/31_report.ipynb", broken)
    with pytest.raises(StepFailed) as failure:
        run(tiny_project)
    message = str(failure.value)
    assert "notebooks/31_report.ipynb" in message
    assert "ValueError: broken on purpose" in message
    assert failure.value.cell == 4  # heading, parameters, x = 1, then the failing cell
    assert "cell 4" in message and "raise ValueError" in message
    assert report.read_bytes() == good_report
    executed = json.loads((tiny_project / "reports/executed/31_report.ipynb").read_text())
    assert any(
        o.get("output_type") == "error" for c in executed["cells"] for o in c.get("outputs", [])
    )

    manifest = json.loads((tiny_project / "reports/run_manifest.json").read_text())
    assert "report" not in manifest["steps"], "a failed step must be due for a rerun"
    write_notebook(tiny_project / "notebooks/31_report.ipynb", REPORT_CELLS)
    fixed, _ = run(tiny_project)
    assert fixed.ran == ["report"]


def test_a_kernel_that_dies_leaves_the_notebook_as_far_as_it_ran(tiny_project: Path) -> None:
    run(tiny_project)
    dying = [
        *REPORT_CELLS[:2],
        ("code", "print('before the end')"),
        ("code", "import os\nos._exit(3)"),
        ("code", "print('never')"),
    ]
    write_notebook(tiny_project / "notebooks/31_report.ipynb", dying)
    with pytest.raises(StepFailed, match="step 'report' failed"):
        run(tiny_project)
    executed = json.loads((tiny_project / "reports/executed/31_report.ipynb").read_text())
    printed = ["".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", [])]
    assert "before the end\n" in printed, "the record is of this run, as far as it got"
    assert not any("never" in text for text in printed)


def test_render_failure_leaves_previous_report(tiny_project: Path, monkeypatch) -> None:
    run(tiny_project)
    report = tiny_project / "reports/report.html"
    good_report = report.read_bytes()

    def broken_conversion(*args, **kwargs):
        raise RuntimeError("conversion failed half way")

    monkeypatch.setattr("nbconvert.HTMLExporter.from_notebook_node", broken_conversion)
    with pytest.raises(RuntimeError, match="conversion failed"):
        run(tiny_project, force=True)
    assert report.read_bytes() == good_report
    assert not list(report.parent.glob(".report*")), "no temporary file may be left behind"


def test_dependencies_come_from_declared_inputs_and_outputs(tiny_project: Path) -> None:
    from analysis.build.runner import step_dependencies

    config = load_config(tiny_project / "config" / "params.yaml")
    assert step_dependencies(list(config.steps), tiny_project) == {
        "double": set(),
        "report": {"double"},
    }


def test_sequential_run_with_one_job_gives_the_same_result(tiny_project: Path) -> None:
    result, messages = run(tiny_project, jobs=1)
    assert result.ran == ["double", "report"]
    assert messages[0].startswith("[1/2] double") and "running" in messages[0]


def test_only_runs_steps_in_config_order(tiny_project: Path) -> None:
    run(tiny_project)
    result, messages = run(tiny_project, only=["report", "double"], force=True, jobs=2)
    assert result.ran == ["double", "report"]
    assert messages[0].startswith("[1/2] double")


def test_a_new_report_title_renders_the_report_again(tiny_project: Path) -> None:
    run(tiny_project)
    config_file = tiny_project / "config" / "params.yaml"
    config_file.write_text(config_file.read_text().replace("Tiny test report", "Renamed report"))
    result, _ = run(tiny_project)
    assert result.ran == ["report"]
    assert "Renamed report" in (tiny_project / "reports/report.html").read_text()


def test_the_console_shows_progress_and_a_summary_and_no_kernel_warnings(
    tiny_project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    result, messages = run(tiny_project)
    assert result.ran == ["double", "report"]
    assert any(m.startswith("[1/2] double") and m.endswith("running ...") for m in messages)
    assert any(m.startswith("[1/2] double") and " done in " in m for m in messages)
    assert messages[-1].startswith("pipeline: 2 ran, 0 skipped in ") and "longest:" in messages[-1]
    printed = capfd.readouterr()
    assert "without encryption" not in printed.err + printed.out


INSTITUTION_SECTION = """
institution_reports:
  notebook: notebooks/32_institution.ipynb
  output_dir: reports/institutions
  parameters:
    institution: a
"""

INSTITUTION_CELLS = [
    ("md", "# One organisation"),
    ("params", 'raw_dir = "x"\nprocessed_dir = "y"\nmin_cell = 0\ninstitution = "a"\nlang = "en"'),
    (
        "code",
        "import os\n"
        "from analysis.files.paths import resolve\n"
        "assert 'leftover' not in globals(), 'a name from the last run is still defined'\n"
        "leftover = institution\n"
        "out = resolve(processed_dir) / f'kernel_{institution}.txt'\n"
        "out.parent.mkdir(parents=True, exist_ok=True)\n"
        "out.write_text(f'{os.getpid()} {os.getcwd()}')",
    ),
]


def test_institution_reports_share_a_kernel_that_is_cleared_between_runs(
    tiny_project: Path,
) -> None:
    config_path = tiny_project / "config" / "params.yaml"
    config_path.write_text(config_path.read_text() + INSTITUTION_SECTION, encoding="utf-8")
    write_notebook(tiny_project / "notebooks" / "32_institution.ipynb", INSTITUTION_CELLS)
    config = load_config(config_path)
    keys = ["a", "b", "c"]
    extra = [step for key in keys for step in config.institution_steps(key)]
    result = run_pipeline(config, tiny_project, jobs=1, log=lambda _: None, extra_steps=extra)
    assert len(result.other_reports) == 3
    seen = [(tiny_project / f"data/processed/kernel_{k}.txt").read_text().split() for k in keys]
    assert len({pid for pid, _ in seen}) == 1, "one kernel served the three runs"
    assert {cwd for _, cwd in seen} == {str(tiny_project / "notebooks")}
    # The pipeline's own steps still had kernels of their own.
    assert "double" in result.ran


def test_steps_made_once_a_step_is_done_join_the_run_and_are_not_forced(
    tiny_project: Path,
) -> None:
    config_path = tiny_project / "config" / "params.yaml"
    config_path.write_text(config_path.read_text() + INSTITUTION_SECTION, encoding="utf-8")
    write_notebook(tiny_project / "notebooks" / "32_institution.ipynb", INSTITUTION_CELLS)
    config = load_config(config_path)
    made: list[bool] = []

    def institutions() -> list:
        # Called once "double" is done: its output is there to decide from.
        made.append((tiny_project / "data/processed/doubled.csv").is_file())
        return [step for key in ("a", "b") for step in config.institution_steps(key)]

    messages: list[str] = []
    result = run_pipeline(
        config, tiny_project, log=messages.append, steps_after=("double", institutions)
    )
    assert made == [True]
    assert result.ran[0] == "double" and set(result.ran) == {
        "double",
        "report",
        "institution a",
        "institution b",
    }
    assert len(result.other_reports) == 2
    assert any(m.startswith("[4/4] ") for m in messages), "the count includes the later steps"

    forced = run_pipeline(
        config, tiny_project, force=True, log=lambda _: None, steps_after=("double", institutions)
    )
    assert forced.ran == ["double", "report"] and len(made) == 2
    assert set(forced.skipped) == {"institution a", "institution b"}
    # A step that is not part of the run has nothing to wait for.
    only = run_pipeline(
        config,
        tiny_project,
        only=["report"],
        log=lambda _: None,
        steps_after=("double", institutions),
    )
    assert only.ran == [] and set(only.skipped) == {"report", "institution a", "institution b"}
