"""The threat/opportunity matrix and the trends by quadrant, coloured alike: each takes a
tidy table of quadrant keys and returns a Figure."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from analysis.figures.style import FIGURE_WIDTH, PALETTE
from analysis.figures.svg import value_mark

QUADRANT_COLOURS = [PALETTE["green"], PALETTE["orange"], PALETTE["sky"], PALETTE["vermillion"]]
NOT_PLACED_COLOUR = "#9e9e9e"  # a country measured on too few indicators to be placed
UNCERTAIN_COLOUR = "#333333"  # the edge of a country whose class the draws do not settle
UNCERTAIN = "uncertain"


def _interval_whiskers(ax, table: pd.DataFrame) -> None:
    """Thin lines across each country's 5–95 % interval on both scores, behind the bubbles:
    the interval of that country's own score, not a link to any other country."""
    if "opportunity_whisker_low" not in table:
        return
    style = {"color": "#8a8a8a", "linewidth": 0.9, "zorder": 1}
    ax.hlines(
        table["threat"],
        table["opportunity_whisker_low"],
        table["opportunity_whisker_high"],
        **style,
    )
    ax.vlines(
        table["opportunity"], table["threat_whisker_low"], table["threat_whisker_high"], **style
    )


def matrix(
    table: pd.DataFrame,
    *,
    cuts: dict[str, float],
    quadrant_names: dict[str, str],
    title: str,
    axis_labels: tuple[str, str] = ("Opportunity score (0–100)", "Threat score (0–100)"),
    uncertain_label: str = "classification uncertain",
    not_placed_label: str = "not placed",
    hover: list[str] | None = None,
    names: dict[str, str] | None = None,
    size_label: str = "Co-publications",
    code_label: str = "Country codes",
    count: Callable[[float], str] = lambda value: f"{value:,.0f}",
    limits: tuple[float, float] = (-5.0, 105.0),
) -> plt.Figure:
    """Opportunity (x) against threat (y), bubble area by volume; ``table["quadrant"]`` holds
    quadrant keys, ``quadrant_names`` maps each key to its label, in the matrix's colour order.

    ``cuts`` are the declared reference levels, drawn as dashed lines. Where the table has
    them, ``<score>_whisker_low``/``_high`` are drawn as lines across each country's interval;
    a country whose class is ``uncertain`` is drawn hollow with a dark edge, a ``not_placed``
    one grey. Each bubble is a value mark telling
    ``hover`` (one text per row); a code is written beside a bubble only where it overlaps no
    other code, and below the axes a key of the bubble sizes (``size_label``, numbers by
    ``count``) and of the codes (``names``: code → name in the figure's language)."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 8.6))
    colours = dict(zip(quadrant_names, QUADRANT_COLOURS, strict=False))
    largest = float(table["copublications"].max())
    sizes = 30 + 900 * table["copublications"] / largest
    _interval_whiskers(ax, table)
    for row, index in enumerate(table.index):
        key = table.at[index, "quadrant"]
        uncertain = key == UNCERTAIN
        colour = colours.get(key, NOT_PLACED_COLOUR)
        bubble = ax.scatter(
            [table.at[index, "opportunity"]],
            [table.at[index, "threat"]],
            s=[sizes[index]],
            # an uncertain country is an outline on a faint fill: it never hides a bubble under
            # it, and the pointer still finds it
            facecolor=(1.0, 1.0, 1.0, 0.2)
            if uncertain
            else to_rgba(colour, 0.65 if key in colours else 0.6),
            edgecolor=to_rgba(UNCERTAIN_COLOUR, 0.95) if uncertain else to_rgba("white", 0.65),
            linewidth=1.8 if uncertain else 0.8,
            linestyle="--" if uncertain else "-",
            zorder=2,
        )
        if hover is not None:
            value_mark(bubble, hover[row])
    uncertain = table["quadrant"] == UNCERTAIN
    outside = ~table["quadrant"].isin(list(quadrant_names)) & ~uncertain
    handles = [
        ax.scatter([], [], s=80, color=colours[k], alpha=0.65, edgecolor="white", label=name)
        for k, name in quadrant_names.items()
    ]
    if outside.any():
        handles.append(ax.scatter([], [], s=80, color=NOT_PLACED_COLOUR, label=not_placed_label))
    if uncertain.any():
        handles.append(
            ax.scatter(
                [],
                [],
                s=80,
                color="white",
                edgecolor=UNCERTAIN_COLOUR,
                linewidth=1.8,
                linestyle="--",
                label=uncertain_label,
            )
        )
    ax.axvline(cuts["opportunity"], color="#888888", linestyle="--", linewidth=0.8)
    ax.axhline(cuts["threat"], color="#888888", linestyle="--", linewidth=0.8)
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    ax.set_title(title, loc="left")
    # The axes take their final place before the codes are placed in pixels; the keys sit
    # inside the figure, below the axes, so that nothing drawn later below the figure (the
    # demo banner) can overlap them.
    fig.subplots_adjust(bottom=0.3, top=0.95)
    place_labels(
        ax,
        table["opportunity"].to_numpy(),
        table["threat"].to_numpy(),
        table["iso2"].tolist(),
        order=(-table["copublications"].to_numpy()).argsort(),
        sizes=sizes.to_numpy(),
    )
    legend = ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(-0.02, -0.09), ncol=1, fontsize=9
    )
    ax.add_artist(legend)
    steps = sorted({_round(largest), _round(largest / 4), _round(largest / 20)} - {0})
    size_handles = [
        ax.scatter([], [], s=30 + 900 * value / largest, color="#bbbbbb", label=count(value))
        for value in steps
    ]
    ax.legend(
        handles=size_handles,
        title=size_label,
        loc="upper right",
        bbox_to_anchor=(1.0, -0.09),
        ncol=len(size_handles),
        fontsize=9,
        title_fontsize=9,
        labelspacing=1.2,
        borderpad=0.6,
        columnspacing=1.6,
    )
    if names:
        _code_key(fig, ax, names, code_label)
    return fig


def _round(value: float) -> float:
    """``value`` to one significant figure (4 818 → 5 000), for the size key."""
    if value <= 0:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(value))
    return round(value / magnitude) * magnitude


def _code_key(fig: plt.Figure, ax, names: dict[str, str], label: str) -> None:
    """Every code with its name, in lines under the legends."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    lowest = min(legend.get_window_extent(renderer).y0 for legend in ax.findobj(Legend))
    # Unbreakable spaces keep each code on one line with its name.
    entries = [f"{code} {names[code]}".replace(" ", "\u00a0") for code in sorted(names)]
    lines = textwrap.wrap(f"{label}: " + " · ".join(entries), 140, break_on_hyphens=False)
    fig.text(
        0.02,
        (lowest - 8) / fig.bbox.height,
        "\n".join(lines),
        ha="left",
        va="top",
        fontsize=8,
        color="#333333",
        linespacing=1.4,
    )


