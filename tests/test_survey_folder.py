"""A survey folder: every file accounted for, and rows the reader rejects counted."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis.survey.folder import clean_folder
from tests.conftest import REPO_ROOT
from tests.test_survey_clean import CODEBOOK, COUNTRIES, RULES

DEMO = REPO_ROOT / "data" / "raw" / "demo" / "survey"


def test_an_export_without_mapping_and_other_files_are_listed_as_not_read(
    tmp_path: Path,
) -> None:
    for path in DEMO.iterdir():
        shutil.copy(path, tmp_path)
    shutil.copy(DEMO / "limesurvey_results_2024.csv", tmp_path / "second_round.csv")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "~$webropol_vastaukset_2024.xlsx").write_bytes(b"lock")
    reads = clean_folder(tmp_path, CODEBOOK, COUNTRIES, RULES).reads.set_index("file")
    assert reads.loc["second_round.csv", ["status", "reason"]].tolist() == [
        "not_read",
        "no_mapping",
    ]
    assert reads.loc["notes.docx", "reason"] == "not_an_export"
    assert reads.loc["~$webropol_vastaukset_2024.xlsx", "reason"] == "hidden"
    assert reads.loc["limesurvey_results_2024.csv", "status"] == "read"


def test_short_and_undecodable_rows_are_rejected_and_counted(tmp_path: Path) -> None:
    for path in DEMO.iterdir():
        shutil.copy(path, tmp_path)
    export = tmp_path / "limesurvey_results_2024.csv"
    lines = export.read_bytes().split(b"\n")
    # three records that are one line each (a comment may span lines)
    whole = [i for i in range(1, len(lines)) if lines[i].count(b";") == lines[0].count(b";")]
    short, nul, bad = whole[3], whole[6], whole[9]
    lines[short] = lines[short].rsplit(b";", 3)[0]
    lines[nul] = lines[nul].replace(b";", b";\x00", 1)
    lines[bad] = lines[bad].replace(b"A2", b"A\x81", 1)
    export.write_bytes(b"\n".join(lines))
    result = clean_folder(tmp_path, CODEBOOK, COUNTRIES, RULES)
    accounting = result.accounting.set_index("source_file").loc["limesurvey_results_2024.csv"]
    assert accounting["rows_read"] == accounting["kept"] + accounting["rejected"]
    assert accounting["rejected_unreadable_row"] == 3
    details = result.rejects.loc[result.rejects["reason_code"] == "unreadable_row", "detail"]
    assert details.tolist() == [
        f"line {short + 1} has 60 fields, the header has 63",
        f"line {nul + 1}, column 'submitdate': a NUL byte",
        f"line {bad + 1}, column 'ORGTYPE': byte 0x81 that cannot be decoded",
    ]
    reads = result.reads.set_index("file").loc["limesurvey_results_2024.csv"]
    assert reads["rejected_on_read"] == 3
