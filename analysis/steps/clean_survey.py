"""The survey cleaning step as the notebook calls it: read, clean, validate, write."""

from __future__ import annotations

from datetime import datetime, time

from pandera import Check

from analysis.files.paths import resolve
from analysis.files.schemas import INTERNAL, col, count, flag, iso2, table, text
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver
from analysis.survey.clean import REASONS, CleaningRules, CleanSurvey
from analysis.survey.codebook import (
    STATUS_ANSWERED,
    STATUS_DONT_KNOW,
    STATUS_NO_ANSWER,
    load_codebook,
)
from analysis.survey.folder import NOT_READ, clean_folder

ORG_TYPES = ["university", "uas", "research_institute", "other"]

_RESPONDENT = "the respondent's key (source file and row), unique across exports"
_SOURCE_FILE = "the survey export the row came from, in <raw_dir>/survey"
_SOURCE_ROW = col("int64", "row number in the export (1 = first data row)", Check.ge(1))

RESPONDENTS = table(
    "survey_respondents",
    "One row per kept survey response: who answered for which organisation, when, how fast, "
    "quality flags and the free-text comment. Respondent-level, with free text.",
    INTERNAL,
    {
        "respondent_key": text(_RESPONDENT, unique=True),
        "source_file": text(_SOURCE_FILE),
        "source_row": _SOURCE_ROW,
        "respondent_id": text("the respondent's id in the survey tool's export"),
        "organisation_key": text("the responding organisation's key (after aliases)"),
        "org_type": col(
            str, "sector of the organisation", Check.isin(ORG_TYPES), labels="org_type"
        ),
        "role": text("the respondent's role, as coded in the codebook", nullable=True),
        "field": text("the respondent's field of science, as coded", nullable=True),
        "language": text("language the questionnaire was answered in (fi, sv, en)", nullable=True),
        "submitted_at": col("datetime64[ns]", "time the response was submitted (local time)"),
        "duration_seconds": col(
            float, "time taken to answer, in seconds", Check.ge(0), nullable=True
        ),
        "flag_speeder": flag("answered faster than speeder_seconds (kept, marked)"),
        "flag_straightliner": flag("gave the same answer to every rated item (kept, marked)"),
        "comment": text("the free-text comment as written (never published)", nullable=True),
    },
)

ANSWERS = table(
    "survey_answers",
    "One row per respondent and rated item (threats, opportunities, preparedness): the answer "
    "code, its status and score. Respondent-level.",
    INTERNAL,
    {
        "respondent_key": text(_RESPONDENT),
        "block": text(
            "questionnaire block of the item",
            Check.isin(["threats", "opportunities", "preparedness"]),
        ),
        "item_id": col(str, "survey item, as in config/codebook.yaml", labels="item"),
        "code": text("answer code of the item's scale; blank unless answered", nullable=True),
        "status": text(
            "answered, dont_know or no_answer",
            Check.isin([STATUS_ANSWERED, STATUS_DONT_KNOW, STATUS_NO_ANSWER]),
        ),
        "score": col(
            "Int64",
            "point on the 1–5 scale; blank for preparedness items and non-answers",
            Check.in_range(1, 5),
            nullable=True,
        ),
    },
    checks=[
        Check(
            lambda df: (df["status"] == STATUS_ANSWERED) == df["code"].notna(),
            error="a code is present exactly when the status is 'answered'",
        ),
    ],
    unique=["respondent_key", "item_id"],
)

COUNTRIES = table(
    "survey_countries",
    "One row per country a respondent named as a concern or an opportunity, with the text as "
    "written and the ISO code it was resolved to. Respondent-level, with free text.",
    INTERNAL,
    {
        "respondent_key": text(_RESPONDENT),
        "item_id": col(
            str,
            "the question: concern_countries or opportunity_countries",
            Check.isin(["concern_countries", "opportunity_countries"]),
            labels="item",
        ),
        "mention": text("the country as the respondent chose or wrote it"),
        "answered_as": text(
            "option = ticked from the list; other = written in", Check.isin(["option", "other"])
        ),
        "iso2": iso2("the country named; blank if it could not be resolved", nullable=True),
    },
)

