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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.demo.entities import COUNTRIES, ORGANISATIONS
from analysis.demo.respondents import (
    CONCERN_OPTIONS,
    HOSTILE_COMMENTS,
    OPPORTUNITY_OPTIONS,
    Respondent,
    make_respondent,
    make_straight_liner,
)
from analysis.demo.writers import write_csv, write_xlsx, write_yaml
from analysis.survey.codebook import DONT_KNOW, Codebook
from analysis.survey.questionnaire import limesurvey_columns

SURVEY_MAPPING_NOTE = "Maps this export's columns and codes onto config/codebook.yaml."
WEBROPOL_FILE = "webropol_vastaukset_2024.xlsx"
LIMESURVEY_FILE = "limesurvey_results_2024.csv"


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
        **limesurvey_columns(LIMESURVEY_FILE),
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
    make_straight_liner(codebook, web[60], 3)
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
        make_straight_liner(codebook, person, 4)
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
