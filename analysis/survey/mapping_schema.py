"""The declared schema of a survey mapping file, and its check.

Every key a mapping file may hold is declared here with its type, whether it is required and
what it means (``docs/mapping.md`` documents each, a test checks both agree). An unknown key
is an error with the nearest known one ("did you mean 'status'?"), so a mistyped key is never
silently ignored. Every problem of a file is reported at once, each with its key path.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

SCALAR = (str, int, float, bool)


@dataclass(frozen=True)
class Key:
    """One key: accepted types, required or not, and for a mapping its own keys.

    ``fields`` declares fixed sub-keys; ``each`` declares what every value of a free-form
    table (item id → column, code → code) must be; ``column_shorthand`` lets a plain string
    stand for ``{column: ...}``.
    """

    types: tuple[type, ...]
    doc: str
    required: bool = False
    fields: dict[str, Key] = field(default_factory=dict)
    each: Key | None = None
    choices: tuple[str, ...] = ()
    column_shorthand: bool = False


COLUMN = Key((str,), "an export column name")
CODE = Key(SCALAR, "a codebook code (or an export code)")
CODE_TABLE = Key((dict,), "export code or label → codebook code", each=CODE)

SCHEMA: dict[str, Key] = {
    "export": Key((str,), "the export file this mapping describes, beside it", required=True),
    "tool": Key(
        (str,),
        "the survey tool that wrote the export",
        choices=("webropol", "limesurvey", "qualtrics", "spss", "other"),
    ),
    "header_rows": Key((int,), "header rows before the first response (Qualtrics: 3)"),
    "respondent_id": Key((str,), "column of the tool's response id", required=True),
    "submitted_at": Key(
        (str, dict),
        "column of the submission time, and its strptime format",
        required=True,
        column_shorthand=True,
        fields={
            "column": Key((str,), "column name", required=True),
            "format": Key((str,), "strptime format, e.g. '%d.%m.%Y %H:%M'"),
        },
    ),
    "duration_seconds": Key(
        (str, dict),
        "column of the time taken to answer, in seconds",
        column_shorthand=True,
        fields={"column": Key((str,), "column name", required=True)},
    ),
    "status": Key(
        (dict,),
        "which rows are complete responses",
        fields={
            "column": Key((str,), "column that tells", required=True),
            "complete": Key((list,), "values meaning complete", each=Key(SCALAR, "a value")),
            "complete_when": Key(
                (str,), "'not_empty': complete when the column has a value", choices=("not_empty",)
            ),
        },
    ),
    "language": Key(
        (str, dict),
        "column of the answering language, and its values → fi/sv/en",
        column_shorthand=True,
        fields={
            "column": Key((str,), "column name", required=True),
            "values": Key(
                (dict,),
                "export value → fi, sv or en",
                each=Key((str,), "fi, sv or en", choices=("fi", "sv", "en")),
            ),
        },
    ),
    "items": Key((dict,), "codebook item id → export column", required=True, each=COLUMN),
    "values": Key((dict,), "per item id: export code → codebook code", each=CODE_TABLE),
    "scale_values": Key(
        (dict,), "per codebook scale: export code → codebook code", each=CODE_TABLE
    ),
    "countries": Key(
        (dict,),
        "per country item id: one column per listed option and a free-text column",
        each=Key(
            (dict,),
            "one country question",
            fields={
                "options": Key(
                    (dict,), "column → country name", required=True, each=Key((str,), "a name")
                ),
                "other": Key((str,), "column of the free-text 'other' answer"),
                "checked": Key(SCALAR, "the cell value of a ticked option (default 1)"),
            },
        ),
    ),
}


def _type_names(types: tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true/false"}
    names |= {dict: "a mapping of keys", list: "a list"}
    return " or ".join(dict.fromkeys(names[t] for t in types))


def suggest(name: str, known: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the nearest known key, ignoring case, or ''."""
    lowered = {k.lower(): k for k in known}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


def _check(value: Any, key: Key, where: str, problems: list[str]) -> None:
    if isinstance(value, bool) and bool not in key.types and int in key.types:
        problems.append(f"{where}: expected {_type_names(key.types)}, found {value!r}")
        return
    if not isinstance(value, key.types):
        found = "nothing" if value is None else f"{type(value).__name__} {value!r}"[:80]
        problems.append(f"{where}: expected {_type_names(key.types)}, found {found}")
        return
    if isinstance(value, str) and value.lstrip().upper().startswith("TODO"):
        problems.append(f"{where}: still marked TODO ({value!r}); decide and remove the mark")
        return
    if key.choices and isinstance(value, str) and value not in key.choices:
        problems.append(f"{where}: {value!r} is not one of {list(key.choices)}")
    if isinstance(value, dict):
        if key.fields:
            _check_fields(value, key.fields, where, problems)
        if key.each is not None:
            for name, item in value.items():
                _check(item, key.each, f"{where}.{name}", problems)
    if isinstance(value, list) and key.each is not None:
        for position, item in enumerate(value):
            _check(item, key.each, f"{where}[{position}]", problems)


def _check_fields(spec: dict, fields: dict[str, Key], where: str, problems: list[str]) -> None:
    prefix = f"{where}." if where else ""
    for name in spec:
        if name not in fields:
            problems.append(f"{prefix}{name}: unknown key{suggest(name, list(fields))}")
    for name, key in fields.items():
        if name in spec:
            value = spec[name]
            if key.column_shorthand and isinstance(value, str):
                value = {"column": value}
            _check(value, key, f"{prefix}{name}", problems)
        elif key.required:
            problems.append(f"{prefix}{name}: required key missing")


def mapping_problems(spec: Any) -> list[str]:
    """Every way ``spec`` (a parsed mapping file) departs from the schema, each with its key."""
    if not isinstance(spec, dict):
        return [f"expected a mapping of keys at the top, found {type(spec).__name__}"]
    problems: list[str] = []
    _check_fields(spec, SCHEMA, "", problems)
    status = spec.get("status")
    if isinstance(status, dict) and not {"complete", "complete_when"} & set(status):
        problems.append("status: give 'complete' (a list of values) or 'complete_when'")
    return problems


def documented_keys() -> list[str]:
    """Every key path of the schema (``status.column``, ``countries.*.options``)."""
    paths: list[str] = []

    def walk(fields: dict[str, Key], prefix: str) -> None:
        for name, key in fields.items():
            paths.append(prefix + name)
            walk(key.fields, f"{prefix}{name}.")
            if key.each is not None and key.each.fields:
                walk(key.each.fields, f"{prefix}{name}.*.")

    walk(SCHEMA, "")
    return paths
