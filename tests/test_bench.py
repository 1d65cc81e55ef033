"""The benchmark's helpers, and the dependency it measures: what one weight change reruns."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.build.bench import change_one_weight, release_audit_seconds, rerun_steps
from analysis.build.config import load_config
from analysis.build.runner import step_dependencies
from tests.conftest import REPO_ROOT


def test_changing_one_weight_edits_exactly_one_number(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "scoring.yaml"
    path.write_text("a:\n  weight: 0.30\nb:\n  weight: 0.15\n", encoding="utf-8")
    change_one_weight(tmp_path)
    assert path.read_text(encoding="utf-8") == "a:\n  weight: 0.8\nb:\n  weight: 0.15\n"


def test_the_console_lines_name_the_steps_that_ran() -> None:
    output = (
        "[1/3] clean_survey (notebooks/11_clean_survey.ipynb): skipped, unchanged\n"
        "[2/3] threats_opportunities (notebooks/25_threats_opportunities.ipynb): running ...\n"
        "[3/3] report [fi] (notebooks/31_report.ipynb): running ...\n"
        "[2/3] threats_opportunities (notebooks/25_threats_opportunities.ipynb): done in 3.0 s\n"
    )
    assert rerun_steps(output) == ["threats_opportunities", "report [fi]"]


def test_a_weight_change_reaches_only_the_scoring_step_and_the_renders() -> None:
    """The scoring model is read by step 25 and by each edition of the report (its method
    appendix); what step 25 writes reaches the renders and the draft recommendations, which
    the key findings step evaluates from the scores (they name only stable countries)."""
    config = load_config(REPO_ROOT / "config" / "params.yaml")
    reading = {
        s.name for s in config.steps if any(s.expand(p) == "config/scoring.yaml" for p in s.inputs)
    }
    scoring = "threats_opportunities"
    dependencies = step_dependencies(list(config.steps), REPO_ROOT)
    downstream = {name for name, needs in dependencies.items() if scoring in needs}
    renders = {s.name for s in config.steps if s.renders}
    assert reading == {scoring} | renders
    assert downstream <= renders | {"key_findings"}


def test_the_audit_time_is_read_from_what_the_release_prints() -> None:
    printed = (
        "audit PASSED: 265 files\nrelease written: reports/release/ (265 files, MANIFEST.json); "
        "built in 61.0 s, audited in 2.5 s, 63.6 s in all\n"
    )
    assert release_audit_seconds(printed) == 2.5
    with pytest.raises(RuntimeError, match="no audit time"):
        release_audit_seconds("RELEASE REFUSED")
