"""Survey export readers: encodings, delimiters, formats, and clear errors for bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from analysis.sources.exports import ExportError, read_export
from tests.conftest import shared_sample

ROWS = "id;org;comment\n1;Yliopisto A;Hyvä kysely\n2;AMK 07;Ei kommentteja\n"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected_encoding"),
    [
        ("utf-8", ";", "utf-8"),
        ("utf-8-sig", ",", "utf-8-sig"),
        ("cp1252", ";", "cp1252"),
        ("utf-16", "\t", "utf-16"),
    ],
)
def test_csv_encodings_and_delimiters_are_detected(
    tmp_path: Path, encoding: str, delimiter: str, expected_encoding: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(ROWS.replace(";", delimiter).encode(encoding))
    read = read_export(path)
    assert read.encoding == expected_encoding
    assert read.delimiter == delimiter
    assert list(read.frame.columns) == ["id", "org", "comment", "source_row"]
    assert read.frame["comment"].tolist() == ["Hyvä kysely", "Ei kommentteja"]
    assert read.frame["source_row"].tolist() == [2, 3]


def test_utf16_without_bom_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(ROWS.replace(";", "\t").encode("utf-16-le"))
    assert read_export(path).encoding == "utf-16-le"
    assert codecs.BOM_UTF16_LE not in path.read_bytes()[:2]


def test_embedded_newlines_and_quotes_stay_in_one_record(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('id,comment\n1,"two\nlines, and ""quotes"""\n2,plain\n', encoding="utf-8")
    frame = read_export(path).frame
    assert frame["comment"].tolist() == ['two\nlines, and "quotes"', "plain"]
    assert frame["source_row"].tolist() == [2, 3]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ExportError, match="empty.csv: the file is empty"):
        read_export(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text("id;org\n", encoding="utf-8")
    assert len(read_export(header_only).frame) == 0


def test_rows_longer_or_shorter_than_the_header_are_rejected_with_their_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("a,b,c\n1,2,3\n3,4,5,6\n7,8\n9,10,11\n", encoding="utf-8")
    read = read_export(path)
    assert read.frame["source_row"].tolist() == [2, 5]
    assert read.rejected_rows["source_row"].tolist() == [3, 4]
    assert read.rejected_rows["detail"].tolist() == [
        "line 3 has 4 fields, the header has 3",
        "line 4 has 2 fields, the header has 3",
    ]
    assert read.describe()["rows"] == 4


def test_undecodable_bytes_reject_only_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "a,b\n1,Hyvä\n2,Bad \xe4 byte\n3,Åbo\n".encode().replace(b"\xc3\xa4 ", b"\xe4 ")
    )
    read = read_export(path)
    assert read.encoding == "utf-8"
    assert read.frame["b"].tolist() == ["Hyvä", "Åbo"]
    assert read.rejected_rows["detail"].tolist() == [
        "line 3, column 'b': byte 0xE4 that cannot be decoded"
    ]


def test_nul_bytes_reject_their_row_instead_of_cutting_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1,ok\n2,cut\x00here\n")
    read = read_export(path)
    assert read.frame["b"].tolist() == ["ok"]
    assert read.rejected_rows["detail"].tolist() == ["line 3, column 'b': a NUL byte"]


def test_a_file_without_any_utf8_is_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n\x81\x8d\x8f,\x90\n1,Hyv\xe4\n")
    read = read_export(path)
    assert read.encoding == "cp1252"
    assert read.frame["b"].tolist() == ["Hyvä"]
    assert read.rejected_rows["source_row"].tolist() == [2]


def test_a_wide_header_is_checked_in_linear_time(tmp_path: Path) -> None:
    import time

    path = tmp_path / "wide.csv"
    header = ",".join(f"q{i}" for i in range(40_000))
    path.write_text(header + "\n" + ",".join("1" * 40_000) + "\n", encoding="utf-8")
    start = time.perf_counter()
    read = read_export(path)
    assert time.perf_counter() - start < 2.0
    assert read.frame.shape == (1, 40_001)
    path.write_text(header + ",q7\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"column names repeat: \['q7'\]"):
        read_export(path)


def test_xlsx_cells_become_text(tmp_path: Path) -> None:
    from analysis.demo.writers import write_xlsx

    path = write_xlsx(tmp_path / "e.xlsx", {"S": [["id", "score", "org"], [7, 4.0, "UAS 07"]]})
    read = read_export(path)
    assert read.file_format == "xlsx"
    assert read.frame.iloc[0][["id", "score", "org"]].tolist() == ["7", "4", "UAS 07"]


def test_spss_value_labels_are_read(tmp_path: Path) -> None:
    import pandas as pd
    import pyreadstat

    path = tmp_path / "e.sav"
    frame = pd.DataFrame({"id": [1.0, 2.0], "q1": [5.0, 1.0]})
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels={"q1": {5.0: "Täysin samaa mieltä", 1.0: "Täysin eri mieltä"}},
    )
    read = read_export(path)
    assert read.frame["q1"].tolist() == ["Täysin samaa mieltä", "Täysin eri mieltä"]
    assert read.frame["id"].tolist() == ["1", "2"]


def test_unsupported_format_is_named(tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ExportError, match="unsupported export format '.pdf'"):
        read_export(path)


def test_real_qualtrics_export_three_header_rows() -> None:
    """Conformance: the real Qualtrics export in ../shared/samples."""
    sample = shared_sample("survey_exports/qualtrics_sample_export.csv")
    read = read_export(sample)
    assert read.header_rows == 3
    assert read.delimiter == ","
    assert "ResponseId" in read.frame.columns and "Q1" in read.frame.columns
    assert len(read.frame) >= 1
    assert not read.frame["ResponseId"].str.startswith("{").any()
    assert read.frame["source_row"].iloc[0] == 4
