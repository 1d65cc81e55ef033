"""Country names and codes from any source to ISO 3166-1 alpha-2.

Names come from pycountry (ISO 3166 in English, and its Finnish and Swedish translations) and
from the project's alias table ``config/country_aliases.yaml`` (everyday names, abbreviations,
misspellings, Kosovo, CORDIS codes). A name neither knows is never guessed: callers get it
back as unmapped, with where it came from, and decide whether that is an error.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import pycountry
import yaml

LANGUAGES = ("fi", "sv")
_HARD_SEPARATORS = re.compile(r"\s*(?:[;/\n]|\bja\b|\boch\b|\band\b|&)\s*", re.IGNORECASE)


class UnmappedCountryError(ValueError):
    """Raised with every unmapped value and where it came from."""

    def __init__(self, unmapped: pd.DataFrame):
        self.unmapped = unmapped
        lines = [
            f"  {row.value!r} ({row.count} times) in {row.source}"
            for row in unmapped.itertuples(index=False)
        ]
        super().__init__(
            f"{len(unmapped)} country names could not be mapped to ISO 3166 codes; add them to "
            "config/country_aliases.yaml if they are countries:\n" + "\n".join(lines)
        )


def normalise_country(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    value = value.replace("\u2019", "'")
    value = re.sub(r"\s+", " ", value)
    return value.strip(" .")


@dataclass(frozen=True)
class CountryResolver:
    """Look up ISO alpha-2 codes by any known name or code."""

    alias_path: Path

    @cached_property
    def _config(self) -> dict:
        return yaml.safe_load(self.alias_path.read_text(encoding="utf-8"))

    @cached_property
    def lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        translations = {
            lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            for lang in LANGUAGES
        }
        for country in pycountry.countries:
            code = country.alpha_2
            names = {country.name, getattr(country, "official_name", None)}
            names.add(getattr(country, "common_name", None))
            names.discard(None)
            for name in list(names):
                for translation in translations.values():
                    names.add(translation.gettext(name))
            for name in names:
                table.setdefault(normalise_country(name), code)
        for code, labels in self._config.get("extra_territories", {}).items():
            for key, label in labels.items():
                if key != "alpha3":
                    table[normalise_country(label)] = code
        for code, aliases in self._config.get("aliases", {}).items():
            for alias in aliases:
                # The project's table wins over ISO translations where both claim a name.
                table[normalise_country(alias)] = code
        return table

    @cached_property
    def codes(self) -> dict[str, str]:
        """Upper-case alpha-2 and alpha-3 codes; matched case-sensitively ("no" is not Norway)."""
        table = {c.alpha_2: c.alpha_2 for c in pycountry.countries}
        table.update({c.alpha_3: c.alpha_2 for c in pycountry.countries})
        for code, labels in self._config.get("extra_territories", {}).items():
            table[code] = code
            if labels.get("alpha3"):
                table[labels["alpha3"]] = code
        return table

    @cached_property
    def cordis_codes(self) -> dict[str, str]:
        return dict(self._config.get("cordis_codes", {}))

    def code(self, name: object) -> str | None:
        if name is None or (isinstance(name, float) and pd.isna(name)):
            return None
        text = str(name).strip()
        if text in self.codes:
            return self.codes[text]
        return self.lookup.get(normalise_country(text))

    def from_cordis(self, code: str) -> str | None:
        code = str(code).strip().upper()
        return self.cordis_codes.get(code) or self.codes.get(code)

    def name(self, code: str, lang: str = "en") -> str:
        """A short display name in ``lang`` (en, fi, sv)."""
        display = self._config.get("display", {}).get(lang, {})
        if code in display:
            return display[code]
        extra = self._config.get("extra_territories", {}).get(code)
        if extra:
            return extra.get(lang, extra["en"])
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return code
        name = getattr(country, "common_name", None) or country.name
        if lang == "en":
            return name
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(
            country.name
        )

    def split_mentions(self, text: str) -> list[str]:
        """Split a free-text list of countries ("Kiina, Korea, Rep.; Iran ja Intia").

        Commas also occur inside names ("Korea, Rep."), so comma-separated pieces are joined
        back when together they make a known name.
        """
        pieces: list[str] = []
        for chunk in _HARD_SEPARATORS.split(text):
            parts = [p.strip() for p in chunk.split(",")]
            index = 0
            while index < len(parts):
                if index + 1 < len(parts) and self.code(f"{parts[index]}, {parts[index + 1]}"):
                    pieces.append(f"{parts[index]}, {parts[index + 1]}")
                    index += 2
                else:
                    pieces.append(parts[index])
                    index += 1
        return [p for p in pieces if p]

    def harmonise(
        self, values: Iterable[object], source: str, *, strict: bool = True
    ) -> tuple[list[str | None], pd.DataFrame]:
        """Codes for ``values``; unmapped names are listed (and raised when ``strict``)."""
        values = list(values)
        known: dict[object, str | None] = {}
        codes = []
        for value in values:  # exports repeat the same names: look each one up once
            key = value if isinstance(value, str) else repr(value)
            if key not in known:
                known[key] = self.code(value)
            codes.append(known[key])
        missing = [
            str(v)
            for v, c in zip(values, codes, strict=True)
            if c is None and v is not None and str(v).strip()
        ]
        unmapped = (
            pd.Series(missing, dtype="object")
            .value_counts()
            .rename_axis("value")
            .reset_index(name="count")
            .assign(source=source)
        )
        if strict and len(unmapped):
            raise UnmappedCountryError(unmapped)
        return codes, unmapped
