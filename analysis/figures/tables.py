"""Tables as a reader sees them: numbers in the page's language format and right-aligned,
text left-aligned, every cell escaped, missing cells as the caption says ("–")."""

from __future__ import annotations

import html
import math

import pandas as pd

from analysis.i18n import number

MISSING = "–"


def _is_year_column(values: pd.Series) -> bool:
    """Whole numbers that all look like years are written without a thousands separator."""
    present = values.dropna()
    return len(present) > 0 and bool(((present >= 1900) & (present <= 2100)).all())


def _decimals(values: pd.Series) -> int:
    """The decimals a column of floats was rounded to (at most 2)."""
    for digits in range(3):
        present = values.dropna().astype(float)
        if ((present * 10**digits).round(6) % 1 == 0).all():
            return digits
    return 2


def formatted_column(values: pd.Series, lang: str) -> tuple[list[str], bool]:
    """The column's cells as text in ``lang``, and whether it is numeric."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return [MISSING if _missing(v) else str(v) for v in values], False
    digits = 0 if pd.api.types.is_integer_dtype(values) else _decimals(values)
    years = digits == 0 and _is_year_column(values)
    cells = [
        MISSING if _missing(v) else str(int(v)) if years else number(float(v), lang, digits)
        for v in values
    ]
    return cells, True


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def table_html(frame: pd.DataFrame, lang: str, css_class: str = "report-table") -> str:
    """The frame as an HTML table with a header row; numeric columns carry ``class="num"``."""
    columns = [formatted_column(frame[name], lang) for name in frame.columns]
    numeric = [' class="num"' if is_number else "" for _, is_number in columns]
    head = "".join(
        f'<th scope="col"{css}>{html.escape(str(name))}</th>'
        for name, css in zip(frame.columns, numeric, strict=True)
    )
    rows = []
    for index in range(len(frame)):
        cells = "".join(
            f"<td{css}>{html.escape(texts[index])}</td>"
            for (texts, _), css in zip(columns, numeric, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
