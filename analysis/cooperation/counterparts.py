"""Finnish counterpart institutions of one partner: who in Finland co-publishes with it.

The partner's works with a Finnish institution, grouped by the co-authors' institutions, count
each institution once per work; the groups include the partner itself (every work has it) and
co-authors of other countries, so only the groups whose details say Finland are kept. A group
without details (beyond the details asked for) is counted as such, never guessed Finnish.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.sources.labels import normalise_label

HOME = "FI"
COLUMNS = ["institution_id", "ror", "name", "organisation_key", "works", "given"]


@dataclass(frozen=True)
class CounterpartCount:
    """How the list was drawn: groups read, Finnish ones kept, groups without details."""

    groups: int
    finnish: int
    without_details: int


def alias_table(aliases: pd.DataFrame | None) -> dict[str, str]:
    """``normalised alias → organisation_key`` from the organisation alias table."""
    if aliases is None or aliases.empty:
        return {}
    return {
        normalise_label(alias): str(key)
        for alias, key in zip(aliases["alias"], aliases["organisation_key"], strict=True)
        if str(alias).strip() and str(key).strip()
    }


def finnish_counterparts(
    groups: pd.DataFrame,
    details: pd.DataFrame,
    *,
    aliases: dict[str, str] | None = None,
    ror_names: dict[str, tuple[str, list[str]]] | None = None,
    given: tuple[str | None, str | None] = (None, None),
) -> tuple[pd.DataFrame, CounterpartCount]:
    """The Finnish groups of a ``group_by`` answer, most co-publications first.

    ``groups``: ``key, key_display_name, count`` (bare keys); ``details``: ``id,
    display_name, ror, country_code`` of the institutions. ``ror_names``: ``ROR id → (name
    to show, every name)`` for the organisations in the ROR data; the name shown is that one,
    else OpenAlex's display name. ``aliases``: see :func:`alias_table`; an institution any of
    whose names is an alias gets its ``organisation_key``. ``given``: the OpenAlex id and ROR
    id of the Finnish organisation the brief is for (``--institution``), marked ``given``.
    """
    aliases, ror_names = aliases or {}, ror_names or {}
    table = groups.merge(details, left_on="key", right_on="id", how="left", validate="one_to_one")
    known = table["id"].notna()
    home = table[table["country_code"] == HOME]
    rows = []
    for row in home.itertuples(index=False):
        ror = row.ror if isinstance(row.ror, str) and row.ror else None
        shown, names = ror_names.get(ror, (None, [])) if ror else (None, [])
        display = row.display_name if isinstance(row.display_name, str) else ""
        name = shown or display or str(row.key_display_name)
        candidates = [name, display, str(row.key_display_name), *names]
        key = next((aliases[n] for n in map(normalise_label, candidates) if n in aliases), "")
        rows.append(
            {
                "institution_id": row.key,
                "ror": ror,
                "name": name,
                "organisation_key": key,
                "works": int(row.count),
                "given": bool((given[0] and row.key == given[0]) or (given[1] and ror == given[1])),
            }
        )
    result = pd.DataFrame(rows, columns=COLUMNS)
    result = result.sort_values(["works", "name"], ascending=[False, True], ignore_index=True)
    result["works"] = result["works"].astype("int64")
    result["given"] = result["given"].astype(bool)
    return result, CounterpartCount(len(table), len(result), int((~known).sum()))
