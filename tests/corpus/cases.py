"""The bad-input corpus: every case builds its input files and declares its outcome.

``Case.outcome`` is one of
- ``("error", text)``: the reader stops with a user error containing ``text`` (and the file name);
- ``("rejected", {reason_code: rows})``: the survey is cleaned and exactly these rows rejected;
- ``("not_read", reason)``: the survey file ``extra.*`` is listed in survey_reads as not read.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.test_survey_clean import ALIASES, GOOD, HEADER, MAPPING


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # survey | openalex | cordis | register | screening | manifest
    build: Callable[[Path], None]  # writes into the raw folder
    outcome: tuple
    patch: dict[str, int] = field(default_factory=dict)  # limits lowered for the case


def row(number: str, **change: str) -> list[str]:
    cells = dict(
        zip(
            HEADER,
            [number, "2024-09-03 10:00", "400", "1", "Yliopisto A", *GOOD, "", "", ""],
            strict=True,
        )
    )
    cells.update(change)
    return [cells[h] for h in HEADER]


BASE_ROWS = [row("1"), row("2", org="AMK 07"), row("3", org="University A")]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def survey(
    raw: Path,
    export: bytes | str | None = None,
    name: str = "export.csv",
    mapping: dict | str | None = None,
) -> Path:
    folder = raw / "survey"
    folder.mkdir(parents=True, exist_ok=True)
    data = csv_text(BASE_ROWS) if export is None else export
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    spec = {**MAPPING, "export": name} if mapping is None else mapping
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec, allow_unicode=True)
    (folder / (Path(name).stem + ".mapping.yaml")).write_text(text, encoding="utf-8")
    ALIASES.to_csv(folder / "organisation_aliases.csv", index=False)
    return folder


def lines(*rows: str) -> bytes:
    return ("\n".join([";".join(HEADER), *rows]) + "\n").encode("utf-8")


GOOD_LINE = ";".join(row("9"))


def xlsx(raw: Path, rows: list[list[object]], name: str = "export.xlsx") -> None:
    from analysis.demo.writers import write_xlsx

    folder = survey(raw, mapping={**MAPPING, "export": name}, export=b"", name=name)
    write_xlsx(folder / name, {"Sheet": rows})


def sav(raw: Path) -> None:
    import pandas as pd
    import pyreadstat

    folder = survey(raw, export=b"", name="export.sav", mapping={**MAPPING, "export": "export.sav"})
    frame = pd.DataFrame([dict(zip(HEADER, r, strict=True)) for r in BASE_ROWS])
    pyreadstat.write_sav(frame, str(folder / "export.sav"))


def mapping_with(**change) -> dict:
    spec = {**MAPPING, **change}
    return {k: v for k, v in spec.items() if v is not None}


def laughs() -> str:
    text = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 15):
        refs = ", ".join([f"*{chr(96 + level)}"] * 9)
        text.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    return "\n".join(text) + "\n" + yaml.safe_dump(MAPPING)


def group_by(raw: Path, body: object, name: str = "fi_works_by_year.json") -> None:
    (raw / "openalex").mkdir(parents=True, exist_ok=True)
    text = body if isinstance(body, (str, bytes)) else json.dumps(body)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (raw / "openalex" / name).write_bytes(data)


def groups(*items: tuple) -> dict:
    return {
        "meta": {"groups_count": len(items)},
        "group_by": [{"key": k, "key_display_name": k, "count": c} for k, c in items],
    }


PROJECT_HEADER = "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;frameworkProgramme;objective"
ORG_HEADER = "projectID;organisationID;name;country;role;ecContribution"


def cordis(raw: Path, files: dict[str, bytes | str]) -> None:
    (raw / "cordis").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        body = data.encode("utf-8") if isinstance(data, str) else data
        (raw / "cordis" / name).write_bytes(body)


REGISTER = {
    "register": "r.csv",
    "organisation_key": "UNI-A",
    "columns": {
        k: k for k in ("partner", "country", "agreement_type", "start", "end", "field", "status")
    },
    "date_format": "%Y-%m-%d",
}
REGISTER_CSV = "partner;country;agreement_type;start;end;field;status\nUni X;Sweden;research;2020-01-01;;;active\n"


def register(raw: Path, spec: dict | str = REGISTER, data: str = REGISTER_CSV) -> None:
    folder = raw / "agreements"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "r.csv").write_text(data, encoding="utf-8")
    text = spec if isinstance(spec, str) else yaml.safe_dump(spec)
    (folder / "r.mapping.yaml").write_text(text, encoding="utf-8")


def screening(raw: Path, name: str, data: bytes | str) -> None:
    (raw / "screening").mkdir(parents=True, exist_ok=True)
    body = data.encode("utf-8") if isinstance(data, str) else data
    (raw / "screening" / name).write_bytes(body)


def manifest(
    raw: Path, text: str | None = None, change: Callable[[Path], None] | None = None
) -> None:
    from analysis.files.raw_manifest import RawManifest

    survey(raw)
    if text is not None:
        (raw / "MANIFEST.yaml").write_text(text, encoding="utf-8")
        return
    record = RawManifest(raw, header={"profile": "corpus", "synthetic": False})
    for path in sorted(raw.rglob("*")):
        if path.is_file():
            record.record(path.relative_to(raw).as_posix(), title="corpus", producer="tests")
    record.save()
    if change:
        change(raw)


def zip_bomb(raw: Path) -> None:
    folder = survey(
        raw, export=b"", name="export.xlsx", mapping={**MAPPING, "export": "export.xlsx"}
    )
    with zipfile.ZipFile(folder / "export.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 50_000)


S = "survey"
CASES: list[Case] = [
    # --- survey exports: encodings, bytes, shapes -------------------------------------
    Case("csv_baseline", S, lambda r: survey(r), ("rejected", {})),
    Case(
        "csv_short_row",
        S,
        lambda r: survey(r, lines(GOOD_LINE, "10;2024-09-03 10:00;400")),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_long_row",
        S,
        lambda r: survey(r, lines(GOOD_LINE, GOOD_LINE.replace("9;", "10;", 1) + ";extra")),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_nul_byte",
        S,
        lambda r: survey(r, lines(GOOD_LINE).replace(b"Yliopisto A", b"Yliopisto\x00A")),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_one_bad_utf8_byte",
        S,
        lambda r: survey(
            r,
            lines(GOOD_LINE, GOOD_LINE.replace("9;", "10;", 1)).replace(
                b"A;Yliopisto;T", b"A;Yliopist\xf6;T", 1
            ),
        ),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_cp1252", S, lambda r: survey(r, csv_text(BASE_ROWS).encode("cp1252")), ("rejected", {})
    ),
    Case(
        "csv_cp1252_undefined_byte",
        S,
        lambda r: survey(
            r, csv_text(BASE_ROWS).encode("cp1252").replace(b"Yliopisto A", b"Yliopisto \x81", 1)
        ),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_utf16_bom",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS, delimiter="\t").encode("utf-16")),
        ("rejected", {}),
    ),
    Case(
        "csv_utf16le_no_bom",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS, delimiter="\t").encode("utf-16-le")),
        ("rejected", {}),
    ),
    Case(
        "csv_utf16_odd_length",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS, delimiter="\t").encode("utf-16") + b"\x00"),
        ("error", "cannot be decoded as utf-16"),
    ),
    Case(
        "csv_utf8_bom",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS).encode("utf-8-sig")),
        ("rejected", {}),
    ),
    Case(
        "csv_crlf",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS).replace("\n", "\r\n")),
        ("rejected", {}),
    ),
    Case(
        "csv_comma_delimited",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS, delimiter=",")),
        ("rejected", {}),
    ),
    Case(
        "csv_blank_lines",
        S,
        lambda r: survey(r, csv_text(BASE_ROWS).replace("\n", "\n\n")),
        ("rejected", {}),
    ),
    Case("csv_empty", S, lambda r: survey(r, b""), ("error", "the file is empty")),
    Case(
        "csv_whitespace_only",
        S,
        lambda r: survey(r, b"  \n\n \t\n"),
        ("error", "the file is empty"),
    ),
    Case("csv_header_only", S, lambda r: survey(r, lines()), ("rejected", {})),
    Case(
        "csv_duplicate_header",
        S,
        lambda r: survey(r, csv_text([], header=[*HEADER, "org"])),
        ("error", "column names repeat: ['org']"),
    ),
    Case(
        "csv_nul_in_header",
        S,
        lambda r: survey(r, lines(GOOD_LINE).replace(b"org", b"o\x00rg", 1)),
        ("error", "the header cannot be read"),
    ),
    Case(
        "csv_unclosed_quote",
        S,
        lambda r: survey(r, lines(GOOD_LINE, '10;"2024-09-03 10:00;400')),
        ("rejected", {"unreadable_row": 1}),
    ),
    Case(
        "csv_too_many_columns",
        S,
        lambda r: survey(r, ",".join(f"c{i}" for i in range(101)) + "\n"),
        ("error", "more than the limit of 100"),
        {"analysis.sources.exports.MAX_COLUMNS": 100},
    ),
    Case(
        "csv_too_large",
        S,
        lambda r: survey(r),
        ("error", "more than the limit of 100"),
        {"analysis.sources.exports.MAX_EXPORT_BYTES": 100},
    ),
    Case(
        "csv_formula_cell",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", c='=HYPERLINK("x")')])),
        ("rejected", {}),
    ),
    Case(
        "csv_zero_width_organisation",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", org="Yliopisto\u200b A")])),
        ("rejected", {"unknown_organisation": 1}),
    ),
    Case(
        "csv_unknown_label",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", t1="Erittäin")])),
        ("rejected", {"unknown_value": 1}),
    ),
    Case(
        "csv_missing_required",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", type="")])),
        ("rejected", {"missing_required": 1}),
    ),
    Case(
        "csv_unreadable_time",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", time="31.02.2024 25:00")])),
        ("rejected", {"unreadable_time": 1}),
    ),
    Case(
        "csv_test_row",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", org="TESTI")])),
        ("rejected", {"test": 1}),
    ),
    Case(
        "csv_incomplete",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", done="0")])),
        ("rejected", {"incomplete": 1}),
    ),
    Case(
        "csv_duplicate_row",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("1")])),
        ("rejected", {"duplicate_row": 1}),
    ),
    Case(
        "csv_mapped_column_missing",
        S,
        lambda r: survey(r, csv_text([r_[:-1] for r_ in BASE_ROWS], header=HEADER[:-1])),
        ("error", "are missing from the export: ['cc_other']"),
    ),
    Case(
        "csv_quoted_delimiters",
        S,
        lambda r: survey(r, csv_text([*BASE_ROWS, row("4", c='a; b; "c"\nd')])),
        ("rejected", {}),
    ),
    Case(
        "qualtrics_three_rows",
        S,
        lambda r: survey(
            r,
            csv_text(
                [
                    [f"Text of {h}" for h in HEADER],
                    [json.dumps({"ImportId": h}) for h in HEADER],
                    *BASE_ROWS,
                ]
            ),
        ),
        ("rejected", {}),
    ),
    Case(
        "qualtrics_broken_import_id",
        S,
        lambda r: survey(
            r,
            csv_text(
                [
                    [f"Text of {h}" for h in HEADER],
                    [json.dumps({"ImportId": h})[:-1] for h in HEADER],
                    *BASE_ROWS,
                ]
            ),
        ),
        ("error", "ImportId is not valid JSON"),
    ),
    Case("xlsx_baseline", S, lambda r: xlsx(r, [HEADER, *BASE_ROWS]), ("rejected", {})),
    Case(
        "xlsx_not_a_zip",
        S,
        lambda r: survey(
            r, b"id;org\n1;x\n", name="export.xlsx", mapping={**MAPPING, "export": "export.xlsx"}
        ),
        ("error", "not a readable XLSX"),
    ),
    Case(
        "xlsx_empty_header",
        S,
        lambda r: xlsx(r, [[None] * 3, HEADER, *BASE_ROWS]),
        ("error", "no header row"),
    ),
    Case(
        "xlsx_unpacks_too_large",
        S,
        zip_bomb,
        ("error", "unpacks to 50000 bytes"),
        {"analysis.sources.exports.MAX_XLSX_UNPACKED_BYTES": 1000},
    ),
    Case("xlsx_zip_without_workbook", S, zip_bomb, ("error", "not a readable XLSX")),
    Case("sav_baseline", S, sav, ("rejected", {})),
    Case(
        "sav_corrupt",
        S,
        lambda r: survey(
            r, b"$FL2 broken", name="export.sav", mapping={**MAPPING, "export": "export.sav"}
        ),
        ("error", "not a readable SPSS"),
    ),
    Case(
        "unsupported_format",
        S,
        lambda r: survey(
            r, b"%PDF-1.4", name="export.pdf", mapping={**MAPPING, "export": "export.pdf"}
        ),
        ("error", "unsupported export format '.pdf'"),
    ),
    Case(
        "export_without_mapping",
        S,
        lambda r: (survey(r), (r / "survey" / "extra.csv").write_text(csv_text(BASE_ROWS))),
        ("not_read", "no_mapping"),
    ),
    Case(
        "lock_file_beside_export",
        S,
        lambda r: (survey(r), (r / "survey" / "~$extra.xlsx").write_bytes(b"x")),
        ("not_read", "hidden"),
    ),
    Case(
        "aliases_missing",
        S,
        lambda r: (survey(r), (r / "survey" / "organisation_aliases.csv").unlink()),
        ("error", "organisation_aliases.csv is missing"),
    ),
    # --- mapping files ----------------------------------------------------------------
    Case(
        "mapping_status_capitalised",
        S,
        lambda r: survey(
            r, mapping={k if k != "status" else "Status": v for k, v in MAPPING.items()}
        ),
        ("error", "Status: unknown key (did you mean 'status'?)"),
    ),
    Case(
        "mapping_scale_value_singular",
        S,
        lambda r: survey(r, mapping={**MAPPING, "scale_value": {"agree5": {"99": "dont_know"}}}),
        ("error", "did you mean 'scale_values'?"),
    ),
    Case(
        "mapping_export_outside",
        S,
        lambda r: survey(r, mapping=mapping_with(export="../export.csv")),
        ("error", "points outside"),
    ),
    Case(
        "mapping_export_absolute",
        S,
        lambda r: survey(r, mapping=mapping_with(export="/etc/passwd")),
        ("error", "points outside"),
    ),
    Case(
        "mapping_export_missing",
        S,
        lambda r: survey(r, mapping=mapping_with(export="gone.csv")),
        ("error", "export not found"),
    ),
    Case(
        "mapping_not_yaml",
        S,
        lambda r: survey(r, mapping="export: export.csv\nitems: [a\n"),
        ("error", "not valid YAML"),
    ),
    Case(
        "mapping_a_list",
        S,
        lambda r: survey(r, mapping="- export.csv\n"),
        ("error", "expected a mapping of keys at the top"),
    ),
    Case(
        "mapping_empty",
        S,
        lambda r: survey(r, mapping=""),
        ("error", "expected a mapping of keys at the top"),
    ),
    Case(
        "mapping_unknown_item",
        S,
        lambda r: survey(
            r, mapping=mapping_with(items={**MAPPING["items"], "threat_dualuse": "t1"})
        ),
        ("error", "did you mean 'threat_dual_use'?"),
    ),
    Case(
        "mapping_todo_left",
        S,
        lambda r: survey(r, mapping=mapping_with(respondent_id="TODO 0.40: id")),
        ("error", "still marked TODO"),
    ),
    Case(
        "mapping_header_rows_text",
        S,
        lambda r: survey(r, mapping=mapping_with(header_rows="one")),
        ("error", "header_rows: expected a whole number"),
    ),
    Case(
        "mapping_required_missing",
        S,
        lambda r: survey(r, mapping=mapping_with(respondent_id=None)),
        ("error", "respondent_id: required key missing"),
    ),
    Case(
        "mapping_status_without_rule",
        S,
        lambda r: survey(r, mapping=mapping_with(status={"column": "done"})),
        ("error", "give 'complete'"),
    ),
    Case("mapping_alias_bomb", S, lambda r: survey(r, mapping=laughs()), ("error", "YAML aliases")),
    Case(
        "mapping_cp1252",
        S,
        lambda r: (
            survey(r),
            (r / "survey" / "export.mapping.yaml").write_bytes(
                yaml.safe_dump(
                    {**MAPPING, "items": {**MAPPING["items"], "comment": "Kommentti ä"}},
                    allow_unicode=True,
                ).encode("cp1252")
            ),
        ),
        ("error", "not UTF-8"),
    ),
    Case(
        "mapping_unknown_scale",
        S,
        lambda r: survey(r, mapping=mapping_with(scale_values={"agree": {"99": "dont_know"}})),
        ("error", "did you mean 'agree5'?"),
    ),
    Case(
        "no_mapping_at_all",
        S,
        lambda r: (survey(r), (r / "survey" / "export.mapping.yaml").unlink()),
        ("error", "no *.mapping.yaml files"),
    ),
    # --- OpenAlex answers ---------------------------------------------------------------
    Case(
        "openalex_truncated",
        "openalex",
        lambda r: group_by(r, json.dumps(groups(("2020", 5)))[:-10]),
        ("error", "not valid JSON"),
    ),
    Case(
        "openalex_not_group_by",
        "openalex",
        lambda r: group_by(r, {"results": []}),
        ("error", "no 'meta' and 'group_by' keys"),
    ),
    Case(
        "openalex_duplicate_keys",
        "openalex",
        lambda r: group_by(r, groups(("2020", 5), ("https://openalex.org/2020", 6))),
        ("error", "keys repeat ['2020']"),
    ),
    Case(
        "openalex_count_text",
        "openalex",
        lambda r: group_by(r, groups(("2020", "5"))),
        ("error", "not a whole number"),
    ),
    Case(
        "openalex_count_negative",
        "openalex",
        lambda r: group_by(r, groups(("2020", -1))),
        ("error", "not a whole number"),
    ),
    Case(
        "openalex_groups_count",
        "openalex",
        lambda r: group_by(r, {**groups(("2020", 5)), "meta": {"groups_count": 3}}),
        ("error", "meta.groups_count is 3"),
    ),
    Case(
        "openalex_group_without_key",
        "openalex",
        lambda r: group_by(r, {"meta": {}, "group_by": [{"count": 3}]}),
        ("error", "lack key, name or count"),
    ),
    Case(
        "openalex_group_by_not_list",
        "openalex",
        lambda r: group_by(r, {"meta": {}, "group_by": "x"}),
        ("error", "not a list of groups"),
    ),
    Case(
        "openalex_not_utf8",
        "openalex",
        lambda r: group_by(r, b'{"meta": {}, "group_by": [], "x": "\xff"}'),
        ("error", "not UTF-8"),
    ),
    Case(
        "openalex_meta_not_mapping",
        "openalex",
        lambda r: group_by(r, {"meta": [], "group_by": []}),
        ("error", "'meta' is not a mapping"),
    ),
    # --- CORDIS files -------------------------------------------------------------------
    Case(
        "cordis_unpaired",
        "cordis",
        lambda r: cordis(r, {"project.csv": PROJECT_HEADER + "\n"}),
        ("error", "lack their partner: ['project.csv']"),
    ),
    Case(
        "cordis_empty",
        "cordis",
        lambda r: cordis(r, {"project.csv": "", "organization.csv": ORG_HEADER + "\n"}),
        ("error", "the file is empty"),
    ),
    Case(
        "cordis_not_utf8",
        "cordis",
        lambda r: cordis(
            r,
            {
                "project.csv": (PROJECT_HEADER + "\n1;A;x;T\xe4;;;;;;\n").encode("cp1252"),
                "organization.csv": ORG_HEADER + "\n",
            },
        ),
        ("error", "line 2: not UTF-8"),
    ),
    Case(
        "cordis_two_columns",
        "cordis",
        lambda r: cordis(
            r, {"project.csv": "id;title\n1;x\n", "organization.csv": ORG_HEADER + "\n"}
        ),
        ("error", "the header has 2 columns"),
    ),
    Case(
        "cordis_nothing",
        "cordis",
        lambda r: cordis(r, {"readme.csv": "x\n"}),
        ("error", "CORDIS file not found"),
    ),
    # --- agreement registers ------------------------------------------------------------
    Case(
        "register_key_typo",
        "register",
        lambda r: register(
            r,
            {
                **{k: v for k, v in REGISTER.items() if k != "columns"},
                "colums": REGISTER["columns"],
            },
        ),
        ("error", "colums: unknown key (did you mean 'columns'?)"),
    ),
    Case(
        "register_outside",
        "register",
        lambda r: register(r, {**REGISTER, "register": "../../r.csv"}),
        ("error", "points outside"),
    ),
    Case(
        "register_column_missing",
        "register",
        lambda r: register(r, data=REGISTER_CSV.replace("status", "state")),
        ("error", "missing columns ['status']"),
    ),
    Case(
        "register_column_key_missing",
        "register",
        lambda r: register(r, {**REGISTER, "columns": {"partner": "partner"}}),
        ("error", "columns.country: required key missing"),
    ),
    Case(
        "register_not_yaml",
        "register",
        lambda r: register(r, "register: [r.csv\n"),
        ("error", "not valid YAML"),
    ),
    # --- screening lists ----------------------------------------------------------------
    Case(
        "screening_generic_missing_columns",
        "screening",
        lambda r: screening(r, "national.csv", "name\nX\n"),
        ("error", "missing columns"),
    ),
    Case(
        "screening_generic_not_utf8",
        "screening",
        lambda r: screening(
            r, "national.csv", "list,entity_id,name\nl,1,Ty\xf6\n".encode("cp1252")
        ),
        ("error", "not a readable CSV list"),
    ),
    Case(
        "screening_generic_unknown_country",
        "screening",
        lambda r: screening(r, "national.csv", "list,entity_id,name,country\nl,1,X,Narnia\n"),
        ("error", "unknown countries ['Narnia']"),
    ),
    Case(
        "screening_generic_empty",
        "screening",
        lambda r: screening(r, "national.csv", ""),
        ("error", "not a readable CSV list"),
    ),
    # --- manifests ----------------------------------------------------------------------
    Case(
        "manifest_checksum_changed",
        "manifest",
        lambda r: manifest(
            r, change=lambda raw: (raw / "survey" / "export.csv").write_text("changed")
        ),
        ("error", "sha256 is"),
    ),
    Case(
        "manifest_file_unlisted",
        "manifest",
        lambda r: manifest(r, change=lambda raw: (raw / "survey" / "new.csv").write_text("x")),
        ("error", "not listed in MANIFEST.yaml"),
    ),
    Case(
        "manifest_file_missing",
        "manifest",
        lambda r: manifest(r, change=lambda raw: (raw / "survey" / "export.csv").unlink()),
        ("error", "listed in MANIFEST.yaml but missing"),
    ),
    Case(
        "manifest_not_yaml",
        "manifest",
        lambda r: manifest(r, "files: [\n"),
        ("error", "not valid YAML"),
    ),
    Case(
        "manifest_files_not_list",
        "manifest",
        lambda r: manifest(r, "files: {a: b}\n"),
        ("error", "'files' must be a list"),
    ),
    Case("manifest_absent", "manifest", lambda r: survey(r), ("error", "MANIFEST.yaml: missing")),
]
