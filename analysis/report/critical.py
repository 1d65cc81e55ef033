"""The report section on co-publications in critical technology areas, year by year.

Reads ``openalex_critical_by_partner_year`` (one row per top partner and year: critical
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
from analysis.i18n.page import PageText, escape_value, page_format
from analysis.reference.countries import CountryResolver

COUNTRY_ALIASES = "config/country_aliases.yaml"
SOURCE = {
    "en": "OpenAlex; subfields of the critical technology areas of Commission Recommendation "
    "(EU) 2023/2113 as mapped in config/critical_technologies.yaml",
    "fi": "OpenAlex; komission suosituksen (EU) 2023/2113 kriittisten teknologia-alojen "
    "alakentät tiedoston config/critical_technologies.yaml mukaan",
    "sv": "OpenAlex; delområden inom de kritiska teknikområdena i kommissionens rekommendation "
    "(EU) 2023/2113 enligt filen config/critical_technologies.yaml",
}
TEXTS = {
    "en": {
        "title": "Share of co-publications in critical technology areas by partner country",
        "heading": "Critical technology areas: share of co-publications by year",
        "ylabel": "Critical areas (%)",
        "reference": "Median of the partners",
        "caption": "Each panel is a partner country: the share of its co-publications with "
        "Finland whose main subfield belongs to a critical technology area, by year; the dashed "
        "line is the median of the partners shown. Subfields are broader than the technologies "
        "named in the Recommendation, so the share is an upper bound.",
        "alt": "Small line charts, one per partner country, of the share of co-publications in "
        "critical technology areas from {first} to {last}.",
        "missing": "The data has no co-publication counts in critical technology areas by year, "
        "so this section is empty.",
        "all": "Over the {n} largest partner countries together, **{all_last}** of the "
        "co-publications of {last} were in critical technology areas, against {all_first} "
        "in {first}.",
        "rose": " The share rose most with {list}.",
        "no_rise": " With none of them did the share rise between {first} and {last}.",
        "fell": " It fell most with {who} ({change}).",
        "item": "{who} (from {share_first} to {share_last}, {change})",
        "and": " and ",
        "points": "{value} percentage points",
    },
    "fi": {
        "title": "Kriittisten teknologia-alojen osuus yhteisjulkaisuista kumppanimaittain",
        "heading": "Kriittiset teknologia-alat: osuus yhteisjulkaisuista vuosittain",
        "ylabel": "Kriittiset alat (%)",
        "reference": "Kumppanimaiden mediaani",
        "caption": "Kukin paneeli on yksi kumppanimaa: niiden Suomen kanssa tehtyjen "
        "yhteisjulkaisujen osuus, joiden pääasiallinen alakenttä kuuluu kriittiseen "
        "teknologia-alaan, vuosittain; katkoviiva on esitettyjen maiden mediaani. Alakentät "
        "ovat suosituksen teknologioita laajempia, joten osuus on yläraja.",
        "alt": "Pienet viivakaaviot, yksi kutakin kumppanimaata kohden, kriittisten "
        "teknologia-alojen osuudesta yhteisjulkaisuista vuosina {first}–{last}.",
        "missing": "Aineistossa ei ole kriittisten teknologia-alojen yhteisjulkaisuja "
        "vuosittain, joten tämä osio on tyhjä.",
        "all": "Kriittisten teknologia-alojen osuus suurimpien {n} kumppanimaan kanssa "
        "tehdyistä yhteisjulkaisuista oli **{all_last}** vuonna {last} ja {all_first} vuonna "
        "{first}.",
        "rose": " Osuus kasvoi eniten yhteistyössä seuraavien maiden kanssa: {list}.",
        "no_rise": " Yhdenkään maan kanssa osuus ei kasvanut vuodesta {first} vuoteen {last}.",
        "fell": " Eniten se laski yhteistyössä seuraavan maan kanssa: {who} ({change}).",
        "item": "{who} ({share_first} → {share_last}, {change})",
        "and": " ja ",
        "points": "{value} prosenttiyksikköä",
    },
    "sv": {
        "title": "Andelen sampublikationer inom kritiska teknikområden per partnerland",
        "heading": "Kritiska teknikområden: andel av sampublikationerna per år",
        "ylabel": "Kritiska områden (%)",
        "reference": "Partnerländernas median",
        "caption": "Varje panel är ett partnerland: andelen av landets sampublikationer med "
        "Finland vars huvudsakliga delområde hör till ett kritiskt teknikområde, per år; den "
        "streckade linjen är medianen för de länder som visas. Delområdena är bredare än de "
        "tekniker som nämns i rekommendationen, så andelen är en övre gräns.",
        "alt": "Små linjediagram, ett per partnerland, över andelen sampublikationer inom "
        "kritiska teknikområden åren {first}–{last}.",
        "missing": "Materialet innehåller inga sampublikationer inom kritiska teknikområden "
        "per år, så detta avsnitt är tomt.",
        "all": "Andelen kritiska teknikområden av sampublikationerna med de {n} största "
        "partnerländerna var **{all_last}** år {last} och {all_first} år {first}.",
        "rose": " Andelen ökade mest i samarbetet med följande länder: {list}.",
        "no_rise": " Andelen ökade inte med något av länderna mellan {first} och {last}.",
        "fell": " Mest minskade den i samarbetet med följande land: {who} ({change}).",
        "item": "{who} ({share_first} → {share_last}, {change})",
        "and": " och ",
        "points": "{value} procentenheter",
    },
}


def _share(value: float, lang: str) -> str:
    text = f"{value * 100:.0f}"
    return f"{text} %" if lang != "en" else f"{text}%"


def _points(value: float, lang: str) -> str:
    text = f"{value * 100:+.1f}".replace("-", "−")
    if lang != "en":
        text = text.replace(".", ",")
    return TEXTS[lang]["points"].format(value=text)


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
    text = TEXTS[lang]
    partners = change[change["partner_country"] != "ALL"]
    overall = change[change["partner_country"] == "ALL"].iloc[0]
    sentence = text["all"].format(
        n=len(partners),
        first=first,
        last=last,
        all_first=_share(overall["share_first"], lang),
        all_last=_share(overall["share_last"], lang),
    )
    rising = partners[partners["change"] > 0].head(shown)
    if len(rising):
        items = [
            text["item"].format(
                who=name(row.partner_country),
                share_first=_share(row.share_first, lang),
                share_last=_share(row.share_last, lang),
                change=_points(row.change, lang),
            )
            for row in rising.itertuples()
        ]
        listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + text["and"] + items[-1]
        sentence += text["rose"].format(list=listed)
    else:
        sentence += text["no_rise"].format(first=first, last=last)
    falling = partners[partners["change"] < 0]
    if len(falling):
        row = falling.iloc[-1]
        sentence += text["fell"].format(
            who=name(row["partner_country"]), change=_points(row["change"], lang)
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
    text = TEXTS[lang]
    if data.empty:
        say(page_format(text["missing"]))
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
            title=text["heading"],
            names=names,
            ylabel=text["ylabel"],
            reference_label=text["reference"],
        ),
        "critical_share_by_year",
        title=text["title"],
        caption=text["caption"],
        alt=text["alt"].format(first=first, last=last),
        data=data.assign(country=data["partner_country"].map(names)),
        source=SOURCE[lang],
    )
    return change