def place_labels(ax, xs, ys, labels, order, sizes=None, fontsize: float = 8.5) -> list:
    """Put each label beside its point where it overlaps no label placed before it, no other
    point and nothing outside the axes; a label with no such place is left out (the point's
    value mark and the table name it). Returns the labels placed.

    Larger bubbles are labelled first; each label tries eight positions around its bubble at
    growing distances, measured from the label as drawn, with a leader line when it moved far.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_pixels = ax.transData.transform
    frame = ax.get_window_extent(renderer)
    pixels_per_point = fig.dpi / 72
    sizes = np.full(len(xs), 30.0) if sizes is None else np.asarray(sizes, dtype=float)
    radii = np.sqrt(sizes) / 2 * pixels_per_point
    centres = [to_pixels((x, y)) for x, y in zip(xs, ys, strict=True)]
    placed: list[tuple[float, float, float, float]] = []
    drawn = []
    directions = [(0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    for index in order:
        probe = ax.text(0, 0, labels[index], fontsize=fontsize)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        width, height = extent.width + 2, extent.height + 2
        px, py = centres[index]
        chosen = None
        for gap in (2, 7, 14, 24, 38, 56, 80):
            for dx, dy in directions:
                norm = (dx * dx + dy * dy) ** 0.5
                reach = radii[index] + gap
                cx = px + dx / norm * reach + dx * width / 2
                cy = py + dy / norm * reach + dy * height / 2
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                if _free(box, frame, placed, centres, index, radii):
                    chosen = (cx - px, cy - py, box, gap)
                    break
            if chosen:
                break
        if chosen is None:
            continue
        offset_x, offset_y, box, gap = chosen
        placed.append(box)
        drawn.append(
            ax.annotate(
                labels[index],
                (xs[index], ys[index]),
                xytext=(offset_x / pixels_per_point, offset_y / pixels_per_point),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=fontsize,
                zorder=3,
                arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.6, "shrinkA": 1}
                if gap > 7
                else None,
            )
        )
    return drawn


def _free(box, frame, placed, centres, own: int, radii=None) -> bool:
    """``box`` lies inside the axes, clear of every box placed and of every other bubble
    (its centre, and its disc where ``radii`` are given, less a little so that touching
    edges of large bubbles still leave room)."""
    x0, y0, x1, y1 = box
    if x0 < frame.x0 or y0 < frame.y0 or x1 > frame.x1 or y1 > frame.y1:
        return False
    if any(not (x1 < b[0] or x0 > b[2] or y1 < b[1] or y0 > b[3]) for b in placed):
        return False
    for number, (cx, cy) in enumerate(centres):
        if number == own:
            continue
        reach = 2.0 if radii is None else max(2.0, 0.6 * float(radii[number]))
        nearest_x, nearest_y = min(max(cx, x0), x1), min(max(cy, y0), y1)
        if (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 <= reach**2:
            return False
    return True


def quadrant_trends(
    table: pd.DataFrame,
    *,
    title: str,
    ylabel: str = "Co-publications",
    order: list[str] | None = None,
    labels: dict[str, str] | None = None,
    hover: Callable[[str, int, float], str] | None = None,
) -> plt.Figure:
    """Co-publications per year by quadrant, each quadrant in its colour of the matrix
    (``order``: the quadrant keys in the order the matrix colours them; ``labels``: their
    names in the figure's language); each year's point is a value mark telling
    ``hover(quadrant key, year, works)``."""
    order = order or sorted(table["quadrant"].unique())
    labels = labels or {key: key for key in order}
    colours = dict(zip(order, [*QUADRANT_COLOURS, NOT_PLACED_COLOUR], strict=False))
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    handles = []
    for key in order:
        part = table[table["quadrant"] == key].sort_values("year")
        if not len(part):
            continue
        ax.plot(part["year"], part["works"], color=colours[key], label=labels[key])
        handles.append(Line2D([], [], color=colours[key], marker="o", label=labels[key]))
        for year, works in zip(part["year"], part["works"], strict=True):
            (point,) = ax.plot([year], [works], marker="o", linestyle="", color=colours[key])
            if hover is not None:
                value_mark(point, hover(key, int(year), float(works)))
    ax.set_ylabel(ylabel)
    ax.set_xticks(sorted(table["year"].unique()))
    ax.legend(handles=handles, fontsize=9)
    ax.set_title(title, loc="left")
    return fig
