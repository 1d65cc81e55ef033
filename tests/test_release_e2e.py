"""The release end to end, from the demo build: it passes its own audit, a build without
protection is refused with the recovery shown, and markup in the data never reaches a page."""

from __future__ import annotations

import json
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.build.config import load_config
from analysis.build.release import ReleaseRefused, build_release
from analysis.files.hashing import sha256_file
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

POISON = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('x')</script>"


def copy_built(built: Path, target: Path) -> Path:
    """The built demo project without its release folders (each test builds its own)."""
    shutil.copytree(built, target, ignore=shutil.ignore_patterns("release", "release-refused"))
    return target


def record_as_the_runners(root: Path, tables: list[Path]) -> None:
    """Tables changed by a test stand in for what cleaning would write from such data: record
    their sha256 as the runner would have, or the next run cleans the raw data again over them
    (the runner skips a step only when its outputs are the files it recorded)."""
    path = root / "reports" / "run_manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for table in tables:
        key = table.relative_to(root).as_posix()
        for step in manifest["steps"].values():
            if key in step["outputs"]:
                step["outputs"][key]["sha256"] = sha256_file(table)
    path.write_text(json.dumps(manifest), encoding="utf-8")


OWN_SCRIPT = (REPO_ROOT / "templates" / "report" / "report.js").read_text("utf-8").strip()
DOWNLOAD = "data:text/csv;charset=utf-8;base64,"  # the page's own embedded data


