"""The survey codebook (``config/codebook.yaml``): items, scales and accepted answer labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from analysis.files.yaml_file import parse_yaml
from analysis.sources.labels import normalise_label

DONT_KNOW = "dont_know"
# How each answer ended up: a code, "don't know" (missing by choice), or nothing at all.
STATUS_ANSWERED, STATUS_DONT_KNOW, STATUS_NO_ANSWER = "answered", "dont_know", "no_answer"
LANGUAGES = ("fi", "sv", "en")
# The unit of analysis of a rated item: a fact about the organisation, or a respondent's view.
ORGANISATIONAL, PERCEPTUAL = "organisational", "perceptual"
UNITS = (ORGANISATIONAL, PERCEPTUAL)


@dataclass(frozen=True)
class Scale:
    name: str
    kind: str  # likert | nominal
    codes: dict[Any, dict[str, str]]
    dont_know: dict[str, str] | None = None

    @cached_property
    def lookup(self) -> dict[str, Any]:
        """Normalised label (any language) or number → code; don't-know labels → DONT_KNOW."""
        table: dict[str, Any] = {}
        for code, labels in self.codes.items():
            for label in labels.values():
                table[normalise_label(label)] = code
            table[normalise_label(code)] = code
        for label in (self.dont_know or {}).values():
            table[normalise_label(label)] = DONT_KNOW
        return table

    def label(self, code: Any, lang: str) -> str:
        if code == DONT_KNOW and self.dont_know:
            return self.dont_know[lang]
        return self.codes[code][lang]


@dataclass(frozen=True)
class Item:
    id: str
    block: str
    kind: str  # scale | organisation | countries | free_text
    text: dict[str, str]
    scale: Scale | None = None
    required: bool = False
    area: str | None = None
    unit: str | None = None  # organisational | perceptual, for the items of a rated block
    # A country question's options: the countries the questionnaire listed in advance
    # (prompted); any other country was written in.
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    id: str
    version: str
    scales: dict[str, Scale]
    items: dict[str, Item]
    blocks: dict[str, dict[str, Any]] = field(repr=False)

    def block_items(self, block: str) -> list[Item]:
        return [item for item in self.items.values() if item.block == block]

    def unit_items(self, unit: str) -> list[Item]:
        """The rated items whose unit of analysis is ``unit`` (organisational or perceptual)."""
        return [item for item in self.items.values() if item.unit == unit]

    def question_text(self, item_id: str, lang: str) -> str:
        """The text a respondent saw: for matrix blocks, the block question and the row."""
        item = self.items[item_id]
        block = self.blocks[item.block]
        if item.kind == "scale" and "scale" in block:
            return f"{block['text'][lang]} - {item.text[lang]}"
        return item.text[lang]


def load_codebook(path: Path) -> Codebook:
    raw = parse_yaml(path.read_text(encoding="utf-8"))
    scales = {
        name: Scale(name, spec["kind"], dict(spec["codes"]), spec.get("dont_know"))
        for name, spec in raw["scales"].items()
    }
    items: dict[str, Item] = {}
    for block_name, block in raw["blocks"].items():
        for item_id, spec in block["items"].items():
            if item_id in items:
                raise ValueError(f"{path}: item id {item_id!r} is used twice")
            scale_name = spec.get("scale", block.get("scale"))
            kind = spec.get("kind", "scale" if scale_name else "free_text")
            text = spec.get("text") or {lang: spec[lang] for lang in LANGUAGES}
            unit = spec.get("unit", block.get("unit"))
            if "scale" in block and unit not in UNITS:
                raise ValueError(
                    f"{path}: item {item_id!r} of rated block {block_name!r} needs a unit "
                    f"of analysis, one of {', '.join(UNITS)} (found {unit!r})"
                )
            items[item_id] = Item(
                id=item_id,
                block=block_name,
                kind=kind,
                text=text,
                scale=scales[scale_name] if scale_name and kind == "scale" else None,
                required=bool(spec.get("required", False)),
                area=spec.get("area"),
                unit=unit,
                options=tuple(str(code) for code in spec.get("options", ())),
            )
    return Codebook(raw["id"], str(raw["version"]), scales, items, raw["blocks"])