REJECTS = table(
    "survey_rejects",
    "One row per export row not kept, with the reason (row accounting). Names source rows.",
    INTERNAL,
    {
        "source_file": text(_SOURCE_FILE),
        "source_row": col("int64", "row number in the export (1 = first data row)"),
        "respondent_id": text("the respondent's id in the export, as read"),
        "reason_code": text("why the row was rejected (a key)", Check.isin(list(REASONS))),
        "reason": text("why the row was rejected, in words"),
        "detail": text("the values that made it fail"),
    },
    unique=["source_file", "source_row"],
)

ACCOUNTING = table(
    "survey_accounting",
    "One row per survey export: rows read, kept and rejected (rows read = kept + rejected). "
    "Unprotected counts per raw file.",
    INTERNAL,
    {
        "source_file": text(_SOURCE_FILE, unique=True),
        "rows_read": count("data rows read from the export"),
        "kept": count("rows kept as responses"),
        "rejected": count("rows rejected (see survey_rejects)"),
        **{f"rejected_{code}": count(f"of rejected: {reason}") for code, reason in REASONS.items()},
        "flagged_speeder": count("of kept: flagged as speeders (faster than speeder_seconds)"),
        "flagged_straightliner": count("of kept: flagged as straightliners"),
    },
    checks=[
        Check(
            lambda df: df["rows_read"] == df["kept"] + df["rejected"],
            error="every raw row must be kept or rejected",
        ),
    ],
    strict=False,
)

READS = table(
    "survey_reads",
    "One row per file in the survey folder: how it was read (format, encoding, header rows) or "
    "why it was not. Raw file details.",
    INTERNAL,
    {
        "file": text("file name in <raw_dir>/survey", unique=True),
        "format": text("csv, xlsx, sav; blank if not read", Check.isin(["csv", "xlsx", "sav", ""])),
        "encoding": text("text encoding detected (CSV)"),
        "delimiter": text("field delimiter detected (CSV)"),
        "header_rows": count("heading rows above the data (0 if not read)"),
        "rows": count("data rows read"),
        "blank_rows": count("blank rows skipped"),
        "rejected_on_read": count("rows that could not be read as a record"),
        "status": text("read or not_read", Check.isin(["read", "not_read"])),
        "reason": text("why the file was not read; blank if read", Check.isin(["", *NOT_READ])),
    },
    checks=[
        Check(
            lambda df: (df["status"] == "read") == (df["header_rows"] >= 1),
            error="a file read has a header; a file not read has a reason",
        ),
    ],
)

UNMAPPED_COUNTRIES = table(
    "survey_unmapped_countries",
    "Country answers that resolved to no ISO code, with how often each was given: free text to "
    "add to config/country_aliases.yaml.",
    INTERNAL,
    {
        "value": text("the answer as written"),
        "count": count("times it was given", minimum=1),
        "source": text("where it was found (export and question)"),
    },
)


def clean_survey(
    raw_dir: str,
    processed_dir: str,
    codebook: str,
    country_aliases: str,
    fieldwork_start: str,
    fieldwork_end: str,
    speeder_seconds: float,
) -> CleanSurvey:
    """Clean every mapped export under ``<raw_dir>/survey`` and write the processed tables."""
    rules = CleaningRules(
        fieldwork_start=datetime.combine(datetime.fromisoformat(fieldwork_start).date(), time.min),
        fieldwork_end=datetime.combine(datetime.fromisoformat(fieldwork_end).date(), time.max),
        speeder_seconds=float(speeder_seconds),
    )
    result = clean_folder(
        resolve(raw_dir) / "survey",
        load_codebook(resolve(codebook)),
        CountryResolver(resolve(country_aliases)),
        rules,
    )
    result.respondents = write_table(
        result.respondents, processed_dir, "survey_respondents", RESPONDENTS
    )
    result.answers = write_table(result.answers, processed_dir, "survey_answers", ANSWERS)
    result.countries = write_table(result.countries, processed_dir, "survey_countries", COUNTRIES)
    result.rejects = write_table(
        result.rejects, processed_dir, "survey_rejects", REJECTS, csv_copy=True
    )
    result.accounting = write_table(
        result.accounting, processed_dir, "survey_accounting", ACCOUNTING, csv_copy=True
    )
    write_table(result.reads, processed_dir, "survey_reads", READS, csv_copy=True)
    write_table(
        result.unmapped_countries,
        processed_dir,
        "survey_unmapped_countries",
        UNMAPPED_COUNTRIES,
        csv_copy=True,
    )
    return result
