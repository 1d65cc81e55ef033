"""Draft a mapping file from an export: headers matched to codebook items, labels to codes.

Every header row is compared with every codebook item's texts in Finnish, Swedish and English
(the row text alone, and as "question - row" the way survey tools write matrix questions) and
with its id; LimeSurvey's ``CODE[SQ001]`` groups are matched to a block of the same size whose
name the code abbreviates, in codebook order. Answer values the codebook already knows need
nothing; LimeSurvey's ``A1``, ``A2`` … become the scale's codes in order, initials (``Y``,
``DK``) the codes whose label they abbreviate, ``99`` "don't know". Anything less certain is
written as ``TODO <score>: <best guess>``, which ``check-data`` refuses until a person decides.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.sources.labels import normalise_label
from analysis.survey.codebook import DONT_KNOW, Codebook, Item

CERTAIN = 0.9  # a match at or above this is written as is; below it, as TODO
POSSIBLE = 0.6  # below this, no guess is written at all

# Columns survey tools add themselves, by what they hold (names as the tools write them).
SYSTEM = {
    "respondent_id": ["id", "vastaajan id", "respondent id", "responseid", "response id", "v1"],
    "submitted_at": [
        "submitdate",
        "vastausaika",
        "response time",
        "recordeddate",
        "enddate",
        "svarstid",
        "v8",
    ],
    "duration_seconds": [
        "interviewtime",
        "vastaamiseen käytetty aika (s)",
        "duration (in seconds)",
        "duration",
    ],
    "status": ["tila", "status", "finished", "v10"],
    "language": ["startlanguage", "kieli", "language", "userlanguage", "språk"],
}
COMPLETE = {"valmis", "complete", "completed", "finished", "true", "1", "klar", "färdig"}
LANGUAGE_NAMES = {
    "fi": {"fi", "suomi", "finnish", "finska"},
    "sv": {"sv", "svenska", "swedish", "ruotsi"},
    "en": {"en", "english", "englanti", "engelska"},
}
DONT_KNOW_CODES = {"99", "-99", "98", "-1", "dk", "eos", "vet inte"}
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y klo %H.%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
)
_SUBQUESTION = re.compile(r"^(?P<group>[A-Za-z][\w]*)\[(?P<code>[^\]]+)\]$")


def todo(score: float, guess: str) -> str:
    return f"TODO {score:.2f}: {guess}"


def _norm(text: object) -> str:
    return re.sub(r"[^\w]+", " ", normalise_label(text)).strip()


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b or a.replace(" ", "") == b.replace(" ", "").replace("_", ""):
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _abbreviates(code: str, name: str) -> bool:
    """``THR`` abbreviates ``threats``: its letters appear in order, starting with the first."""
    code, name = code.lower(), name.lower()
    if not code or not name or code[0] != name[0]:
        return False
    position = 0
    for letter in code:
        position = name.find(letter, position) + 1
        if position == 0:
            return False
    return True


@dataclass
class Draft:
    """The drafted mapping and what is left to decide."""

    spec: dict[str, Any]
    todos: list[str] = field(default_factory=list)


def _item_texts(codebook: Codebook, item: Item) -> list[str]:
    texts = [item.id, item.id.replace("_", " ")]
    for lang, text in item.text.items():
        texts += [text, codebook.question_text(item.id, lang)]
    return [_norm(t) for t in texts]


def _header_texts(column: str, extra: list[str]) -> list[str]:
    return [_norm(t) for t in [column, *extra] if t and not t.lstrip().startswith("{")]


def _match_columns(
    headers: dict[str, list[str]], codebook: Codebook, taken: set[str]
) -> dict[str, tuple[str, float]]:
    """item id → (column, score), one column per item, best pairs first."""
    pairs = []
    for item in codebook.items.values():
        if item.kind == "countries":
            continue
        texts = _item_texts(codebook, item)
        for column, header in headers.items():
            if column in taken:
                continue
            score = max(_similarity(h, t) for h in header for t in texts)
            code = _norm(column).replace(" ", "")
            if len(code) >= 3 and item.id.replace("_", "").startswith(code):
                score = max(score, CERTAIN)  # ORG for organisation
            if score >= POSSIBLE:
                pairs.append((score, item.id, column))
    chosen: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for score, item_id, column in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if item_id not in chosen and column not in used:
            chosen[item_id] = (column, score)
            used.add(column)
    return chosen


def _subquestion_groups(columns: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for column in columns:
        found = _SUBQUESTION.match(column)
        if found:
            groups.setdefault(found["group"], []).append(column)
    return groups


def _match_groups(
    groups: dict[str, list[str]], codebook: Codebook
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """LimeSurvey groups: block rows by position, country questions by their ``other``."""
    items: dict[str, str] = {}
    countries: dict[str, dict[str, Any]] = {}
    country_items = [i for i in codebook.items.values() if i.kind == "countries"]
    for group, columns in groups.items():
        other = [c for c in columns if c.lower().endswith("[other]")]
        rows = [c for c in columns if c not in other]
        if other:
            for item in country_items:
                if item.id not in countries and _abbreviates(group, item.id):
                    countries[item.id] = {"options": rows, "other": other[0]}
                    break
            continue
        for block in codebook.blocks:
            block_items = [i for i in codebook.block_items(block) if i.kind == "scale"]
            prefix = block_items[0].id.split("_")[0] if block_items else ""
            named = _abbreviates(group, block) or _abbreviates(group, prefix)
            if (
                named
                and len(block_items) == len(rows)
                and not set(items) & {i.id for i in block_items}
            ):
                items.update({i.id: c for i, c in zip(block_items, rows, strict=True)})
                break
    return items, countries


def _system_columns(columns: list[str]) -> dict[str, str]:
    found = {}
    lowered = {normalise_label(c): c for c in columns}
    for key, names in SYSTEM.items():
        for name in names:
            if name in lowered and lowered[name] not in found.values():
                found[key] = lowered[name]
                break
    return found


def _time_format(values: pd.Series) -> tuple[str | None, bool]:
    """The one format every value parses with (and whether it was the only one)."""
    sample = [v for v in values.unique().tolist() if v][:200]
    fitting = []
    for fmt in TIME_FORMATS:
        try:
            for value in sample:
                datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        fitting.append(fmt)
    return (fitting[0] if fitting else None), len(fitting) == 1


def _value_codes(item: Item, values: list[str], todos: list[str]) -> dict[str, Any]:
    """Export values the scale does not know → codes, by rule; fuzzy guesses as TODO."""
    scale = item.scale
    codes = list(scale.codes)
    table: dict[str, Any] = {}
    for value in values:
        key = normalise_label(value)
        if not key or key in scale.lookup:
            continue
        positional = re.fullmatch(r"a(\d+)", key)
        initials = {
            code: {
                "".join(w[0] for w in normalise_label(label).split()) for label in labels.values()
            }
            for code, labels in scale.codes.items()
        }
        by_initial = [code for code, found in initials.items() if key in found]
        if positional and 1 <= int(positional[1]) <= len(codes):
            table[value] = codes[int(positional[1]) - 1]
        elif key in DONT_KNOW_CODES and scale.dont_know:
            table[value] = DONT_KNOW
        elif len(by_initial) == 1:
            table[value] = by_initial[0]
        else:
            labels = {normalise_label(label): code for label, code in scale.lookup.items()}
            close = difflib.get_close_matches(key, list(labels), n=1, cutoff=POSSIBLE)
            if close:
                score = difflib.SequenceMatcher(None, key, close[0]).ratio()
                table[value] = todo(score, str(labels[close[0]]))
                todos.append(f"values.{item.id}.{value}: {table[value]}")
    return table


def draft_mapping(
    export_name: str,
    frame: pd.DataFrame,
    header_texts: dict[str, list[str]],
    codebook: Codebook,
    tool: str,
    header_rows: int,
) -> Draft:
    """A mapping for ``frame`` (the export read as text; ``header_texts``: each column's text in
    the header rows below the first)."""
    columns = [c for c in frame.columns if c != "source_row"]
    todos: list[str] = []
    system = _system_columns(columns)
    spec: dict[str, Any] = {"export": export_name, "tool": tool}
    if header_rows != 1:
        spec["header_rows"] = header_rows
    spec["respondent_id"] = system.get("respondent_id") or todo(0, "the response id column")
    submitted = system.get("submitted_at")
    if submitted:
        fmt, only = _time_format(frame[submitted])
        spec["submitted_at"] = {"column": submitted}
        if fmt:
            spec["submitted_at"]["format"] = fmt if only else todo(0.5, fmt)
    else:
        spec["submitted_at"] = todo(0, "the submission time column")
    if "duration_seconds" in system:
        spec["duration_seconds"] = system["duration_seconds"]
    status = system.get("status")
    if status:
        values = {normalise_label(v): v for v in frame[status].unique() if v}
        complete = [v for k, v in values.items() if k in COMPLETE]
        spec["status"] = {"column": status, "complete": complete or [todo(0, "complete value")]}
    elif submitted and tool == "limesurvey":
        spec["status"] = {"column": submitted, "complete_when": "not_empty"}
    if "language" in system:
        column = system["language"]
        names = {
            v: lang
            for v in frame[column].unique()
            for lang, known in LANGUAGE_NAMES.items()
            if normalise_label(v) in known and v != lang
        }
        spec["language"] = {"column": column, "values": names} if names else column

    taken = set(system.values())
    group_items, group_countries = _match_groups(_subquestion_groups(columns), codebook)
    taken |= set(group_items.values())
    for spec_c in group_countries.values():
        taken |= {*spec_c["options"], spec_c["other"]}
    items: dict[str, str] = {}
    for item_id, (column, score) in _match_columns(
        {c: _header_texts(c, header_texts.get(c, [])) for c in columns}, codebook, taken
    ).items():
        if item_id in group_items:
            continue
        items[item_id] = column if score >= CERTAIN else todo(score, column)
        if score < CERTAIN:
            todos.append(f"items.{item_id}: {items[item_id]}")
    items.update(group_items)
    ordered = [i for i in codebook.items if i in items]
    spec["items"] = {i: items[i] for i in ordered}
    for item in codebook.items.values():
        if item.required and item.id not in items:
            spec["items"][item.id] = todo(0, "no column found")
            todos.append(f"items.{item.id}: no column found")

    values: dict[str, dict[str, Any]] = {}
    for item_id in ordered:
        item = codebook.items[item_id]
        if item.scale is None or items[item_id].startswith("TODO"):
            continue
        table = _value_codes(item, frame[items[item_id]].unique().tolist(), todos)
        if table:
            values[item_id] = table
    values, scale_values = _by_scale(values, codebook)
    if values:
        spec["values"] = values
    if scale_values:
        spec["scale_values"] = scale_values
    countries = _countries(columns, codebook, frame, group_countries, todos)
    if countries:
        spec["countries"] = countries
    return Draft(spec, todos)


def _by_scale(
    values: dict[str, dict[str, Any]], codebook: Codebook
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Tables shared by the items of one scale become one ``scale_values`` entry (sorted)."""
    per_scale: dict[str, list[str]] = {}
    for item_id in values:
        per_scale.setdefault(codebook.items[item_id].scale.name, []).append(item_id)
    scale_values: dict[str, dict[str, Any]] = {}
    for scale, item_ids in per_scale.items():
        if len(item_ids) < 2:
            continue
        union: dict[str, Any] = {}
        for item_id in item_ids:
            for value, code in values[item_id].items():
                if union.setdefault(value, code) != code:
                    break
            else:
                continue
            break
        else:
            scale_values[scale] = dict(sorted(union.items()))
            for item_id in item_ids:
                del values[item_id]
    return {k: dict(sorted(v.items())) for k, v in values.items()}, scale_values


