"""Chapters of the partner due-diligence brief: each item with its source and the date of it.

Every chapter is ``fn(data, pub)``. Names and every other data-derived string go into tables
(the publisher escapes them) or through ``html.escape`` into paragraphs: a name from a list or
a register is never read as markup.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from analysis.figures.publisher import Publisher, say
from analysis.figures.tables import PrintList
from analysis.i18n import number, page_text, share, t
from analysis.screening.partners import ATTENTION, RED_FLAG, REVIEWER, Answer, red_flag_count
from analysis.steps.partner_brief import FIRST_YEAR, LAST_YEAR, BriefData

DECISIONS_FILE = "briefs/decisions.csv"
PRINT_ROWS = 5  # rows of a long table that fit the brief's two printed pages


def _p(text: str) -> None:
    display(HTML(f"<p>{text}</p>"))


def _e(value: object) -> str:
    return html.escape(str(value))


def _dated(data: BriefData, key: str, text_key: str) -> str:
    date = data.dates.get(key) or t("brief.no_date", data.lang)
    return t(text_key, data.lang, date=date)


def _list(values) -> PrintList | str:
    """A list for a table cell: whole on screen, its first items and a count on paper."""
    values = tuple(str(v) for v in values if str(v))
    return PrintList(values) if values else ""


def introduction(data: BriefData, pub: Publisher) -> None:
    """The partner's name, and whose cooperation the brief looks at."""
    lang = data.lang
    who = data.record.name
    scope = (
        t("brief.scope_institution", lang, institution=_e(data.institution.name))
        if data.institution
        else t("brief.scope_finland", lang)
    )
    display(HTML(f'<p class="brief-partner"><strong>{_e(who)}</strong> — {scope}</p>'))


def identity(data: BriefData, pub: Publisher) -> None:
    """Names in every language, aliases, acronyms, type, country, established, family, status."""
    lang, record = data.lang, data.record
    ror = _dated(data, "ror", "brief.source_ror")
    none = t("brief.none", lang)
    rows = [(t("brief.display_name", lang), record.name)]
    for label in record.labels:
        if label.value == record.name and label.lang == "en":
            continue
        name = (
            t("brief.label", lang, lang=label.lang)
            if label.lang
            else t("brief.label_no_lang", lang)
        )
        rows.append((name, label.value))
    parents = [f"{r.label} ({r.id})" for r in record.related("parent")]
    children = [f"{r.label} ({r.id})" for r in record.related("child")]
    rows += [
        (t("brief.aliases", lang), _list(record.aliases) or none),
        (t("brief.acronyms", lang), _list(record.acronyms) or none),
        (t("brief.types", lang), _list(record.types) or none),
        (t("brief.country", lang), record.country or none),
        (t("brief.established", lang), record.established or none),
        (t("brief.status", lang), record.status),
        (t("brief.parents", lang), _list(parents) or none),
        (t("brief.children", lang), _list(children) or none),
        (t("brief.ror_id", lang), record.url),
        (t("brief.openalex_id", lang), data.openalex_id or none),
    ]
    frame = pd.DataFrame(rows, columns=[t("brief.field", lang), t("brief.value", lang)])
    sources = [ror]
    if data.openalex_id:
        sources.append(_dated(data, "openalex", "brief.source_openalex"))
    caption = f"{t('brief.source', lang)}: {'; '.join(sources)}."
    frame = frame.map(lambda v: v if isinstance(v, PrintList) else str(v))
    pub.table(frame, title=t("brief.identity_heading", lang), caption=caption, key_value=True)


