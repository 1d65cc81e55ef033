"""Partner screening: partner institutions against reference lists, with a person deciding.

Candidates come from identifiers first (ROR, OpenAlex id), then from names: normalised tokens
compared with rapidfuzz's token-sort ratio, which counts every token, so "University of X"
scores low against "University of X of Technology". Abbreviations are written out first
(:mod:`analysis.screening.abbreviations`: "Natl. Univ." is national university) in every
reading of an ambiguous one. Acronyms match only acronyms: one listed beside a name (in
parentheses or after a dash) or given as a short name, against a partner written as the
acronym or with it beside its name; never a word inside a name, and never one of two letters,
which is too common to point at one institution. Where both sides name a country and they
differ, it is not a candidate. Each candidate carries its ``reason``: the identifier, the
abbreviations written out, the acronym or the alias through which it was found. Candidates at or above the
threshold go to a review queue; a person records "confirmed" or "rejected" in the decisions
file, which the next run reads. Only confirmed matches are ever counted as matches.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from analysis.screening.names import (
    ACRONYM_SHAPE,
    acronyms,
    is_place_code,
    name_variants,
    normalise_name,
    tokens_correspond,
)
from analysis.sources.openalex import normalise_key

DECISIONS = ("confirmed", "rejected")
KEY = ["institution_id", "list", "entity_id"]


@dataclass
class ScreeningResult:
    candidates: pd.DataFrame  # every candidate at or above the threshold, with its decision
    queue: pd.DataFrame  # candidates without a decision: for a person to review
    confirmed: pd.DataFrame
    by_country: pd.DataFrame  # counts only: institutions with confirmed matches, pending


COLUMNS = [
    "institution_id",
    "institution_name",
    "iso2",
    "list",
    "entity_id",
    "listed_name",
    "listed_country",
    "score",
    "method",
    "reason",
]
MIN_ACRONYM = 3  # characters an acronym needs to be matched on its own


def _standard(partners: pd.DataFrame, listed: pd.DataFrame, score, method, reason) -> pd.DataFrame:
    """Pair rows of ``partners`` with rows of ``listed`` (same length) in the standard columns."""
    return pd.DataFrame(
        {
            "institution_id": partners["institution_id"].to_numpy(),
            "institution_name": partners["name"].to_numpy(),
            "iso2": partners["iso2"].to_numpy(),
            "list": listed["list"].to_numpy(),
            "entity_id": listed["entity_id"].to_numpy(),
            "listed_name": listed["name"].to_numpy(),
            "listed_country": listed["country"].to_numpy(),
            "score": score,
            "method": method,
            "reason": reason,
        },
        columns=COLUMNS,
    )


def normalise_identifier(value: object, kind: str) -> str | None:
    """ROR ids with or without https://ror.org/; OpenAlex ids bare or as full URLs."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return None
    text = str(value).strip()
    if kind == "ror":
        return text.lower().removeprefix("https://ror.org/").removeprefix("ror.org/")
    return normalise_key(text).upper()


def _identifier_candidates(partners: pd.DataFrame, reference: pd.DataFrame) -> list[pd.DataFrame]:
    found = []
    partners = partners.assign(
        ror=partners["ror"].map(lambda v: normalise_identifier(v, "ror")),
        institution_id=partners["institution_id"].map(
            lambda v: normalise_identifier(v, "openalex")
        ),
    )
    reference = reference.assign(
        ror=reference["ror"].map(lambda v: normalise_identifier(v, "ror")),
        openalex_id=reference["openalex_id"].map(lambda v: normalise_identifier(v, "openalex")),
    )
    for column, partner_column, label in (
        ("ror", "ror", "ROR id"),
        ("openalex_id", "institution_id", "OpenAlex id"),
    ):
        listed = reference[reference[column].notna() & (reference[column] != "")]
        for _, row in listed.iterrows():
            hits = partners[partners[partner_column] == row[column]]
            if len(hits):
                found.append(
                    _standard(
                        hits,
                        pd.DataFrame([row] * len(hits)),
                        100.0,
                        f"identifier ({label})",
                        f"same {label} {row[column]}",
                    )
                )
    return found