def _countries(
    columns: list[str],
    codebook: Codebook,
    frame: pd.DataFrame,
    groups: dict[str, dict[str, Any]],
    todos: list[str],
) -> dict[str, dict[str, Any]]:
    """Country questions: "question - country" columns, or LimeSurvey groups (names unknown)."""
    result: dict[str, dict[str, Any]] = {}
    for item in (i for i in codebook.items.values() if i.kind == "countries"):
        if item.id in groups:
            options = {}
            for column in groups[item.id]["options"]:
                options[column] = todo(0, f"the country of {column}")
                todos.append(f"countries.{item.id}.options.{column}: country name")
            spec = {"options": options, "other": groups[item.id]["other"]}
        else:
            texts = {_norm(t) for t in item.text.values()}
            options, other = {}, None
            for column in columns:
                question, sep, answer = column.rpartition(" - ")
                if not sep or _norm(question) not in texts:
                    continue
                if answer.rstrip("?").strip().lower() in {"muu, mikä", "other", "annat, vad"}:
                    other = column
                else:
                    options[column] = answer.strip()
            if not options:
                continue
            spec = {"options": options}
            if other:
                spec["other"] = other
        ticked = {v for c in spec["options"] for v in frame[c].unique() if v}
        if len(ticked) == 1 and ticked != {"1"}:
            spec["checked"] = ticked.pop()
        result[item.id] = spec
    return result


