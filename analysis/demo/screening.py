"""Synthetic screening lists and reviewer decisions in the real lists' shapes."""

from pathlib import Path

from analysis.demo.writers import write_csv


def write_screening_demo(target: Path) -> list[Path]:
    """A group-maintained list in the generic CSV form, built to exercise the screening rules
    against the demo's partner institutions, and a reviewer's decisions file."""
    folder = target / "screening"
    listed = [
        # the same institution, abbreviated, with its acronym: a candidate
        ["Demo restricted list", "D-001", "PARTNER UNIV. CN-2 (PUC2)", "", "CN", "", ""],
        # a longer, different name that contains a partner's name: never a candidate
        [
            "Demo restricted list",
            "D-002",
            "Partner University RU-1 of Aeronautics",
            "",
            "RU",
            "",
            "",
        ],
        # an identifier match (ROR)
        [
            "Demo restricted list",
            "D-003",
            "Institute for Advanced Studies IR",
            "",
            "IR",
            "https://ror.org/0zz006001",
            "",
        ],
        # a misspelling close to a partner's name: a candidate a reviewer rejects
        ["Demo restricted list", "D-004", "Partner Universty SE-1", "", "SE", "", ""],
        # unrelated entries
        [
            "Demo restricted list",
            "D-005",
            "Example Trading Company Ltd",
            "EXAMPLE TRADING; EX TRADING CO",
            "AE",
            "",
            "",
        ],
        ["Demo restricted list", "D-006", "Northern Defence Research Bureau", "", "BY", "", ""],
    ]
    decisions = [
        [
            "I9000043",
            "Demo restricted list",
            "D-001",
            "confirmed",
            "Reviewer A",
            "2024-10-15",
            "same institution; listed since 2023",
        ],
        [
            "I9000001",
            "Demo restricted list",
            "D-004",
            "rejected",
            "Reviewer A",
            "2024-10-15",
            "different organisation; name misspelt in the list",
        ],
    ]
    return [
        write_csv(
            folder / "demo_restricted_list.csv",
            ["list", "entity_id", "name", "alt_names", "country", "ror", "openalex_id"],
            listed,
            line_terminator="\n",
        ),
        write_csv(
            folder / "decisions.csv",
            ["institution_id", "list", "entity_id", "decision", "reviewer", "date", "note"],
            decisions,
            line_terminator="\n",
        ),
    ]
