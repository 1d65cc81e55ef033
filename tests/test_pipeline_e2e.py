"""End to end: the whole pipeline on the demo data, in a temporary copy of the project."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from analysis.__main__ import main
from analysis.build.config import load_config
from analysis.i18n import DEMO_BANNER
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.kernel]

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//", re.IGNORECASE)


def test_report_has_banner_parameters_and_an_image_per_figure(built: Path) -> None:
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    assert DEMO_BANNER in html
    assert html.count(DEMO_BANNER) >= 2, "banner at the top and the bottom"
    for parameter in ("raw_dir", "min_cell", "fieldwork_start", "speeder_seconds"):
        assert f"<code>{parameter}</code>" in html, parameter
    figures = sorted((built / "figures").glob("*.en.png"))
    assert len(figures) >= 5
    embedded = html.count('src="data:image/png;base64,')
    # A figure with value marks is inlined as SVG (its PNG stays in figures/ for others).
    inline = html.count('class="report-svg"')
    marked = [f for f in figures if json.loads(f.with_suffix(".json").read_text())["marks"]]
    assert inline == len(marked) >= 3
    assert embedded + inline >= len(figures)
    for figure in figures:
        base = figure.name.removesuffix(".en.png")
        assert (figure.parent / f"{base}.en.svg").is_file(), base
        assert (figure.parent / f"{base}.csv").is_file(), base
    assert 'class="report-toc"' in html
    for anchor in re.findall(r'<li class="toc-level-\d"><a href="#([^"]+)"', html):
        assert f'id="{anchor}"' in html, anchor


def test_every_edition_stays_under_four_megabytes(built: Path) -> None:
    editions = sorted((built / "reports").glob("report*.html"))
    assert [p.name for p in editions] == ["report.fi.html", "report.html", "report.sv.html"]
    assert all(p.stat().st_size < 4_000_000 for p in editions)


def test_report_is_self_contained_and_free_of_errors(built: Path) -> None:
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(html), EXTERNAL.search(html).group(0)
    assert not CSS_URL.search(html)
    assert "Traceback" not in html and "jp-OutputArea-output error" not in html
    assert "<script" not in html.lower() or "require.js" not in html
    for executed in (built / "reports" / "executed").glob("*.ipynb"):
        cells = json.loads(executed.read_text())["cells"]
        errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert errors == [], executed.name


def test_manifests_record_every_output_with_rows_and_checksums(built: Path) -> None:
    run = json.loads((built / "reports" / "run_manifest.json").read_text())
    configured = load_config(REPO_ROOT / "config" / "params.yaml").steps
    # Steps run on request (institution reports, partner briefs) are recorded beside them.
    pipeline = {name for name in run["steps"] if not name.startswith(("institution ", "brief "))}
    assert pipeline == {step.name for step in configured}
    survey = run["steps"]["clean_survey"]
    respondents = survey["outputs"]["data/processed/survey_respondents.parquet"]
    assert respondents["rows"] > 250 and len(respondents["sha256"]) == 64
    assert any(k.endswith("webropol_vastaukset_2024.xlsx") for k in survey["inputs"])
    assert respondents["packages"]["pandas"]
    processed = json.loads((built / "data" / "processed" / "manifest.json").read_text())
    assert "data/processed/survey_respondents.parquet" in processed["outputs"]


def test_second_run_skips_every_step(built: Path, capsys) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert main(["report"]) == 0
    printed = capsys.readouterr().out
    steps = len(load_config(REPO_ROOT / "config" / "params.yaml").steps)
    assert printed.count("skipped, unchanged") == steps
    assert f"0 ran, {steps} skipped" in printed


@pytest.mark.parametrize(
    "notebook",
    [Path(s.notebook).name for s in load_config(REPO_ROOT / "config" / "params.yaml").steps],
)
def test_breaking_any_notebook_fails_the_run_and_keeps_the_report(
    built: Path, notebook: str, capsys
) -> None:
    report = built / "reports" / "report.html"
    before = report.read_bytes()
    path = built / "notebooks" / notebook
    original = path.read_text(encoding="utf-8")
    cells = json.loads(original)
    # Broken right after its parameters: the step fails before it writes anything, so the
    # build the other tests share is left as it was (and the test costs one kernel start).
    after = 1 + next(
        i for i, c in enumerate(cells["cells"]) if "parameters" in c["metadata"].get("tags", [])
    )
    cells["cells"].insert(
        after,
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "raise RuntimeError('deliberately broken')",
        },
    )
    path.write_text(json.dumps(cells), encoding="utf-8")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(built)
            assert main(["report"]) == 1
        error = capsys.readouterr().err
        assert f"notebooks/{notebook}" in error
        assert f"cell {after + 1}" in error
        assert "RuntimeError: deliberately broken" in error
        assert report.read_bytes() == before
    finally:
        path.write_text(original, encoding="utf-8")


def test_published_results_show_no_cell_below_min_cell(built: Path) -> None:
    import pandas as pd

    min_cell = load_config(REPO_ROOT / "config" / "params.yaml").common["min_cell"]
    counts = {
        "survey_agreement": "n",
        "survey_likert": "n",
        "survey_readiness": "n",
        "survey_readiness_of_organisations": "organisations",
        "survey_country_mentions": "respondents",
        "survey_comment_themes": "respondents",
    }
    for name, count in counts.items():
        table = pd.read_parquet(built / "data" / "processed" / f"{name}.parquet")
        shown = table[table["suppressed"] == ""]
        assert (shown[count] >= min_cell).all(), name
        hidden = table[table["suppressed"] != ""]
        assert hidden[count].isna().all(), name


def test_report_shows_the_survey_accounting_and_no_free_text(built: Path) -> None:
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    assert "Survey rows: read, kept and rejected by reason, per export" in html
    assert "webropol_vastaukset_2024.xlsx" in html and "limesurvey_results_2024.csv" in html
    assert "Themes of the free-text comments" in html
    for comment in ("HYPERLINK", "alert(", "Tarvitsemme lisää koulutusta"):
        assert comment not in html


def test_institution_reports_compare_with_the_sector_or_say_why_not(
    institution_reports: dict[str, Path], built: Path
) -> None:
    import pandas as pd

    respondents = pd.read_parquet(built / "data" / "processed" / "survey_respondents.parquet")
    sizes = respondents["organisation_key"].value_counts()
    large = institution_reports["UNI-A"].read_text(encoding="utf-8")
    assert DEMO_BANNER in large
    assert f"<strong>{sizes['UNI-A']} respondents</strong> from UNI-A" in large
    assert large.count('src="data:image/png;base64,') >= 2
    small = institution_reports["UAS-19"].read_text(encoding="utf-8")
    assert sizes["UAS-19"] < 5
    assert "Fewer than 5 respondents from UAS-19" in small and "sector picture only" in small
    data = pd.read_csv(
        built / "figures" / "institutions" / "32_institution_report__UAS-19__threats.csv"
    )
    assert "institution" not in set(data["group"])


def test_every_number_in_the_executive_summary_comes_from_the_results(built: Path) -> None:
    """Recompute the findings from the results tables and trace each number of the summary."""
    import pandas as pd

    from analysis.report.data import load_report_data
    from analysis.report.findings import compute_findings, summary_sentences

    items = ("concern_countries", "opportunity_countries")

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        data = load_report_data(
            "data/processed", "config/codebook.yaml", "config/country_aliases.yaml", "en", 5
        )
        findings = compute_findings(
            data.respondents,
            data.output_by_year,
            data.top_partners,
            data.agreement,
            data.readiness,
            data.mentions,
            data.readiness_by_organisation,
            min_cell=5,
            prompted={item_id: data.codebook.items[item_id].options for item_id in items},
        )
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    summary = html.split('id="Executive-summary"')[1].split("<h2")[0]
    text = re.sub(r"<[^>]+>", " ", summary)
    flat = " ".join(html_lib.unescape(text).split())
    from analysis.survey.labels import group_labels

    groups = group_labels(data.codebook, "en").get
    for sentence in summary_sentences(findings, True, "en", data.label, data.country, groups):
        assert " ".join(sentence.split()) in flat, sentence
    numbers = re.findall(r"\d[\d ]*\d|\d", flat)
    allowed = set()
    for value in findings.values.values():
        if isinstance(value, float):
            allowed.add(f"{value:.0%}".rstrip("%"))
        elif isinstance(value, int):
            allowed |= {str(value), f"{value:,}".replace(",", " ")}
    untraced = [n for n in numbers if n not in allowed]
    assert untraced == [], f"numbers in the summary not computed from the results: {untraced}"
    recorded = pd.read_csv(built / "data" / "processed" / "report_findings.csv")
    assert set(recorded["finding"]) == set(findings.values)
    # Language-neutral: codes and ids, never a name in some language.
    assert findings["top_partner"] in set(data.scores["iso2"]) | set(data.top_partners["iso2"])
    assert findings["threats_top_item"] in data.codebook.items


def test_changes_since_a_previous_edition_are_shown_with_their_size(
    built: Path, tmp_path: Path
) -> None:
    import shutil as sh

    import pandas as pd

    previous = tmp_path / "edition-2024"
    sh.copytree(built / "data" / "processed", previous)
    scores = pd.read_parquet(previous / "country_scores.parquet")
    china = scores["iso2"] == "CN"
    assert scores.loc[china, "quadrant"].item() == "high_opportunity_high_threat"
    classes = [c for c in scores if c.startswith("share_") and c.endswith("_threat")]

    def settle(rows, quadrant: str) -> None:
        # The earlier edition's class with its draws' support, so that it agrees with itself
        # (an edition whose class most draws do not support is refused).
        scores.loc[rows, "quadrant"] = quadrant
        scores.loc[rows, classes] = 0.0
        scores.loc[rows, f"share_{quadrant}"] = 0.9

    settle(china, "low_opportunity_low_threat")
    # An uncertain country whose class differed before has not moved between classes.
    uncertain = scores.index[scores["quadrant"] == "uncertain"][0]
    settle([uncertain], "low_opportunity_high_threat")
    scores.to_parquet(previous / "country_scores.parquet")
    cooperation = pd.read_parquet(previous / "cooperation_by_country.parquet")
    cooperation.loc[cooperation["iso2"] == "SE", "copublications"] += 1000
    cooperation.to_parquet(previous / "cooperation_by_country.parquet")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(built)
        assert (
            main(["report", "--only", "report", "-p", f"report.previous_edition={previous}"]) == 0
        )
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    section = html.split('id="Change-since-the-previous-edition"')[1].split("<h2")[0]
    assert "<strong>1</strong> partner countries changed class" in section
    assert "China" in section and "Low opportunity, low threat" in section
    assert "Sweden" in section and "-1\u00a0000" in section
    # Every edition says the same, from the same comparison: one move (China, now settled in
    # another class), one country left out as uncertain, Sweden's co-publications changed.
    from analysis.i18n import t
    from analysis.reference.countries import CountryResolver
    from analysis.scoring.model import load_scoring_model

    names = load_scoring_model(built / "config" / "scoring.yaml")["classes"]["names"]
    countries = CountryResolver(built / "config" / "country_aliases.yaml")
    for lang, page in (("fi", "report.fi.html"), ("sv", "report.sv.html")):
        text = html_lib.unescape(
            re.sub(r"<[^>]+>", "", (built / "reports" / page).read_text(encoding="utf-8"))
        )
        assert t("editions.moved", lang, count=1).replace("**", "") in text, lang
        assert t("editions.uncertain_left_out", lang, count=1) in text, lang
        assert countries.name("CN", lang) in text and countries.name("SE", lang) in text
        assert names["low_opportunity_low_threat"][lang] in text


def test_the_assessment_holds_up_in_every_edition(built: Path) -> None:
    """Country cards for every scored country and indicator, censored survey shares as
    intervals (never measured zeros), recommendations naming only settled countries, the
    statistical audit and the cards appendix in all three languages."""
    import pandas as pd

    processed = built / "data" / "processed"
    scores = pd.read_parquet(processed / "country_scores.parquet")
    cards = pd.read_csv(processed / "country_cards.csv", encoding="utf-8-sig")
    assert len(cards) == len(scores) * cards["indicator"].nunique()
    assert set(cards["status"]) <= {"measured", "censored", "not_applicable", "not_measured"}
    # EU projects do not apply where a country cannot take part on equal terms; nothing else
    # is left out, and the governance context is on every card, unweighted.
    eligible = scores[["eu_member", "eea_efta_member", "horizon_europe_associated"]].any(axis=1)
    left_out = cards[cards["status"] == "not_applicable"]
    assert set(left_out["indicator"]) == {"eu_projects_per_1000"}
    assert set(left_out["iso2"]) == set(scores.loc[~eligible, "iso2"])
    context = cards[cards["dimension"] == "context"]
    assert set(context["indicator"]) == {
        "rule_of_law",
        "political_stability",
        "control_of_corruption",
        "voice_accountability",
    }
    assert (context["status"] == "measured").all() and (context["weight"] == 0).all()
    # Every survey share the survey step withheld is censored on the card, with its bounds;
    # no withheld share is a measured value anywhere.
    mentions = pd.read_parquet(processed / "survey_country_mentions.parquet")
    item_of = {"survey_opportunity": "opportunity_countries", "survey_concern": "concern_countries"}
    for indicator, item in item_of.items():
        withheld = set(
            mentions.loc[(mentions["item_id"] == item) & mentions["share"].isna(), "iso2"]
        )
        rows = cards[cards["indicator"] == indicator].set_index("iso2")
        censored = set(rows.index[rows["status"] == "censored"])
        assert censored == withheld & set(scores["iso2"]), indicator
        assert (rows.loc[list(censored), "value_high"] > 0).all()
        assert rows.loc[list(censored), "raw_value"].isna().all()
    assert len(cards[cards["status"] == "censored"]) > 0  # the demo withholds some
    # The matrix on measured evidence only: the report names exactly the settled countries
    # that move.
    html = (built / "reports" / "report.html").read_text(encoding="utf-8")
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    settled = scores[~scores["quadrant"].isin(["uncertain", "not_placed"])]
    moved = settled[settled["quadrant_measured_only"] != settled["quadrant"]]
    sentence = text.split("On measured evidence only.")[1].split("\n")[0]
    assert (
        f"{len(settled) - len(moved)} of the {len(settled)} countries with a settled class keep it"
        in sentence
    )
    for code in moved["iso2"]:
        assert f"{scores.set_index('iso2').at[code, 'country']} (from" in sentence, code
    assert "The matrix on measured evidence only, without the survey's perceptions" in text
    # The method appendix counts exactly the censored and unmeasured cells of the cards, and
    # nothing anywhere says that nothing was imputed while values are censored.
    scored = cards[cards["dimension"] != "context"]
    censored = int((scored["status"] == "censored").sum())
    unmeasured = int((scored["status"] == "not_measured").sum())
    if unmeasured:
        said = f"Withheld and unmeasured values. {censored} indicator values are withheld"
        assert f"and {unmeasured} were not measured" in text
    else:
        said = f"Withheld values. {censored} indicator values are withheld survey shares"
    assert said in re.sub(r"\s+", " ", text), said
    assert "Every indicator value behind the classes was measured" not in text
    for phrase in (
        "Deliberate overlaps.",
        "What the indicators measure.",
        "Context, not scored.",
        "Exposure, not threat.",
        "Appendix: statistical audit of the assessment",
    ):
        assert phrase in text, phrase
    # The audit's tables and the Sobol' indices exist for every scored indicator and country.
    audit = pd.read_parquet(processed / "scoring_audit_indicators.parquet")
    assert set(audit["indicator"]) == set(cards.loc[cards["dimension"] != "context", "indicator"])
    sobol = pd.read_parquet(processed / "scoring_sobol.parquet")
    assert set(sobol["iso2"]) == set(scores["iso2"]) and set(sobol["score"]) == {
        "opportunity",
        "threat",
    }
    drafts = pd.read_csv(processed / "recommendations.csv", encoding="utf-8-sig", dtype=str)
    # Named: a settled class that no single indicator decides; everything else held back.
    depends = scores["depends_on"].fillna("") != ""
    not_firm = set(scores.loc[(scores["quadrant"] == "uncertain") | depends, "iso2"])
    named = {code for codes in drafts["countries_named"].dropna() for code in codes.split()}
    assert named and not named & not_firm
    held = {code for codes in drafts["countries_held_back"].dropna() for code in codes.split()}
    assert held and held <= not_firm
    headings = {"en": "Appendix: country cards", "fi": "Liite: maakortit", "sv": "Bilaga: landkort"}
    for lang, heading in headings.items():
        name = "report.html" if lang == "en" else f"report.{lang}.html"
        document = (built / "reports" / name).read_text(encoding="utf-8")
        assert heading in document, lang
        assert document.count('class="report-table-wrap"') > len(scores), lang
