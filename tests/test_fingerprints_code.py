"""A step's fingerprint covers the code it runs and the parameters it uses, nothing else: a
changed common parameter reruns only the steps that declare it, and editing code no step
imports (the benchmark, the demo generator) reruns none."""

from __future__ import annotations

from pathlib import Path

from analysis.build.config import load_config
from analysis.build.fingerprints import step_fingerprint
from analysis.build.imports import code_files, imported_names, package_root
from analysis.build.parameters import notebook_defaults
from analysis.files.hashing import sha256_file

PACKAGE = package_root()


def fingerprints(root: Path, overrides: list[str], sha256=sha256_file) -> dict[str, str]:
    """Every step's fingerprint on a built project (its inputs must exist), without running."""
    config = load_config(root / "config" / "params.yaml", overrides)
    return {step.name: step_fingerprint(step, root, sha256=sha256)[0] for step in config.steps}


def test_a_common_parameter_reaches_only_the_steps_that_declare_it(built: Path) -> None:
    before, after = fingerprints(built, []), fingerprints(built, ["min_cell=10"])
    changed = {name for name in before if before[name] != after[name]}
    config = load_config(built / "config" / "params.yaml")
    users = {
        step.name for step in config.steps if "min_cell" in notebook_defaults(built / step.notebook)
    }
    assert changed == users
    # The cleaning steps do not use the threshold: they are not rerun for it.
    assert {"clean_survey", "clean_cooperation", "country_context"}.isdisjoint(changed)
    assert {"survey_analysis", "threats_opportunities"} <= changed


def test_code_no_step_imports_changes_no_fingerprint(built: Path) -> None:
    config = load_config(built / "config" / "params.yaml")
    unused = [PACKAGE / "build" / "bench.py", PACKAGE / "demo" / "survey.py"]
    for step in config.steps:
        files = set(code_files(built / step.notebook))
        assert not files & set(unused), step.name
    before = fingerprints(built, [])

    def edited(path: Path) -> str:
        return "edited" if Path(path) in unused else sha256_file(path)

    assert fingerprints(built, [], sha256=edited) == before


def test_code_a_step_imports_changes_its_fingerprint(built: Path) -> None:
    scoring = PACKAGE / "scoring" / "model.py"
    texts = PACKAGE / "i18n" / "texts.yaml"
    before = fingerprints(built, [])

    def edited(path: Path) -> str:
        return "edited" if Path(path) in (scoring, texts) else sha256_file(path)

    after = fingerprints(built, [], sha256=edited)
    assert before["threats_opportunities"] != after["threats_opportunities"]
    assert before["clean_survey"] == after["clean_survey"]  # uses neither


def test_imports_are_read_from_the_source_lazy_and_relative_ones_included() -> None:
    source = (
        "import analysis.files.paths\n"
        "from analysis.i18n import t\n"
        "from . import sibling\n"
        "def later():\n"
        "    from analysis.scoring import model\n"
        "import pandas\n"
    )
    names = imported_names(source, "analysis.report.chapters.x")
    assert {
        "analysis.files.paths",
        "analysis.i18n",
        "analysis.i18n.t",
        "analysis.report.chapters.sibling",
        "analysis.scoring",
        "analysis.scoring.model",
    } <= names
    assert "pandas" not in names
