"""The screening step as the notebook calls it: read lists and decisions, screen, write."""

from __future__ import annotations

import yaml
from pandera import Check

from analysis.files.paths import resolve
from analysis.files.schemas import INTERNAL, PUBLISHABLE, col, count, iso2, table, text
from analysis.files.tables import read_table, write_table
from analysis.reference.countries import CountryResolver
from analysis.screening.match import ScreeningResult, read_decisions, screen
from analysis.sources.screening_lists import read_lists

_CANDIDATE_COLUMNS = {
    "institution_id": text("OpenAlex id of the partner institution"),
    "institution_name": text("its name in OpenAlex"),
    "iso2": col(str, "its country, ISO 3166-1 alpha-2 code", nullable=True, labels="country"),
    "list": text("the screening list matched (config/screening.yaml)"),
    "entity_id": text("the listed entity's id in the list"),
    "listed_name": text("the name as listed"),
    "listed_country": text("the country as listed", nullable=True),
    "score": col(float, "name similarity, 0–100", Check.in_range(0, 100)),
    "method": text("how the names matched (exact, alias, fuzzy, acronym ...)"),
    "reason": text("why it is a candidate, in words"),
    "decision": text(
        "pending, confirmed or rejected (decisions.csv)",
        Check.isin(["pending", "confirmed", "rejected"]),
    ),
    "reviewer": text("who decided", nullable=True),
    "note": text("the reviewer's note", nullable=True),
}
CANDIDATES = table(
    "screening_candidates",
    "Every partner institution matching an entry of a screening list, with the match and the "
    "reviewers' decision. Unreviewed matches and reviewers' names: internal.",
    INTERNAL,
    _CANDIDATE_COLUMNS,
    unique=["institution_id", "list", "entity_id"],
)
REVIEW_QUEUE = table(
    "screening_review_queue",
    "The candidates still pending, for reviewers to decide and copy into decisions.csv.",
    INTERNAL,
    _CANDIDATE_COLUMNS,
    unique=["institution_id", "list", "entity_id"],
)
BY_COUNTRY = table(
    "screening_by_country",
    "Per country: partner institutions confirmed on a screening list and pending review.",
    PUBLISHABLE,
    {
        "iso2": iso2("country, ISO 3166-1 alpha-2 code", unique=True),
        "institutions_confirmed": count("institutions confirmed as listed"),
        "institutions_pending": count("institutions matched, not yet reviewed"),
    },
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
    write_table(result.queue, processed_dir, "screening_review_queue", REVIEW_QUEUE, csv_copy=True)
    result.by_country = write_table(
        result.by_country, processed_dir, "screening_by_country", BY_COUNTRY
    )
    return result
