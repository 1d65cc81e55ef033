"""Figures of the statistical audit: the indicators' correlation matrix as a lower-triangle
heat map, grouped by dimension. Each function takes a tidy table and returns a Figure."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from analysis.figures.style import FIGURE_WIDTH, PALETTE

# Vermillion for negative, blue for positive (Okabe & Ito ends, as the Likert scale), near
# white at 0, so the sign reads without red–green contrast and a weak correlation fades out.
CORRELATION_COLOURS = LinearSegmentedColormap.from_list(
    "audit_correlation",
    [PALETTE["vermillion"], "#F4A582", "#F7F7F7", "#92C5DE", PALETTE["blue"]],
)
SEPARATOR = "dimension-separator"  # gid of the lines between dimensions (tests find them)
DARK_CELL = 0.6  # |r| above which a cell is dark enough to need white text


def _wrap(label: str, width: int) -> str:
    """Lines of at most ``width`` characters, broken between words only (a long Finnish
    compound keeps a line of its own)."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False))


def _grouped_order(names: list[str], dimension_of: dict[str, str], dimensions: list[str]):
    """The indicators by dimension (``dimensions`` first, in their order, then any other), each
    group in the matrix's order; and the (dimension, first, end) position of each group."""
    known = list(dict.fromkeys([*dimensions, *(dimension_of[name] for name in names)]))
    order, spans = [], []
    for dimension in known:
        members = [name for name in names if dimension_of[name] == dimension]
        if members:
            spans.append((dimension, len(order), len(order) + len(members)))
            order += members
    return order, spans


def _separators(ax, spans, size: int) -> None:
    """A line between each pair of neighbouring dimensions, along the top and right edges of
    the block of pairs across them, so the empty half stays clear (rows are indicators 2…n,
    columns 1…n−1: a row sits one place above its indicator's position)."""
    for _, _, end in spans[:-1]:
        style = {"color": "#222222", "linewidth": 1.6, "gid": SEPARATOR}
        ax.plot([end - 0.5, end - 0.5], [end - 1.5, size - 1.5], **style)
        ax.plot([-0.5, end - 0.5], [end - 1.5, end - 1.5], **style)


def _dimension_names(ax, spans, size: int, dimension_labels: dict[str, str]) -> None:
    """Each dimension's name over its columns (above the plot) and beside its rows (right)."""
    for dimension, first, end in spans:
        name = _wrap(dimension_labels.get(dimension, dimension), 24)
        columns = (first, min(end, size - 1) - 1)  # the last indicator has no column
        if columns[1] >= columns[0]:
            ax.text(sum(columns) / 2, -0.75, name, ha="center", va="bottom", fontweight="bold")
        rows = (max(first, 1) - 1, end - 2)  # the first indicator has no row
        if rows[1] >= rows[0]:
            ax.text(
                size - 1.3,
                sum(rows) / 2,
                name,
                ha="left",
                va="center",
                rotation=-90,
                fontweight="bold",
            )


def correlation_heatmap(
    matrix: pd.DataFrame,
    labels: dict[str, str],
    dimension_of: dict[str, str],
    dimension_labels: dict[str, str],
    title: str,
    format_value: Callable[[float], str] = lambda value: f"{value:.2f}",
    colour_label: str = "Correlation",
    missing: str = "–",
) -> plt.Figure:
    """The lower triangle of a square correlation ``matrix`` (indicator × indicator, e.g.
    ``analysis.scoring.audit.correlation_matrix``): each pair once, its value written in the
    cell as ``format_value`` gives it (a decimal comma for Finnish and Swedish), ``missing``
    where undefined; coloured on a diverging scale from −1 to 1 centred on 0. Indicators are
    grouped by ``dimension_of`` (in the order of ``dimension_labels``), a line drawn between
    the groups and each named, so within-dimension blocks sit on the diagonal and the
    cross-dimension block below them. ``labels`` name the indicators (long ones wrapped); the
    indicators are numbered, the rows carrying number and name and the columns the number."""
    order, spans = _grouped_order(list(matrix.columns), dimension_of, list(dimension_labels))
    size = len(order)
    if size < 2:
        raise ValueError("a correlation heat map needs at least two indicators")
    grid = matrix.reindex(index=order, columns=order).to_numpy(dtype=float)
    # Compact triangle: row i is indicator i + 1, column j is indicator j; cells above the
    # diagonal (j > i) are masked, so the diagonal of ones and the mirror half are not drawn.
    shown = grid[1:, :-1]
    upper = np.triu(np.ones_like(shown, dtype=bool), k=1)
    height = 0.62 * size + 2.6
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    ax.imshow(
        np.ma.masked_array(shown, mask=upper | np.isnan(shown)),
        cmap=CORRELATION_COLOURS,
        vmin=-1,
        vmax=1,
        aspect="equal",
    )
    for row in range(size - 1):
        for column in range(row + 1):
            value = shown[row, column]
            dark = abs(value) > DARK_CELL if value == value else False  # NaN: not dark
            ax.text(
                column,
                row,
                format_value(value) if value == value else missing,
                ha="center",
                va="center",
                fontsize=8.5,
                color="white" if dark else "#222222",
            )
    # Long labels cannot stand side by side under the columns: every indicator is numbered,
    # the rows carry number and label, the columns the number alone.
    ax.set_xticks(range(size - 1), [str(n) for n in range(1, size)], fontsize=8.5)
    ax.set_yticks(
        range(size - 1),
        [_wrap(f"{n}. {labels.get(name, name)}", 34) for n, name in enumerate(order, 1)][1:],
        fontsize=8.5,
    )
    ax.grid(False)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    _separators(ax, spans, size)
    _dimension_names(ax, spans, size, dimension_labels)
    ax.set_xlim(-0.5, size - 1.5)
    ax.set_ylim(size - 1.5, -0.5)
    # The colour scale sits in the empty upper-right half, clear of the first row's one cell.
    left = max(1 / (size - 1) + 0.04, 0.56)
    scale = ax.inset_axes((left, 1 - 0.3 / (size - 1) - 0.035, 0.96 - left, 0.035))
    ticks = [-1.0, -0.5, 0.0, 0.5, 1.0] if size > 5 else [-1.0, 0.0, 1.0]  # room for labels
    bar = fig.colorbar(ax.images[0], cax=scale, orientation="horizontal", ticks=ticks)
    bar.ax.set_xticklabels([format_value(t) for t in ticks], fontsize=8)
    bar.set_label(colour_label, fontsize=8.5)
    bar.ax.xaxis.set_label_position("top")
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.tight_layout()
    return fig
