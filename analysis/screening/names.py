"""Institution names reduced to comparable tokens.

"Harbin Inst. of Tech.", "HARBIN INSTITUTE OF TECHNOLOGY" and "Harbin Institute of Technology
(HIT)" all become ``harbin institute technology``; Cyrillic and Chinese names are transliterated
to Latin letters first. Words that carry no identity (of, the, legal forms) are dropped; words
that do (technology, aeronautics, medical) are kept, so a longer, different name does not
collapse into a shorter one.
"""

from __future__ import annotations

import re
import unicodedata

import pycountry
from anyascii import anyascii

from analysis.screening.abbreviations import ABBREVIATIONS, EQUIVALENTS

# Words that say nothing about which institution it is.
NOISE = {
    "of",
    "the",
    "and",
    "for",
    "in",
    "at",
    "a",
    "an",
    "&",
    "de",
    "la",
    "le",
    "der",
    "die",
    "das",
    "und",
    "im",
    "imeni",
    "named",
    "after",
    "ltd",
    "limited",
    "inc",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "company",
    "corporation",
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "oao",
    "zao",
    "ooo",
    "fsue",
    "fgup",
    "and any successor",
    "successor",
    "subunit",
    "subsidiary",
    "thereof",
    "any",
    "or",
}
_ACRONYM = re.compile(r"\(([^()]{2,15})\)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
ACRONYM_SHAPE = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")
# An acronym written beside the name after a spaced dash: "NUDT - National University of
# Defense Technology", "National University of Defense Technology – NUDT".
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
# Country short forms written in names; three-letter ISO codes are not among them, since
# they are often an institution's acronym too (GRC, IRN).
COUNTRY_SHORT_FORMS = {"USA", "UK", "PRC", "ROC", "UAE", "EU", "ROK", "DPRK"}
MAX_VARIANTS = 8  # readings of one name when several abbreviations are ambiguous


def is_place_code(text: str) -> bool:
    """ "(HK)", "(CN)", "(USA)" name a country or territory, not the institution."""
    if len(text) == 2:
        return pycountry.countries.get(alpha_2=text) is not None
    return text in COUNTRY_SHORT_FORMS


def _initials_fit(short: str, name: str) -> bool:
    """The letters of ``short`` appear in order among the initials of ``name``'s words."""
    initials = iter(w[0] for w in re.findall(r"[A-Za-z0-9]+", name))
    return all(any(ch == i for i in initials) for ch in short if ch.isalnum())


def _split_dash(name: str) -> tuple[str, list[str]]:
    """The name without an acronym written beside it after a spaced dash, and that acronym.

    In a name written all in capitals any word looks like an acronym, so there the acronym
    must fit the initials of the name ("HIT" beside "HARBIN INSTITUTE OF TECHNOLOGY").
    """
    parts = _DASH.split(str(name).strip())
    if len(parts) != 2:
        return str(name), []
    for short, rest in ((parts[0].strip(), parts[1]), (parts[1].strip(), parts[0])):
        if not ACRONYM_SHAPE.match(short) or is_place_code(short) or " " not in rest.strip():
            continue
        if rest == rest.upper() and not _initials_fit(short, rest):
            continue
        return rest, [short]
    return str(name), []


def acronyms(name: str) -> list[str]:
    """Short forms beside the name: "National University of Defense Technology (NUDT)" and
    "National University of Defense Technology - NUDT" both give NUDT.

    Only capitals and digits count: "(Beijing)" names a place, not the institution; so do
    country codes ("(HK)", "(USA)").
    """
    rest, beside = _split_dash(name)
    found = [a.strip() for a in _ACRONYM.findall(rest)]
    found = [a for a in found if ACRONYM_SHAPE.match(a) and not is_place_code(a)]
    return list(dict.fromkeys([*found, *beside]))


def _words(name: str) -> list[str]:
    rest, _ = _split_dash(name)
    text = anyascii(unicodedata.normalize("NFKC", rest)).casefold()
    text = _ACRONYM.sub(" ", text)
    text = text.split(";")[0]  # "X; and any successor, sub-unit, or subsidiary thereof"
    return [EQUIVALENTS.get(w, w) for w in _NON_WORD.split(text) if w]


def tokens(name: str) -> list[str]:
    """The name's identifying words, abbreviations written out in their usual reading."""
    words = [EQUIVALENTS.get(w, w) for w in (ABBREVIATIONS.get(w, (w,))[0] for w in _words(name))]
    return [w for w in words if w not in NOISE]


def normalise_name(name: str) -> str:
    return " ".join(tokens(name))


def name_variants(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every reading of the name with its abbreviations written out, each with what was
    expanded (``("harbin institute technology", ("inst. → institute", "tech. → technology"))``).

    The first is :func:`normalise_name`'s; an ambiguous abbreviation ("tech.": technology or
    technical) gives one reading per meaning, at most ``MAX_VARIANTS`` in all.
    """
    readings: list[tuple[list[str], list[str]]] = [([], [])]
    for word in _words(name):
        meanings = ABBREVIATIONS.get(word)
        if meanings is None:
            readings = [(w + [word], n) for w, n in readings]
            continue
        readings = [
            (w + [EQUIVALENTS.get(m, m)], n if m in NOISE else [*n, f"{word}. \u2192 {m}"])
            for w, n in readings
            for m in meanings
        ]
        readings = readings[:MAX_VARIANTS]
    variants: dict[str, tuple[str, ...]] = {}
    for words, notes in readings:
        variants.setdefault(" ".join(w for w in words if w not in NOISE), tuple(notes))
    return list(variants.items())


def tokens_correspond(left: str, right: str, similarity: float = 80.0) -> bool:
    """Every word of each normalised name has a close counterpart in the other.

    A misspelt word ("universty") still finds its counterpart; an extra word ("east", "of
    technology") or a different one ("nanjing" for "beijing") does not, so a longer or a
    different institution's name is never taken for this one.
    """
    from rapidfuzz import fuzz

    a, b = left.split(), right.split()

    def covered(words: list[str], others: list[str]) -> bool:
        return all(any(w == o or fuzz.ratio(w, o) >= similarity for o in others) for w in words)

    return covered(a, b) and covered(b, a)
