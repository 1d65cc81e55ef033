"""Render the executed report notebook to one self-contained HTML file.

nbconvert does the conversion with the project template in ``templates/report/`` (no code,
no CDN scripts); this module adds what the template cannot know: the run header (time, git
commit, data profile, every parameter), the demo banner and a table of contents built from
the headings nbconvert actually produced, so every link lands on a heading.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.build.config import RunConfig, Step
from analysis.build.fingerprints import tree_hash
from analysis.build.provenance import git_state, package_versions
from analysis.files.atomic import write_text_atomic
from analysis.files.hashing import sha256_json
from analysis.files.paths import resolve
from analysis.files.raw_manifest import data_profile
from analysis.i18n import catalogue, demo_banner, t, timestamp

TEMPLATE_DIR = Path("templates")
TOC_PLACEHOLDER = "<!-- table-of-contents -->"
SUMMARY_PLACEHOLDER = "<!-- summary-page -->"
# The report's one-page summary (analysis/report/chapters/onepage.py): one section, no other
# section inside it.
_SUMMARY = re.compile(r"<section\b[^>]*\bclass=\"summary-page\"[^>]*>.*?</section>", re.DOTALL)
_HEADING = re.compile(r"<h([1-3])([^>]*)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "section"


HEADER_TEXTS = (
    "generated",
    "git_commit",
    "not_a_checkout",
    "uncommitted",
    "clean",
    "data_profile",
    "synthetic",
    "configuration",
    "not_provided",
    "all_parameters",
    "scope",
    "parameter",
    "value",
    "all_steps",
    "packages",
)


def add_table_of_contents(document: str, contents: str = "Contents") -> str:
    """Give every h1–h3 an id, and replace the placeholder with a nested list of links to them."""
    entries: list[tuple[int, str, str]] = []
    head_part = document.partition(TOC_PLACEHOLDER)[0]
    seen: set[str] = {html.unescape(i) for i in _ID.findall(head_part)}

    def visit(match: re.Match[str]) -> str:
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        label = html.unescape(_TAG.sub("", re.sub(r"<a class=\"anchor-link\".*?</a>", "", inner)))
        label = label.replace("¶", "").strip()
        found = _ID.search(attributes)
        base = html.unescape(found.group(1)) if found else _slug(label)
        anchor, counter = base, 2
        while anchor in seen:  # repeated headings get ids of their own
            anchor, counter = f"{base}-{counter}", counter + 1
        seen.add(anchor)
        attribute = f'id="{html.escape(anchor)}"'
        attributes = _ID.sub(attribute, attributes) if found else f"{attributes} {attribute}"
        if "toc-exclude" not in attributes:
            entries.append((level, anchor, label))
        return f"<h{level}{attributes}>{inner}</h{level}>"

    head, marker, body = document.partition(TOC_PLACEHOLDER)
    if not marker:
        return document
    body = _HEADING.sub(visit, body)
    top = min((level for level, _, _ in entries), default=1)
    items = "\n".join(
        f'<li class="toc-level-{level - top + 1}"><a href="#{html.escape(anchor)}">'
        f"{html.escape(label)}</a></li>"
        for level, anchor, label in entries
    )
    toc = (
        '<nav class="report-toc" aria-labelledby="toc-heading">'
        f'<h2 id="toc-heading" class="toc-exclude">{html.escape(contents)}</h2>'
        f"<ol>\n{items}\n</ol></nav>"
    )
    return head + toc + body


def lift_summary_page(document: str) -> str:
    """Move the one-page summary the notebook showed to its place under the title, above the
    run header and the table of contents (it prints as page 1); a page without one, or a
    template without the place, stays as it was."""
    head, marker, rest = document.partition(SUMMARY_PLACEHOLDER)
    found = _SUMMARY.search(rest)
    if not marker or found is None:
        return document
    rest = rest[: found.start()] + rest[found.end() :]
    return head + found.group(0) + rest


def in_language(cells: list, lang: str) -> list:
    """Keep untagged cells and those tagged ``lang-<lang>``; drop the other languages' prose."""

    def other_language(cell) -> bool:
        tags = cell.get("metadata", {}).get("tags", [])
        return any(tag.startswith("lang-") and tag != f"lang-{lang}" for tag in tags)

    return [cell for cell in cells if not other_language(cell)]


