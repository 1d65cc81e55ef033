"""From survey exports to clean responses, with every raw row accounted for.

Each raw row ends either among the kept respondents or in the rejects table with one reason
(the first rule it breaks, in the order of ``REASONS``). Speeders and straight-liners are
flagged, not dropped. Answers become codebook codes; "don't know" stays apart from no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.countries import CountryResolver
from analysis.survey.codebook import (
    DONT_KNOW,
    STATUS_ANSWERED,
    STATUS_DONT_KNOW,
    STATUS_NO_ANSWER,
    Codebook,
    normalise_label,
)
from analysis.survey.mapping import ExportMapping, MappingError
from analysis.survey.readers import ROW, ExportRead

REASONS = {
    "test": "test response",
    "incomplete": "incomplete response",
    "unreadable_time": "submission time missing or unreadable",
    "outside_window": "submitted outside the fieldwork window",
    "duplicate_row": "exact duplicate of an earlier row",
    "superseded": "same respondent id submitted again later; the later one is kept",
    "duplicate_submission": "identical answers and timestamp as another row",
    "unknown_organisation": "organisation not in the alias table",
    "unknown_value": "answer value not in the codebook",
    "missing_required": "required answer missing",
}


@dataclass(frozen=True)
class CleaningRules:
    fieldwork_start: datetime
    fieldwork_end: datetime
    speeder_seconds: float = 120.0
    straightliner_min_items: int = 10
    test_pattern: str = r"^\s*(test|testi|testivastaus|testsvar|test response)\b"


@dataclass
class CleanSurvey:
    respondents: pd.DataFrame
    answers: pd.DataFrame
    countries: pd.DataFrame
    rejects: pd.DataFrame
    accounting: pd.DataFrame
    reads: pd.DataFrame
    unmapped_countries: pd.DataFrame = field(default_factory=pd.DataFrame)


def _text(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if not column:
        return pd.Series("", index=frame.index, dtype="object")
    return frame[column].astype("object").fillna("").map(str).str.strip()


def _parse_times(values: pd.Series, fmt: str | None) -> pd.Series:
    if fmt:
        return pd.to_datetime(values, format=fmt, errors="coerce")
    return pd.to_datetime(values, errors="coerce", dayfirst=True)


def _check_columns(read: ExportRead, mapping: ExportMapping) -> None:
    missing = [c for c in mapping.columns() if c not in read.frame.columns]
    if missing:
        raise MappingError(
            f"{read.path.name}: columns named in {mapping.path.name} are missing from the "
            f"export: {missing}"
        )


def _code_items(
    read: ExportRead, mapping: ExportMapping, codebook: Codebook
) -> tuple[dict[str, pd.Series], dict[str, pd.Series], pd.Series]:
    """Codes per scale item, plus the first unknown value per row (column=value) if any."""
    codes: dict[str, pd.Series] = {}
    statuses: dict[str, pd.Series] = {}
    problem = pd.Series("", index=read.frame.index, dtype="object")
    for item_id, column in mapping.items.items():
        item = codebook.items[item_id]
        if item.scale is None:
            continue
        raw = _text(read.frame, column)
        export_codes = mapping.value_map(item_id, item.scale.name)
        table: dict[str, object] = {}
        for value in raw.unique():
            if value == "":
                continue
            if value in export_codes:
                table[value] = export_codes[value]
            else:
                table[value] = item.scale.lookup.get(normalise_label(value))
        coded = raw.map(lambda v, t=table: t.get(v) if v else None)
        unknown = (raw != "") & coded.isna()
        problem = problem.mask(
            (problem == "") & unknown, column + " = " + raw.where(unknown, "").map(repr)
        )
        statuses[item_id] = np.select(
            [raw == "", coded == DONT_KNOW], [STATUS_NO_ANSWER, STATUS_DONT_KNOW], STATUS_ANSWERED
        )
        codes[item_id] = coded.where(coded != DONT_KNOW, None)
    return codes, statuses, problem


def _complete(read: ExportRead, mapping: ExportMapping) -> pd.Series:
    status = mapping.status
    values = _text(read.frame, status.get("column"))
    if not status:
        return pd.Series(True, index=read.frame.index)
    if status.get("complete_when") == "not_empty":
        return values != ""
    accepted = {normalise_label(v) for v in status.get("complete", [])}
    return values.map(normalise_label).isin(accepted)


def _reject(reasons: pd.Series, mask: pd.Series, key: str, details: pd.Series | str) -> None:
    """Give rows in ``mask`` that have no reason yet the reason ``key`` (first rule wins)."""
    todo = mask & (reasons["reason"] == "")
    reasons.loc[todo, "reason"] = key
    detail = details if isinstance(details, str) else details[todo]
    reasons.loc[todo, "detail"] = detail


def clean_export(
    read: ExportRead,
    mapping: ExportMapping,
    codebook: Codebook,
    aliases: pd.DataFrame,
    countries: CountryResolver,
    rules: CleaningRules,
) -> CleanSurvey:
    _check_columns(read, mapping)
    mapping.check_against(codebook)
    frame = read.frame
    source = read.path.name
    reasons = pd.DataFrame({"reason": "", "detail": ""}, index=frame.index)

    respondent_id = _text(frame, mapping.respondent_id)
    organisation = _text(frame, mapping.items.get("organisation"))
    comment = _text(frame, mapping.items.get("comment"))
    submitted = _parse_times(_text(frame, mapping.submitted_column), mapping.submitted_format)
    codes, statuses, problem = _code_items(read, mapping, codebook)

    test_rule = re.compile(rules.test_pattern, re.IGNORECASE)
    is_test = organisation.map(lambda v: bool(test_rule.search(v))) | comment.map(
        lambda v: bool(test_rule.search(v)) and len(v) < 20
    )
    _reject(reasons, is_test, "test", "organisation " + organisation.map(repr))
    _reject(reasons, ~_complete(read, mapping), "incomplete", "not completed")
    _reject(reasons, submitted.isna(), "unreadable_time", _text(frame, mapping.submitted_column))
    outside = (submitted < rules.fieldwork_start) | (submitted > rules.fieldwork_end)
    _reject(reasons, outside, "outside_window", submitted.astype(str))

    mapped_columns = [c for c in mapping.columns() if c in frame.columns]
    content = frame[mapped_columns].astype(str)
    first_row = (
        frame[ROW].groupby([content[c] for c in mapped_columns], sort=False).transform("min")
    )
    exact = content.duplicated(keep="first")
    _reject(reasons, exact, "duplicate_row", "identical to row " + first_row.astype(str))

    # Among rows still in, a respondent id seen again keeps only its latest submission.
    alive = reasons["reason"] == ""
    order = submitted.where(alive).rank(method="first")
    latest = order.groupby(respondent_id).transform("max")
    superseded = alive & (respondent_id != "") & (order < latest)
    kept_row = frame[ROW].where(order == latest).groupby(respondent_id).transform("max")
    _reject(reasons, superseded, "superseded", "kept row " + kept_row.astype("Int64").astype(str))

    alive = reasons["reason"] == ""
    # Duration and language may differ between two submissions of the same answers.
    answer_columns = set(mapping.items.values()) | {mapping.submitted_column}
    for spec in mapping.countries.values():
        answer_columns |= {*spec.get("options", {}), spec.get("other")}
    answers_only = [c for c in mapped_columns if c in answer_columns]
    same = frame[answers_only].astype(str).where(alive)
    twin = alive & same.duplicated(keep="first") & same.notna().all(axis=1)
    first_twin = frame[ROW].where(alive).groupby([same[c] for c in answers_only]).transform("min")
    _reject(
        reasons,
        twin,
        "duplicate_submission",
        "same answers and time as row " + first_twin.astype("Int64").astype(str),
    )

    alias_table = {
        normalise_label(a): k
        for a, k in zip(aliases["alias"], aliases["organisation_key"], strict=True)
    }
    organisation_key = organisation.map(lambda v: alias_table.get(normalise_label(v)))
    _reject(reasons, organisation_key.isna(), "unknown_organisation", organisation.map(repr))
    _reject(reasons, problem != "", "unknown_value", problem)
    required = [i for i in codebook.items.values() if i.required and i.id in codes]
    for item in required:
        _reject(reasons, codes[item.id].isna(), "missing_required", mapping.items[item.id])

    kept = reasons["reason"] == ""
    respondent_key = (
        read.path.stem + "#" + respondent_id.where(respondent_id != "", frame[ROW].astype(str))
    )
    duration = pd.to_numeric(_text(frame, mapping.duration_column), errors="coerce")
    language = _text(frame, mapping.language_column)
    language = language.map(lambda v: mapping.language_values.get(v, v) or None)

    likert_ids = [
        i.id
        for i in codebook.items.values()
        if i.block in ("threats", "opportunities") and i.id in codes
    ]
    likert = pd.DataFrame({i: pd.to_numeric(codes[i], errors="coerce") for i in likert_ids})
    answered = likert.notna().sum(axis=1)
    straight = (answered >= rules.straightliner_min_items) & (likert.nunique(axis=1) == 1)

    respondents = pd.DataFrame(
        {
            "respondent_key": respondent_key,
            "source_file": source,
            "source_row": frame[ROW].astype("int64"),
            "respondent_id": respondent_id,
            "organisation_key": organisation_key,
            "org_type": codes.get("org_type"),
            "role": codes.get("role"),
            "field": codes.get("field"),
            "language": language,
            "submitted_at": submitted,
            "duration_seconds": duration,
            "flag_speeder": duration < rules.speeder_seconds,
            "flag_straightliner": straight,
            "comment": comment.where(comment != "", None),
        }
    )[kept].reset_index(drop=True)

    long_parts = []
    for item_id, coded in codes.items():
        item = codebook.items[item_id]
        if item.block == "respondent":
            continue
        long_parts.append(
            pd.DataFrame(
                {
                    "respondent_key": respondent_key,
                    "block": item.block,
                    "item_id": item_id,
                    "code": coded.map(lambda v: None if v is None else str(v)),
                    "status": statuses[item_id],
                }
            )[kept]
        )
    answers = pd.concat(long_parts, ignore_index=True) if long_parts else pd.DataFrame()
    answers["score"] = pd.to_numeric(answers["code"], errors="coerce").astype("Int64")

    country_rows = []
    for item_id, spec in mapping.countries.items():
        checked = str(spec.get("checked", "1"))
        for column, label in spec.get("options", {}).items():
            hit = kept & (_text(frame, column) == checked)
            country_rows += [(k, item_id, label, "option") for k in respondent_key[hit]]
        other = _text(frame, spec.get("other"))
        for key, text in zip(
            respondent_key[kept & (other != "")], other[kept & (other != "")], strict=True
        ):
            country_rows += [
                (key, item_id, part, "other") for part in countries.split_mentions(text)
            ]
    mentions = pd.DataFrame(
        country_rows, columns=["respondent_key", "item_id", "mention", "answered_as"]
    )
    iso2, unmapped = countries.harmonise(mentions["mention"], source, strict=False)
    mentions["iso2"] = pd.Series(iso2, index=mentions.index, dtype="object")

    rejected = ~kept
    rejects = pd.DataFrame(
        {
            "source_file": source,
            "source_row": frame[ROW].astype("int64"),
            "respondent_id": respondent_id,
            "reason_code": reasons["reason"],
            "reason": reasons["reason"].map(REASONS),
            "detail": reasons["detail"].astype(str),
        }
    )[rejected].reset_index(drop=True)

    counts = rejects["reason_code"].value_counts()
    accounting = pd.DataFrame(
        [
            {
                "source_file": source,
                "rows_read": len(frame),
                "kept": int(kept.sum()),
                "rejected": int(rejected.sum()),
                **{f"rejected_{key}": int(counts.get(key, 0)) for key in REASONS},
                "flagged_speeder": int(respondents["flag_speeder"].sum()),
                "flagged_straightliner": int(respondents["flag_straightliner"].sum()),
            }
        ]
    )
    return CleanSurvey(
        respondents=respondents,
        answers=answers,
        countries=mentions,
        rejects=rejects,
        accounting=accounting,
        reads=pd.DataFrame([read.describe()]),
        unmapped_countries=unmapped,
    )


def combine(parts: list[CleanSurvey]) -> CleanSurvey:
    """Stack the results of several exports; respondent keys stay unique per export."""

    def stack(name: str) -> pd.DataFrame:
        frames = [getattr(p, name) for p in parts if len(getattr(p, name))]
        return pd.concat(frames, ignore_index=True) if frames else getattr(parts[0], name)

    combined = CleanSurvey(**{name: stack(name) for name in CleanSurvey.__dataclass_fields__})
    duplicated = combined.respondents["respondent_key"].duplicated()
    if duplicated.any():
        raise ValueError(
            f"respondent keys repeat across exports: {combined.respondents['respondent_key'][duplicated].tolist()}"
        )
    return combined


def clean_folder(
    folder: Path,
    codebook: Codebook,
    countries: CountryResolver,
    rules: CleaningRules,
) -> CleanSurvey:
    """Clean every export in ``folder`` that has a mapping file."""
    from analysis.survey.mapping import find_mappings
    from analysis.survey.readers import read_export

    aliases_path = folder / "organisation_aliases.csv"
    if not aliases_path.is_file():
        raise FileNotFoundError(f"{aliases_path} is missing: it maps organisation names to keys")
    aliases = pd.read_csv(aliases_path, dtype=str, keep_default_na=False)
    parts = []
    for mapping in find_mappings(folder):
        read = read_export(mapping.export, mapping.spec.get("header_rows"))
        parts.append(clean_export(read, mapping, codebook, aliases, countries, rules))
    return combine(parts)
