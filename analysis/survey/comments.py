"""Free-text comments counted by theme, with a keyword dictionary in Finnish, Swedish, English.

Comments are personal data: only counts of respondents per theme leave this module, and they
pass through disclosure control like every other table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.disclosure.cells import suppress_small_cells
from analysis.sources.labels import normalise_label


@dataclass(frozen=True)
class Theme:
    key: str
    label: dict[str, str]
    pattern: re.Pattern[str]


def load_themes(path: Path) -> list[Theme]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    themes = []
    for key, spec in raw["themes"].items():
        words = sorted({normalise_label(k) for k in spec["keywords"]}, key=len, reverse=True)
        if not words:
            raise ValueError(f"{path}: theme {key!r} has no keywords")
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")
        themes.append(Theme(key, dict(spec["label"]), pattern))
    return themes


def theme_matches(comments: pd.Series, themes: list[Theme]) -> pd.DataFrame:
    """One boolean column per theme: does each comment mention it."""
    text = comments.fillna("").map(normalise_label)
    return pd.DataFrame(
        {theme.key: text.map(lambda t, p=theme.pattern: bool(p.search(t))) for theme in themes},
        index=comments.index,
    )


def comment_themes(respondents: pd.DataFrame, themes: list[Theme], min_cell: int) -> pd.DataFrame:
    """Respondents whose comment touches each theme, of those who left a comment (by theme
    key; the report names the themes in its language)."""
    comments = respondents["comment"].dropna()
    comments = comments[comments.str.strip() != ""]
    matches = theme_matches(comments, themes)
    table = pd.DataFrame(
        {
            "theme": [t.key for t in themes],
            "respondents": [int(matches[t.key].sum()) for t in themes],
        }
    )
    table["share_of_commenters"] = table["respondents"] / len(comments) if len(comments) else 0.0
    table["commenters"] = len(comments)
    return suppress_small_cells(
        table, count="respondents", values=["share_of_commenters"], min_cell=min_cell
    )