def _profile_in_language(profile: dict[str, Any], lang: str) -> dict[str, Any]:
    """The manifest's description in the report's language when it has one; otherwise as
    written, marked with the language it is in (English) for readers and screen readers."""
    description = profile.get("description") or ""
    if isinstance(description, dict):
        chosen = lang if lang in description else "en"
        return {**profile, "description": description.get(chosen, ""), "description_lang": chosen}
    return {**profile, "description_lang": "en"}


def _not_provided(profile: dict[str, Any], lang: str) -> str:
    """The sources the folder does not provide, named in the report's language."""
    return ", ".join(t(f"source.{name}", lang) for name in profile.get("not_provided", []))


def report_context(
    config: RunConfig, root: Path, step: Step, git: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the header shows: time, git state (``git``, if already known), data profile
    and every parameter."""
    raw_dir = resolve(
        step.parameters.get("raw_dir", config.common.get("raw_dir", "data/raw")), root
    )
    lang = step.lang or "en"
    # Other editions of a rendering step are not part of this page's run.
    shown = [s for s in config.steps if not s.base or s is step]
    if step not in shown:
        shown.append(step)
    if step.base == "partner_briefs":
        shown = [step]  # a brief is run on its own: its header stays short enough to print
    return {
        # A brief prints on two pages with styles of its own (templates/report/report.css).
        "kind": "brief" if step.base == "partner_briefs" else "report",
        "title": step.title or config.titles[lang],
        "generated": timestamp(datetime.now(UTC), lang),
        "git": git if git is not None else git_state(root),
        "profile": _profile_in_language(data_profile(raw_dir), lang),
        "not_provided": _not_provided(data_profile(raw_dir), lang),
        "banner": demo_banner(lang),
        "text": {key: t(f"header.{key}", lang) for key in HEADER_TEXTS},
        # For the page's script, placeholders left for it to fill.
        "ui": {
            key: catalogue()[f"header.{key}"][lang]
            for key in ("filter", "sort", "rows_shown", "marks")
        },
        "config_path": config.path.relative_to(root).as_posix()
        if config.path.is_relative_to(root)
        else str(config.path),
        "common": config.common,
        "steps": [
            {
                "name": step.name,
                "notebook": step.notebook,
                "parameters": {
                    k: v for k, v in step.parameters.items() if config.common.get(k, object()) != v
                },
            }
            for step in shown
        ],
        "packages": package_versions(),
    }


def render_report(
    config: RunConfig,
    root: Path,
    step: Step,
    executed_notebook: Path,
    git: dict[str, Any] | None = None,
) -> Path:
    """Convert the step's executed notebook into its page (``step.renders``), in the step's
    language, and move the HTML into place only once it is complete."""
    import nbformat

    notebook = nbformat.read(executed_notebook, as_version=4)
    lang = step.lang or "en"
    notebook.cells = in_language(notebook.cells, lang)
    exporter = _exporter(root / TEMPLATE_DIR, lang)
    resources = {
        "report": report_context(config, root, step, git),
        "language_code": lang,
        "metadata": {"name": step.title or config.titles[lang]},
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    body = add_table_of_contents(lift_summary_page(body), t("header.contents", lang))

    return write_text_atomic(resolve(step.renders, root), body)


_EXPORTERS = threading.local()


def _exporter(templates: Path, lang: str):
    """One exporter per thread, template folder and language: its templates are compiled
    once, not for each of a run's many institution reports."""
    from nbconvert import HTMLExporter

    cache = _EXPORTERS.__dict__.setdefault("by_key", {})
    key = (str(templates), tree_hash(templates, {".j2", ".json", ".css"}), lang)
    if key not in cache:
        cache[key] = HTMLExporter(
            template_name="report",
            extra_template_basedirs=[str(templates)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            language_code=lang,
        )
    return cache[key]


def render_fingerprint(config: RunConfig, root: Path, step) -> dict[str, str]:
    """A rendered report also shows the template, its title and every step's parameters in
    its header, so a change to any of them renders it again."""
    return {
        "template": tree_hash(root / TEMPLATE_DIR, {".j2", ".json", ".css", ".js"}),
        "title": step.title,
        "renders": step.renders,
        "header_parameters": sha256_json([s.parameters for s in config.steps if not s.base]),
    }
