"""Country context indicators: academic freedom, EU restrictive measures, memberships (EU,
EEA/EFTA, OECD), association to Horizon Europe, and the share of co-publications in critical
technology areas.

Each indicator keeps its source. Academic freedom is read from the published file (V-Dem's
country-year CSV, or the same series as redistributed by Our World in Data); restrictive
measures, memberships and Horizon Europe association come from dated reference tables in
``config/context/``. Association is read for a date, since countries join at different dates
(the United Kingdom from 2024, Switzerland from 2025).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from analysis.reference.countries import CountryResolver

VDEM_COLUMNS = {"country_text_id", "year", "v2xca_academ"}
# Codes in the published files that are not ISO 3166: mapped where the territory has an ISO
# code, left out (and said so in the docstring) where it has none.
SOURCE_CODES = {"OWID_KOS": "XK", "XKX": "XK", "PSE": "PS"}
NOT_ISO = {"SML": "Somaliland", "ZZB": "Zanzibar", "PSG": "Palestine/Gaza"}
OWID_COLUMNS = {"Entity", "Code", "Year"}


class ContextFormatError(ValueError):
    """A context file is in no known layout; the message names the file and its columns."""


def read_academic_freedom(path: Path, countries: CountryResolver) -> pd.DataFrame:
    """The latest Academic Freedom Index value (0–1) per country, with its year.

    V-Dem also scores Somaliland, Zanzibar and Gaza separately; having no ISO code of their
    own they are left out, as are Our World in Data's regional aggregates (OWID_*).
    """
    frame = pd.read_csv(path)
    if set(frame.columns) >= VDEM_COLUMNS:
        table = frame.rename(
            columns={"country_text_id": "code", "v2xca_academ": "academic_freedom"}
        )[["code", "year", "academic_freedom"]]
    elif set(frame.columns) >= OWID_COLUMNS:
        values = [c for c in frame.columns if "academic" in c.lower()]
        if len(values) != 1:
            raise ContextFormatError(
                f"{path.name}: expected one academic freedom column, found {values}"
            )
        table = frame.rename(
            columns={"Code": "code", "Year": "year", values[0]: "academic_freedom"}
        )[["code", "year", "academic_freedom"]]
    else:
        raise ContextFormatError(
            f"{path.name}: neither V-Dem ({sorted(VDEM_COLUMNS)}) nor Our World in Data "
            f"({sorted(OWID_COLUMNS)} + value) columns; found {list(frame.columns)}"
        )
    table = table.dropna(subset=["code", "academic_freedom"])
    table["code"] = table["code"].astype(str).str.strip().replace(SOURCE_CODES)
    aggregate = table["code"].str.startswith("OWID") | table["code"].isin(NOT_ISO)
    table = table[~aggregate].copy()
    table["iso2"] = table["code"].map(lambda c: countries.codes.get(c.upper()))
    unknown = sorted(set(table.loc[table["iso2"].isna(), "code"]))
    if unknown:
        raise ContextFormatError(f"{path.name}: unknown country codes {unknown} in the code column")
    if not table["academic_freedom"].between(0, 1).all():
        raise ContextFormatError(f"{path.name}: academic freedom values outside 0–1")
    latest = table.sort_values("year").groupby("iso2").tail(1)
    return latest.rename(columns={"year": "academic_freedom_year"})[
        ["iso2", "academic_freedom", "academic_freedom_year"]
    ].reset_index(drop=True)


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContextFormatError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def horizon_europe_associated(
    members: dict, on: date | str | None = None, countries: list[str] | None = None
) -> set[str]:
    """Of ``countries`` (by default all listed), those associated to Horizon Europe on ``on``
    (by default the table's own date).

    A country counts from its ``since`` date. One without a recorded date was associated on
    the table's date; asked about an earlier date the table cannot tell, and says so.
    """
    table = members.get("horizon_europe_associated")
    if not table or not isinstance(table.get("countries"), dict):
        raise ContextFormatError(
            "memberships.yaml: no horizon_europe_associated.countries table (code: {since: date})"
        )
    entries = table["countries"]
    odd = [c for c in entries if not (isinstance(c, str) and len(c) == 2)]
    if odd:  # e.g. an unquoted NO, which YAML reads as false
        raise ContextFormatError(
            f"memberships.yaml: horizon_europe_associated has non-codes {odd}: quote them"
        )
    both = sorted(set(entries) & set(members["eu"]["members"]))
    if both:
        raise ContextFormatError(
            f"memberships.yaml: {both} are EU member states, which are members of Horizon "
            "Europe, not associated countries"
        )
    as_of = _as_date(table.get("as_of", members.get("as_of")), "memberships.yaml: as_of")
    on = as_of if on is None else _as_date(on, "the date asked for")
    since = {
        code: _as_date(entry["since"], f"memberships.yaml: {code} since")
        for code, entry in entries.items()
        if isinstance(entry, dict) and entry.get("since") is not None
    }
    asked = set(entries) if countries is None else set(countries)
    undated = sorted((set(entries) - set(since)) & asked)
    if on < as_of and undated:
        raise ContextFormatError(
            f"memberships.yaml: Horizon Europe association is recorded as of {as_of}; without "
            f"a 'since' date for {undated} it cannot tell association on {on}"
        )
    return {code for code in entries if code in asked and since.get(code, as_of) <= on}


def reference_flags(
    countries: list[str], context_dir: Path, on: date | str | None = None
) -> pd.DataFrame:
    """EU restrictive measures, memberships and Horizon Europe association for each country,
    from the dated tables; association as of ``on`` (by default the table's date)."""
    measures = yaml.safe_load(
        (context_dir / "eu_restrictive_measures.yaml").read_text(encoding="utf-8")
    )
    members = yaml.safe_load((context_dir / "memberships.yaml").read_text(encoding="utf-8"))
    listed = set(measures["countries"])
    for group in ("eu", "eea_efta", "oecd"):
        odd = [m for m in members[group]["members"] if not (isinstance(m, str) and len(m) == 2)]
        if odd:  # e.g. an unquoted NO, which YAML reads as false
            raise ContextFormatError(f"memberships.yaml: {group} has non-codes {odd}: quote them")
    odd = [c for c in listed if not (isinstance(c, str) and len(c) == 2)]
    if odd:
        raise ContextFormatError(f"eu_restrictive_measures.yaml: non-codes {odd}: quote them")
    associated = horizon_europe_associated(members, on, countries)
    return pd.DataFrame(
        {
            "iso2": countries,
            "eu_restrictive_measures": [c in listed for c in countries],
            "eu_member": [c in members["eu"]["members"] for c in countries],
            "eea_efta_member": [c in members["eea_efta"]["members"] for c in countries],
            "oecd_member": [c in members["oecd"]["members"] for c in countries],
            "horizon_europe_associated": [c in associated for c in countries],
        }
    )


def critical_subfields(mapping_path: Path) -> list[int]:
    """Every OpenAlex subfield id the mapping assigns to a critical technology area, once."""
    mapping = yaml.safe_load(mapping_path.read_text(encoding="utf-8"))
    return sorted({int(s) for area in mapping["areas"].values() for s in area["subfields"]})


def recent_critical_share(by_year: pd.DataFrame, years: int = 5) -> pd.DataFrame:
    """Each partner's share of co-publications in critical technology areas over the latest
    ``years`` years of ``openalex_critical_by_partner_year``: the critical co-publications of
    those years over all co-publications of those years (a pooled share, not a mean of the
    yearly shares). The years are the same for every partner: the table's latest and the
    ``years - 1`` before it."""
    if by_year.empty:
        return pd.DataFrame(
            {"iso2": pd.Series(dtype=str), "critical_share": pd.Series(dtype=float)}
        )
    recent = by_year[by_year["year"] > by_year["year"].max() - years]
    sums = recent.groupby("partner_country")[["critical_copublications", "copublications"]].sum()
    share = (sums["critical_copublications"] / sums["copublications"]).rename("critical_share")
    return share.rename_axis("iso2").reset_index()


def critical_share(subfields: pd.DataFrame, mapping_path: Path) -> pd.DataFrame:
    """Share of each partner's co-publications in subfields mapped to critical technologies."""
    critical = set(critical_subfields(mapping_path))
    table = subfields.assign(critical=subfields["field_id"].isin(critical))
    totals = table.groupby("iso2")["works"].sum()
    in_critical = table[table["critical"]].groupby("iso2")["works"].sum()
    share = (in_critical.reindex(totals.index, fill_value=0) / totals).rename("critical_share")
    return share.reset_index()