def _numbers(normalised: str) -> frozenset[str]:
    return frozenset(t for t in normalised.split() if any(ch.isdigit() for ch in t))


def _readings(names: pd.Series) -> tuple[list[int], list[str], list[tuple[str, ...]]]:
    """Every reading of every name: its row, the normalised text, the abbreviations written out."""
    rows, texts, notes = [], [], []
    for row, name in enumerate(names):
        for text, expanded in name_variants(name):
            rows.append(row)
            texts.append(text)
            notes.append(expanded)
    return rows, texts, notes


def _expansion_reason(partner_notes: tuple[str, ...], listed_notes: tuple[str, ...]) -> str:
    parts = []
    if partner_notes:
        parts.append("partner's abbreviations written out: " + ", ".join(partner_notes))
    if listed_notes:
        parts.append("listed abbreviations written out: " + ", ".join(listed_notes))
    return "; ".join(parts) or "names alike after normalisation"


def partner_acronyms(name: str) -> set[str]:
    """Acronyms a partner goes by: one beside its name, or its whole name written as one."""
    found = {a.upper() for a in acronyms(name)}
    whole = str(name).strip()
    if ACRONYM_SHAPE.match(whole) and not is_place_code(whole):
        found.add(whole.upper())
    return {a for a in found if sum(ch.isalnum() for ch in a) >= MIN_ACRONYM}


def _name_candidates(
    partners: pd.DataFrame, reference: pd.DataFrame, threshold: float
) -> list[pd.DataFrame]:
    found = []
    names = reference[reference["name_kind"] != "acronym"].reset_index(drop=True)
    left_rows, left, left_notes = _readings(partners["name"])
    right_rows, right, right_notes = _readings(names["name"])
    if left and right:
        scores = process.cdist(left, right, scorer=fuzz.token_sort_ratio, score_cutoff=threshold)
        rows, columns = scores.nonzero()
        # "Institute No. 201" is not "Institute No. 202": numbers in names must agree.
        numbers_left = [_numbers(n) for n in left]
        numbers_right = [_numbers(n) for n in right]
        same = [
            numbers_left[r] == numbers_right[c] and tokens_correspond(left[r], right[c])
            for r, c in zip(rows, columns, strict=True)
        ]
        rows, columns = rows[same], columns[same]
        pairs = pd.DataFrame(
            {
                "partner": [left_rows[r] for r in rows],
                "listed": [right_rows[c] for c in columns],
                "score": scores[rows, columns].astype(float),
                # Fewer words written out is the plainer reading of the same pair.
                "expanded": [
                    len(left_notes[r]) + len(right_notes[c])
                    for r, c in zip(rows, columns, strict=True)
                ],
                "reason": [
                    _expansion_reason(left_notes[r], right_notes[c])
                    for r, c in zip(rows, columns, strict=True)
                ],
            }
        )
        pairs = (
            pairs.sort_values(["score", "expanded"], ascending=[False, True], kind="stable")
            .drop_duplicates(["partner", "listed"])
            .sort_values(["partner", "listed"])
        )
        listed = names.iloc[pairs["listed"].to_numpy()].reset_index(drop=True)
        found.append(
            _standard(
                partners.iloc[pairs["partner"].to_numpy()].reset_index(drop=True),
                listed,
                pairs["score"].to_numpy(),
                ("name: " + listed["name_kind"]).to_numpy(),
                pairs["reason"].to_numpy(),
            )
        )
    short = reference[reference["name_kind"] == "acronym"]
    own_acronyms = partners["name"].map(partner_acronyms)
    for _, row in short.iterrows():
        wanted = str(row["name"]).strip().upper()
        hits = partners[own_acronyms.map(lambda found, w=wanted: w in found)]
        if len(hits):
            reasons = [
                f"acronym {wanted}, "
                + ("written alone" if str(n).strip().upper() == wanted else "beside the name")
                for n in hits["name"]
            ]
            found.append(
                _standard(hits, pd.DataFrame([row] * len(hits)), 100.0, "name: acronym", reasons)
            )
    return found