def screening(data: BriefData, pub: Publisher) -> None:
    """The lists screened against, and the candidates of the partner, its parents, children."""
    lang = data.lang
    relations = [relation for relation, _, _ in data.family]
    names = "; ".join(f"{row.list} ({row.entities})" for row in data.lists.itertuples())
    _p(
        t(
            "brief.screened_against",
            lang,
            parents=relations.count("parent"),
            children=relations.count("child"),
            lists=len(data.lists),
            names=_e(names or t("brief.none", lang)),
        )
        + " <em>"
        + _e(_dated(data, "screening", "brief.source_screening"))
        + "</em>"
    )
    if data.screening.empty:
        _p(t("brief.no_candidates", lang))
        return
    shown = pd.DataFrame(
        {
            t("brief.relation", lang): data.screening["relation"].map(
                lambda r: t(f"brief.relation_{r}", lang)
            ),
            t("brief.organisation", lang): data.screening["institution_name"],
            t("brief.list", lang): data.screening["list"],
            t("brief.listed_name", lang): data.screening["listed_name"],
            t("brief.score", lang): data.screening["score"].round(0).astype(int),
            t("brief.method", lang): data.screening["method"],
            t("brief.reason", lang): data.screening["reason"],
            t("brief.decision", lang): data.screening["decision"].map(
                lambda d: t(f"brief.decision_{d}", lang)
            ),
        }
    )
    pub.table(shown, title=t("brief.candidates_title", lang), print_rows=PRINT_ROWS)


def country_card(data: BriefData, pub: Publisher, model: dict, quadrants: dict[str, str]) -> None:
    """The country's row of the assessment: quadrant, scores and every indicator ("does not
    apply" where the model declares it for other countries only), then the context ones."""
    lang, row = data.lang, data.country
    if row is None:
        _p(_e(t("brief.country_missing", lang, country=data.record.country or "?")))
        return
    source = t("brief.source_assessment", lang)
    not_measured = t("brief.not_measured", lang)

    def value(v: object) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return not_measured
        if isinstance(v, bool):
            return t("brief.yes" if v else "brief.no", lang)
        if isinstance(v, float):
            return number(v, lang, 0 if v.is_integer() and abs(v) >= 1 else 3)
        return str(v)

    def score(name: str) -> str:
        """A score on the 0–100 scale of the report, with its 5–95 % interval."""
        central = row.get(name)
        if central is None or pd.isna(central):
            return not_measured
        low, high = row.get(f"{name}_p05"), row.get(f"{name}_p95")
        text = number(float(central) * 100, lang)
        if low is not None and high is not None and not pd.isna(low):
            text += f" ({number(float(low) * 100, lang)}–{number(float(high) * 100, lang)})"
        return text

    quadrant = row.get("quadrant")
    rows = [
        (t("brief.country", lang), str(row.get("country") or row.get("iso2"))),
        (t("brief.quadrant", lang), quadrants.get(str(quadrant), not_measured)),
        (t("brief.opportunity", lang), score("opportunity")),
        (t("brief.threat", lang), score("threat")),
        (t("brief.exposure", lang), score("exposure")),
    ]
    for side in ("opportunity", "threat", "exposure", "context"):
        for name, indicator in (model.get(side) or {}).items():
            label = indicator["label"]
            label = label.get(lang, label.get("en")) if isinstance(label, dict) else str(label)
            flags = indicator.get("applies_to") or []
            if flags and not any(bool(row.get(flag)) for flag in flags):
                # Not a value of the country: the indicator does not apply to it.
                rows.append((label.removesuffix(" (log)"), t("brief.not_applicable", lang)))
                continue
            # The card shows the values as measured, before any log transform of the model;
            # context indicators (not weighted) come last.
            withheld = pd.isna(row.get(name)) and not pd.isna(row.get(f"{name}_high", None))
            shown = t("brief.withheld", lang) if withheld else value(row.get(name))
            rows.append((label.removesuffix(" (log)"), shown))
    frame = pd.DataFrame(rows, columns=[t("brief.field", lang), t("brief.value", lang)])
    caption = f"{t('brief.source', lang)}: {source}."
    pub.table(frame, title=t("brief.country_heading", lang), caption=caption, key_value=True)


