"""Partner briefs on request: resolve the partner, save its OpenAlex answers once, run the
brief notebook through the runner, and for a register write an index page of all briefs.

``python -m analysis brief --partner ID_OR_NAME`` resolves a ROR id, an OpenAlex institution
id or a name through the ROR data in ``<raw_dir>/ror/``; an ambiguous name lists the
candidates and stops. OpenAlex answers the brief needs and that are not saved yet are asked
for once (with ``OPENALEX_API_KEY``, through an on-disk HTTP cache) and saved under
``<raw_dir>/partners/``; without a key the brief says they are not recorded.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis.build.config import RunConfig, Step
from analysis.files.atomic import write_text_atomic
from analysis.files.paths import resolve
from analysis.i18n import demo_banner, t
from analysis.screening.partners import FOUND, Resolution, resolve_partner
from analysis.sources.ror import RorRecord
from analysis.steps.partner_brief import FIRST_YEAR, LAST_YEAR, openalex_index, ror_records


def slug(record: RorRecord, institution: RorRecord | None = None) -> str:
    """``partner-university-cn-2-0zz004302`` (``__with-<institution id>`` for one institution)."""
    text = unicodedata.normalize("NFKD", record.name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60].strip("-")
    return f"{words}-{record.id}" + (f"__with-{institution.id}" if institution else "")


@dataclass
class Partners:
    """The ROR data and the OpenAlex ids known for it, read once for a batch."""

    records: list[RorRecord]
    index: dict[str, str]  # ROR id → OpenAlex id

    @classmethod
    def read(cls, raw_dir: Path) -> Partners:
        return cls(ror_records(raw_dir), openalex_index(raw_dir))

    def resolve(self, query: str) -> Resolution:
        return resolve_partner(self.records, query, self.index)


def save_openalex_answers(
    raw_dir: Path, openalex_id: str | None, institution_id: str | None, client_factory
) -> int:
    """Ask OpenAlex for the partner's answers not yet on disk; returns the calls made.

    ``client_factory`` makes the client only when a call is needed (it reads the key); it
    returns None when there is no key, and then nothing is asked.
    """
    from analysis.context.indicators import critical_subfields
    from analysis.fetch.partner import (
        ensure_partner_answers,
        missing_answers,
        missing_counterparts,
        partner_folder,
        partner_queries,
    )
    from analysis.files.paths import find_project_root

    if not openalex_id:
        return 0
    subfields = critical_subfields(find_project_root() / "config" / "critical_technologies.yaml")
    queries = partner_queries(openalex_id, institution_id, FIRST_YEAR, LAST_YEAR, subfields)
    folder = partner_folder(raw_dir, openalex_id, institution_id)
    if not missing_answers(folder, queries) and not missing_counterparts(
        partner_folder(raw_dir, openalex_id)
    ):
        return 0
    client = client_factory()
    if client is None:
        return 0
    return ensure_partner_answers(
        client, raw_dir, openalex_id, institution_id, FIRST_YEAR, LAST_YEAR, subfields
    )


@dataclass
class IndexRow:
    partner: str  # as the register writes it
    status: str  # found | ambiguous | unknown
    red_flags: int = 0
    attention: int = 0
    links: dict[str, str] = field(default_factory=dict)  # lang → page, relative to the index
    name: str = ""
    candidates: str = ""
    executed: list[Path] = field(default_factory=list)  # its executed notebooks


def brief_counts(executed: Path) -> tuple[int, int]:
    """Red flags and attention items of an executed brief, from its checklist's output."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    text = "".join(
        str(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    found = re.search(r'data-red-flags="(\d+)" data-attention="(\d+)"', text)
    if not found:
        raise ValueError(f"{executed}: no checklist counts in the executed brief")
    return int(found.group(1)), int(found.group(2))


def write_index(
    config: RunConfig, root: Path, register: str, rows: list[IndexRow], lang: str, synthetic: bool
) -> Path:
    """``<output_dir>/index-<register>.html``: every partner, most red flags first, linked."""
    rows = sorted(rows, key=lambda r: (-r.red_flags, -r.attention, r.partner.casefold()))
    title = t("brief.index_title", lang, register=register)
    lines = []
    for row in rows:
        if row.status == FOUND:
            link = f'<a href="{html.escape(row.links[lang])}">{html.escape(row.name)}</a>'
        elif row.status == "ambiguous":
            link = html.escape(t("brief.index_ambiguous", lang, candidates=row.candidates))
        else:
            link = html.escape(t("brief.index_unresolved", lang))
        flags = row.red_flags if row.status == FOUND else "–"
        attention = row.attention if row.status == FOUND else "–"
        lines.append(
            f"<tr><td>{html.escape(row.partner)}</td><td>{flags}</td><td>{attention}</td>"
            f"<td>{link}</td></tr>"
        )
    banner = (
        f'<div class="demo-banner" role="note">{html.escape(demo_banner(lang))}</div>'
        if synthetic
        else ""
    )
    head = "".join(
        f'<th scope="col">{html.escape(t(k, lang))}</th>'
        for k in (
            "brief.index_partner",
            "brief.index_flags",
            "brief.index_attention",
            "brief.index_brief",
        )
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem .6rem;"
        "text-align:left}.demo-banner{background:#fde68a;color:#7c2d12;padding:.5rem;"
        "font-weight:bold}</style></head><body>"
        f"{banner}<main><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(t('brief.index_intro', lang))}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
        "</main></body></html>\n"
    )
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(register).stem)
    return write_text_atomic(resolve(config.brief_outputs[lang], root) / f"index-{stem}.html", page)


def relative_link(page: Path, index_dir: Path) -> str:
    import os

    return Path(os.path.relpath(page, index_dir)).as_posix()


def steps_for(config: RunConfig, record: RorRecord, institution: RorRecord | None) -> list[Step]:
    return config.brief_steps(
        record.id,
        slug(record, institution),
        institution.id if institution else "",
        record.name + (f" / {institution.name}" if institution else ""),
    )
