"""The most named country of concern is ranked among the countries the questionnaire listed;
written-in countries are reported apart (hand-made tables)."""

from __future__ import annotations

import pandas as pd

from analysis.report.findings import compute_findings, keyed_sentences, split_by_prompting
from analysis.survey.analyse import ALL, wilson_interval


def _mentions() -> pd.DataFrame:
    # 100 named any country of 200 respondents. XW (written in) is named by the most, but it
    # was not offered: the listed leader is AA, far ahead of BB (60 vs 10 of 100).
    counts = {"XW": 70, "AA": 60, "BB": 10, "YW": 20}
    return pd.DataFrame(
        {
            "item_id": "concern_countries",
            "iso2": list(counts),
            "respondents": [float(v) for v in counts.values()],
            "share": [v / 200 for v in counts.values()],
            "share_of_naming": [v / 100 for v in counts.values()],
            "named_any": 100,
            "base": 200,
            "suppressed": "",
            # the table's intervals of share_of_naming (Wilson here, for hand-made data)
            "ci_low": [wilson_interval(v, 100)[0] for v in counts.values()],
            "ci_high": [wilson_interval(v, 100)[1] for v in counts.values()],
        }
    )


def _findings(mentions: pd.DataFrame, options: tuple[str, ...]):
    agreement = pd.DataFrame(
        {
            "block": ["threats", "opportunities"],
            "item_id": ["t1", "o1"],
            "org_type": ALL,
            "suppressed": "",
            "share_agree": [0.5, 0.6],
            "ci_low": [0.4, 0.5],
            "ci_high": [0.6, 0.7],
            "agree": [50, 60],
            "n": [100, 100],
        }
    )
    by_organisation = pd.DataFrame(
        {
            "item_id": ["p1"],
            "org_type": [ALL],
            "suppressed": [""],
            "share_in_place": [0.5],
            "ci_low": [0.3],
            "ci_high": [0.7],
            "in_place": [5],
            "organisations": [10],
            **{c: [0] for c in ("disputed", "unanimous", "split", "undecided")},
            "multi_respondent": [0],
        }
    )
    readiness = pd.DataFrame(
        {"item_id": ["p1"], "org_type": [ALL], "suppressed": [""], "share_yes": [0.4], "n": [50]}
    )
    return compute_findings(
        respondents=pd.DataFrame({"organisation_key": ["o"] * 200}),
        output_by_year=pd.DataFrame(),
        top_partners=pd.DataFrame(),
        agreement=agreement,
        readiness=readiness,
        mentions=mentions,
        readiness_by_organisation=by_organisation,
        min_cell=5,
        prompted={"concern_countries": options},
    )


def test_listed_and_written_in_countries_are_split_by_the_codebooks_options() -> None:
    listed, written = split_by_prompting(_mentions(), ("AA", "BB", "CC"))
    assert listed["iso2"].tolist() == ["AA", "BB"]
    assert written["iso2"].tolist() == ["XW", "YW"]


def test_the_lead_country_is_ranked_among_listed_ones_and_the_write_in_reported_apart() -> None:
    f = _findings(_mentions(), ("AA", "BB"))
    assert f["concern_top_country"] == "AA"  # not XW, named more but never offered
    assert f["concern_top_respondents"] == 60
    assert f["concern_top_separated"] == 1
    assert f["concern_written_in_country"] == "XW"
    assert f["concern_written_in_respondents"] == 70
    sentences = dict(keyed_sentences(f, "en", str, str))
    assert sentences["concern"].startswith("Of the countries listed in the questionnaire, AA is")
    assert "XW" not in sentences["concern"]
    # The written-in leader in a sentence of its own (the one-page summary leaves it out).
    assert "the most often named was XW (70 respondents)" in sentences["concern_written_in"]
    for lang in ("fi", "sv"):
        assert "XW" in dict(keyed_sentences(f, lang, str, str))["concern_written_in"]


def test_without_write_ins_there_is_no_written_in_sentence() -> None:
    f = _findings(_mentions(), ("AA", "BB", "XW", "YW"))
    assert f["concern_top_country"] == "XW"
    assert "concern_written_in_country" not in f
    sentences = dict(keyed_sentences(f, "en", str, str))
    assert "concern_written_in" not in sentences
    assert "written in" not in sentences["concern"]
