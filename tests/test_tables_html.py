"""Tables as a reader sees them: language formats, alignment, escaping, missing cells."""

from __future__ import annotations

import pandas as pd

from analysis.figures.tables import PRINT_ITEMS, PrintList, table_html


def test_numbers_take_the_language_format_and_the_right_column_class() -> None:
    frame = pd.DataFrame(
        {
            "Country": ["China", "<b>Sweden</b>"],
            "Works": [5049, 120],
            "Year": [2024, 2019],
            "Change (%)": [11.7, -3.25],
            "Respondents": [26.0, float("nan")],
        }
    )
    english = table_html(frame, "en")
    assert "<td>China</td>" in english and "&lt;b&gt;Sweden&lt;/b&gt;" in english
    assert '<td class="num">5\u00a0049</td>' in english
    assert '<td class="num">2024</td>' in english, "years keep their four digits"
    assert '<td class="num">11.70</td>' in english and '<td class="num">-3.25</td>' in english
    assert '<td class="num">26</td>' in english and '<td class="num">–</td>' in english
    assert '<th scope="col">Country</th>' in english and '<th scope="col" class="num">' in english
    finnish = table_html(frame, "fi")
    assert '<td class="num">11,70</td>' in finnish and '<td class="num">5\u00a0049</td>' in finnish


def test_a_column_rounded_to_one_decimal_is_shown_with_one() -> None:
    html = table_html(pd.DataFrame({"Share (%)": [33.6, 12.0]}), "sv")
    assert '<td class="num">33,6</td>' in html and '<td class="num">12,0</td>' in html


def test_a_list_in_a_cell_prints_its_first_items_and_a_count_of_the_rest() -> None:
    names = tuple(f"Child {i} <{i}>" for i in range(1, 9))
    frame = pd.DataFrame(
        {"field": ["children", "aliases"], "value": [PrintList(names), PrintList(("A",))]}
    )
    page = table_html(frame, "fi")
    first = "; ".join(names[:PRINT_ITEMS]).replace("<", "&lt;").replace(">", "&gt;")
    rest = "; " + "; ".join(names[PRINT_ITEMS:]).replace("<", "&lt;").replace(">", "&gt;")
    assert f'<td>{first}<span class="print-rest">{rest}</span>' in page
    assert f'<span class="print-more"> … ja {8 - PRINT_ITEMS} muuta</span>' in page
    assert "<td>A</td>" in page  # a short list is just its text
    assert str(PrintList(names)) == "; ".join(names)  # the CSV holds the whole list


def test_rows_outside_the_printed_range_are_marked_to_stay_off_paper() -> None:
    frame = pd.DataFrame({"date": [f"2024-0{m}-01" for m in range(1, 8)]})
    page = table_html(frame, "en", printed=range(4, 7))  # the last three
    rows = page.split("<tbody>")[1].split("</tr>")[:-1]
    assert ['class="print-rest"' in row for row in rows] == [True] * 4 + [False] * 3
