"""The audit attacks a release folder: hand-made releases with the known ways a withheld cell
is given away, each worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.__main__ import main
from analysis.disclosure.audit import audit_release
from analysis.disclosure.rules import Rules
from analysis.files.hashing import sha256_file
from analysis.files.tables import write_csv_for_people

RULES = Rules.defaults(5)
BLOCK, ITEM = "threats", "threat_dual_use"


def row(group: str, n: int | None, agree: int | None, suppressed: str = "") -> dict:
    shown = suppressed == ""
    return {
        "block": BLOCK,
        "item_id": ITEM,
        "group": group,
        "n": n if shown else None,
        "dont_know": 0 if shown else None,
        "agree": agree if shown else None,
        "share_agree": agree / n if shown else None,
        "suppressed": suppressed,
    }


def sector_file(folder: Path, rows: list[tuple[str, int, int, str]]) -> None:
    table = pd.DataFrame([row(*r) for r in rows]).rename(columns={"group": "org_type"})
    write_csv_for_people(table, folder / "figures" / "21_survey_analysis__threats_by_org_type.csv")


def institution_file(
    folder: Path, key: str, sector: tuple[str, int, int], own: tuple[int, int, str] | None
) -> None:
    """An institution report's data: its sector, all respondents and (when shown) itself."""
    rows = [row(*sector), row("all", 87, 45)]
    if own is not None:
        rows.append(row("institution", *own))
    table = pd.DataFrame(rows).assign(organisation_key=key)
    write_csv_for_people(table, folder / "figures" / f"32_institution_report__{key}__threats.csv")


def research_institutes(folder: Path, protected: bool) -> Path:
    """A sector of four institutes, RI-4 with 4 respondents (the known failure)."""
    sector_file(folder, [("all", 87, 45), ("university", 50, 25), ("research_institute", 37, 20)])
    institute = ("research_institute", 37, 20)
    institution_file(folder, "UNI-A", ("university", 50, 25), (50, 25, ""))
    institution_file(folder, "RI-1", institute, (12, 6, ""))
    institution_file(folder, "RI-2", institute, (11, 5, ""))
    institution_file(folder, "RI-3", institute, (10, 5, "secondary") if protected else (10, 5, ""))
    institution_file(folder, "RI-4", institute, None)  # fewer than min_cell: sector only
    return folder


def test_the_audit_recovers_the_small_institute_and_names_the_files(tmp_path: Path) -> None:
    result = audit_release(research_institutes(tmp_path, protected=False), RULES)
    assert not result.passed
    (finding,) = result.findings
    assert finding.kind == "recovered"
    assert (
        "organisation RI-4 = sector research_institute − organisation RI-1 − organisation RI-2"
        " − organisation RI-3 (n = 4, agree = 4"
    ) in finding.what
    assert finding.files == [
        "figures/21_survey_analysis__threats_by_org_type.csv",
        *[f"figures/32_institution_report__RI-{i}__threats.csv" for i in (1, 2, 3, 4)],
    ]


def test_the_command_fails_on_the_recovery_and_passes_once_protected(
    tmp_path: Path, capsys
) -> None:
    assert main(["audit-release", str(research_institutes(tmp_path / "open", False))]) == 1
    printed = capsys.readouterr().out
    assert "organisation RI-4 = sector research_institute" in printed
    assert "FAILED: 1 findings" in printed
    assert main(["audit-release", str(research_institutes(tmp_path / "safe", True))]) == 0
    assert "audit PASSED" in capsys.readouterr().out


def test_a_shown_five_of_five_breaks_the_group_rule(tmp_path: Path) -> None:
    sector_file(tmp_path, [("all", 60, 30), ("university", 55, 25), ("other", 5, 5)])
    result = audit_release(tmp_path, RULES)
    assert [f.kind for f in result.findings] == ["published"]
    assert "sector other is shown (n = 5, agree = 5" in result.findings[0].what
    assert "group rule" in result.findings[0].what


def test_all_respondents_minus_the_sectors(tmp_path: Path) -> None:
    sector_file(
        tmp_path,
        [("all", 73, 30), ("university", 40, 20), ("uas", 30, 9), ("other", 3, 1, "primary")],
    )
    (finding,) = audit_release(tmp_path, RULES).findings
    assert "sector other = all respondents − sector uas − sector university" in finding.what
    assert "(n = 3, agree = 1" in finding.what
    sector_file(
        tmp_path,
        [
            ("all", 73, 30),
            ("university", 40, 20),
            ("uas", 30, 9, "secondary"),
            ("other", 3, 1, "primary"),
        ],
    )
    assert audit_release(tmp_path, RULES).passed


def test_a_cell_shown_in_one_file_and_withheld_in_another_is_a_conflict(tmp_path: Path) -> None:
    research_institutes(tmp_path, protected=True)
    institution_file(tmp_path, "RI-5", ("research_institute", 37, 20, "secondary"), None)
    kinds = [f.kind for f in audit_release(tmp_path, RULES).findings]
    assert "conflict" in kinds


