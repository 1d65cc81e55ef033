"""One look for every figure: colour-blind-safe colours, readable at report width."""

from __future__ import annotations

import matplotlib as mpl

# Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7f7f7f",
}
GROUP_COLOURS = {
    "university": PALETTE["blue"],
    "uas": PALETTE["orange"],
    "research_institute": PALETTE["green"],
    "other": PALETTE["grey"],
    "all": "#222222",
    "institution": PALETTE["vermillion"],
}
# Diverging scale for 1–5 agreement: disagreement in vermillion tones, agreement in blues.
LIKERT_COLOURS = ["#D55E00", "#F4A582", "#D9D9D9", "#92C5DE", "#0072B2"]
FIGURE_WIDTH = 9.0  # inches; the report column is about 60 rem
DPI = 110


def apply_style() -> None:
    mpl.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.figsize": (FIGURE_WIDTH, 5.0),
            "font.family": "DejaVu Sans",
            "font.size": 10.5,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#e5e5e5",
            "grid.linewidth": 0.8,
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
            "legend.frameon": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "responsible-cooperation",
        }
    )
