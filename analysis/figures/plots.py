"""Plot functions: each takes a tidy (already suppressed) table and returns a Figure."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.figures.style import FIGURE_WIDTH, GROUP_COLOURS, LIKERT_COLOURS, PALETTE
from analysis.figures.svg import value_mark


def _wrap(label: str, width: int = 42) -> str:
    """Lines of at most ``width`` characters, broken between words only: a word longer than
    the width (Finnish compounds) keeps a line of its own, and hyphens are not break points."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False))


def international_share(
    output_by_year: pd.DataFrame,
    *,
    title: str,
    ylabel: str = "Internationally co-authored (%)",
    percent=lambda share: f"{share:.0%}",
    hover: Callable[[pd.Series], str] | None = None,
) -> plt.Figure:
    """The internationally co-authored share by year, each year's point a value mark telling
    ``hover(row)``."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    years = output_by_year["year"]
    ax.plot(years, output_by_year["international_share"] * 100, color=PALETTE["blue"], linewidth=2)
    for _, row in output_by_year.iterrows():
        (point,) = ax.plot(
            [row["year"]], [row["international_share"] * 100], marker="o", color=PALETTE["blue"]
        )
        if hover is not None:
            value_mark(point, hover(row))
    for year, share in zip(years, output_by_year["international_share"], strict=True):
        ax.annotate(
            percent(share),
            (year, share * 100),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=9,
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(years))
    ax.set_title(title, loc="left")
    return fig


def top_partners(
    table: pd.DataFrame, *, value: str, label: str, title: str, xlabel: str
) -> plt.Figure:
    """Horizontal bars, largest on top."""
    ordered = table.sort_values(value)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.32 * len(ordered) + 1.2))
    ax.barh(ordered[label], ordered[value], color=PALETTE["blue"])
    for y, v in enumerate(ordered[value]):
        ax.text(v, y, f" {v:,.0f}".replace(",", " "), va="center", fontsize=9)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.set_title(title, loc="left")
    return fig


def share_by_group(
    table: pd.DataFrame,
    *,
    labels: dict[str, str],
    group: str,
    group_labels: dict[str, str],
    title: str,
    xlabel: str,
    order: list[str] | None = None,
) -> plt.Figure:
    """Dots with 95 % intervals for each item (rows, top to bottom in ``order``, else as in
    the table) and group (colours); NaN = suppressed."""
    items = order or list(dict.fromkeys(table["item_id"]))
    groups = [g for g in group_labels if g in set(table[group])]
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.62 * len(items) + 1.4))
    offsets = np.linspace(-0.25, 0.25, len(groups)) if len(groups) > 1 else [0.0]
    for offset, name in zip(offsets, groups, strict=True):
        part = table[table[group] == name].set_index("item_id").reindex(items)
        y = np.arange(len(items)) + offset
        share = pd.to_numeric(part["share_agree"], errors="coerce") * 100
        low = pd.to_numeric(part["ci_low"], errors="coerce") * 100
        high = pd.to_numeric(part["ci_high"], errors="coerce") * 100
        colour = GROUP_COLOURS.get(name, PALETTE["grey"])
        ax.errorbar(
            share,
            y,
            xerr=[share - low, high - share],
            fmt="o",
            color=colour,
            ecolor=colour,
            elinewidth=1.2,
            capsize=2,
            markersize=5,
            label=group_labels[name],
        )
    ax.set_yticks(range(len(items)), [_wrap(labels[i]) for i in items], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(groups), fontsize=9)
    ax.set_title(title, loc="left", pad=28)
    return fig


def _diverging_bars(
    ax, table: pd.DataFrame, order: list[str], percent=lambda share: f"{share:.0%}"
) -> None:
    part = table.set_index("item_id").reindex(order)
    y = np.arange(len(order))
    shares = [
        pd.to_numeric(part[f"share_{k}"], errors="coerce").to_numpy() * 100 for k in range(1, 6)
    ]
    left = -(shares[0] + shares[1] + shares[2] / 2)
    for share, colour in zip(shares, LIKERT_COLOURS, strict=True):
        ax.barh(y, np.nan_to_num(share), left=np.nan_to_num(left), color=colour, height=0.7)
        left = left + share
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xticks(
        [-100, -50, 0, 50, 100],
        [percent(abs(v) / 100) if v else "0" for v in (-100, -50, 0, 50, 100)],
        fontsize=8,
    )
    ax.grid(axis="y", visible=False)


def diverging_likert(
    table: pd.DataFrame,
    *,
    labels: dict[str, str],
    scale_labels: list[str],
    group_labels: dict[str, str],
    title: str,
    suppressed: str = "suppressed\n(too few\nrespondents)",
    percent=lambda share: f"{share:.0%}",
    order: list[str] | None = None,
) -> plt.Figure:
    """Stacked bars centred on the neutral point, one panel per group (suppressed: said so).

    Items are ordered by ``order`` (bottom to top), else by agreement among all respondents,
    the same in every panel.
    """
    groups = [g for g in group_labels if g in set(table["org_type"])]
    everyone = (
        table[table["org_type"] == groups[-1]]
        if "all" not in groups
        else (table[table["org_type"] == "all"])
    )
    agree = pd.to_numeric(everyone["share_4"], errors="coerce") + pd.to_numeric(
        everyone["share_5"], errors="coerce"
    )
    if order is None:
        order = everyone.assign(agree=agree.to_numpy()).sort_values("agree")["item_id"].tolist()
    fig, axes = plt.subplots(
        1, len(groups), figsize=(FIGURE_WIDTH * 1.25, 0.45 * len(order) + 1.9), sharey=True
    )
    axes = np.atleast_1d(axes)
    for ax, group in zip(axes, groups, strict=True):
        part = table[table["org_type"] == group]
        _diverging_bars(ax, part, order, percent)
        ax.set_title(_wrap(group_labels[group], 22), fontsize=9.5, loc="center")
        n = pd.to_numeric(part["n"], errors="coerce")
        if n.isna().all():
            ax.text(
                0,
                len(order) / 2,
                suppressed,
                ha="center",
                va="center",
                fontsize=9,
                color="#555555",
            )
    axes[0].set_yticks(range(len(order)), [_wrap(labels[i], 34) for i in order], fontsize=8.5)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in LIKERT_COLOURS]
    fig.legend(
        handles,
        scale_labels,
        loc="upper center",
        ncol=5,
        fontsize=8.5,
        bbox_to_anchor=(0.5, 0.955),
        frameon=False,
    )
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", y=0.995)
    fig.tight_layout(rect=(0, 0, 1, 0.91))
    return fig


def threats_against_preparedness(
    table: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    corner: str = "high concern, low readiness",
) -> plt.Figure:
    """One point per organisation type: mean threat agreement against mean readiness."""
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH * 0.75, 5))
    for number, row in enumerate(table.sort_values("readiness").itertuples(index=False)):
        colour = GROUP_COLOURS.get(row.group, PALETTE["grey"])
        ax.scatter(row.readiness * 100, row.threat_share * 100, s=120, color=colour)
        # Alternate labels above and below so neighbouring points keep readable labels.
        ax.annotate(
            row.label,
            (row.readiness * 100, row.threat_share * 100),
            textcoords="offset points",
            xytext=(8, 8 if number % 2 == 0 else -16),
            fontsize=9.5,
        )
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.axhline(50, color="#bbbbbb", linestyle="--", linewidth=0.8)
    ax.axvline(50, color="#bbbbbb", linestyle="--", linewidth=0.8)
    if corner:
        ax.text(2, 97, corner, fontsize=8.5, va="top", color="#9a3412")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    return fig


def field_mix(
    table: pd.DataFrame,
    *,
    title: str,
    top_fields: int = 10,
    colour_label: str = "Share of co-publications with the country (%)",
) -> plt.Figure:
    """Heat map: share of each partner's co-publications in each of the largest fields."""
    totals = table.groupby("field")["works"].sum().nlargest(top_fields).index.tolist()
    order = table.groupby("iso2")["works"].sum().sort_values(ascending=False).index.tolist()
    grid = (
        table[table["field"].isin(totals)]
        .pivot_table(index="country", columns="field", values="share", aggfunc="sum")
        .reindex(columns=totals)
    )
    names = table.drop_duplicates("iso2").set_index("iso2")["country"]
    grid = grid.reindex([names[c] for c in order])
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.38 * len(grid) + 2.6))
    image = ax.imshow(grid.to_numpy() * 100, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(totals)), [_wrap(f, 16) for f in totals], fontsize=8, rotation=90)
    ax.set_yticks(range(len(grid)), grid.index, fontsize=9)
    ax.grid(False)
    for y in range(grid.shape[0]):
        for x in range(grid.shape[1]):
            value = grid.iat[y, x] * 100
            if value == value:  # not NaN
                ax.text(
                    x,
                    y,
                    f"{value:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if value > 0.6 * np.nanmax(grid.to_numpy() * 100) else "#222",
                )
    fig.colorbar(image, ax=ax, label=colour_label, shrink=0.8)
    ax.set_title(title, loc="left")
    return fig


