"""Every text of the catalogue filled with realistic values, in English, Finnish and Swedish
side by side, for an editor to read as sentences (``python -m analysis texts-review``).

The values are the demo's where a sentence of the executive summary rests on them (China named
by 90 of 268 respondents, 4 of 34 organisations, 23 of 32 placed countries, ...), and typical
ones elsewhere: a number by its placeholder's name, written in the language's own format
(``number``, ``share``), and a label in the language (a country, an arrangement, a type of
organisation). A key whose placeholder means something else than the name suggests has its own
values in ``KEY_VALUES``.
"""

from __future__ import annotations

from typing import Any

from analysis.i18n import LANGUAGES, catalogue, number, placeholders, share, t
from analysis.i18n.page import html_text


class N(int):
    """A count, written with the language's thousands separator."""


class Y(int):
    """A year, written as it is."""


class S(float):
    """A 0–1 share, written as the language's percentage."""


class D(float):
    """A decimal with two digits."""


def _l(en: str, fi: str, sv: str) -> dict[str, str]:
    return {"en": en, "fi": fi, "sv": sv}


COUNTRY = _l("China", "Kiina", "Kina")
RIVAL = _l("the United States", "Yhdysvallat", "USA")
ITEM = _l(
    "training on research security",
    "tutkimusturvallisuuskoulutus",
    "utbildning i forskningssäkerhet",
)
ITEM_RIVAL = _l("a designated contact person", "nimetty yhteyshenkilö", "en utsedd kontaktperson")
QUADRANT = _l("Manage actively", "Hallitse aktiivisesti", "Hantera aktivt")
INDICATOR = _l("Co-publications (log)", "yhteisjulkaisut (log)", "sampublikationer (log)")

