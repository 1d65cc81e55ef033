"""Publishing: free text is escaped, figures carry the demo mark and their data."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import analysis.figures.publisher as figures
from analysis.figures.publisher import Publisher


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    captured: list[str] = []
    monkeypatch.setattr(figures, "display", lambda obj: captured.append(obj.data))
    return captured


def test_tables_escape_html_and_script_in_free_text(tmp_path: Path, shown) -> None:
    pub = Publisher(tmp_path, "31_report", synthetic=False)
    hostile = pd.DataFrame({"Comment": ["<script>alert('x')</script> ok", "<b>bold</b> & co"]})
    pub.table(hostile, title="Comments <i>as written</i>")
    html = shown[0]
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html


def test_figures_are_saved_with_data_caption_and_demo_mark(tmp_path: Path, shown) -> None:
    pub = Publisher(tmp_path, "21_x", synthetic=True)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    pub.figure(
        fig,
        "line",
        title="T",
        caption="C <b>",
        alt='A "quoted"',
        data=pd.DataFrame({"v": ["=1+1"]}),
        source="S",
    )
    # One image per language, one language-neutral data file.
    for name in ("21_x__line.en.png", "21_x__line.en.svg", "21_x__line.en.json", "21_x__line.csv"):
        assert (tmp_path / name).is_file(), name
    assert not list(tmp_path.glob("21_x__line.png"))
    assert "'=1+1" in (tmp_path / "21_x__line.csv").read_text(encoding="utf-8-sig")
    assert "Synthetic demo data" in (tmp_path / "21_x__line.en.svg").read_text()
    assert 'alt="A &quot;quoted&quot;"' in shown[0] and "C &lt;b&gt;" in shown[0]
    assert "Figure 1." in shown[0]

    report = Publisher(tmp_path, "31_report", synthetic=True)
    report.show_saved("21_x__line")
    assert "Figure 1." in shown[1] and 'src="data:image/png;base64,' in shown[1]
    with pytest.raises(FileNotFoundError, match=r"21_x__line\.fi\.png"):
        Publisher(tmp_path, "31_report", synthetic=True, lang="fi").show_saved("21_x__line")


def test_figures_in_several_languages_never_overwrite_each_other(tmp_path: Path, shown) -> None:
    for pub in [Publisher(tmp_path, "21_x", True, lang) for lang in ("en", "fi")]:
        fig, ax = plt.subplots()
        ax.set_title({"en": "Threats", "fi": "Uhat"}[pub.lang])
        pub.figure(
            fig, "t", title="T", caption="C", alt="A", data=pd.DataFrame({"k": [1]}), source="S"
        )
    assert "Uhat" in (tmp_path / "21_x__t.fi.svg").read_text()
    assert "Uhat" not in (tmp_path / "21_x__t.en.svg").read_text()
    assert "Threats" in (tmp_path / "21_x__t.en.svg").read_text()
    assert sorted(p.name for p in tmp_path.glob("21_x__t.*.png")) == [
        "21_x__t.en.png",
        "21_x__t.fi.png",
    ]


def test_a_figure_drawn_without_the_demo_mark_is_refused_in_a_demo_report(
    tmp_path: Path, shown
) -> None:
    fig, _ = plt.subplots()
    Publisher(tmp_path, "21_x", synthetic=False).figure(
        fig, "plain", title="T", caption="C", alt="A", data=pd.DataFrame({"v": [1]}), source="S"
    )
    with pytest.raises(ValueError, match="synthetic-data mark"):
        Publisher(tmp_path, "31_report", synthetic=True).show_saved("21_x__plain")


def test_quadrant_trends_colour_each_quadrant_as_the_matrix_does() -> None:
    import pandas as pd
    from matplotlib.colors import to_hex

    from analysis.figures.matrix import QUADRANT_COLOURS, quadrant_trends

    order = ["Deepen", "Manage actively", "Monitor", "Reconsider"]
    table = pd.DataFrame(
        {"year": [2023, 2024] * 2, "quadrant": ["Reconsider"] * 2 + ["Deepen"] * 2, "works": 1}
    )
    lines = quadrant_trends(table, title="t", order=order).axes[0].get_lines()
    colours = {
        line.get_label(): to_hex(line.get_color())
        for line in lines
        if not line.get_label().startswith("_")
    }
    assert colours == {
        "Deepen": to_hex(QUADRANT_COLOURS[0]),
        "Reconsider": to_hex(QUADRANT_COLOURS[3]),
    }


def test_long_labels_wrap_between_words_never_inside_one() -> None:
    from analysis.figures.plots import _wrap

    label = (
        "Rekrytointi- ja valintamenettelyt, joissa tutkimusturvallisuus huomioidaan lain puitteissa"
    )
    for width in (10, 16, 22, 34, 42):
        lines = _wrap(label, width).split("\n")
        assert " ".join(lines).split() == label.split(), width
        assert all(len(line) <= width or " " not in line for line in lines), width
    assert _wrap("Kumppaniorganisaatiot EU-hankkeissa", 12).split("\n") == [
        "Kumppaniorganisaatiot",
        "EU-hankkeissa",
    ]
    assert _wrap("", 10) == ""


def test_the_concern_figure_writes_its_corner_note_in_the_report_language() -> None:
    from analysis.figures.plots import threats_against_preparedness
    from analysis.i18n import t

    points = pd.DataFrame(
        {"group": ["university"], "label": ["Yliopisto"], "readiness": [0.4], "threat_share": [0.6]}
    )
    fig = threats_against_preparedness(
        points, title="", xlabel="", ylabel="", corner=t("survey.concern_corner", "fi")
    )
    texts = [text.get_text() for text in fig.axes[0].texts]
    plt.close(fig)
    assert "suuri huoli, vähäinen valmius" in texts
    assert not any("high concern" in text for text in texts)


def test_finnish_and_swedish_tick_labels_take_a_decimal_comma() -> None:
    from analysis.figures.publisher import decimal_commas

    def ticks(lang: str) -> tuple[list[str], list[str]]:
        fig, ax = plt.subplots()
        ax.plot([2015, 2024], [0.0, 0.5])
        ax.set_xticks([2015, 2024])
        if lang != "en":
            decimal_commas(fig)
        fig.canvas.draw()
        labels = (
            [t.get_text() for t in ax.get_xticklabels()],
            [t.get_text() for t in ax.get_yticklabels()],
        )
        plt.close(fig)
        return labels

    years, shares = ticks("sv")
    assert years == ["2015", "2024"]
    assert "0,2" in shares and not any("." in label for label in shares)
    assert "0.2" in ticks("en")[1]


def test_the_demo_mark_sits_below_a_legend_under_the_axes(tmp_path: Path, shown) -> None:
    fig, ax = plt.subplots()
    ax.scatter([1, 2], [3, 4], label="points")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1))
    Publisher(tmp_path, "21_x", synthetic=True).figure(
        fig, "legend", title="T", caption="C", alt="A", data=pd.DataFrame({"v": [1]}), source="S"
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # the publisher closed the figure's own
    canvas.draw()
    renderer = canvas.get_renderer()
    mark = next(text for text in fig.texts if "Synthetic demo data" in text.get_text())
    assert mark.get_window_extent(renderer).y1 <= legend.get_window_extent(renderer).y0
