"""Plot functions: each takes a tidy (already suppressed) table and returns a Figure."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.style import FIGURE_WIDTH, GROUP_COLOURS, LIKERT_COLOURS, PALETTE


def _wrap(label: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(label, width))


def international_share(output_by_year: pd.DataFrame, *, title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 4.2))
    years = output_by_year["year"]
    ax.plot(
        years,
        output_by_year["international_share"] * 100,
        marker="o",
        color=PALETTE["blue"],
        linewidth=2,
    )
    for year, share in zip(years, output_by_year["international_share"], strict=True):
        ax.annotate(
            f"{share:.0%}",
            (year, share * 100),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=9,
        )
    ax.set_ylim(0, 100)
    ax.set_ylabel("Internationally co-authored (%)")
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
) -> plt.Figure:
    """Dots with 95 % intervals for each item (rows) and group (colours); NaN = suppressed."""
    items = list(dict.fromkeys(table["item_id"]))
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


def diverging_likert(
    table: pd.DataFrame, *, labels: dict[str, str], scale_labels: list[str], title: str
) -> plt.Figure:
    """Stacked bars centred on the neutral point: disagreement left, agreement right."""
    ordered = table.assign(agree=table["share_4"].astype(float) + table["share_5"].astype(float))
    ordered = ordered.sort_values("agree")
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, 0.5 * len(ordered) + 1.6))
    y = np.arange(len(ordered))
    shares = [ordered[f"share_{k}"].astype(float).to_numpy() * 100 for k in range(1, 6)]
    left = -(shares[0] + shares[1] + shares[2] / 2)
    for k, (share, colour) in enumerate(zip(shares, LIKERT_COLOURS, strict=True)):
        ax.barh(y, share, left=left, color=colour, label=scale_labels[k], height=0.7)
        left = left + share
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [_wrap(labels[i]) for i in ordered["item_id"]], fontsize=9)
    ax.set_xlim(-100, 100)
    ax.set_xticks(range(-100, 101, 25), [f"{abs(t)}%" for t in range(-100, 101, 25)])
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5, fontsize=8.5)
    ax.set_title(title, loc="left", pad=30)
    return fig


def threats_against_preparedness(
    table: pd.DataFrame, *, title: str, xlabel: str, ylabel: str
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
    ax.text(2, 97, "high concern, low readiness", fontsize=8.5, va="top", color="#9a3412")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    return fig
