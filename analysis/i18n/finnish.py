"""Finnish numbers in a case: "268:sta", "80 %:ssa", "14:ää", "1 000:sta".

A number written in digits takes the case ending after a colon, and the ending is the one of the
number's last inflected word as it is read aloud (Kielitoimiston ohjepankki, "Luvut ja numerot:
peruslukujen taivuttaminen"; the EU's Finnish style guide, 10.2.2):

- 268 is read "kaksisataakuusikymmentäkahdeksan", so "268:sta" (kahdeksasta);
- in 11–19 "-toista" never inflects, so the ending comes from the first part: "12:ssa"
  (kahdessatoista), "14:ää" (neljäätoista), "11:stä" (yhdestätoista);
- a round ten, hundred or thousand ends in that word: "20:stä" (kymmenestä), "100:sta"
  (sadasta), "1 000:sta" (tuhannesta);
- a doubled vowel is written out in full: "4:ää", "8:aan", never "4:ä";
- "80 %" is read "kahdeksankymmentä prosenttia", so the ending is the one of "prosentti":
  "80 %:ssa", "80 %:sta", "80 %:iin";
- a range or a fraction takes the ending of its last number ("87–97 %:ssa", "1–5:stä").

In the catalogue a Finnish text asks for a case with a format spec on its placeholder,
``{base:ela}``; ``CaseFormatter`` (used by ``t`` and ``page_text`` for every language) fills it.
The English and Swedish texts keep the plain ``{base}``, so the placeholder names stay the same.
"""

from __future__ import annotations

import re
import string
from typing import Any

# The case codes a placeholder may carry, with the case's name.
CASES = {
    "gen": "genitive",  # 268:n
    "par": "partitive",  # 268:aa
    "ine": "inessive",  # 268:ssa
    "ela": "elative",  # 268:sta
    "ill": "illative",  # 268:aan
    "ade": "adessive",  # 268:lla
    "abl": "ablative",  # 268:lta
    "all": "allative",  # 268:lle
    "ess": "essive",  # 268:na
    "tra": "translative",  # 268:ksi
}

# word read last -> (back vowels?, partitive ending, illative ending, essive ending)
_WORDS = {
    "nolla": (True, "a", "aan", "na"),
    "yksi": (False, "tä", "een", "nä"),
    "kaksi": (True, "ta", "een", "na"),
    "kolme": (True, "a", "een", "na"),
    "neljä": (False, "ää", "ään", "nä"),
    "viisi": (False, "tä", "een", "nä"),
    "kuusi": (True, "ta", "een", "na"),
    "seitsemän": (False, "ää", "ään", "nä"),
    "kahdeksan": (True, "aa", "aan", "na"),
    "yhdeksän": (False, "ää", "ään", "nä"),
    "kymmenen": (False, "tä", "een", "nä"),
    "sata": (True, "aa", "aan", "na"),
    "tuhat": (True, "ta", "een", "na"),
    "miljoona": (True, "aa", "aan", "na"),
    "prosentti": (True, "a", "iin", "na"),
}
_DIGITS = ("nolla", "yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän",
           "kahdeksan", "yhdeksän")  # fmt: skip

_SPACES = "\u00a0\u202f "
# The last number of a value: digits with thousands spaces and an optional decimal part,
# and a percent sign after it; a range's or a fraction's earlier numbers stay as they are.
_LAST_NUMBER = re.compile(r"(\d[\d\u00a0\u202f ]*(?:[.,]\d+)?)([\u00a0\u202f ]?%)?\s*$")


def last_word(number: str) -> str:
    """The word a number written in digits ends with when read aloud ("268" -> "kahdeksan",
    "14" -> "neljä", "2 000" -> "tuhat", "0,5" -> "viisi")."""
    digits = number.translate({ord(c): None for c in _SPACES})
    if re.search(r"[.,]", digits):  # a decimal is read digit by digit after the comma
        return _DIGITS[int(digits[-1])]
    value = int(digits)
    if value == 0:
        return "nolla"
    if value % 1_000_000 == 0:
        return "miljoona"
    if value % 1000 == 0:
        return "tuhat"
    if value % 100 == 0:
        return "sata"
    rest = value % 100
    if 11 <= rest <= 19:  # "-toista" never inflects: the ending is the first part's
        return _DIGITS[rest - 10]
    if rest % 10 == 0:
        return "kymmenen"
    return _DIGITS[rest % 10]


def case_ending(word: str, case: str) -> str:
    """The ending (without the colon) that ``word`` takes in ``case`` (a code of ``CASES``)."""
    if case not in CASES:
        raise ValueError(f"unknown Finnish case {case!r}: use one of {', '.join(CASES)}")
    back, partitive, illative, essive = _WORDS[word]
    a = "a" if back else "ä"
    return {
        "gen": "n",
        "par": partitive,
        "ine": f"ss{a}",
        "ela": f"st{a}",
        "ill": illative,
        "ade": f"ll{a}",
        "abl": f"lt{a}",
        "all": "lle",
        "ess": essive,
        "tra": "ksi",
    }[case]


def inflect(value: Any, case: str) -> str:
    """``value`` (a number, "80 %", "87–97 %", "4/34", already formatted or not) with the
    colon ending of ``case``: ``inflect(268, "ela") == "268:sta"``. A value that does not end
    in a number (a withheld "–") is returned as it is."""
    text = str(value)
    match = _LAST_NUMBER.search(text)
    if match is None:
        if case not in CASES:
            raise ValueError(f"unknown Finnish case {case!r}: use one of {', '.join(CASES)}")
        return text
    word = "prosentti" if match.group(2) else last_word(match.group(1))
    return f"{text.rstrip()}:{case_ending(word, case)}"


class CaseFormatter(string.Formatter):
    """``str.format`` that also reads a Finnish case code as a format spec: ``{n:ela}``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec in CASES:
            return inflect(value, format_spec)
        return super().format_field(value, format_spec)


FORMATTER = CaseFormatter()
