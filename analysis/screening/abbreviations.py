"""The words screening treats as the same when it compares institution names.

Two tables, read by :mod:`analysis.screening.names` after a name is transliterated to Latin
letters and case-folded (so "högsk." is looked up as ``hogsk``):

``ABBREVIATIONS``
    Shortened forms, by the language they are common in, each with the full words it can
    stand for (the first is the usual one). A name written with them is compared in every
    reading ("Tech." as technology and as technical), and a candidate found through one says
    so in its ``reason`` (``univ. → university``), so the reviewer sees that the names agree
    only once the abbreviations are written out. An abbreviation is expanded only as a whole
    word: "Inst." is institute, "Instrument" stays instrument.

``EQUIVALENTS``
    Spellings and translations of the same word (centre/center, universitet/yliopisto/
    university): written out to one form without comment, since they are not shortened.

Nothing here can make a name shorter or drop a word, so the rule that a listed name inside a
longer, different institution's name is not a match is untouched: "X University Hospital"
still has its "hospital". Add a language's forms to its own block.
"""

from __future__ import annotations

_EN = {
    "univ": ("university",),
    "uni": ("university",),
    "inst": ("institute",),
    "tech": ("technology", "technical"),
    "techn": ("technology", "technical"),
    "technol": ("technology",),
    "natl": ("national",),
    "nat": ("national",),
    "acad": ("academy",),
    "sci": ("science",),
    "res": ("research",),
    "lab": ("laboratory",),
    "labs": ("laboratory",),
    "ctr": ("center",),
    "eng": ("engineering",),
    "engn": ("engineering",),
    "coll": ("college",),
    "dept": ("department",),
    "st": ("state", "saint"),
    "intl": ("international",),
    "corp": ("corporation",),
    "co": ("company",),
    "hosp": ("hospital",),
    "med": ("medical", "medicine"),
    "polytech": ("polytechnic",),
    "aeronaut": ("aeronautics",),
    "astronaut": ("astronautics",),
}
_FI = {
    "yo": ("yliopisto",),
    "yliop": ("yliopisto",),
    "amk": ("ammattikorkeakoulu",),
    "korkeak": ("korkeakoulu",),
    "tekn": ("teknillinen",),
    "tutk": ("tutkimus",),
    "lait": ("laitos",),
    "inst": ("institute",),
}
_SV = {
    "univ": ("university",),
    "hogsk": ("hogskola",),
    "kungl": ("kungliga",),
    "tekn": ("teknisk", "teknologi"),
    "inst": ("institute",),
    "vet": ("vetenskap",),
    "akad": ("academy",),
    "forskn": ("forskning",),
}

ABBREVIATIONS: dict[str, tuple[str, ...]] = {}
for _table in (_EN, _FI, _SV):
    for _short, _full in _table.items():
        ABBREVIATIONS[_short] = tuple(dict.fromkeys((*ABBREVIATIONS.get(_short, ()), *_full)))

EQUIVALENTS = {
    # English spellings
    "sciences": "science",
    "laboratories": "laboratory",
    "centre": "center",
    "defence": "defense",
    # the same word in other languages
    "yliopisto": "university",
    "yliopiston": "university",
    "universitet": "university",
    "universitetet": "university",
    "univerzitet": "university",
    "universite": "university",
    "universitat": "university",
    "universidad": "university",
    "universita": "university",
    "daxue": "university",
    "institut": "institute",
    "institutet": "institute",
    "instituutti": "institute",
    "instituto": "institute",
    "akademi": "academy",
    "akademin": "academy",
    "akatemia": "academy",
    "hogskolan": "hogskola",
}
