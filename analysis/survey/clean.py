"""From survey exports to clean responses, with every raw row accounted for.

Each raw row ends either among the kept respondents or in the rejects table with one reason
(the first rule it breaks, in the order of ``REASONS``). Speeders and straight-liners are
flagged, not dropped. Answers become codebook codes; "don't know" stays apart from no answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.sources.exports import ROW, ExportRead
from analysis.sources.labels import normalise_label
from analysis.survey.codebook import (
    DONT_KNOW,
    STATUS_ANSWERED,
    STATUS_DONT_KNOW,
    STATUS_NO_ANSWER,
    Codebook,
)
from analysis.survey.mapping import ExportMapping, MappingError

REASONS = {
    "unreadable_row": "row cannot be read as written (field count, NUL or undecodable bytes)",
    "test": "test response",
    "incomplete": "incomplete response",
    "unreadable_time": "submission time missing or unreadable",
    "outside_window": "submitted outside the fieldwork window",
    "duplicate_row": "exact duplicate of an earlier row",
    "unknown_organisation": "organisation not in the alias table",
    "unknown_value": "answer value not in the codebook",
    "missing_required": "required answer missing",
    "superseded": "same respondent id submitted again later; the later one is kept",
    "duplicate_submission": "identical answers and timestamp as another row",
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
    values = frame[column]
    if values.dtype != object:
        values = values.astype(str)
    return _per_value(values.fillna(""), str.strip)


def _per_value(values: pd.Series, function) -> pd.Series:
    """Apply ``function`` once per distinct value: exports repeat the same labels many times.

    The result is an object column of exactly what ``function`` returned, None included
    (``Series.map`` under pandas 3 makes strings a ``str`` column, None there NaN, and does
    not find None among a dict's keys).
    """
    array = values.to_numpy(dtype=object)
    missing = pd.isna(array)
    codes, uniques = pd.factorize(array[~missing])
    per_unique = np.empty(len(uniques), dtype=object)
    per_unique[:] = [function(value) for value in uniques]
    result = np.empty(len(array), dtype=object)
    result[~missing] = per_unique[codes]
    if missing.any():
        none = missing & np.equal(array, None)
        if none.any():
            result[none] = function(None)
        for position in (missing & ~none).nonzero()[0]:  # NaN and kin: none in an export
            result[position] = function(array[position])
    return pd.Series(result, index=values.index, dtype="object")


LOCAL_TIME = "Europe/Helsinki"


def _parse_times(values: pd.Series, fmt: str | None) -> pd.Series:
    """Submission times as naive Finnish local time.

    With a format from the mapping, exactly that format. Without one, ISO 8601 first (so
    2024-09-03 is never read as 9 March), then day-first dates as Finnish exports write them.
    Times with a UTC offset are converted to Finnish time before the offset is dropped.
    """
    if fmt:
        return _local(pd.to_datetime(values, format=fmt, errors="coerce"))
    iso = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    offsets = values.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True, na=False)
    times = iso.dt.tz_convert(LOCAL_TIME).dt.tz_localize(None).where(offsets)
    naive = pd.to_datetime(values.where(~offsets), format="ISO8601", errors="coerce")
    times = times.fillna(naive)
    rest = times.isna() & (values != "")
    if rest.any():
        times[rest] = pd.to_datetime(values[rest], format="mixed", dayfirst=True, errors="coerce")
    return times.astype("datetime64[ns]")


def _local(times: pd.Series) -> pd.Series:
    if getattr(times.dt, "tz", None) is not None:
        return times.dt.tz_convert(LOCAL_TIME).dt.tz_localize(None)
    return times


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
        table[""] = None
        coded = _per_value(raw, table.__getitem__)
        empty = (raw == "").to_numpy()
        unknown = ~empty & coded.isna().to_numpy()
        if unknown.any():
            first_problem = unknown & (problem == "").to_numpy()
            problem[first_problem] = column + " = " + raw[first_problem].map(repr)
        statuses[item_id] = np.select(
            [empty, (coded == DONT_KNOW).to_numpy()],
            [STATUS_NO_ANSWER, STATUS_DONT_KNOW],
            STATUS_ANSWERED,
        )
        codes[item_id] = coded.where(coded != DONT_KNOW, None)
    return codes, statuses, problem


def _scores(codes: pd.Series) -> pd.Series:
    """Numeric value of scale codes (1–5), NaN for anything else; one conversion per value."""

    def score(value: object) -> float:
        try:
            return float(value)
        except (TypeError, ValueError):
            return np.nan

    return _per_value(codes, score).astype(float)


def _first_of_equal_rows(
    frame: pd.DataFrame, columns: list[str], among: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """For rows in ``among``: the source row of the first row with equal ``columns``, and
    whether this row repeats an earlier one.

    Rows are grouped by a 64-bit hash of their cells (fast on large exports); every repeat is
    then compared cell by cell with its first row, so a hash collision cannot reject a row.
    """
    first_row = frame[ROW].copy()
    repeated = pd.Series(False, index=frame.index)
    if len(among) == 0 or not columns:
        return first_row, repeated
    subset = frame.loc[among, columns].astype(str)
    keys = pd.util.hash_pandas_object(subset, index=False)
    first_index = pd.Series(subset.index, index=subset.index).groupby(keys).transform("min")
    candidates = first_index[first_index != first_index.index]
    if len(candidates):
        same = (
            subset.loc[candidates.index].to_numpy() == subset.loc[candidates.to_numpy()].to_numpy()
        ).all(axis=1)
        confirmed = candidates[same]
        repeated.loc[confirmed.index] = True
        first_row.loc[confirmed.index] = frame.loc[confirmed.to_numpy(), ROW].to_numpy()
    return first_row, repeated


def _complete(read: ExportRead, mapping: ExportMapping) -> pd.Series:
    status = mapping.status
    values = _text(read.frame, status.get("column"))
    if not status:
        return pd.Series(True, index=read.frame.index)
    if status.get("complete_when") == "not_empty":
        return values != ""
    accepted = {normalise_label(v) for v in status.get("complete", [])}
    return _per_value(values, normalise_label).isin(accepted)


def _reject(
    reasons: pd.DataFrame,
    mask: pd.Series,
    key: str,
    details: Callable[[pd.Series], pd.Series] | str,
) -> None:
    """Give rows in ``mask`` that have no reason yet the reason ``key`` (first rule wins).

    ``details`` is text, or a function that writes it for just the rows given (on a large
    export, formatting every row's detail would cost more than the rule itself).
    """
    todo = mask & (reasons["reason"] == "")
    if not todo.any():
        return
    reasons.loc[todo, "reason"] = key
    reasons.loc[todo, "detail"] = details if isinstance(details, str) else details(todo)


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
    is_test = _per_value(organisation, lambda v: bool(test_rule.search(v))) | _per_value(
        comment, lambda v: bool(test_rule.search(v)) and len(v) < 20
    )
    _reject(reasons, is_test, "test", lambda rows: "organisation " + organisation[rows].map(repr))
    _reject(reasons, ~_complete(read, mapping), "incomplete", "not completed")
    submitted_text = _text(frame, mapping.submitted_column)
    _reject(reasons, submitted.isna(), "unreadable_time", lambda rows: submitted_text[rows])
    outside = (submitted < rules.fieldwork_start) | (submitted > rules.fieldwork_end)
    _reject(reasons, outside, "outside_window", lambda rows: submitted[rows].astype(str))

    mapped_columns = [c for c in mapping.columns() if c in frame.columns]
    first_row, exact = _first_of_equal_rows(frame, mapped_columns, frame.index)
    _reject(
        reasons,
        exact,
        "duplicate_row",
        lambda rows: "identical to row " + first_row[rows].astype(str),
    )

    alias_table = {
        normalise_label(a): k
        for a, k in zip(aliases["alias"], aliases["organisation_key"], strict=True)
    }
    organisation_key = _per_value(organisation, lambda v: alias_table.get(normalise_label(v)))
    _reject(
        reasons,
        organisation_key.isna(),
        "unknown_organisation",
        lambda rows: organisation[rows].map(repr),
    )
    _reject(reasons, problem != "", "unknown_value", lambda rows: problem[rows])
    required = [i for i in codebook.items.values() if i.required and i.id in codes]
    for item in required:
        _reject(reasons, codes[item.id].isna(), "missing_required", mapping.items[item.id])

    # Among valid rows, a respondent id seen again keeps only its latest submission: an
    # invalid resubmission must not take the place of a valid earlier one.
    alive = reasons["reason"] == ""
    order = submitted.where(alive).rank(method="first")
    latest = order.groupby(respondent_id).transform("max")
    superseded = alive & (respondent_id != "") & (order < latest)
    kept_row = frame[ROW].where(order == latest).groupby(respondent_id).transform("max")
    _reject(
        reasons,
        superseded,
        "superseded",
        lambda rows: "kept row " + kept_row[rows].astype("Int64").astype(str),
    )

    alive = reasons["reason"] == ""
    # Duration and language may differ between two submissions of the same answers.
    answer_columns = set(mapping.items.values()) | {mapping.submitted_column}
    for spec in mapping.countries.values():
        answer_columns |= {*spec.get("options", {}), spec.get("other")}
    answers_only = [c for c in mapped_columns if c in answer_columns]
    first_twin, twin = _first_of_equal_rows(frame, answers_only, frame.index[alive])
    _reject(
        reasons,
        twin,
        "duplicate_submission",
        lambda rows: "same answers and time as row " + first_twin[rows].astype(str),
    )

    kept = reasons["reason"] == ""
    respondent_key = (
        read.path.stem + "#" + respondent_id.where(respondent_id != "", frame[ROW].astype(str))
    )
    duration = pd.to_numeric(_text(frame, mapping.duration_column), errors="coerce")
    language = _text(frame, mapping.language_column)
    language = _per_value(language, lambda v: mapping.language_values.get(v, v) or None)

    likert_ids = [
        i.id
        for i in codebook.items.values()
        if i.block in ("threats", "opportunities") and i.id in codes
    ]
    likert = pd.DataFrame({i: _scores(codes[i]) for i in likert_ids})
    answered = likert.notna().sum(axis=1)
    same_everywhere = likert.max(axis=1) == likert.min(axis=1)
    straight = (answered >= rules.straightliner_min_items) & same_everywhere

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
                    "code": _per_value(coded, lambda v: None if v is None else str(v)),
                    "status": statuses[item_id],
                }
            )[kept]
        )
    answers = pd.concat(long_parts, ignore_index=True) if long_parts else pd.DataFrame()
    answers["score"] = _scores(answers["code"]).astype("Int64")

    country_rows = []
    for item_id, spec in mapping.countries.items():
        checked = str(spec.get("checked", "1"))
        for column, label in spec.get("options", {}).items():
            hit = kept & (_text(frame, column) == checked)
            country_rows += [(k, item_id, label, "option") for k in respondent_key[hit]]
        other = _text(frame, spec.get("other"))
        split = {text: countries.split_mentions(text) for text in other[kept].unique() if text}
        for key, text in zip(
            respondent_key[kept & (other != "")], other[kept & (other != "")], strict=True
        ):
            country_rows += [(key, item_id, part, "other") for part in split[text]]
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
