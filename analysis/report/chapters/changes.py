"""Change since the previous edition: quadrant moves, volume and survey shares."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.files.paths import resolve
from analysis.i18n import page_text, t
from analysis.report.data import ReportData
from analysis.report.previous_edition import compare_editions


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
        pub.table(
            survey.assign(
                item=survey["item_id"].map(data.label),
                before=(survey["share_agree_before"] * 100).round(0),
                now=(survey["share_agree"] * 100).round(0),
                points=survey["change_points"].round(1),
            )[["item", "before", "now", "points"]].rename(
                columns={
                    "item": t("column.item", lang),
                    "before": t("column.agree_before", lang),
                    "now": t("column.agree_now", lang),
                    "points": t("column.change_points", lang),
                }
            ),
            title=t("editions.survey_title", lang),
        )
