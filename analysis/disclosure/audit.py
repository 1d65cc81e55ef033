"""The audit of a release: attack what is published, as a reader holding every file would.

``audit_release(folder, rules)`` reads only the folder: the survey cells of every CSV
(``published.read_release``), rebuilds the sums that tie them (all respondents = the sectors;
a sector = the organisations whose reports name it) and runs the attacker of
``attack.work_out`` on every question. It reports

- every published cell that breaks the rules itself,
- every withheld cell, or group of withheld cells, that sums and differences recover and that
  breaks the rules (with the arithmetic and the files used),
- a cell shown in one file and withheld or different in another,
- in the HTML pages: a missing value printed as anything but "–", active content (a script,
  an event attribute), a figure or table whose data file is not in the release, and files
  that differ from the release's manifest.

The rules applied are always all of them (the ``enabled`` switches only turn protection off
when building, to show what the audit then finds).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import time
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from analysis.disclosure.attack import COMBINED, UNLISTED, Recovery, Relation, work_out
from analysis.disclosure.internal import INTERNAL_COLUMN
from analysis.disclosure.published import ALL, Published, read_release
from analysis.disclosure.rules import Rules
from analysis.files.paths import find_project_root

MANIFEST = "MANIFEST.json"
_MISSING = {"<na>", "&lt;na&gt;", "nan", "none", "null", "<nan>", "&lt;nan&gt;"}
_IMAGE = re.compile(r'src="data:image/[^"]*"')


@dataclass
class Finding:
    kind: str  # published | recovered | conflict | page | manifest | internal
    what: str
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        files = f"\n    files: {', '.join(self.files)}" if self.files else ""
        return f"[{self.kind}] {self.what}{files}"


@dataclass
class AuditResult:
    findings: list[Finding]
    files: int = 0
    survey_files: int = 0
    cells: int = 0
    withheld: int = 0
    questions: int = 0
    pages: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        verdict = "PASSED" if self.passed else f"FAILED: {len(self.findings)} findings"
        return (
            f"audit {verdict}: {self.files} files ({self.pages} pages, {self.survey_files} CSVs "
            f"of survey results), {self.cells} published and {self.withheld} withheld cells of "
            f"{self.questions} questions, every sum and difference tried in {self.seconds:.1f} s"
        )


def audit_rules(rules: Rules) -> Rules:
    """The audit checks every rule, whatever the build switched off."""
    return replace(rules, group_rule=True, differencing=True)


def _name(node: str) -> str:
    if node == ALL:
        return "all respondents"
    level, _, key = node.partition(":")
    return f"{'sector' if level == 'org_type' else 'organisation'} {key}"


def _question_name(question: tuple) -> str:
    return " / ".join(question[1:]) + ("" if question[0] == "scale" else " (readiness)")


def _sources(recovery: Recovery, cells, derived: dict[str, Recovery]) -> list[str]:
    files: set[str] = set()
    todo, seen = [recovery], set()
    while todo:
        step = todo.pop()
        for node in step.used:
            if node in derived and node not in seen:
                seen.add(node)
                todo.append(derived[node])
            elif node in cells:
                files |= cells[node].sources
    return sorted(files)


def _counts_text(counts: dict[str, float]) -> str:
    order = ("n", "agree", "yes", "points", "dont_know")
    return ", ".join(f"{k} = {counts[k]:g}" for k in order if k in counts)


def _attack(published: Published, rules: Rules) -> tuple[list[Finding], int, int]:
    findings: list[Finding] = []
    shown = withheld = 0
    for question, cells in published.cells.items():
        known = {node: cell.counts for node, cell in cells.items() if cell.counts is not None}
        shown += len(known)
        withheld += len(cells) - len(known)
        for node, counts in known.items():
            reason = rules.reason(counts)
            if reason:
                findings.append(
                    Finding(
                        "published",
                        f"{_question_name(question)}: {_name(node)} is shown ({_counts_text(counts)}) "
                        f"but breaks the {reason} rule",
                        sorted(cells[node].sources),
                    )
                )
        sectors = sorted(published.sectors | {n for n in cells if n.startswith("org_type:")})
        relations = [Relation(ALL, tuple(sectors))] if sectors else []
        relations += [
            Relation(sector, tuple(sorted(published.members[sector])))
            for sector in sectors
            if published.members.get(sector)
        ]
        found, derived = work_out(known, relations, rules)
        for recovery in found:
            how = {
                COMBINED: "together recovered",
                UNLISTED: "respondents of no published organisation recovered",
            }.get(recovery.kind, "recovered exactly")
            findings.append(
                Finding(
                    "recovered",
                    f"{_question_name(question)}: {recovery.formula(_name)} "
                    f"({_counts_text(recovery.counts)}): {how}, breaks the {recovery.reason} rule",
                    _sources(recovery, cells, derived),
                )
            )
    return findings, shown, withheld


def _organisation_unit(published: Published, rules: Rules) -> list[Finding]:
    """Organisation counts (organisational items): a sector without one organisation shown
    with fewer than ``min_cell`` organisations; and the sector it gives with the
    organisation's own status beside it (sector = the others + the organisation), which must
    be the same in every report of the sector and never fewer than ``min_cell``."""
    findings: list[Finding] = []
    sectors: dict[tuple[str, str], dict[tuple[float, float], list[str]]] = {}
    for cell in published.organisation_cells:
        if cell.without is None:
            continue
        others, in_place = cell.without
        where = f"{cell.item_id} (organisations): sector {cell.sector} without {cell.key}"
        if others < rules.min_cell:
            findings.append(
                Finding("published", f"{where} shows {others:g} organisations", [cell.source])
            )
        whole = (others + cell.decided, in_place + cell.in_place)
        sectors.setdefault((cell.item_id, cell.sector), {}).setdefault(whole, []).append(
            cell.source
        )
    for (item_id, sector), wholes in sorted(sectors.items()):
        files = sorted({f for sources in wholes.values() for f in sources})
        if len(wholes) > 1:
            findings.append(
                Finding(
                    "conflict",
                    f"{item_id} (organisations): sector {sector} differs between reports "
                    "(each report's sector without it plus its own status)",
                    files,
                )
            )
        for organisations, _ in wholes:
            if organisations < rules.min_cell:
                findings.append(
                    Finding(
                        "recovered",
                        f"{item_id} (organisations): sector {sector} = sector without an "
                        f"organisation + its status: {organisations:g} organisations, "
                        "breaks the primary rule",
                        files,
                    )
                )
    return findings


class _Page(HTMLParser):
    """What a page really contains: active content, cited data files, table cells' text."""

    def __init__(self, own_scripts: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=False)
        self.own_scripts = own_scripts
        self._script: list[str] | None = None
        self.active: list[str] = []
        self.data: set[str] = set()
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        events = sorted(name for name in attributes if name.startswith("on"))
        if tag == "script" and not events and not attributes.get("src"):
            # Inline data (JSON) is inert; an inline script is allowed only when it is the
            # page template's own, to the byte: judged at its end tag.
            if attributes.get("type") != "application/json":
                self._script = []
        elif tag in ("script", "iframe", "object", "embed", "foreignobject") or events:
            self.active.append(f"<{tag}{' ' + ' '.join(events) if events else ''}>")
        elif tag in ("use", "image") and not _inside(attributes):
            # An inlined figure draws from its own definitions only.
            self.active.append(
                f"<{tag} href={attributes.get('href') or attributes.get('xlink:href')!r}>"
            )
        if attributes.get("data-csv"):
            self.data.add(html.unescape(attributes["data-csv"]))
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip() not in self.own_scripts:
                self.active.append("<script>")
            self._script = None
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def _inside(attributes: dict) -> bool:
    """An SVG reference (``href``/``xlink:href``) that points inside the page."""
    target = attributes.get("href") or attributes.get("xlink:href") or ""
    return str(target).startswith("#")


