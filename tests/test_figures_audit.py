"""The audit's correlation heat map: one image, the lower triangle written out in the
caller's number format, and the dimensions separated and named."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.image import AxesImage

from analysis.figures.audit import SEPARATOR, correlation_heatmap

NAMES = ["o1", "o2", "o3", "t1", "t2"]
MATRIX = pd.DataFrame(
    [
        [1.0, 0.5, -0.25, 0.1, np.nan],
        [0.5, 1.0, 0.75, -0.6, 0.2],
        [-0.25, 0.75, 1.0, 0.05, 0.3],
        [0.1, -0.6, 0.05, 1.0, 0.9],
        [np.nan, 0.2, 0.3, 0.9, 1.0],
    ],
    index=NAMES,
    columns=NAMES,
)
DIMENSION_OF = {"o1": "opportunity", "o2": "opportunity", "o3": "opportunity"}
DIMENSION_OF |= {"t1": "threat", "t2": "threat"}


def _heatmap(**options) -> plt.Figure:
    labels = {name: f"Indicator {name} with a label long enough to need wrapping" for name in NAMES}
    return correlation_heatmap(
        MATRIX[["t2", "o1", "t1", "o2", "o3"]].loc[["t2", "o1", "t1", "o2", "o3"]],  # mixed order
        labels,
        DIMENSION_OF,
        {"opportunity": "Mahdollisuus", "threat": "Uhka"},
        "Korrelaatiot",
        format_value=lambda value: f"{value:.2f}".replace(".", ","),
        **options,
    )


def test_heatmap_writes_the_lower_triangle_in_the_callers_format() -> None:
    fig = _heatmap()
    try:
        assert isinstance(fig, plt.Figure)
        images = [a for ax in fig.axes for a in ax.get_children() if isinstance(a, AxesImage)]
        assert len(images) == 1
        ax = images[0].axes
        texts = [t.get_text() for t in ax.texts]
        # each of the 5·4/2 pairs once, no diagonal: 0,50 (o1–o2) and 0,90 (t1–t2) written
        cells = [t for t in texts if t not in {"Mahdollisuus", "Uhka"}]
        assert len(cells) == 10
        assert {"0,50", "-0,25", "0,75", "0,90", "-0,60", "–"} <= set(cells)  # –: undefined
        assert "1,00" not in cells
        # the colour scale runs −1…1 around 0, in the same format
        assert images[0].get_clim() == (-1, 1)
        (scale,) = ax.child_axes  # drawn inside the empty upper half
        assert "0,00" in [t.get_text() for t in scale.get_xticklabels()]
    finally:
        plt.close(fig)


def test_heatmap_groups_indicators_by_dimension_and_separates_them() -> None:
    fig = _heatmap()
    try:
        ax = fig.axes[0]
        # grouped: opportunity first (the labels' order), the matrix's order within a group;
        # the columns carry each indicator's number, the rows number and label
        columns = [t.get_text() for t in ax.get_xticklabels()]
        rows = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        # the last indicator (t1) has no column: it pairs only with those before it
        assert columns == ["1", "2", "3", "4"]
        assert [row.split(" ")[:3] for row in rows] == [
            [f"{n}.", "Indicator", name] for n, name in ((2, "o2"), (3, "o3"), (4, "t2"), (5, "t1"))
        ]
        assert all("\n" in t.get_text() for t in ax.get_yticklabels())  # long labels wrapped
        separators = [line for line in ax.lines if line.get_gid() == SEPARATOR]
        assert len(separators) == 2  # one boundary, along both axes
        vertical = next(line for line in separators if len(set(line.get_xdata())) == 1)
        assert vertical.get_xdata()[0] == 2.5  # between o3 (column 2) and t1 (column 3)
        names = [t.get_text() for t in ax.texts if t.get_text() in {"Mahdollisuus", "Uhka"}]
        assert sorted(set(names)) == ["Mahdollisuus", "Uhka"]
    finally:
        plt.close(fig)