# Values by placeholder name; numbers by kind (N count, S share, D decimal).
VALUES: dict[str, Any] = {
    "aggregation": _l("arithmetic mean", "aritmeettinen keskiarvo", "aritmetiska medelvärde"),
    "aggregations": _l("geometric mean", "geometrinen keskiarvo", "geometriskt medelvärde"),
    "agree": N(142),
    "alpha": D(0.71),
    "alternative": _l("geometric mean", "geometrinen keskiarvo", "geometriskt medelvärde"),
    "applicable": N(27),
    "applies": N(27),
    "arrangements": N(8),
    "base": N(268),
    "by_sector": _l(
        "university 2, research institute 4",
        "yliopisto 2, tutkimuslaitos 4",
        "universitet 2, forskningsinstitut 4",
    ),
    "candidates": N(5),
    "cap": N(20),
    "censored": N(3),
    "change": _l("−4 percentage points", "−4 prosenttiyksikköä", "−4 procentenheter"),
    "changes": _l(
        "China (from Manage actively to Monitor)",
        "Kiina (Hallitse aktiivisesti → Seuraa)",
        "Kina (från Hantera aktivt till Bevaka)",
    ),
    "children": N(3),
    "code": "CN",
    "column": _l("Country", "Maa", "Land"),
    "commenters": N(61),
    "concentration": N(50),
    "confirmed": N(2),
    "correlation": D(0.42),
    "correlation_other": D(0.55),
    "correlation_own": D(0.31),
    "count": N(3),
    "counted": _l(
        "9 of 11 indicators measured, 1 withheld",
        "mitattuja indikaattoreita 9/11, julkaisematta 1",
        "9 av 11 indikatorer uppmätta, 1 inte publicerad",
    ),
    "countries": _l("China and Russia", "Kiina ja Venäjä", "Kina och Ryssland"),
    "country": COUNTRY,
    "country_share": S(0.18),
    "counts": _l(
        "Deepen 9, Monitor 11, Manage actively 5, uncertain 7",
        "Syvennä 9, Seuraa 11, Hallitse aktiivisesti 5, epävarma 7",
        "Fördjupa 9, Bevaka 11, Hantera aktivt 5, osäker 7",
    ),
    "coverage": N(9),
    "critical": N(41),
    "cut": N(12),
    "data": "31_report__landscape.csv",
    "date": "2026-11-25",
    "dimension": _l("threat", "uhka", "hot"),
    "dimension_score": D(0.62),
    "draws": N(2000),
    "earlier": Y(2019),
    "effective": S(0.12),
    "entities": N(4),
    "exposure": D(0.37),
    "file": "survey_export.xlsx",
    "first": S(0.52),
    "first_share": S(0.52),
    "first_year": Y(2019),
    "flag": _l("duplicate response", "päällekkäinen vastaus", "dubblettsvar"),
    "flags": _l("EU Member States", "EU:n jäsenvaltiot", "EU:s medlemsstater"),
    "goalpost_spread": S(0.25),
    "group": _l("university", "yliopisto", "universitet"),
    "group_size": N(14),
    "groups": N(3),
    "hidden": N(17),
    "high": S(0.41),
    "high_group": _l("university", "yliopisto", "universitet"),
    "high_k": N(12),
    "high_n": N(14),
    "high_share": S(0.86),
    "indicator": INDICATOR,
    "indicator_a": INDICATOR,
    "indicator_b": _l("Student mobility", "opiskelijaliikkuvuus", "studentmobilitet"),
    "indicators": _l(
        "concern in the survey and opportunity in the survey",
        "kyselyn huoli ja kyselyn mahdollisuus",
        "oro i enkäten och möjlighet i enkäten",
    ),
    "input": _l("weights", "painot", "vikter"),
    "inputs": N(6),
    "institution": "UNI-A",
    "international": N(6120),
    "interval_high": N(95),
    "interval_low": N(5),
    "invited": N(41),
    "iso2": "CN",
    "item": ITEM,
    "k": N(90),
    "key": "UNI-A",
    "kurtosis": D(4.2),
    "lang": "fi",
    "last": S(0.61),
    "last_year": Y(2024),
    "list": _l("Germany and Sweden", "Saksa ja Ruotsi", "Tyskland och Sverige"),
    "lists": N(3),
    "low": S(0.27),
    "low_group": _l("research institute", "tutkimuslaitos", "forskningsinstitut"),
    "low_k": N(2),
    "low_n": N(11),
    "low_share": S(0.18),
    "margin": D(5.0),
    "max_absolute_shift": N(6),
    "measured": _l("Monitor", "Seuraa", "Bevaka"),
    "median": D(0.95),
    "median_absolute_shift": N(1),
    "min_cell": N(5),
    "min_copublications": N(50),
    "min_coverage": N(7),
    "most": N(4),
    "n": N(34),
    "n_complete": N(31),
    "name": "Tsinghua University",
    "named_any": N(193),
    "names": _l("EU sanctions list", "EU:n pakotelista", "EU:s sanktionslista"),
    "nominal": S(0.2),
    "not_responded": N(9),
    "number": N(3),
    "one": S(0.23),
    "opportunity": D(61.4),
    "opportunity_interval": "48–72",
    "opportunity_level": _l(
        "Opportunity is high at 50 or more",
        "Mahdollisuus on korkea, kun pisteet ovat vähintään 50",
        "Möjligheten är hög vid 50 eller mer",
    ),
    "opportunity_median": D(0.97),
    "opportunity_reason": _l("half of the scale.", "puolet asteikosta.", "halva skalan."),
    "organisations": N(34),
    "other_dimension_score": D(0.71),
    "pairs": N(2),
    "parents": N(1),
    "partner": COUNTRY,
    "parts": N(3),
    "pending": N(4),
    "perceptions": _l(
        "concern and opportunity in the survey",
        "kyselyn huoli ja mahdollisuus",
        "oro och möjlighet i enkäten",
    ),
    "placed": N(32),
    "points": N(20),
    "projects": N(57),
    "protection": _l("Restricted", "Rajoitettu", "Begränsad"),
    "published": QUADRANT,
    "quadrant": QUADRANT,
    "rank": N(3),
    "reason": _l("country missing", "maa puuttuu", "land saknas"),
    "register": "UAS-07",
    "replicates": N(200),
    "respondent_share": S(0.12),
    "respondents": N(268),
    "responded": N(32),
    "responses": N(268),
    "restricted": N(2),
    "restrictive": _l(
        "EU restrictive measures raise the threat score directly.",
        "EU:n rajoittavat toimenpiteet nostavat uhkapisteitä suoraan.",
        "EU:s restriktiva åtgärder höjer hotpoängen direkt.",
    ),
    "reviewer": "AK",
    "rival": RIVAL,
    "rival_share": S(0.29),
    "rivals": _l(
        "a designated contact person (21%)",
        "nimetty yhteyshenkilö (21 %)",
        "en utsedd kontaktperson (21 %)",
    ),
    "rule": _l(
        "the designated respondent's, or else the majority's",
        "nimetyn vastaajan vastaus tai muuten enemmistön vastaus",
        "den utsedda respondentens svar, annars majoritetens",
    ),
    "runs": N(3),
    "same": N(23),
    "score_score": D(0.8),
    "scored": N(40),
    "second": _l("Monitor", "Seuraa", "Bevaka"),
    "second_share": S(0.38),
    "sentences": _l(
        "Co-publications count joint works.",
        "Yhteisjulkaisut laskevat yhteiset julkaisut.",
        "Sampublikationer räknar gemensamma verk.",
    ),
    "settled": N(25),
    "share": S(0.34),
    "share_first": S(0.52),
    "share_last": S(0.61),
    "share_moving_more_than_3": S(0.09),
    "share_of_naming": S(0.47),
    "shown": N(3),
    "skewness": D(2.4),
    "source": "OpenAlex",
    "sources": _l(
        "weights and goalposts", "painot ja skaalausrajat", "vikter och normeringsgränser"
    ),
    "stable_share": S(0.8),
    "status": _l("active", "aktiivinen", "aktiv"),
    "threat": D(58.2),
    "threat_interval": "44–70",
    "threat_level": _l(
        "Threat is high at 50 or more",
        "Uhka on korkea, kun pisteet ovat vähintään 50",
        "Hotet är högt vid 50 eller mer",
    ),
    "threat_median": D(0.96),
    "threat_reason": _l("half of the scale.", "puolet asteikosta.", "halva skalan."),
    "threats": N(8),
    "top": N(10),
    "total": N(11),
    "unit": _l("organisations", "organisaatiot", "organisationer"),
    "unmeasured": N(2),
    "value": D(0.42),
    "values": N(3),
    "version": "2.0.0",
    "weighting": _l(
        "Each respondent counts once.",
        "Kukin vastaaja lasketaan kerran.",
        "Varje respondent räknas en gång.",
    ),
    "who": COUNTRY,
    "works": N(10452),
    "year": Y(2024),
}

