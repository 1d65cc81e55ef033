"""A survey folder cleaned as one: every export with a mapping file, stacked, keys unique."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.reference.countries import CountryResolver
from analysis.sources.exports import read_export
from analysis.survey.clean import CleaningRules, CleanSurvey, clean_export
from analysis.survey.codebook import Codebook
from analysis.survey.mapping import find_mappings


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
    aliases_path = folder / "organisation_aliases.csv"
    if not aliases_path.is_file():
        raise FileNotFoundError(f"{aliases_path} is missing: it maps organisation names to keys")
    aliases = pd.read_csv(aliases_path, dtype=str, keep_default_na=False)
    parts = []
    for mapping in find_mappings(folder):
        read = read_export(mapping.export, mapping.spec.get("header_rows"))
        parts.append(clean_export(read, mapping, codebook, aliases, countries, rules))
    return combine(parts)