def critical_share_small_multiples(
    table: pd.DataFrame,
    *,
    title: str,
    names: dict[str, str],
    ylabel: str = "Critical areas (%)",
    reference_label: str = "Median of the partners",
    columns: int = 5,
    hover: Callable[[str, int, float, float], str] | None = None,
) -> plt.Figure:
    """One small panel per partner: its share of co-publications in critical technology areas
    by year (blue), against the median of all partners shown (grey, dashed); panels ordered by
    the latest year's share, highest first, on one shared scale. With ``hover``, each year's
    point is a value mark telling ``hover(code, year, share, median)``."""
    latest = table[table["year"] == table["year"].max()]
    order = latest.sort_values(["critical_share", "partner_country"], ascending=[False, True])[
        "partner_country"
    ].tolist()
    order += sorted(set(table["partner_country"]) - set(order))
    reference = table.groupby("year")["critical_share"].median() * 100
    rows = -(-len(order) // columns)
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(FIGURE_WIDTH, 1.75 * rows + 0.9),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    top = float(table["critical_share"].max()) * 100 if len(table) else 1.0
    years = sorted(table["year"].unique())
    for ax, code in zip(axes.flat, order, strict=False):
        part = table[table["partner_country"] == code].sort_values("year")
        ax.plot(
            reference.index,
            reference.to_numpy(),
            color=PALETTE["grey"],
            linestyle="--",
            linewidth=1,
            label=reference_label,
        )
        ax.plot(part["year"], part["critical_share"] * 100, color=PALETTE["blue"], linewidth=2)
        if hover is not None:
            for year, value in zip(part["year"], part["critical_share"], strict=True):
                (point,) = ax.plot([year], [value * 100], marker="o", markersize=3.5)
                point.set_color(PALETTE["blue"])
                value_mark(point, hover(code, int(year), float(value), reference[year] / 100))
        ax.set_title(names.get(code, code), fontsize=9.5, loc="left", fontweight="normal")
        ax.set_ylim(0, top * 1.15)
        if years:
            ax.set_xticks([years[0], years[-1]])
        ax.tick_params(labelsize=8)
    for index, ax in enumerate(axes.flat):
        if index >= len(order):
            ax.set_visible(False)
            if 0 <= index - columns < len(order):
                # the last panel of a column that ends above the bottom row keeps its years
                axes.flat[index - columns].tick_params(labelbottom=True)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=8.5)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", fontsize=8.5)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    fig.tight_layout()
    return fig