def with_aliases(partners: pd.DataFrame, groups: list[list[str]]) -> pd.DataFrame:
    """One row per name a partner goes by: its own, and every alias of its alias group."""
    variants = {}
    for group in groups:
        for name in group:
            variants.setdefault(normalise_name(name), set()).update(group)
    rows = []
    for row in partners.itertuples(index=False):
        rows.append(row._asdict())
        for alias in sorted(variants.get(normalise_name(row.name), set()) - {row.name}):
            rows.append({**row._asdict(), "name": alias})
    return pd.DataFrame(rows, columns=partners.columns)


def screen(
    partners: pd.DataFrame,
    reference: pd.DataFrame,
    decisions: pd.DataFrame,
    threshold: float,
    aliases: list[list[str]] | None = None,
) -> ScreeningResult:
    """Candidates, review queue, confirmed matches and counts by country."""
    named = partners[["institution_id", "name", "ror", "iso2"]].reset_index(drop=True)
    partners = with_aliases(named, aliases or [])
    frames = [
        *_identifier_candidates(partners, reference),
        *_name_candidates(partners, reference, threshold),
    ]
    candidates = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    # A listed entity may name several countries (one per address), ";"-joined.
    differs = [
        bool(own) and bool(listed) and own not in str(listed).split(";")
        for own, listed in zip(
            candidates["iso2"].fillna(""), candidates["listed_country"].fillna(""), strict=True
        )
    ]
    candidates = candidates[~pd.Series(differs, index=candidates.index, dtype=bool)]
    # A partner found under an alias is reported under its own name, the alias in the reason.
    own_names = named.set_index("institution_id")["name"]
    own = candidates["institution_id"].map(own_names)
    alias = candidates["institution_name"] != own
    candidates = candidates.assign(
        institution_name=own,
        reason=candidates["reason"].where(
            ~alias,
            "found under the alias '"
            + candidates["institution_name"]
            + "'; "
            + candidates["reason"],
        ),
    )
    candidates = (
        candidates.sort_values(["score", "method"], ascending=[False, True])
        .drop_duplicates(KEY)
        .sort_values(["iso2", "institution_id", "score"], ascending=[True, True, False])
        .reset_index(drop=True)
    )
    decided = decisions.drop_duplicates(KEY, keep="last")[[*KEY, "decision", "reviewer", "note"]]
    candidates = candidates.merge(decided, on=KEY, how="left")
    candidates["decision"] = candidates["decision"].fillna("pending")
    queue = candidates[candidates["decision"] == "pending"].reset_index(drop=True)
    confirmed = candidates[candidates["decision"] == "confirmed"].reset_index(drop=True)
    countries = sorted(set(candidates["iso2"].dropna()))
    by_country = pd.DataFrame(
        {
            "iso2": countries,
            "institutions_confirmed": [
                confirmed.loc[confirmed["iso2"] == c, "institution_id"].nunique() for c in countries
            ],
            "institutions_pending": [
                queue.loc[queue["iso2"] == c, "institution_id"].nunique() for c in countries
            ],
        },
        columns=["iso2", "institutions_confirmed", "institutions_pending"],
    )
    return ScreeningResult(candidates, queue, confirmed, by_country)


def read_decisions(path) -> pd.DataFrame:
    """The reviewers' decisions (``institution_id, list, entity_id, decision, reviewer, date,
    note``); an unknown decision word is an error naming the row."""
    columns = [*KEY, "decision", "reviewer", "date", "note"]
    if path is None or not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{path.name}: missing columns {sorted(missing)}")
    frame["decision"] = frame["decision"].str.strip().str.lower()
    bad = ~frame["decision"].isin(DECISIONS)
    if bad.any():
        rows = (frame.index[bad] + 2).tolist()
        raise ValueError(f"{path.name}: rows {rows}: decision must be one of {DECISIONS}")
    return frame[columns]
