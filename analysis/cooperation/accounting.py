"""Row accounting of a cooperation source file: read, kept, rejected and why."""

from __future__ import annotations

import pandas as pd


def accounting_row(source: str, read: int, rejects: pd.DataFrame) -> dict[str, object]:
    """One accounting line; reasons are counted without the quoted values they name."""
    reasons = rejects["reason"].str.replace(r" '.*'$", "", regex=True).value_counts()
    return {
        "source_file": source,
        "rows_read": read,
        "kept": read - len(rejects),
        "rejected": len(rejects),
        "rejected_reason": "; ".join(f"{r} ({n})" for r, n in reasons.items()),
    }