def cooperation(data: BriefData, pub: Publisher) -> None:
    """Co-publications by year, the share in critical technology areas, joint CORDIS projects."""
    lang = data.lang
    if data.copublications.empty:
        _p(t("brief.no_openalex", lang))
    else:
        # Years as columns: three short rows print in a few lines.
        wide = data.copublications.set_index("year")[["works", "critical"]].T
        wide.columns = [str(year) for year in wide.columns]
        labels = [t("brief.works", lang), t("brief.critical_works", lang)]
        table = wide.reset_index(drop=True)
        table.insert(0, t("brief.year", lang), labels)
        pub.table(
            table,
            title=t("brief.copublications_title", lang),
            caption=_dated(data, "openalex", "brief.source_openalex"),
        )
    if data.critical:
        c = data.critical
        country_share = (
            share(c["country_share"], lang)
            if c["country_share"] is not None
            else t("brief.not_measured", lang)
        )
        _p(
            _e(
                t(
                    "brief.critical_share",
                    lang,
                    first=c["first_year"],
                    last=c["last_year"],
                    critical=number(c["partner_critical"], lang),
                    works=number(c["partner_works"], lang),
                    share=share(c["partner_share"], lang),
                    country=data.record.country or "?",
                    country_share=country_share,
                )
            )
        )
    counterparts(data, pub)
    if data.projects.empty:
        _p(_e(t("brief.no_projects", lang)))
        return
    shown = data.projects.assign(
        project_id=data.projects["project_id"] + " " + data.projects["acronym"]
    )
    shown = shown.drop(columns="acronym").rename(
        columns={
            "project_id": t("brief.project", lang),
            "programme": t("brief.programme", lang),
            "start": t("brief.start", lang),
            "partner_role": t("brief.partner_role", lang),
            "finnish_participants": t("brief.finnish_participants", lang),
        }
    )
    pub.table(
        shown,
        title=t("brief.projects_title", lang),
        caption=_dated(data, "cordis", "brief.source_cordis"),
        print_rows=PRINT_ROWS,
    )


def counterparts(data: BriefData, pub: Publisher) -> None:
    """The Finnish institutions that co-publish most with the partner (the given one marked),
    with their co-publications; the screen shows all, paper the first five and a count."""
    lang, count = data.lang, data.counterpart_count
    if count is None:
        if data.openalex_id:
            _p(_e(t("brief.no_counterparts", lang)))
        return
    table = data.counterparts
    scope = t(
        "brief.counterparts_scope",
        lang,
        groups=number(count.groups, lang),
        first=FIRST_YEAR,
        last=LAST_YEAR,
    )
    caption = f"{_dated(data, 'counterparts', 'brief.source_openalex')}; {scope}"
    if table.empty:
        _p(_e(t("brief.no_finnish_counterparts", lang)) + f" <em>{_e(caption)}</em>")
        return
    marker = t("brief.counterpart_given", lang)
    names = [
        f"{n} — {marker}" if g else n for n, g in zip(table["name"], table["given"], strict=True)
    ]
    shown = pd.DataFrame({t("brief.counterpart", lang): names})
    if table["organisation_key"].astype(bool).any():
        shown[t("brief.organisation_key", lang)] = table["organisation_key"].tolist()
    shown[t("brief.works_period", lang, first=FIRST_YEAR, last=LAST_YEAR)] = table["works"]
    pub.table(
        shown,
        title=t("brief.counterparts_title", lang),
        caption=caption,
        print_rows=PRINT_ROWS,
    )
    if data.institution is not None:
        mine = table.index[table["given"]]
        if len(mine):
            row = table.loc[mine[0]]
            text = t(
                "brief.counterpart_rank",
                lang,
                name=row["name"],
                works=number(row["works"], lang),
                rank=int(mine[0]) + 1,
                count=len(table),
            )
        else:
            text = t("brief.counterpart_absent", lang, name=data.institution.name)
        _p(_e(text))


