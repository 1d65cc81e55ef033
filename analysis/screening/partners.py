"""Due diligence on one prospective partner: who it is, its family, and what the lists say.

``resolve_partner`` finds the partner in the ROR data from a ROR id, an OpenAlex id or a name
(any of its names, labels, aliases or acronyms, compared normalised); a name that fits several
organisations is ambiguous and lists them. ``screen_family`` screens the partner, its parent
organisations and its child organisations against every list, through the same matching as
the partner screening (identifiers first, then names), so a subsidiary of a listed entity is
flagged as such. ``checklist`` answers the points of Council Recommendation C/2024/3510,
point 14(b), and the Research Council of Finland's four questions from the data where the
data can answer them; the rest are marked for the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from analysis.screening.match import screen
from analysis.screening.names import normalise_name
from analysis.sources.openalex import normalise_key
from analysis.sources.ror import RorRecord, bare_ror, is_ror_id

FOUND, AMBIGUOUS, UNKNOWN = "found", "ambiguous", "unknown"
# Answers of the checklist (keys; the report labels them in its language)
RED_FLAG, ATTENTION, NO_FLAG, REVIEWER = "red_flag", "attention", "no_flag", "reviewer"
SEVERITY = {RED_FLAG: 3, ATTENTION: 2, REVIEWER: 1, NO_FLAG: 0}


@dataclass
class Resolution:
    query: str
    status: str  # found | ambiguous | unknown
    record: RorRecord | None = None
    candidates: list[RorRecord] = field(default_factory=list)  # ambiguous: all; unknown: near
    openalex_id: str | None = None


def _is_openalex_id(text: str) -> bool:
    key = normalise_key(text).upper()
    return key.startswith("I") and key[1:].isdigit()


def resolve_partner(
    records: list[RorRecord], query: str, ror_to_openalex: dict[str, str]
) -> Resolution:
    """The ROR record the query names: a ROR id, an OpenAlex institution id or a name."""
    by_id = {r.id: r for r in records}
    text = str(query).strip()
    openalex_to_ror = {v: k for k, v in ror_to_openalex.items()}
    if is_ror_id(text):
        record = by_id.get(bare_ror(text))
    elif _is_openalex_id(text):
        record = by_id.get(openalex_to_ror.get(normalise_key(text).upper(), ""))
    else:
        wanted = normalise_name(text)
        hits = [r for r in records if wanted and wanted in {normalise_name(n) for n in r.all_names}]
        if len(hits) > 1:
            return Resolution(text, AMBIGUOUS, candidates=sorted(hits, key=lambda r: r.name))
        record = hits[0] if hits else None
        if record is None:
            names = {r.id: r.name for r in records}
            near = process.extract(
                wanted,
                {k: normalise_name(v) for k, v in names.items()},
                scorer=fuzz.WRatio,
                limit=5,
                score_cutoff=85,
            )
            return Resolution(text, UNKNOWN, candidates=[by_id[key] for _, _, key in near])
    if record is None:
        return Resolution(text, UNKNOWN)
    return Resolution(text, FOUND, record, openalex_id=ror_to_openalex.get(record.id))


def family(record: RorRecord, records: list[RorRecord]) -> list[tuple[str, str, RorRecord | None]]:
    """(relation, ROR id, record if in the data) for the partner, its parents and children."""
    by_id = {r.id: r for r in records}
    members = [("self", record.id, record)]
    for kind in ("parent", "child"):
        members += [(kind, r.id, by_id.get(r.id)) for r in record.related(kind)]
    return members


def screen_family(
    record: RorRecord,
    records: list[RorRecord],
    ror_to_openalex: dict[str, str],
    reference: pd.DataFrame,
    decisions: pd.DataFrame,
    threshold: float,
    aliases: list[list[str]] | None = None,
) -> pd.DataFrame:
    """Screening candidates of the partner and its parent and child organisations, each with
    ``relation`` (self, parent, child) and the reviewer's ``decision`` (pending if none)."""
    rows, groups = [], [list(g) for g in aliases or []]
    relation_of = {}
    for relation, ror_id, member in family(record, records):
        label = (
            member.name if member else next(r.label for r in record.relationships if r.id == ror_id)
        )
        key = ror_to_openalex.get(ror_id) or f"ROR:{ror_id}"
        relation_of[key] = relation
        country = member.country if member else None
        rows.append({"institution_id": key, "name": label, "ror": ror_id, "iso2": country})
        if member:
            names = member.all_names
            groups.append([*names, *(f"{member.name} ({a})" for a in member.acronyms)])
    partners = pd.DataFrame(rows, columns=["institution_id", "name", "ror", "iso2"])
    result = screen(partners, reference, decisions, threshold, groups)
    candidates = result.candidates.assign(
        relation=result.candidates["institution_id"].map(relation_of)
    )
    order = {"self": 0, "parent": 1, "child": 2}
    return candidates.sort_values(
        ["relation", "score"], key=lambda s: s.map(order) if s.name == "relation" else -s
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Answer:
    item: str  # key of the checklist item
    status: str  # red_flag | attention | no_flag | reviewer
    values: dict = field(default_factory=dict)  # what the sentence says (numbers, names)
    source: str = ""  # key of the source the answer comes from ("" for the reviewer)


def checklist(
    record: RorRecord,
    screening: pd.DataFrame,
    country: dict | None,
    critical: dict | None,
) -> list[Answer]:
    """The red-flag checklist: C/2024/3510 14(b) and the Research Council of Finland's questions.

    ``country`` is the partner country's row of the assessment (or None when it has none);
    ``critical`` is ``{"partner_share", "partner_works", "country_share"}`` (or None when no
    OpenAlex answers are recorded). Only what the data shows is answered; absence of a match
    is "no flag", never a clearance.
    """
    answers = []

    def listed(relations: tuple[str, ...], item: str) -> Answer:
        mine = screening[screening["relation"].isin(relations)]
        confirmed = mine[mine["decision"] == "confirmed"]
        pending = mine[mine["decision"] == "pending"]
        if len(confirmed):
            names = sorted(set(confirmed["institution_name"] + " — " + confirmed["list"]))
            return Answer(item, RED_FLAG, {"entities": "; ".join(names)}, "screening")
        if len(pending):
            return Answer(item, ATTENTION, {"count": len(pending)}, "screening")
        return Answer(item, NO_FLAG, {}, "screening")

    answers.append(listed(("self",), "listed"))
    has_family = any(r.type in ("parent", "child") for r in record.relationships)
    if has_family:
        answers.append(listed(("parent", "child"), "family_listed"))
    if record.status != "active":
        answers.append(Answer("status", ATTENTION, {"status": record.status}, "ror"))
    if country is None:
        answers.append(Answer("country", REVIEWER, {"iso2": record.country or "?"}))
    else:
        quadrant = str(country.get("quadrant") or "")
        restricted = bool(country.get("eu_restrictive_measures"))
        # An uncertain class asks for attention when either of its likeliest classes is high
        # threat: the evidence does not rule it out.
        possible = [quadrant]
        if quadrant == "uncertain":
            possible += [str(country.get(c) or "") for c in ("class_likeliest", "class_second")]
        high = any("high_threat" in key for key in possible)
        status = RED_FLAG if restricted else (ATTENTION if high else NO_FLAG)
        answers.append(
            Answer(
                "country", status, {"quadrant": quadrant, "restricted": restricted}, "assessment"
            )
        )
    if critical is None or not critical.get("partner_works"):
        answers.append(Answer("critical_technology", REVIEWER))
    else:
        low, _ = wilson(critical["partner_critical"], critical["partner_works"])
        # Flagged only where the difference is beyond chance: the lower end of the partner's
        # 95 % interval above the country's share.
        higher = critical["country_share"] is not None and low > critical["country_share"]
        answers.append(
            Answer(
                "critical_technology", ATTENTION if higher else NO_FLAG, dict(critical), "openalex"
            )
        )
    flagged = [a for a in answers if a.status == RED_FLAG]
    answers.append(
        Answer(
            "collaborators",
            RED_FLAG if flagged else REVIEWER,
            {"items": ", ".join(a.item for a in flagged)},
            "checklist" if flagged else "",
        )
    )
    answers.append(Answer("dual_use", REVIEWER))
    answers.append(Answer("other_risks", REVIEWER))
    return answers


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a share."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * ((p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def red_flag_count(answers: list[Answer]) -> int:
    return sum(a.status == RED_FLAG for a in answers if a.item != "collaborators")


BRIEF_DECISIONS = ("approve", "approve_with_conditions", "decline", "escalate")


def read_brief_decisions(path) -> pd.DataFrame:
    """The reviewers' decisions on partners (``partner, decision, date, reasons, reviewer``),
    partner as a bare ROR id; an unknown decision word is an error naming the row."""
    columns = ["partner", "decision", "date", "reasons", "reviewer"]
    if path is None or not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{path.name}: missing columns {sorted(missing)}")
    frame = frame[columns].apply(lambda c: c.str.strip())
    frame["partner"] = frame["partner"].map(bare_ror)
    frame["decision"] = frame["decision"].str.lower()
    bad = ~frame["decision"].isin(BRIEF_DECISIONS)
    if bad.any():
        rows = (frame.index[bad] + 2).tolist()
        raise ValueError(f"{path.name}: rows {rows}: decision must be one of {BRIEF_DECISIONS}")
    return frame.sort_values("date", kind="stable").reset_index(drop=True)