def test_pages_show_withheld_cells_as_the_caption_says_and_run_nothing(tmp_path: Path) -> None:
    (tmp_path / "report.html").write_text(
        '<table><tr><td>&lt;NA&gt;</td></tr></table><figure data-csv="missing.csv"></figure>'
        "<p><img src=x onerror=alert(1)></p>",
        encoding="utf-8",
    )
    found = [f.what for f in audit_release(tmp_path, RULES).findings]
    assert any("'&lt;NA&gt;', not –" in f for f in found)
    assert any("active content" in f for f in found)
    assert any("cites data 'missing.csv' not in the release" in f for f in found)
    (tmp_path / "report.html").write_text(
        "<table><tr><td>–</td></tr></table><p>&lt;img src=x onerror=alert(1)&gt;</p>"
        # An escaped key inside an attribute is text, not a handler.
        '<img src="data:image/png;base64,AAAA" alt="for &lt;img src=x onerror=alert(1)&gt;">'
        # An inlined figure drawing from its own definitions, a value mark with its title.
        '<svg class="report-svg"><defs><path id="f1-m" d="M0 0"/></defs><g tabindex="0">'
        '<title>&lt;img src=x onerror=alert(1)&gt;</title><use href="#f1-m"/></g></svg>',
        encoding="utf-8",
    )
    assert audit_release(tmp_path, RULES).passed
    for active in (
        "<svg><foreignObject><p>x</p></foreignObject></svg>",
        '<svg><use href="https://example.org/sprite.svg#a"/></svg>',
        '<svg><image xlink:href="https://example.org/x.png"/></svg>',
        '<svg onload="alert(1)"></svg>',
    ):
        (tmp_path / "report.html").write_text(active, encoding="utf-8")
        found = [f.what for f in audit_release(tmp_path, RULES).findings]
        assert any("active content" in f for f in found), active


def test_files_must_match_the_manifest(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("<p>report</p>", encoding="utf-8")
    manifest = {"files": [{"path": "report.html", "sha256": sha256_file(page)}]}
    (tmp_path / "MANIFEST.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert audit_release(tmp_path, RULES).passed
    page.write_text("<p>changed</p>", encoding="utf-8")
    (tmp_path / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    found = sorted(f.what for f in audit_release(tmp_path, RULES).findings)
    assert found == ["a file the manifest does not list", "the file differs from its checksum"]


def test_only_the_templates_own_script_may_run_in_a_page(tmp_path: Path) -> None:
    from tests.conftest import REPO_ROOT

    own = (REPO_ROOT / "templates" / "report" / "report.js").read_text(encoding="utf-8")
    page = tmp_path / "report.html"
    page.write_text(
        '<script type="application/json" id="report-ui">{"filter": "Filter"}</script>'
        f"<script>\n{own}\n</script>",
        encoding="utf-8",
    )
    assert audit_release(tmp_path, RULES).passed
    page.write_text(f"<script>{own}\nfetch('https://example.org')</script>", encoding="utf-8")
    found = [f.what for f in audit_release(tmp_path, RULES).findings]
    assert any("active content in the page: <script>" in f for f in found)


def readiness_file(
    folder: Path,
    key: str,
    status: str,
    without: tuple[int, int] | None,
    split: tuple[int, int, int, int] | None = None,
) -> None:
    """An institution report's preparedness data for one item: its status, its respondents'
    split (n, yes, partly, no) or withheld, and its sector without it (or withheld)."""
    n, yes, partly, no = split or (None,) * 4
    table = pd.DataFrame(
        [
            {
                "organisation_key": key,
                "group": "institution",
                "item_id": "prep_guidelines",
                "status": status,
                "decided_by": "majority" if split else "respondents",
                "n": n,
                "yes": yes,
                "partly": partly,
                "no": no,
                "dont_know": 0 if split else None,
                "suppressed": "" if split else "primary",
                "sector": "uas",
                "sector_organisations": without[0] if without else None,
                "sector_in_place": without[1] if without else None,
                "sector_suppressed": "" if without else "primary",
            }
        ]
    )
    write_csv_for_people(table, folder / "figures" / f"32_institution_report__{key}__readiness.csv")


def test_a_sector_without_the_organisation_under_min_cell_organisations(tmp_path: Path) -> None:
    readiness_file(tmp_path, "UAS-1", "in_place", (4, 2))
    findings = audit_release(tmp_path, RULES).findings
    assert any(
        f.kind == "published" and "sector uas without UAS-1 shows 4 organisations" in f.what
        for f in findings
    ), findings


def test_reports_of_one_sector_must_give_the_same_sector(tmp_path: Path) -> None:
    # UAS-1 (in place) sees 2 of 6 others: the sector is 3 of 7. UAS-2 (not in place) sees
    # 3 of 6 others: also 3 of 7. UAS-3 (in place) claims 3 of 6: 4 of 7, which disagrees.
    readiness_file(tmp_path, "UAS-1", "in_place", (6, 2))
    readiness_file(tmp_path, "UAS-2", "not_in_place", (6, 3))
    assert audit_release(tmp_path, RULES).passed
    readiness_file(tmp_path, "UAS-3", "in_place", (6, 3))
    findings = audit_release(tmp_path, RULES).findings
    assert [f.kind for f in findings] == ["conflict"], findings
    assert "sector uas differs between reports" in findings[0].what


def test_an_organisations_split_is_audited_as_its_cell(tmp_path: Path) -> None:
    # Shown: 6 respondents, 4 yes, 1 partly, 1 no: a group under 10 with counts near 0 and n.
    readiness_file(tmp_path, "UAS-1", "in_place", None, (6, 4, 1, 1))
    findings = audit_release(tmp_path, RULES).findings
    assert any(f.kind == "published" and "breaks the group rule" in f.what for f in findings)