def _answer_text(answer: Answer, lang: str, quadrants: dict[str, str]) -> str:
    v = answer.values
    if answer.item in ("listed", "family_listed"):
        if answer.status == RED_FLAG:
            return t("brief.a_listed_red", lang, entities=v["entities"])
        if answer.status == ATTENTION:
            return t("brief.a_listed_attention", lang, count=v["count"])
        return t("brief.a_listed_none", lang)
    if answer.item == "status":
        return t("brief.a_status", lang, status=v["status"])
    if answer.item == "country":
        if answer.status == REVIEWER:
            return t("brief.a_country_missing", lang, iso2=v["iso2"])
        yes_no = t("brief.yes" if v["restricted"] else "brief.no", lang)
        quadrant = quadrants.get(v["quadrant"], t("brief.not_measured", lang))
        return t("brief.a_country", lang, quadrant=quadrant, restricted=yes_no)
    if answer.item == "critical_technology":
        if answer.status == REVIEWER:
            return t("brief.a_critical_missing", lang)
        country = v["country_share"]
        return t(
            "brief.a_critical",
            lang,
            share=share(v["partner_share"], lang),
            works=number(v["partner_works"], lang),
            first=v["first_year"],
            last=v["last_year"],
            country_share=share(country, lang)
            if country is not None
            else t("brief.not_measured", lang),
        )
    if answer.item == "collaborators":
        key = (
            "brief.a_collaborators_red"
            if answer.status == RED_FLAG
            else "brief.a_collaborators_reviewer"
        )
        return t(key, lang)
    return t("brief.a_reviewer", lang)


SOURCES = {
    "screening": ("screening", "brief.source_screening"),
    "ror": ("ror", "brief.source_ror"),
    "openalex": ("openalex", "brief.source_openalex"),
}


def red_flags(data: BriefData, pub: Publisher, quadrants: dict[str, str]) -> None:
    """The checklist: each question, its answer from the data or for the reviewer, its source."""
    lang = data.lang

    def source(answer: Answer) -> str:
        if answer.source in SOURCES:
            return _dated(data, *SOURCES[answer.source])
        if answer.source == "assessment":
            return t("brief.source_assessment", lang)
        if answer.source == "checklist":
            return t("brief.source_checklist", lang)
        return ""

    reviewer = sum(a.status == REVIEWER for a in data.answers)
    flags = red_flag_count(data.answers)
    attention = sum(a.status == ATTENTION for a in data.answers)
    say(page_text("brief.flags_summary", lang, count=flags, reviewer=reviewer))
    # For the batch index, which reads the executed notebook.
    display(
        HTML(
            f'<span class="brief-counts" hidden data-red-flags="{flags}" '
            f'data-attention="{attention}"></span>'
        )
    )
    frame = pd.DataFrame(
        {
            t("brief.question", lang): [t(f"brief.q_{a.item}", lang) for a in data.answers],
            t("brief.flag", lang): [t(f"brief.status_{a.status}", lang) for a in data.answers],
            t("brief.answer", lang): [_answer_text(a, lang, quadrants) for a in data.answers],
            t("brief.source", lang): [source(a) for a in data.answers],
        }
    )
    pub.table(frame, title=t("brief.checklist_heading", lang))


def decision_record(data: BriefData, pub: Publisher) -> None:
    """Earlier decisions on this partner, and how to record the next one."""
    lang = data.lang
    if data.decisions.empty:
        _p(t("brief.no_decisions", lang))
    else:
        shown = pd.DataFrame(
            {
                t("brief.date", lang): data.decisions["date"],
                t("brief.decision", lang): data.decisions["decision"].map(
                    lambda d: t(f"brief.decision_{d}", lang)
                ),
                t("brief.reasons", lang): data.decisions["reasons"],
                t("brief.reviewer", lang): data.decisions["reviewer"],
            }
        )
        pub.table(  # on paper the latest decisions, with a count of the earlier ones
            shown,
            title=t("brief.decisions_title", lang),
            caption=t("brief.source_decisions", lang),
            print_rows=PRINT_ROWS,
            print_last=True,
        )
    _p(_e(t("brief.record_how", lang, file=DECISIONS_FILE, partner=data.record.url)))


def scoring_labels(scoring_model: str, lang: str) -> tuple[dict, dict[str, str]]:
    """The scoring model (for the indicators' labels) and the quadrant names in ``lang``."""
    import yaml

    from analysis.files.paths import resolve
    from analysis.i18n import pick

    model = yaml.safe_load(resolve(scoring_model).read_text(encoding="utf-8"))
    names = {key: pick(name, lang) for key, name in model["classes"]["names"].items()}
    return model, names