class Markup(HTMLParser):
    """Tags a page really has that data could have put there (the template's own script, its
    inert JSON, the embedded CSV downloads and the inlined SVG figures excepted)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.script: list[str] | None = None

    def handle_endtag(self, tag) -> None:
        if tag == "script" and self.script is not None:
            if "".join(self.script).strip() != OWN_SCRIPT:
                self.found.append("script")
            self.script = None

    def handle_data(self, data) -> None:
        if self.script is not None:
            self.script.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and len(attributes) <= 2:
            if attributes.get("type") != "application/json":
                self.script = []
        elif tag in ("script", "iframe", "object", "embed", "foreignobject"):
            self.found.append(tag)
        # An inlined figure, drawing from its own definitions only.
        if tag == "svg" and attributes.get("class") != "report-svg":
            self.found.append("svg")
        if tag in ("use", "image") and not str(attributes.get("href", "")).startswith("#"):
            self.found.append(f"<{tag} href={attributes.get('href')!r}>")
        if any(name.startswith("on") for name in attributes):
            self.found.append(f"<{tag}> with {sorted(attributes)}")
        if tag == "img" and not str(attributes.get("src", "")).startswith("data:image/png"):
            self.found.append(f"<img src={attributes.get('src')!r}>")
        href = str(attributes.get("href", ""))
        if tag == "a" and not href.startswith("#") and not href.startswith(DOWNLOAD):
            self.found.append(f"<a href={attributes.get('href')!r}>")


def markup_in(page: Path) -> list[str]:
    parser = Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


@pytest.fixture(scope="session")
def release(built: Path) -> Path:
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["release"]) == 0
    print(f"\ndemo release built in {time.perf_counter() - started:.1f} s")
    return built / "reports" / "release"


def test_the_demo_release_holds_every_page_and_passes_its_audit(
    release: Path, built: Path, capsys
) -> None:
    manifest = json.loads((release / "MANIFEST.json").read_text(encoding="utf-8"))
    respondents = pd.read_parquet(built / "data" / "processed" / "survey_respondents.parquet")
    organisations = respondents["organisation_key"].nunique()
    kinds = pd.Series([entry["kind"] for entry in manifest["files"]]).value_counts()
    assert kinds["sector_report"] == 3
    assert kinds["institution_report"] == 3 * organisations
    assert kinds["figure_data"] > 2 * organisations and kinds["table"] == 4
    for entry in manifest["files"]:
        assert sha256_file(release / entry["path"]) == entry["sha256"], entry["path"]
    assert not any(release.rglob("*rejects*")) and not any(release.rglob("*.parquet"))
    assert not (release.parent / "release-refused").exists()
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["audit-release", "reports/release"]) == 0
    seconds = time.perf_counter() - started
    printed = capsys.readouterr().out
    print(f"\naudit of the demo release: {seconds:.1f} s\n{printed}")
    assert "audit PASSED" in printed
    assert seconds < 30
    # The small institute of the known failure: its sector is shown, it is not, and the
    # three other institutes no longer give it away.
    small = release / "institutions" / "RI-4.html"
    assert "Fewer than 5 respondents from RI-4" in small.read_text(encoding="utf-8")
    for page in release.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "&lt;NA&gt;" not in text and "<NA>" not in text, page.name


def test_a_release_without_protection_is_refused_and_the_audit_shows_the_recovery(
    built: Path, tmp_path: Path, capsys
) -> None:
    root = copy_built(built, tmp_path / "project")
    (root / "config" / "disclosure.yaml").write_text(
        "group_disclosure: {enabled: false}\ndifferencing: {enabled: false}\n", encoding="utf-8"
    )
    config = load_config(root / "config" / "params.yaml", ["lang=en"])
    institutes = ["RI-1", "RI-2", "RI-3", "RI-4"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        with pytest.raises(ReleaseRefused) as refused:
            build_release(config, root, institutions=institutes, log=lambda _: None)
        assert not (root / "reports" / "release").exists()
        kept = root / "reports" / "release-refused"
        assert refused.value.kept == kept and (kept / "MANIFEST.json").is_file()
        assert not list((root / "reports").glob(".release.staging-*"))
        capsys.readouterr()
        assert main(["audit-release", "reports/release-refused"]) == 1
    printed = capsys.readouterr().out
    recovery = (
        "organisation RI-4 = sector research_institute − organisation RI-1"
        " − organisation RI-2 − organisation RI-3"
    )
    assert recovery in printed
    lines = printed.splitlines()
    index = next(i for i, line in enumerate(lines) if recovery in line)
    assert "recovered exactly, breaks the primary rule" in lines[index]
    files = lines[index + 1]
    assert files.strip().startswith("files:")
    for key in institutes:
        assert f"32_institution_report__{key}__" in files


def test_markup_in_keys_file_names_and_comments_never_reaches_a_page(
    built: Path, tmp_path: Path
) -> None:
    root = copy_built(built, tmp_path / "project")
    processed = root / "data" / "processed"
    key = f"{POISON}UNI-B"
    respondents = pd.read_parquet(processed / "survey_respondents.parquet")
    respondents.loc[respondents["organisation_key"] == "UNI-B", "organisation_key"] = key
    respondents.loc[respondents.index[:6], "comment"] = (
        f"{SCRIPT} see [here](javascript:alert(1)) and http://example.org/x"
    )
    respondents.to_parquet(processed / "survey_respondents.parquet", index=False)
    population = root / "config" / "population" / "demo.csv"
    invited = population.read_text(encoding="utf-8")
    assert "\nUNI-B," in invited
    population.write_text(invited.replace("\nUNI-B,", f"\n{key},"), encoding="utf-8")
    for name, column in (
        ("survey_accounting", "source_file"),
        ("survey_reads", "file"),
        ("cooperation_accounting", "source_file"),
    ):
        table = pd.read_parquet(processed / f"{name}.parquet")
        table.loc[table.index[0], column] = f"{POISON}{table.loc[table.index[0], column]}"
        table.to_parquet(processed / f"{name}.parquet", index=False)
    names = ("survey_respondents", "survey_accounting", "survey_reads", "cooperation_accounting")
    record_as_the_runners(root, [processed / f"{name}.parquet" for name in names])
    config = load_config(root / "config" / "params.yaml", ["lang=en", "report.show_comments=true"])
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = build_release(config, root, institutions=[key, "UNI-A"], log=lambda _: None)
    assert result.audit.passed
    pages = sorted(result.folder.rglob("*.html"))
    assert len(pages) == 3
    for page in pages:
        assert markup_in(page) == [], page.name
    report = (result.folder / "report.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in report  # a file name, shown as written
    assert "&lt;script&gt;alert(" in report  # a comment, shown as written
    institution = next(p for p in pages if "UNI-B" in p.name)
    text = institution.read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;UNI-B" in text
    assert institution.name == "_img_src_x_onerror_alert_1__UNI-B.html"


def institution_data(release: Path) -> dict[str, pd.DataFrame]:
    """Each institution report's preparedness data, as the release publishes it."""
    prefix, suffix = "32_institution_report__", "__readiness.csv"
    return {
        path.name.removeprefix(prefix).removesuffix(suffix): pd.read_csv(
            path,
            keep_default_na=True,
            dtype={"suppressed": str, "sector_suppressed": str, "all_suppressed": str},
        ).fillna({"suppressed": "", "sector_suppressed": "", "all_suppressed": ""})
        for path in (release / "figures").glob(f"{prefix}*{suffix}")
    }


