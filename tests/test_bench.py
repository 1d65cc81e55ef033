"""The benchmark's helpers, and the dependency it measures: what one weight change reruns."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_a_national_refresh_counts_one_critical_call_per_scored_partner() -> None:
    from analysis.build.bench import count_refresh_calls

    calls, cost = count_refresh_calls(2015, 2024)
    without, _ = count_refresh_calls(2015, 2024, critical=False)
    # Works by year and international works by year (2), works by country for each of the
    # ten years (10), partner institutions (1); fields and subfields for the 15 top partners
    # (30); one critical-area call per scored partner: the demo's 2024 country answer has 34
    # partner countries, of which 32 reach min_copublications (100; Belarus has 80 and Kosovo
    # 15), the 15 top partners among them (32); the institution details (1).
    assert (calls, without) == (2 + 10 + 1 + 30 + 32 + 1, 2 + 10 + 1 + 30 + 1)
    # each demo answer reports 0.0001 USD, far inside the default budget of 0.5 USD
    assert cost == pytest.approx(calls * 0.0001)


def test_the_assessment_benchmark_runs_the_project_model_on_forty_countries() -> None:
    from analysis.build.bench import synthetic_indicators, time_uncertainty
    from analysis.scoring.model import indicators, load_scoring_model

    model = load_scoring_model(REPO_ROOT / "config" / "scoring.yaml")
    table = synthetic_indicators(40, model)
    assert len(table) == 40 and {i.name for i in indicators(model)} <= set(table.columns)
    assert {"eu_member", "horizon_europe_associated"} <= set(table.columns)
    assert table.filter(like="_high").notna().any().any()  # some survey shares censored
    joint_only, whole, draws, runs = time_uncertainty(40, 2000)
    # The Sobol' design with the model's base samples (at least 1 024): N (inputs + 2) runs.
    assert draws >= 2000 and 0 < joint_only <= whole and runs >= 1024 * 3


def test_the_bench_lists_the_release_data_and_brief_entries(monkeypatch, capsys) -> None:
    from analysis.build import bench_entries

    assert set(bench_entries.ENTRIES) == {
        "release",
        "audit",
        "check_data",
        "wide_header",
        "briefs",
        "brief_calls",
    }
    monkeypatch.setattr(bench_entries, "time_wide_header", lambda: 1.5)
    monkeypatch.setattr(bench_entries, "time_check_data", lambda: 2.5)
    monkeypatch.setattr(bench_entries, "count_brief_calls", lambda: 5)
    monkeypatch.setattr(
        bench_entries,
        "time_release",
        lambda: {
            "release": 80.0,
            "release_built": 70.0,
            "release_audited": 4.0,
            "audit": 5.0,
            "release_files": 12,
        },
    )
    monkeypatch.setattr(
        bench_entries,
        "time_briefs",
        lambda: {"briefs": 100.0, "briefs_written": 50, "briefs_calls": 0},
    )
    bench_entries.print_entries()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(bench_entries.ENTRIES)
    for key, label in bench_entries.ENTRIES.items():
        assert sum(line.startswith(label + ":") for line in lines) == 1, key
    assert any("built in 70.0 s, audited in 4.0 s; 12 files" in line for line in lines)


def test_the_bench_register_gives_partners_a_brief_can_resolve(tmp_path: Path) -> None:
    import shutil

    from analysis.build.bench_entries import add_bench_register
    from analysis.build.briefs import Partners
    from analysis.fetch.partner import (
        missing_answers,
        missing_counterparts,
        partner_folder,
        partner_queries,
    )

    raw = tmp_path / "demo"
    for part in ("ror", "partners", "agreements"):
        shutil.copytree(REPO_ROOT / "data" / "raw" / "demo" / part, raw / part)
    register = add_bench_register(raw, count=3)
    assert register == "bench_register/BENCH_partners.csv"
    partners = Partners.read(raw)
    found = [partners.resolve(f"Bench Partner University {n:03d}") for n in (1, 2, 3)]
    assert [r.status for r in found] == ["found"] * 3
    assert [r.openalex_id for r in found] == ["I9700001", "I9700002", "I9700003"]
    # Every answer a brief needs is saved, so the briefs make no call.
    for resolution in found:
        folder = partner_folder(raw, resolution.openalex_id)
        assert (
            missing_answers(
                folder, partner_queries(resolution.openalex_id, None, 2015, 2024, [1702])
            )
            == []
        )
        assert missing_counterparts(folder) == []


def test_one_uncached_brief_costs_five_openalex_calls_within_the_target() -> None:
    from analysis.build.bench_entries import count_brief_calls

    # The institution record (1); co-publications by year, all and critical (2); the
    # Finnish counterparts grouped by institution and those institutions' details (2).
    assert count_brief_calls() == 1 + 2 + 2 <= 6
