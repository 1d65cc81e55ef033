"""Frames for the analyst's eyes only: marked so that nothing publishes them.

An internal frame (a view of withheld cells with their would-be values, a what-if read under a
smaller ``min_cell``) carries ``attrs["internal"] = True`` and a column ``internal_only``, so
it is recognised both in memory (the publisher refuses to show or save it) and as a file (the
release audit refuses a release holding one).
"""

from __future__ import annotations

import pandas as pd

INTERNAL = "internal"  # the DataFrame attribute
INTERNAL_COLUMN = "internal_only"  # the column, which survives a CSV


class InternalFrame(ValueError):
    """An internal frame was about to be published."""


def mark_internal(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` marked internal (attribute and column)."""
    marked = frame.copy()
    marked[INTERNAL_COLUMN] = True
    marked.attrs[INTERNAL] = True
    return marked


def is_internal(frame: pd.DataFrame | None) -> bool:
    """Whether ``frame`` is marked internal, by its attribute or its column."""
    if frame is None:
        return False
    return bool(frame.attrs.get(INTERNAL)) or INTERNAL_COLUMN in frame.columns


def refuse_internal(*frames: pd.DataFrame | None, where: str = "") -> None:
    """Raise ``InternalFrame`` if any of ``frames`` is internal."""
    if any(is_internal(frame) for frame in frames):
        place = f" in {where}" if where else ""
        raise InternalFrame(
            f"an internal frame (withheld values, or read under a smaller min_cell) cannot be "
            f"published{place}: publish the protected table instead"
        )