def test_every_institution_report_shows_its_status_on_the_organisation_rule(
    release: Path, built: Path
) -> None:
    """The status each report shows is the organisation's answer under the configured rule,
    worked out again here from the clean answers (yes/partly/no; a tie is undecided; an
    organisation none of whose respondents chose one of them has no answer)."""
    from analysis.build.config import load_config as load
    from analysis.survey.codebook import ORGANISATIONAL, load_codebook
    from analysis.survey.organisations import organisation_answers

    processed = built / "data" / "processed"
    respondents = pd.read_parquet(processed / "survey_respondents.parquet")
    answers = pd.read_parquet(processed / "survey_answers.parquet")
    config = load(built / "config" / "params.yaml", [])
    step = next(s for s in config.steps if s.name == "survey_analysis")
    rule = step.parameters["organisation_rule"]
    items = [
        i.id for i in load_codebook(built / "config" / "codebook.yaml").unit_items(ORGANISATIONAL)
    ]
    decided = organisation_answers(answers, respondents, items, rule).set_index(
        ["organisation_key", "item_id"]
    )
    words = {"yes": "in_place", "partly": "partly", "no": "not_in_place"}
    published = institution_data(release)
    assert set(published) == set(respondents["organisation_key"])
    for key, table in published.items():
        assert set(table["item_id"]) == set(items), key
        for row in table.itertuples(index=False):
            if (key, row.item_id) not in decided.index:
                expected = "no_answer"
            else:
                own = decided.loc[(key, row.item_id)]
                expected = "undecided" if own["decided_by"] == "tie" else words[own["code"]]
            assert row.status == expected, (key, row.item_id)
        page = (release / "institutions" / f"{key}.html").read_text(encoding="utf-8")
        assert f"32_institution_report__{key}__readiness.csv" in page


def test_no_institution_report_shows_a_cell_the_sector_report_withholds(
    release: Path, built: Path
) -> None:
    processed = built / "data" / "processed"
    table7 = pd.read_parquet(processed / "survey_readiness_of_organisations.parquet")
    shown7 = {(r.item_id, r.org_type): r for r in table7.itertuples() if r.suppressed == ""}
    cells = pd.read_parquet(processed / "survey_readiness_by_organisation.parquet")
    shown_cells = {
        (r.organisation_key, r.item_id) for r in cells.itertuples() if r.suppressed == ""
    }
    sizes = table7[table7["org_type"] != "all"].groupby("org_type")["organisations"].max()
    checked = 0
    for key, table in institution_data(release).items():
        for row in table.itertuples(index=False):
            # Its sector without it: only where the sector report shows the sector, and never
            # fewer than min_cell organisations.
            if row.sector_suppressed == "":
                assert (row.item_id, row.sector) in shown7, (key, row.item_id)
                assert row.sector_organisations >= 5
                checked += 1
            else:
                assert pd.isna(row.sector_share) and pd.isna(row.sector_in_place)
            # All organisations: exactly the sector report's cell.
            everyone = shown7.get((row.item_id, "all"))
            if everyone is None:
                assert pd.isna(row.all_share)
            else:
                assert (row.all_organisations, row.all_in_place) == (
                    everyone.organisations,
                    everyone.in_place,
                )
            # Its respondents' split: only where the release-wide protection published the cell.
            if row.suppressed == "":
                assert (key, row.item_id) in shown_cells and row.n >= 5
            else:
                assert pd.isna(row.n) and pd.isna(row.yes) and pd.isna(row.dont_know)
                assert row.decided_by != "unanimous"
    assert checked > 0
    # The research institutes (fewer than 5 organisations) are withheld in every report.
    assert sizes.get("research_institute") is None or pd.isna(sizes["research_institute"])
    for key, table in institution_data(release).items():
        if key.startswith("RI-"):
            assert (table["sector_suppressed"] != "").all(), key


def test_no_institution_report_prints_a_parameter_name_or_a_placeholder(release: Path) -> None:
    import re

    pages = sorted((release / "institutions").rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", text)
        assert not re.search(r"`[^`\s]+`", visible), page
        assert not re.search(r"\{\s*\w+\s*\}", visible), page
