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

from anyascii import anyascii

ABBREVIATIONS = {
    "univ": "university",
    "uni": "university",
    "inst": "institute",
    "tech": "technology",
    "techn": "technology",
    "natl": "national",
    "nat": "national",
    "acad": "academy",
    "sci": "science",
    "sciences": "science",
    "res": "research",
    "lab": "laboratory",
    "labs": "laboratory",
    "laboratories": "laboratory",
    "ctr": "center",
    "centre": "center",
    "eng": "engineering",
    "engn": "engineering",
    "coll": "college",
    "dept": "department",
    "st": "state",
    "intl": "international",
    "corp": "corporation",
    "co": "company",
    "univerzitet": "university",
    "universitet": "university",
    "universite": "university",
    "universitat": "university",
    "universidad": "university",
    "universita": "university",
    "daxue": "university",
    "institut": "institute",
    "instituto": "institute",
}
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


_ACRONYM_SHAPE = re.compile(r"^[A-Z][A-Z0-9&\-]{1,9}$")


def acronyms(name: str) -> list[str]:
    """Parenthesised short forms: "National University of Defense Technology (NUDT)" → NUDT.

    Only capitals and digits count: "(Beijing)" names a place, not the institution.
    """
    return [a.strip() for a in _ACRONYM.findall(name) if _ACRONYM_SHAPE.match(a.strip())]


def tokens(name: str) -> list[str]:
    text = anyascii(unicodedata.normalize("NFKC", str(name))).casefold()
    text = _ACRONYM.sub(" ", text)
    text = text.split(";")[0]  # "X; and any successor, sub-unit, or subsidiary thereof"
    words = [ABBREVIATIONS.get(w, w) for w in _NON_WORD.split(text) if w]
    return [w for w in words if w not in NOISE]


def normalise_name(name: str) -> str:
    return " ".join(tokens(name))


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