def _own_scripts() -> frozenset[str]:
    """The scripts the report template puts in every page (``templates/report/*.js``)."""
    try:
        templates = find_project_root() / "templates" / "report"
    except FileNotFoundError:
        return frozenset()
    return frozenset(p.read_text(encoding="utf-8").strip() for p in templates.glob("*.js"))


def _pages(folder: Path, present: set[str]) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    pages = sorted(folder.rglob("*.html"))
    own = _own_scripts()
    for path in pages:
        name = path.relative_to(folder).as_posix()
        page = _Page(own)
        page.feed(_IMAGE.sub('src=""', path.read_text(encoding="utf-8")))
        page.close()
        missing = [c for c in page.cells if c.lower() in _MISSING]
        if missing:
            findings.append(Finding("page", f"a table cell shows {missing[0]!r}, not –", [name]))
        if page.active:
            findings.append(
                Finding("page", f"active content in the page: {page.active[0]}", [name])
            )
        for data in sorted(page.data - present):
            findings.append(Finding("page", f"cites data {data!r} not in the release", [name]))
    return findings, len(pages)


def _manifest(folder: Path) -> list[Finding]:
    path = folder / MANIFEST
    if not path.is_file():
        return []
    listed = {entry["path"]: entry for entry in json.loads(path.read_text("utf-8"))["files"]}
    findings = []
    on_disk = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p != path
    }
    for name in sorted(on_disk - set(listed)):
        findings.append(Finding("manifest", "a file the manifest does not list", [name]))
    for name, entry in sorted(listed.items()):
        if name not in on_disk:
            findings.append(Finding("manifest", "a listed file is missing", [name]))
        elif hashlib.sha256((folder / name).read_bytes()).hexdigest() != entry["sha256"]:
            findings.append(Finding("manifest", "the file differs from its checksum", [name]))
    return findings


def _internal(folder: Path) -> list[Finding]:
    """A data file that is an internal view (its ``internal_only`` column): never released."""
    found = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        if INTERNAL_COLUMN in next(csv.reader([header]), []):
            name = path.relative_to(folder).as_posix()
            found.append(Finding("internal", "an internal view, for the analyst only", [name]))
    return found


def audit_release(folder: Path, rules: Rules) -> AuditResult:
    """Attack everything in ``folder``; the result lists every finding (none: it passed)."""
    started = time.perf_counter()
    rules = audit_rules(rules)
    published = read_release(folder)
    findings, shown, withheld = _attack(published, rules)
    findings += _organisation_unit(published, rules)
    for question, node, source, others in published.conflicts:
        findings.append(
            Finding(
                "conflict",
                f"{_question_name(question)}: {_name(node)} differs between files "
                "(shown in one, withheld or different in another)",
                sorted({source, *others.split(", ")}),
            )
        )
    for name, row, count in published.listed:
        if count < rules.min_cell:
            findings.append(Finding("published", f"row {row} shows {count:g} respondents", [name]))
    present = {p.name for p in folder.rglob("*.csv")}
    page_findings, pages = _pages(folder, present)
    findings += page_findings + _manifest(folder) + _internal(folder)
    files = sum(1 for p in folder.rglob("*") if p.is_file())
    return AuditResult(
        findings,
        files=files,
        survey_files=len(published.files),
        cells=shown,
        withheld=withheld,
        questions=len(published.cells),
        pages=pages,
        seconds=time.perf_counter() - started,
    )