# Keys whose placeholders mean something else than their name says elsewhere.
KEY_VALUES: dict[str, dict[str, Any]] = {
    "summary.international_rose": {"works": N(1210)},
    "summary.international_fell": {"works": N(1210)},
    "cooperation.top_alt": {"works": N(1210)},
    "brief.critical_share": {"first": Y(2020), "last": Y(2024), "works": N(126)},
    "brief.a_critical": {"first": Y(2020), "last": Y(2024), "works": N(126)},
    "header.rows_shown": {"shown": N(25), "total": N(40)},
    "brief.record_how": {"file": "briefs/decisions.csv"},
    "method.censored": {"countries": N(6)},
    "method.censored_none_unmeasured": {"countries": N(6)},
    "audit.alpha": {"indicators": N(4)},
    "summary.weakest_safeguard": {"k": N(4)},
    "summary.among_weakest_safeguards": {"k": N(4)},
    "preparedness.weakest": {"k": N(4)},
    "preparedness.among_weakest": {"k": N(4)},
    "preparedness.cell": {"k": N(4)},
    "preparedness.disagree_cell": {"k": N(4)},
    "summary.top.threats": {"n": N(261)},
    "summary.top.opportunities": {"n": N(261)},
    "summary.among_top.threats": {"n": N(261)},
    "summary.among_top.opportunities": {"n": N(261)},
    "survey.top_threats": {"n": N(261)},
    "survey.top_opportunities": {"n": N(261)},
    "survey.among_top_threats": {"n": N(261)},
    "survey.among_top_opportunities": {"n": N(261)},
    "matrix.summary": {"countries": N(40), "opportunity": N(50), "threat": N(50)},
    "matrix.table_caption": {"low": N(5), "high": N(95)},
    "cards.intro": {"low": N(5), "high": N(95)},
    "matrix.rank_correlation": {"opportunity": D(0.81), "threat": D(0.77)},
    "method.applies_item": {"countries": N(27)},
    "critical.all": {"first": Y(2019), "last": Y(2024), "all_first": S(0.08), "all_last": S(0.11)},
    "critical.alt": {"first": Y(2019), "last": Y(2024)},
    "critical.no_rise": {"first": Y(2019), "last": Y(2024)},
    "brief.works_period": {"first": Y(2020), "last": Y(2024)},
    "brief.counterparts_scope": {"first": Y(2020), "last": Y(2024)},
}


def value_in(value: Any, lang: str) -> Any:
    """One sample value as the code would pass it in ``lang``."""
    if isinstance(value, dict):
        return value[lang]
    if isinstance(value, S):
        return share(value, lang)
    if isinstance(value, D):
        return number(value, lang, 1 if value >= 10 else 2)
    if isinstance(value, N):
        return number(value, lang)
    return value


def sample_values(key: str, lang: str) -> dict[str, Any]:
    names = placeholders(catalogue()[key]["en"])
    chosen = {**VALUES, **KEY_VALUES.get(key, {})}
    return {name: value_in(chosen.get(name, N(12)), lang) for name in names}


def render_all() -> list[tuple[str, dict[str, str]]]:
    """Every key, in every language, with its sample values."""
    return [
        (key, {lang: t(key, lang, **sample_values(key, lang)) for lang in LANGUAGES})
        for key in catalogue()
    ]


def review_html(rows: list[tuple[str, dict[str, str]]] | None = None) -> str:
    """One page: key, English, Finnish and Swedish side by side."""
    rows = render_all() if rows is None else rows
    body = "\n".join(
        "<tr><th id='{0}'>{0}</th>{1}</tr>".format(
            html_text(key),
            "".join(f"<td lang='{lang}'>{html_text(texts[lang])}</td>" for lang in LANGUAGES),
        )
        for key, texts in rows
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Texts for review</title><style>"
        "body{font-family:sans-serif;font-size:14px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}"
        "th{font-weight:normal;font-family:monospace;font-size:12px;width:12%}"
        "td{width:29%}</style></head><body>"
        f"<h1>Every text with sample values ({len(rows)} keys)</h1>"
        "<table><thead><tr><th>key</th><th>en</th><th>fi</th><th>sv</th></tr></thead>"
        f"<tbody>\n{body}\n</tbody></table></body></html>\n"
    )
