"""Tables as a reader sees them: language formats, alignment, escaping, missing cells."""

from __future__ import annotations

import pandas as pd

from analysis.figures.tables import table_html


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
