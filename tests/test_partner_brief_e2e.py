"""``python -m analysis brief`` on the built demo project: pages, decisions, batch, no network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.__main__ import main

pytestmark = [pytest.mark.slow, pytest.mark.kernel]
SUBSIDIARY = "reports/briefs/advanced-materials-institute-of-puc2-0zz004312.html"


@pytest.fixture
def briefs(partner_briefs: Path) -> Path:
    return partner_briefs


def _text(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_ambiguous_and_unknown_partners_stop_with_status_2(built: Path, capsys) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["brief", "--partner", "Partner Polytechnic", "--lang", "en"]) == 2
        err = capsys.readouterr().err
        assert "0zz000903" in err and "0zz001503" in err and "ambiguous" in err
        assert main(["brief", "--partner", "Nowhere Academy", "--lang", "en"]) == 2
        assert "not in the ROR data" in capsys.readouterr().err


def test_a_subsidiary_brief_flags_its_listed_parent_and_is_self_contained(briefs: Path) -> None:
    page = briefs / SUBSIDIARY
    html = page.read_text(encoding="utf-8")
    text = _text(page)
    assert "synthetic demo data" in text
    assert "RED FLAG" in text and "Partner University CN-2 — Demo restricted list" in text
    assert not re.search(r'<(script|img|link)[^>]+(src|href)="https?:', html)
    for heading in ("Identity", "Screening against the lists", "Country card", "Decision record"):
        assert heading in text


def test_a_brief_lists_the_joint_eu_projects_with_both_roles(briefs: Path) -> None:
    text = _text(briefs / "reports" / "briefs" / "partner-university-se-1-0zz000101.html")
    assert "Joint EU framework programme projects" in text
    assert "101050411 DEMO03" in text and "UNIVERSITY H (participant)" in text


def test_a_brief_names_the_finnish_counterparts_escaped_with_source_and_date(
    briefs: Path,
) -> None:
    page = briefs / "reports" / "briefs" / "partner-university-se-1-0zz000101.html"
    html, text = page.read_text(encoding="utf-8"), _text(page)
    assert "Finnish counterpart institutions" in text and "Co-publications 2015–2024" in text
    assert "Demo University Hospital &amp; Clinics" in html and "Hospital & " not in html
    assert "UNI-A" in text and "OpenAlex, retrieved 2024-10-07; the Finnish ones among" in text
    assert "the institution of this brief" not in text  # no --institution


def test_a_brief_for_one_finnish_institution_marks_it_among_the_counterparts(
    built: Path,
) -> None:
    import responses

    with pytest.MonkeyPatch.context() as patch, responses.RequestsMock() as mock:
        patch.chdir(built)
        patch.delenv("OPENALEX_API_KEY", raising=False)
        code = main(
            ["brief", "--partner", "0zz004302", "--institution", "University A", "--lang", "fi"]
        )
        assert code == 0 and len(mock.calls) == 0
    page = (
        built
        / "reports"
        / "briefs"
        / "fi"
        / "partner-university-cn-2-0zz004302__with-0zy000100.html"
    )
    text = _text(page)
    assert "Suomalaiset yhteistyöorganisaatiot" in text
    assert "Yliopisto A — tämän arvion organisaatio" in text  # the ROR label in Finnish
    assert "sijalla 1 kaikkiaan" in text


def test_the_index_sorts_by_red_flags_and_links_every_brief(briefs: Path) -> None:
    index = briefs / "reports" / "briefs" / "index-RI-2_partners.html"
    html = index.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == 5 and all((index.parent / link).is_file() for link in links)
    flags = [int(n) for n in re.findall(r"</td><td>(\d+)</td><td>\d+</td><td><a", html)]
    assert flags == sorted(flags, reverse=True) and flags[0] >= 1
    assert "not in the ROR data" in html and "Partner College ZZ-9" in html
    assert "synthetic demo data" in _text(index).lower()


def test_a_recorded_decision_appears_escaped_in_the_next_brief(briefs: Path) -> None:
    decisions = briefs / "data" / "raw" / "demo" / "briefs" / "decisions.csv"
    before = decisions.read_bytes()  # restored byte for byte: the manifest records its sha256
    try:
        with decisions.open("a", encoding="utf-8") as handle:
            handle.write('0zz004312,decline,2025-03-01,"Parent listed <script>x()</script>",R. C\n')
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(briefs)
            assert main(["brief", "--partner", "0zz004312", "--lang", "en"]) == 0
        html = (briefs / SUBSIDIARY).read_text(encoding="utf-8")
        assert "Parent listed &lt;script&gt;x()&lt;/script&gt;" in html
        assert "<script>x()" not in html
    finally:
        decisions.write_bytes(before)
