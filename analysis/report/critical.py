"""The report section on co-publications in critical technology areas, year by year.

Reads ``openalex_critical_by_partner_year`` (one row per measured partner and year: critical
co-publications, all co-publications, their share), draws one small panel per partner and
writes a sentence from the numbers: with which partners the share rose most between the first
and the last year, and with which it fell most.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.figures.plots import critical_share_small_multiples
from analysis.figures.publisher import Publisher, say
from analysis.files.paths import resolve
from analysis.i18n import number, page_text, share, t
from analysis.i18n.page import PageText, escape_value
from analysis.reference.countries import CountryResolver

COUNTRY_ALIASES = "config/country_aliases.yaml"


def _points(value: float, lang: str) -> str:
    """A change in percentage points with its sign: +30.0, −5.0 (−5,0 where commas are used)."""
    amount = number(abs(value) * 100, lang, 1)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return t("critical.points", lang, value=f"{sign}{amount}")


def critical_share_change(table: pd.DataFrame) -> pd.DataFrame:
    """Each partner's critical share in the first and the last year of the table and the
    change between them (as a fraction: 0.05 is five percentage points), largest rise first.

    Only partners with co-publications in both years are compared. A row ``ALL`` pools the
    partners: critical co-publications over all co-publications of each year.
    """
    columns = ["partner_country", "share_first", "share_last", "change"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    first, last = int(table["year"].min()), int(table["year"].max())
    ends = table[table["year"].isin([first, last])]
    shares = ends.pivot(index="partner_country", columns="year", values="critical_share")
    shares = shares.reindex(columns=[first, last]).dropna()
    pooled = ends.groupby("year")[["critical_copublications", "copublications"]].sum()
    result = pd.DataFrame(
        {
            "partner_country": shares.index,
            "share_first": shares[first].to_numpy(),
            "share_last": shares[last].to_numpy(),
        }
    )
    result["change"] = result["share_last"] - result["share_first"]
    result = result.sort_values(["change", "partner_country"], ascending=[False, True])
    total = pooled["critical_copublications"] / pooled["copublications"]
    overall = pd.DataFrame(
        {
            "partner_country": ["ALL"],
            "share_first": [float(total.get(first, float("nan")))],
            "share_last": [float(total.get(last, float("nan")))],
        }
    )
    overall["change"] = overall["share_last"] - overall["share_first"]
    result = pd.concat([result, overall], ignore_index=True)
    return result[columns]


def critical_share_sentence(
    change: pd.DataFrame,
    first: int,
    last: int,
    name: Callable[[str], str],
    lang: str = "en",
    shown: int = 3,
) -> str:
    """The section's sentence: the pooled share, the ``shown`` largest rises, the largest fall."""
    partners = change[change["partner_country"] != "ALL"]
    overall = change[change["partner_country"] == "ALL"].iloc[0]
    sentence = t(
        "critical.all",
        lang,
        n=len(partners),
        first=first,
        last=last,
        all_first=share(overall["share_first"], lang),
        all_last=share(overall["share_last"], lang),
    )
    rising = partners[partners["change"] > 0].head(shown)
    if len(rising):
        items = [
            t(
                "critical.item",
                lang,
                who=name(row.partner_country),
                share_first=share(row.share_first, lang),
                share_last=share(row.share_last, lang),
                change=_points(row.change, lang),
            )
            for row in rising.itertuples()
        ]
        listed = (
            items[0]
            if len(items) == 1
            else ", ".join(items[:-1]) + f" {t('list.and', lang)} " + items[-1]
        )
        sentence += " " + t("critical.rose", lang, list=listed)
    else:
        sentence += " " + t("critical.no_rise", lang, first=first, last=last)
    falling = partners[partners["change"] < 0]
    if len(falling):
        row = falling.iloc[-1]
        sentence += " " + t(
            "critical.fell",
            lang,
            who=name(row["partner_country"]),
            change=_points(row["change"], lang),
        )
    return sentence


def critical_share_by_year(
    data: pd.DataFrame,
    pub: Publisher,
    lang: str = "en",
    *,
    country_aliases: str = COUNTRY_ALIASES,
) -> pd.DataFrame:
    """Draw the small multiples through ``pub`` and write the sentence; returns the changes.

    ``data`` is the processed table ``openalex_critical_by_partner_year``.
    """
    if data.empty:
        say(page_text("critical.missing", lang))
        return critical_share_change(data)
    resolver = CountryResolver(resolve(country_aliases))
    codes = sorted(set(data["partner_country"]))
    names = {code: resolver.name(code, lang) for code in codes}
    first, last = int(data["year"].min()), int(data["year"].max())
    change = critical_share_change(data)
    sentence = critical_share_sentence(change, first, last, lambda c: escape_value(names[c]), lang)
    say(PageText.composed(sentence))
    pub.figure(
        critical_share_small_multiples(
            data,
            title=t("critical.heading", lang),
            names=names,
            ylabel=t("critical.ylabel", lang),
            reference_label=t("critical.reference", lang),
            hover=lambda code, year, value, median: t(
                "critical.hover",
                lang,
                country=names[code],
                year=year,
                share=share(value, lang),
                median=share(median, lang),
            ),
        ),
        "critical_share_by_year",
        title=t("critical.title", lang),
        caption=t("critical.caption", lang),
        alt=t("critical.alt", lang, first=first, last=last),
        data=data,
        source=t("critical.source", lang),
    )
    return change
