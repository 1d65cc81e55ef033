"""Tables as a reader sees them: numbers in the page's language format and right-aligned,
text left-aligned, every cell escaped, missing cells as the caption says ("–")."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from analysis.i18n import number, t

MISSING = "–"
PRINT_ITEMS = 5  # a list in a cell prints its first items and "… and N more"


@dataclass(frozen=True)
class PrintList:
    """A cell holding a list: the whole list on screen (and in the CSV), the first
    ``PRINT_ITEMS`` and a count of the rest on paper."""

    items: tuple[str, ...]
    separator: str = "; "

    def __str__(self) -> str:
        return self.separator.join(self.items)


MANY_COLUMNS = 9  # from this many columns a table prints in smaller type


def _cell(value: object, lang: str) -> str:
    """One cell's HTML: text escaped; a ``PrintList`` with its rest marked for print."""
    if not isinstance(value, PrintList):
        return html.escape(str(value))
    shown = value.separator.join(value.items[:PRINT_ITEMS])
    rest = value.items[PRINT_ITEMS:]
    if not rest:
        return html.escape(shown)
    more = t("table.and_more", lang, count=len(rest))
    return (
        f'{html.escape(shown)}<span class="print-rest">'
        f"{html.escape(value.separator + value.separator.join(rest))}</span>"
        f'<span class="print-more"> {html.escape(more)}</span>'
    )


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
        return [
            MISSING if _missing(v) else v if isinstance(v, PrintList) else str(v) for v in values
        ], False
    digits = 0 if pd.api.types.is_integer_dtype(values) else _decimals(values)
    years = digits == 0 and _is_year_column(values)
    cells = [
        MISSING if _missing(v) else str(int(v)) if years else number(float(v), lang, digits)
        for v in values
    ]
    return cells, True


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def table_html(
    frame: pd.DataFrame,
    lang: str,
    css_class: str = "report-table",
    printed: range | None = None,
) -> str:
    """The frame as an HTML table with a header row; numeric columns carry ``class="num"``.
    With ``printed``, the rows outside it are marked to be left off paper (``print-rest``)."""
    columns = [formatted_column(frame[name], lang) for name in frame.columns]
    numeric = [' class="num"' if is_number else "" for _, is_number in columns]
    head = "".join(
        f'<th scope="col"{css}>{html.escape(str(name))}</th>'
        for name, css in zip(frame.columns, numeric, strict=True)
    )
    rows = []
    for index in range(len(frame)):
        cells = "".join(
            f"<td{css}>{_cell(texts[index], lang)}</td>"
            for (texts, _), css in zip(columns, numeric, strict=True)
        )
        rest = printed is not None and index not in printed
        rows.append(f'<tr class="print-rest">{cells}</tr>' if rest else f"<tr>{cells}</tr>")
    if len(frame.columns) >= MANY_COLUMNS:
        css_class = f"{css_class} many-columns"  # printed in smaller type to fit the page
    return (
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
