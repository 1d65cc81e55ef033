"""The threat/opportunity matrix and the trends by quadrant, coloured alike: each takes a
tidy table of quadrant keys and returns a Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures.style import FIGURE_WIDTH, PALETTE

QUADRANT_COLOURS = [PALETTE["green"], PALETTE["orange"], PALETTE["sky"], PALETTE["vermillion"]]
NOT_PLACED_COLOUR = "#9e9e9e"  # a country measured on too few indicators to be placed


def _rank_whiskers(ax, table: pd.DataFrame) -> None:
    """Thin lines across each country's interval on both scores, behind the bubbles."""
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
    axis_labels: tuple[str, str] = ("Opportunity score (0–1)", "Threat score (0–1)"),
    uncertain_label: str = "classification uncertain",
    not_placed_label: str = "not placed",
) -> plt.Figure:
    """Opportunity (x) against threat (y), bubble area by volume; ``table["quadrant"]`` holds
    quadrant keys, ``quadrant_names`` maps each key to its label, in the matrix's colour order.

    Where the table has them, ``<score>_whisker_low``/``_high`` are drawn as lines across each
    country's interval, and a country whose ``stable`` is false is drawn hollow (in its
    quadrant's colour); a ``not_placed`` country is grey."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 7.5))
    colours = dict(zip(quadrant_names, QUADRANT_COLOURS, strict=False))
    sizes = 30 + 900 * table["copublications"] / table["copublications"].max()
    stable = table["stable"].astype(bool) if "stable" in table else pd.Series(True, table.index)
    _rank_whiskers(ax, table)
    for key, name in quadrant_names.items():
        part = table["quadrant"] == key
        for firm in (True, False):
            chosen = part & (stable == firm)
            ax.scatter(
                table.loc[chosen, "opportunity"],
                table.loc[chosen, "threat"],
                s=sizes[chosen],
                color=colours[key] if firm else "white",
                edgecolor="white" if firm else colours[key],
                linewidth=0.8 if firm else 1.8,
                alpha=0.65 if firm else 0.95,
                label=name if firm else None,
                zorder=2,
            )
    outside = ~table["quadrant"].isin(list(quadrant_names))
    if outside.any():
        ax.scatter(
            table.loc[outside, "opportunity"],
            table.loc[outside, "threat"],
            s=sizes[outside],
            color=NOT_PLACED_COLOUR,
            alpha=0.6,
            edgecolor="white",
            label=not_placed_label,
            zorder=2,
        )
    if (~stable & ~outside).any():
        ax.scatter(
            [], [], s=80, color="white", edgecolor="#555555", linewidth=1.8, label=uncertain_label
        )
    ax.axvline(cuts["opportunity"], color="#888888", linestyle="--", linewidth=0.8)
    ax.axhline(cuts["threat"], color="#888888", linestyle="--", linewidth=0.8)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    place_labels(
        ax,
        table["opportunity"].to_numpy(),
        table["threat"].to_numpy(),
        table["iso2"].tolist(),
        order=(-table["copublications"].to_numpy()).argsort(),
    )
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    # The legend sits inside the figure, below the axes, so that nothing drawn later below
    # the figure (the demo banner) can overlap it.
    fig.subplots_adjust(bottom=0.2)
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=9)
    for handle in legend.legend_handles:
        handle.set_sizes([80])
    ax.set_title(title, loc="left")
    return fig


def place_labels(ax, xs, ys, labels, order, fontsize: float = 8.5) -> None:
    """Put each label beside its point where it overlaps no label placed before it.

    Larger bubbles are labelled first; each label tries eight positions around its point at
    growing distances and takes the first free one, with a leader line when it had to move far.
    """
    fig = ax.figure
    fig.canvas.draw()
    to_pixels = ax.transData.transform
    placed: list[tuple[float, float, float, float]] = []
    pixels_per_point = fig.dpi / 72
    char_width, height = fontsize * 0.62 * pixels_per_point, fontsize * 1.25 * pixels_per_point
    directions = [(0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)]
    for index in order:
        px, py = to_pixels((xs[index], ys[index]))
        width = char_width * len(labels[index]) + 4
        chosen = None
        for distance in (10, 16, 24, 34, 46):
            for dx, dy in directions:
                cx, cy = px + dx * (distance + width / 2 * abs(dx)), py + dy * distance
                box = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
                if all(
                    box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed
                ):
                    chosen = (cx - px, cy - py, box)
                    break
            if chosen:
                break
        if chosen is None:  # nowhere free: the first position, overlapping as little as it can
            chosen = (
                0.0,
                10.0,
                (px - width / 2, py + 10 - height / 2, px + width / 2, py + 10 + height / 2),
            )
        offset_x, offset_y, box = chosen
        placed.append(box)
        far = (offset_x**2 + offset_y**2) ** 0.5 > 20
        ax.annotate(
            labels[index],
            (xs[index], ys[index]),
            xytext=(offset_x * 0.75, offset_y * 0.75),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=fontsize,
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.6} if far else None,
        )


def quadrant_trends(
    table: pd.DataFrame,
    *,
    title: str,
    ylabel: str = "Co-publications",
    order: list[str] | None = None,
    labels: dict[str, str] | None = None,
) -> plt.Figure:
    """Co-publications per year by quadrant, each quadrant in its colour of the matrix
    (``order``: the quadrant keys in the order the matrix colours them; ``labels``: their
    names in the figure's language)."""
    order = order or sorted(table["quadrant"].unique())
    labels = labels or {key: key for key in order}
    colours = dict(zip(order, [*QUADRANT_COLOURS, NOT_PLACED_COLOUR], strict=False))
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    for key in order:
        part = table[table["quadrant"] == key]
        if len(part):
            ax.plot(part["year"], part["works"], marker="o", color=colours[key], label=labels[key])
    ax.set_ylabel(ylabel)
    ax.set_xticks(sorted(table["year"].unique()))
    ax.legend(fontsize=9)
    ax.set_title(title, loc="left")
    return fig
