"""Indicator values as a reader reads them: in the unit the scoring model declares, in the
report's language."""

from __future__ import annotations

import math

from analysis.i18n import DECIMAL_COMMA, number, share, t


def indicator_value(value: float, unit: str, lang: str) -> str:
    """``value`` in its ``unit`` (``count``, ``rate``, ``percent``, ``share``, ``index``,
    ``flag``, ``estimate``): 12 345; 35.8%; 0.818; yes; -0.72 (−0,72 in Finnish and Swedish). A
    median standing in for a count can fall between two whole numbers and keeps its half."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if unit == "count":
        return number(value, lang, 0 if value.is_integer() else 1)
    if unit == "rate":
        return number(value, lang, 1)
    if unit == "percent":
        return share(value / 100, lang, 1)
    if unit == "share":
        return share(value, lang, 1)
    if unit == "index":
        return number(value, lang, 3)
    if unit == "estimate":
        text = number(value, lang, 2)
        return text.replace("-", "\u2212") if lang in DECIMAL_COMMA else text
    if unit == "flag" and value in (0.0, 1.0):
        return t("value.yes" if value else "value.no", lang)
    return number(value, lang, 2)
