"""The disclosure rules of the release, declared in ``config/disclosure.yaml``.

A *cell* is what the release says about one group of respondents for one question: its ``n``
(respondents who chose a point of the scale) and the counts behind each published share
(``agree``; ``count_1`` … ``count_5``; ``yes``, ``partly``, ``no`` and ``points`` of the
readiness index: an organisation's split of answers is published beside its index). A cell
may be published only when

- ``n`` is at least ``min_cell`` (the threshold; ``primary`` otherwise), and
- in a group of fewer than ``group_size`` respondents, no share count lies within ``margin``
  of 0 or of ``n`` (``group`` otherwise: the share would show how (nearly) everyone in the
  group answered).

The same test applies to anything a reader can work out from published cells (see
``attack.py``); further cells withheld so that nothing can be are marked ``secondary``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.files.yaml_file import parse_yaml

PRIMARY = "primary"
GROUP = "group"
SECONDARY = "secondary"
REASONS = ("", PRIMARY, GROUP, SECONDARY)
# The counts behind published shares; ``n`` is their denominator, ``dont_know`` goes with n.
SHARE_COUNTS = (
    "agree",
    *(f"count_{k}" for k in range(1, 6)),
    "yes",
    "partly",
    "no",
    "points",
)


@dataclass(frozen=True)
class Rules:
    min_cell: int
    group_size: int
    margin: int
    group_rule: bool = True
    differencing: bool = True
    # The counts behind published shares, tested by the group rule: the survey's, or a
    # table's own (``analysis.disclosure.explore.protect``).
    share_counts: tuple[str, ...] = SHARE_COUNTS

    def __post_init__(self) -> None:
        if self.min_cell < 1:
            raise ValueError("min_cell must be at least 1")
        if self.group_size < 0 or self.margin < 0:
            raise ValueError("group_size and margin cannot be negative")

    @classmethod
    def defaults(cls, min_cell: int) -> Rules:
        """The declared defaults: groups under 2 × min_cell, counts within min_cell of 0 or n."""
        return cls(int(min_cell), 2 * int(min_cell), int(min_cell))

    def near_extreme(self, n: float, counts: Mapping[str, float]) -> bool:
        """A share count within ``margin`` of 0 or of ``n``, in a group under ``group_size``."""
        if not self.group_rule or n >= self.group_size:
            return False
        shares = [counts[name] for name in self.share_counts if counts.get(name) is not None]
        return any(c < self.margin or n - c < self.margin for c in shares)

    def reason(self, counts: Mapping[str, float]) -> str:
        """Why a cell may not be published ("" when it may): ``primary`` or ``group``."""
        n = counts.get("n") or 0
        if n < self.min_cell:
            return PRIMARY
        return GROUP if self.near_extreme(n, counts) else ""

    def disclosive(self, counts: Mapping[str, float]) -> str:
        """For a cell a reader has worked out: ``primary``/``group`` when it reveals too much.

        A worked-out group nobody in which chose a point of the scale (n = 0) reveals no answer.
        """
        n = counts.get("n")
        if n is None or abs(n) < 1e-9:
            return ""
        return self.reason(counts)

    def describe(self) -> dict[str, object]:
        return {
            "min_cell": self.min_cell,
            "group_size": self.group_size,
            "margin": self.margin,
            "group_rule": self.group_rule,
            "differencing": self.differencing,
        }


def load_rules(path: str | Path, min_cell: int) -> Rules:
    """The rules in ``path`` (``config/disclosure.yaml``) with the run's ``min_cell``."""
    raw = parse_yaml(Path(path).read_text(encoding="utf-8")) or {}
    group = raw.get("group_disclosure") or {}
    method = group.get("method", "withhold")
    if method != "withhold":
        raise ValueError(
            f"{path}: group_disclosure.method {method!r} is not supported: only 'withhold' "
            "(a band narrow enough to be useful in a group under 2 × min_cell still tells "
            "whether everyone answered alike)"
        )
    defaults = Rules.defaults(min_cell)
    size = group.get("group_size")
    margin = group.get("margin")
    return Rules(
        min_cell=int(min_cell),
        group_size=defaults.group_size if size is None else int(size),
        margin=defaults.margin if margin is None else int(margin),
        group_rule=bool(group.get("enabled", True)),
        differencing=bool((raw.get("differencing") or {}).get("enabled", True)),
    )


def release_min_cell(params: str | Path) -> int:
    """The ``min_cell`` the build and the release use (``common`` of ``config/params.yaml``)."""
    raw = parse_yaml(Path(params).read_text(encoding="utf-8")) or {}
    return int((raw.get("common") or {}).get("min_cell", 5))
