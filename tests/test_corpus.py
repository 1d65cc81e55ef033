"""The bad-input corpus (tests/corpus): each case meets the reader it would meet in a run."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.build.check_data import check_raw_folder
from tests.conftest import REPO_ROOT
from tests.corpus.cases import CASES, Case
from tests.test_survey_clean import CODEBOOK, COUNTRIES, RULES

CONFIG = REPO_ROOT / "config"
# What a message to a person must never look like: a traceback, a bare exception, PyYAML's
# anonymous stream, pandas' internals.
TRACEBACK_SHAPED = re.compile(
    r"Traceback \(most recent|File \"|<unicode string>|^(KeyError|IndexError|TypeError|"
    r"AttributeError|MergeError)\b|MergeError|JSONDecodeError|UnicodeDecodeError|"
    r"Error tokenizing data|\bline \d+, in \w+"
)
# Types a user-caused error may never arrive as.
BARE = (KeyError, IndexError, TypeError, AttributeError, pd.errors.MergeError)


def _run(case: Case, raw: Path):
    """Run the case's input through its reader; returns the survey result, or raises."""
    if case.kind == "survey":
        from analysis.survey.folder import clean_folder

        return clean_folder(raw / "survey", CODEBOOK, COUNTRIES, RULES)
    if case.kind == "openalex":
        from analysis.sources.openalex import read_group_by

        return read_group_by(raw / "openalex" / "fi_works_by_year.json")
    if case.kind == "cordis":
        from analysis.cooperation.cordis import programme_files
        from analysis.sources.cordis import read_cordis

        return [read_cordis(p) for pair in programme_files(raw / "cordis") for p in pair]
    if case.kind == "register":
        from analysis.cooperation.registers import read_agreements

        return read_agreements(raw / "agreements" / "r.mapping.yaml", COUNTRIES)
    if case.kind == "screening":
        from analysis.sources.screening_lists import read_lists

        return read_lists(raw / "screening", COUNTRIES)
    if case.kind == "manifest":
        from analysis.files.raw_manifest import manifest_problems

        problems = manifest_problems(raw)
        if problems:
            raise ValueError("; ".join(f"{file}: {message}" for file, message in problems))
        return None
    raise AssertionError(f"unknown kind {case.kind}")


def _patch(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    for target, value in case.patch.items():
        module, name = target.rsplit(".", 1)
        monkeypatch.setattr(importlib.import_module(module), name, value)


def test_the_corpus_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    kinds = {c.kind for c in CASES}
    assert kinds == {"survey", "openalex", "cordis", "register", "screening", "manifest"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    case.build(raw)
    _patch(case, monkeypatch)
    expected_kind, expected = case.outcome
    if expected_kind == "error":
        with pytest.raises(Exception) as caught:
            _run(case, raw)
        error = caught.value
        assert not isinstance(error, BARE), f"bare {type(error).__name__}: {error}"
        message = str(error)
        assert expected in message, message
        files = {p.name for p in raw.rglob("*")} | {"MANIFEST.yaml"}
        assert any(name in message for name in files), f"no file named: {message}"
        assert not TRACEBACK_SHAPED.search(message), message
        return
    result = _run(case, raw)
    accounting = result.accounting
    assert (accounting["rows_read"] == accounting["kept"] + accounting["rejected"]).all()
    assert len(result.rejects) == accounting["rejected"].sum()
    if expected_kind == "rejected":
        counts = result.rejects["reason_code"].value_counts().to_dict()
        assert counts == expected, result.rejects[["source_row", "reason_code", "detail"]]
        for detail in result.rejects["detail"]:
            assert not TRACEBACK_SHAPED.search(detail), detail
    elif expected_kind == "not_read":
        reads = result.reads.set_index("file")
        unread = reads[reads["status"] == "not_read"]
        assert unread["reason"].tolist() == [expected]
    else:
        raise AssertionError(expected_kind)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_check_data_reports_every_case_without_a_traceback(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    case.build(raw)
    _patch(case, monkeypatch)
    check = check_raw_folder(raw, CONFIG / "codebook.yaml", CONFIG / "country_aliases.yaml")
    for problem in check.problems:
        assert not TRACEBACK_SHAPED.search(problem.message), problem.line()
    folder = {"survey": "survey/", "register": "agreements/", "manifest": ""}.get(case.kind)
    if case.outcome[0] == "error" and folder is not None:
        found = [p for p in check.errors if p.file.startswith(folder) or p.file == "survey/"]
        assert found, f"check-data found nothing wrong in {case.id}: {check.report()}"


def test_the_corpus_table_is_documented() -> None:
    text = (REPO_ROOT / "tests" / "corpus" / "README.md").read_text(encoding="utf-8")
    assert "cases.py" in text
