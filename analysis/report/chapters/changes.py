"""Change since the previous edition: quadrant moves, volume and survey shares."""

from __future__ import annotations

import pandas as pd

from analysis.figures.publisher import Publisher, say
from analysis.files.paths import resolve
from analysis.i18n import number, page_text, share, t
from analysis.report.data import ReportData
from analysis.report.previous_edition import CHANGE, compare_editions


def _points(value: float, lang: str) -> str:
    """Percentage points with their sign: +4.2, -3.0 (a decimal comma in fi and sv)."""
    text = number(value, lang, 1)
    return f"+{text}" if round(value, 1) > 0 else text


def _share_cell(value: float, low: float, high: float, lang: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return share(value, lang)
    return t(
        "editions.share_cell",
        lang,
        share=share(value, lang),
        low=share(low, lang),
        high=share(high, lang),
    )


def _change_cell(row: pd.Series, lang: str) -> str:
    if pd.isna(row["change_low"]) or pd.isna(row["change_high"]):
        return _points(row["change_points"], lang)
    return t(
        "editions.change_cell",
        lang,
        points=_points(row["change_points"], lang),
        low=_points(row["change_low"], lang),
        high=_points(row["change_high"], lang),
    )


def survey_change_table(survey: pd.DataFrame, lang: str, label) -> pd.DataFrame:
    """The survey shares of both editions with their intervals, the difference with its 95 %
    interval, and whether that is a change or no clear change."""
    return pd.DataFrame(
        {
            t("column.item", lang): survey["item_id"].map(label),
            t("editions.column_before", lang): [
                _share_cell(r.share_agree_before, r.ci_low_before, r.ci_high_before, lang)
                for r in survey.itertuples()
            ],
            t("editions.column_now", lang): [
                _share_cell(r.share_agree, r.ci_low, r.ci_high, lang) for r in survey.itertuples()
            ],
            t("editions.column_difference", lang): [
                _change_cell(row, lang) for _, row in survey.iterrows()
            ],
            t("editions.column_reading", lang): [
                t(f"editions.reading.{reading}", lang) for reading in survey["reading"]
            ],
        }
    )


def since_previous_edition(data: ReportData, pub: Publisher) -> None:
    lang = data.lang
    if not data.previous_edition:
        say(page_text("editions.none", lang))
        return
    changes = compare_editions(
        resolve(data.processed_dir),
        resolve(data.previous_edition),
        not_scored=t("editions.not_scored", lang),
    )
    quadrant = data.quadrant_labels()
    moves = changes.quadrants
    say(
        page_text("editions.moved", lang, count=len(moves))
        if len(moves)
        else page_text("editions.none_moved", lang)
    )
    if changes.uncertain_left_out:
        say(page_text("editions.uncertain_left_out", lang, count=changes.uncertain_left_out))
    if changes.resting_left_out:
        say(page_text("editions.resting_left_out", lang, count=changes.resting_left_out))
    if len(moves):
        pub.table(
            moves.assign(
                country=data.country_names(moves["iso2"]),
                before=moves["quadrant_before"].map(quadrant).fillna(moves["quadrant_before"]),
                now=moves["quadrant"].map(quadrant).fillna(moves["quadrant"]),
            )[["country", "before", "now"]].rename(
                columns={
                    "country": t("column.country", lang),
                    "before": t("column.before", lang),
                    "now": t("column.now", lang),
                }
            ),
            title=t("editions.moves_title", lang),
        )
    if changes.volume_compared and not len(changes.volume):
        say(page_text("editions.volume_unchanged", lang))
    if len(changes.volume):
        volume = changes.volume
        pub.table(
            volume.assign(country=data.country_names(volume["iso2"]))[
                ["country", "copublications_before", "copublications", "change", "change_percent"]
            ]
            .round(1)
            .rename(
                columns={
                    "country": t("column.country", lang),
                    "copublications_before": t("column.before", lang),
                    "copublications": t("column.now", lang),
                    "change": t("column.change", lang),
                    "change_percent": t("column.change_percent", lang),
                }
            ),
            title=t("editions.volume_title", lang),
        )
    if len(changes.survey):
        survey = changes.survey
        say(
            page_text(
                "editions.survey_summary",
                lang,
                shown=len(survey),
                changes=int((survey["reading"] == CHANGE).sum()),
            )
        )
        pub.table(
            survey_change_table(survey, lang, data.label),
            title=t("editions.survey_title", lang),
            caption=t("editions.survey_caption", lang),
        )
