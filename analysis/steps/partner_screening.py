"""The screening step as the notebook calls it: read lists and decisions, screen, write."""

from __future__ import annotations

import pandera.pandas as pa
import yaml
from pandera import Check, Column

from analysis.files.paths import resolve
from analysis.files.tables import read_table, write_table
from analysis.reference.countries import CountryResolver
from analysis.screening.match import ScreeningResult, read_decisions, screen
from analysis.sources.screening_lists import read_lists

CANDIDATES = pa.DataFrameSchema(
    {
        "institution_id": Column(str),
        "institution_name": Column(str),
        "iso2": Column(str, nullable=True),
        "list": Column(str),
        "entity_id": Column(str),
        "listed_name": Column(str),
        "listed_country": Column(str, nullable=True),
        "score": Column(float, Check.in_range(0, 100)),
        "method": Column(str),
        "reason": Column(str),
        "decision": Column(str, Check.isin(["pending", "confirmed", "rejected"])),
        "reviewer": Column(str, nullable=True),
        "note": Column(str, nullable=True),
    },
    unique=["institution_id", "list", "entity_id"],
    strict=True,
    coerce=True,
)
BY_COUNTRY = pa.DataFrameSchema(
    {
        "iso2": Column(str, Check.str_matches(r"^[A-Z]{2}$"), unique=True),
        "institutions_confirmed": Column(int, Check.ge(0)),
        "institutions_pending": Column(int, Check.ge(0)),
    },
    strict=True,
    coerce=True,
)


def partner_screening(
    raw_dir: str, processed_dir: str, screening_config: str, country_aliases: str
) -> ScreeningResult:
    settings = yaml.safe_load(resolve(screening_config).read_text(encoding="utf-8"))
    folder = resolve(raw_dir) / "screening"
    reference = read_lists(folder, CountryResolver(resolve(country_aliases)))
    decisions = read_decisions(folder / "decisions.csv")
    partners = read_table(processed_dir, "openalex_partner_institutions")
    result = screen(
        partners, reference, decisions, float(settings["threshold"]), settings.get("aliases", [])
    )
    result.candidates = write_table(
        result.candidates, processed_dir, "screening_candidates", CANDIDATES
    )
    # The review queue is for a person: a CSV to open, decide and copy into decisions.csv.
    write_table(result.queue, processed_dir, "screening_review_queue", CANDIDATES, csv_copy=True)
    result.by_country = write_table(
        result.by_country, processed_dir, "screening_by_country", BY_COUNTRY
    )
    return result
