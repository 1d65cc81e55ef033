"""The report's languages: every sentence, label and caption the code writes, in English,
Finnish and Swedish, and numbers, shares and times in each language's own format.

The texts live in ``analysis/i18n/texts.yaml`` (one key, one entry per language) so a translator
edits one file and a test can check that no key lacks a language or a placeholder. Narrative
that does not depend on results stays in the notebooks, as Markdown cells tagged ``lang-en``
``lang-fi`` and ``lang-sv``; the renderer keeps the cells of the report's language.
"""

from __future__ import annotations

import math
import re
import string
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from analysis.files.yaml_file import parse_yaml
from analysis.i18n.finnish import FORMATTER
from analysis.i18n.page import PageText, page_format

LANGUAGES = ("en", "fi", "sv")
DECIMAL_COMMA = ("fi", "sv")  # these write 0,46, 45 % and 25.11.2026 kl(o) 20.30
TEXTS_PATH = Path(__file__).with_name("texts.yaml")


class MissingText(KeyError):
    """A text key is unknown, or has no entry in the asked language."""


@cache
def catalogue() -> dict[str, dict[str, str]]:
    texts = parse_yaml(TEXTS_PATH.read_text(encoding="utf-8"))
    return {
        key: {lang: str(value).strip() for lang, value in entry.items()}
        for key, entry in texts.items()
    }


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def _template(key: str, lang: str) -> str:
    entry = catalogue().get(key)
    if entry is None:
        raise MissingText(f"no text {key!r} in {TEXTS_PATH.name}")
    if lang not in entry:
        raise MissingText(f"text {key!r} has no {lang!r} version in {TEXTS_PATH.name}")
    return entry[lang]


def t(key: str, lang: str, /, **values: Any) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values`` (a Finnish
    ``{n:ela}`` puts ``n`` in a case: ``analysis.i18n.finnish``)."""
    return FORMATTER.format(_template(key, lang), **values)


def page_text(key: str, lang: str, /, **values: Any) -> PageText:
    """The text ``key`` for a page's narrative (Markdown): like ``t``, with every inserted
    value escaped (``analysis.i18n.page``)."""
    return page_format(_template(key, lang), **values)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def pick(value: Any, lang: str) -> str:
    """A configured label: either one string for every language or a ``{lang: text}`` map."""
    if isinstance(value, dict):
        if lang not in value:
            raise MissingText(f"label {value!r} has no {lang!r} version")
        return str(value[lang])
    return str(value)


def listing(names: list[str], lang: str) -> str:
    """Names as a list: "A", "A and B", "A, B and C" (in the language's word for "and"); when a
    name holds that word itself ("systems and premises"), semicolons keep the items apart:
    "A; B and C; and D"."""
    if len(names) <= 1:
        return "".join(names)
    conjunction = t("list.and", lang)
    if any(re.search(rf"\b{re.escape(conjunction)}\b", name) for name in names):
        return "; ".join(names[:-1]) + f"; {conjunction} " + names[-1]
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


def number(value: float, lang: str, digits: int = 0) -> str:
    """12 345 in every language; decimals with a point in English, a comma in Finnish and
    Swedish, whose negative numbers take the minus sign (−1,8), as their style guides ask; a
    value that rounds to zero has no sign."""
    text = f"{value:,.{digits}f}".replace(",", "\u00a0")
    if text.startswith("-") and not text.strip("-0.\u00a0"):
        text = text[1:]  # -0.0 rounds to 0, not "-0"
    if lang not in DECIMAL_COMMA:
        return text
    return text.replace(".", ",").replace("-", "\u2212")


def number_down(value: float, lang: str, digits: int = 0) -> str:
    """``number`` rounded down, for a minimum or a lower bound that must not be overstated
    (0.994 is "at least 0.99", never "at least 1.00")."""
    scale = 10**digits
    return number(math.floor(round(float(value) * scale, 9)) / scale, lang, digits)


def share(value: float, lang: str, digits: int = 0) -> str:
    """A 0–1 share as a percentage: 45% in English, 45 % in Finnish and Swedish."""
    amount = number(float(value) * 100, lang, digits)
    return f"{amount}\u00a0%" if lang in DECIMAL_COMMA else f"{amount}%"


def share_down(value: float, lang: str, digits: int = 0) -> str:
    """``share`` rounded down: 99.9 % of the draws is "99%", never "100%"."""
    amount = number_down(float(value) * 100, lang, digits)
    return f"{amount}\u00a0%" if lang in DECIMAL_COMMA else f"{amount}%"


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter lower-cased, other letters kept
    (so "External funding (EU programmes)" reads "external funding (EU programmes)"), and a
    first word in capitals (an acronym) kept as it is, and so is a name whose second word is
    capitalised too ("Academic Freedom Index")."""
    words = label.split(" ")
    first = words[0]
    if len(first) > 1 and first[:2].isupper():  # EU, EU:n, OECD's
        return label
    if len(words) > 1 and words[1][:1].isupper() and not words[1].isupper() and first[:1].isupper():
        return label
    return label[:1].lower() + label[1:]


def timestamp(moment: datetime, lang: str) -> str:
    """A UTC time as the language writes it: 2026-11-25 20:30 UTC, 25.11.2026 klo 20.30 UTC,
    25.11.2026 kl. 20.30 UTC."""
    if lang in DECIMAL_COMMA:
        word = "klo" if lang == "fi" else "kl."
        return f"{moment.day}.{moment.month}.{moment.year} {word} {moment:%H.%M} UTC"
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def field_name(name: str, lang: str) -> str:
    """An OpenAlex field's display name (always English in the API) in ``lang``."""
    if lang == "en":
        return name
    return t(f"field.{name}", lang)


def reason_text(text: str, lang: str) -> str:
    """A rejection reason written by a loader (in English) with its known phrases in ``lang``."""
    if lang == "en" or not text:
        return text
    for entry in _reason_phrases():
        text = text.replace(entry["en"], entry[lang])
    return text


@cache
def _reason_phrases() -> tuple[dict[str, str], ...]:
    """Longest first, so a phrase inside a longer one is not replaced on its own."""
    phrases = [entry for key, entry in catalogue().items() if key.startswith("reason_phrase.")]
    return tuple(sorted(phrases, key=lambda entry: -len(entry["en"])))


DEMO_BANNER = "Synthetic demo data — not real figures"
# Other languages put their own wording first and keep the English, so the words "synthetic
# demo data" are on every page and figure whatever the language.
_BANNERS = {
    "fi": "Synteettinen esimerkkiaineisto — ei todellisia lukuja",
    "sv": "Syntetiska demodata — inga verkliga siffror",
}


def demo_banner(lang: str = "en") -> str:
    """The demo banner in the report's language (the English words always included)."""
    if lang in _BANNERS:
        return f"{_BANNERS[lang]} ({DEMO_BANNER})"
    return DEMO_BANNER
