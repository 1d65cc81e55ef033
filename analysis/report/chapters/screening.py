"""Partner screening: confirmed matches and pending reviews by country, never a name."""

from __future__ import annotations

from analysis.figures.publisher import Publisher, say
from analysis.i18n import page_text, t
from analysis.report.data import ReportData


def screening(data: ReportData, pub: Publisher) -> None:
    """Counts of confirmed matches and pending reviews by country; never a name."""
    lang = data.lang
    table = data.screening
    confirmed = int(table["institutions_confirmed"].sum())
    pending = int(table["institutions_pending"].sum())
    say(page_text("screening.summary", lang, confirmed=confirmed, pending=pending))
    shown = table[(table["institutions_confirmed"] > 0) | (table["institutions_pending"] > 0)]
    pub.table(
        shown.assign(country=data.country_names(shown["iso2"]))[
            ["country", "institutions_confirmed", "institutions_pending"]
        ].rename(
            columns={
                "country": t("column.country", lang),
                "institutions_confirmed": t("column.institutions_confirmed", lang),
                "institutions_pending": t("column.institutions_pending", lang),
            }
        ),
        title=t("screening.table_title", lang),
        caption=t("screening.table_caption", lang),
    )
