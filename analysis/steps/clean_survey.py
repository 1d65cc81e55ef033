"""The survey cleaning step as the notebook calls it: read, clean, validate, write."""

from __future__ import annotations

from datetime import datetime, time

from analysis.files.paths import resolve
from analysis.files.tables import write_table
from analysis.reference.countries import CountryResolver
from analysis.survey import schemas
from analysis.survey.clean import CleaningRules, CleanSurvey, clean_folder
from analysis.survey.codebook import load_codebook


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
        result.respondents, processed_dir, "survey_respondents", schemas.RESPONDENTS
    )
    result.answers = write_table(result.answers, processed_dir, "survey_answers", schemas.ANSWERS)
    result.countries = write_table(
        result.countries, processed_dir, "survey_countries", schemas.COUNTRIES
    )
    result.rejects = write_table(
        result.rejects, processed_dir, "survey_rejects", schemas.REJECTS, csv_copy=True
    )
    result.accounting = write_table(
        result.accounting, processed_dir, "survey_accounting", schemas.ACCOUNTING, csv_copy=True
    )
    write_table(result.reads, processed_dir, "survey_reads", schemas.READS, csv_copy=True)
    write_table(
        result.unmapped_countries,
        processed_dir,
        "survey_unmapped_countries",
        schemas.UNMAPPED_COUNTRIES,
        csv_copy=True,
    )
    return result
