"""The benchmark's helpers, and the dependency it measures: what one weight change reruns."""

from __future__ import annotations

from pathlib import Path

from analysis.build.bench import change_one_weight, rerun_steps
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


def test_a_national_refresh_counts_one_critical_call_per_top_partner() -> None:
    from analysis.build.bench import count_refresh_calls

    calls, _ = count_refresh_calls(2015, 2024)
    without, _ = count_refresh_calls(2015, 2024, critical=False)
    # Works by year and international works by year (2), works by country for each of the
    # ten years (10), partner institutions (1); fields and subfields for the 15 top partners
    # (30); one critical-area call per top partner (15); the institution details (1).
    assert (calls, without) == (2 + 10 + 1 + 30 + 15 + 1, 2 + 10 + 1 + 30 + 1)


def test_the_uncertainty_benchmark_runs_the_project_model_on_forty_countries() -> None:
    from analysis.build.bench import synthetic_indicators, time_uncertainty
    from analysis.scoring.model import indicators, load_scoring_model

    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    table = synthetic_indicators(40, model)
    assert len(table) == 40 and {i.name for i in indicators(model)} <= set(table.columns)
    assert {"eu_member", "horizon_europe_associated"} <= set(table.columns)
    joint_only, whole, draws = time_uncertainty(40, 2000)
    assert draws >= 2000 and 0 < joint_only <= whole