def detect_tool(columns: list[str], suffix: str) -> str:
    names = {normalise_label(c) for c in columns}
    if suffix == ".sav":
        return "spss"
    if {"submitdate", "startlanguage"} <= names:
        return "limesurvey"
    if "responseid" in names or "v1" in names:
        return "qualtrics"
    if "vastaajan id" in names or "vastausaika" in names:
        return "webropol"
    return "other"


def draft_for_export(path, codebook: Codebook) -> Draft:
    """Read ``path`` as the cleaning step would and draft its mapping."""
    from analysis.sources.exports import read_export

    read = read_export(path)
    header_texts: dict[str, list[str]] = {}
    if read.header_rows > 1:
        rows = read_export(path, header_rows=1).frame.iloc[: read.header_rows - 1]
        header_texts = {c: rows[c].tolist() for c in rows.columns if c != "source_row"}
    tool = detect_tool(list(read.frame.columns), path.suffix.lower())
    return draft_mapping(path.name, read.frame, header_texts, codebook, tool, read.header_rows)


def render_draft(draft: Draft) -> str:
    """The mapping file's text: a header saying what is left to decide, then the YAML."""
    import yaml

    lines = [
        "# Drafted by python -m analysis map; see docs/mapping.md for every key.",
        "# Values marked TODO are guesses with their match score: decide each, then run",
        "# python -m analysis check-data, which refuses a mapping with a TODO left.",
    ]
    if draft.todos:
        lines.append(f"# {len(draft.todos)} left to decide:")
        lines += [f"#   {t}" for t in draft.todos]
    body = yaml.safe_dump(draft.spec, sort_keys=False, allow_unicode=True, width=1000)
    return "\n".join(lines) + "\n" + body
