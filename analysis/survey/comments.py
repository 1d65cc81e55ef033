"""Free-text comments counted by theme, with a keyword dictionary in Finnish, Swedish, English.

Comments are personal data: only counts of respondents per theme leave this module, and they
pass through disclosure control like every other table. Themes are coded by keywords, not read
by a person; each theme's share is stated of those who commented and of all respondents.
A theme raised by at least the declared ``attention_share`` of those who commented either
leads to a draft recommendation or carries a declared reason why not (``no_recommendation``).
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
    # Why a theme leads to no draft recommendation, per language (None: it should lead to one).
    no_recommendation: dict[str, str] | None = None


def load_themes(path: Path) -> list[Theme]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    themes = []
    for key, spec in raw["themes"].items():
        words = sorted({normalise_label(k) for k in spec["keywords"]}, key=len, reverse=True)
        if not words:
            raise ValueError(f"{path}: theme {key!r} has no keywords")
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")
        reason = spec.get("no_recommendation")
        themes.append(Theme(key, dict(spec["label"]), pattern, dict(reason) if reason else None))
    return themes


def load_attention_share(path: Path) -> float:
    """The declared share of those who commented at which a theme must lead to a draft
    recommendation or state why not."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "attention_share" not in raw:
        raise ValueError(f"{path}: attention_share is not declared")
    value = float(raw["attention_share"])
    if not 0 < value <= 1:
        raise ValueError(f"{path}: attention_share must be a share in (0, 1], not {value}")
    return value


def theme_matches(comments: pd.Series, themes: list[Theme]) -> pd.DataFrame:
    """One boolean column per theme: does each comment mention it."""
    text = comments.fillna("").map(normalise_label)
    return pd.DataFrame(
        {theme.key: text.map(lambda t, p=theme.pattern: bool(p.search(t))) for theme in themes},
        index=comments.index,
    )


def comment_themes(respondents: pd.DataFrame, themes: list[Theme], min_cell: int) -> pd.DataFrame:
    """Respondents whose comment touches each theme (by theme key; the report names the themes
    in its language), as a share of those who left a comment and of all respondents."""
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
    table["share_of_respondents"] = (
        table["respondents"] / len(respondents) if len(respondents) else 0.0
    )
    table["all_respondents"] = len(respondents)
    return suppress_small_cells(
        table,
        count="respondents",
        values=["share_of_commenters", "share_of_respondents"],
        min_cell=min_cell,
    )
