"""Key findings as language-neutral values, kept in ``report_findings`` (step 26) so every
number of the executive summary can be checked; the sentences are written per edition."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.i18n import in_sentence, listing, number, page_text, share
from analysis.i18n.page import PageText
from analysis.survey.analyse import ALL
from analysis.survey.compare import leader
from analysis.survey.organisations import LARGE_GAP, OTHERS, sector_gap


@dataclass
class Findings:
    """Key results as named, language-neutral values: counts, shares, years, country codes and
    item ids; the sentences name them in each edition's language."""

    values: dict[str, object] = field(default_factory=dict)

    def __setitem__(self, key: str, value: object) -> None:
        self.values[key] = value

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "finding": list(self.values),
                "value": [str(v) for v in self.values.values()],
                "type": [type(v).__name__ for v in self.values.values()],
            }
        )

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> Findings:
        kinds = {"int": int, "float": float, "str": str}
        return cls({r.finding: kinds[r.type](r.value) for r in table.itertuples(index=False)})


def overall_rows(table: pd.DataFrame, value: str) -> pd.DataFrame:
    return table[(table["org_type"] == ALL) & (table["suppressed"] == "")].dropna(subset=[value])


def shown_mentions(mentions: pd.DataFrame, item_id: str) -> pd.DataFrame:
    """Countries named for ``item_id`` that may be shown, most often named first."""
    part = mentions[(mentions["item_id"] == item_id)]
    return part[part["suppressed"] == ""].sort_values(
        ["respondents", "iso2"], ascending=[False, True]
    )


def split_by_prompting(
    mentions: pd.DataFrame, options: Collection[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The countries the questionnaire listed (``options``) and those written in: a listed
    country is named more easily, so the two are never ranked together."""
    listed = mentions["iso2"].isin(set(options))
    return mentions[listed], mentions[~listed]


def with_naming_intervals(mentions: pd.DataFrame) -> pd.DataFrame:
    """Each country's share of those who named any country as the value to rank on, with the
    table's interval of it (respondents clustered in their organisations)."""
    return mentions.assign(value=mentions["share_of_naming"].astype(float))


def _country_leader(f: Findings, rows: pd.DataFrame, prefix: str, rival: str) -> None:
    """The most named country of ``rows`` (one kind: listed, or written in) as
    ``<prefix>_country``, its respondents and share of those naming any, whether its interval
    stands apart, and its closest rival as ``rival`` when it does not."""
    top = leader(rows, "iso2", "value")
    row = rows.set_index("iso2").loc[top.key]
    f[f"{prefix}_country"] = top.key
    f[f"{prefix}_respondents"] = int(row["respondents"])
    f[f"{prefix}_share_of_naming"] = float(row["share_of_naming"])
    f[f"{prefix}_separated"] = int(top.separated)
    if top.rivals:
        f[rival] = top.rivals[0]


def standing(f: Findings, prefix: str, rival: str) -> tuple[bool, str | None]:
    """Whether the country ``_country_leader`` recorded under ``prefix`` stands apart (its
    interval separates, or there is no rival), and its closest rival otherwise."""
    if f[f"{prefix}_separated"] or rival not in f:
        return True, None
    return False, str(f[rival])


def compute_findings(
    respondents: pd.DataFrame,
    output_by_year: pd.DataFrame,
    top_partners: pd.DataFrame,
    agreement: pd.DataFrame,
    readiness: pd.DataFrame,
    mentions: pd.DataFrame,
    readiness_by_organisation: pd.DataFrame,
    *,
    min_cell: int,
    prompted: Mapping[str, Collection[str]],
) -> Findings:
    """Every number the executive summary uses, read from the results tables; a group of
    organisations is compared only if it has at least ``min_cell`` of them. ``prompted``
    holds, per country question, the countries the questionnaire listed (the codebook's
    options): the most named country is ranked among those only, and the most often written-in
    one is reported on its own."""
    f = Findings()
    output = output_by_year
    f["respondents"] = len(respondents)
    f["organisations"] = int(respondents["organisation_key"].nunique())
    if len(output) and len(top_partners):  # without OpenAlex answers: no co-publications
        f["first_year"] = int(output["year"].min())
        f["last_year"] = int(output["year"].max())
        f["international_share_first"] = float(output.iloc[0]["international_share"])
        f["international_share_last"] = float(output.iloc[-1]["international_share"])
        largest = top_partners.sort_values("works", ascending=False).iloc[0]
        f["top_partner"] = str(largest["iso2"])
        f["top_partner_works"] = int(largest["works"])
    for block in ("threats", "opportunities"):
        overall = overall_rows(agreement[agreement["block"] == block], "share_agree")
        top = leader(overall, "item_id", "share_agree")
        row = overall.set_index("item_id").loc[top.key]
        f[f"{block}_top_item"] = top.key
        f[f"{block}_top_share"] = float(row["share_agree"])
        f[f"{block}_top_agree"] = int(row["agree"])
        f[f"{block}_top_n"] = int(row["n"])
        f[f"{block}_top_separated"] = int(top.separated)
        if top.rivals:  # the closest rival, named beside the leader
            rival = overall.set_index("item_id").loc[top.rivals[0]]
            f[f"{block}_rival_item"] = top.rivals[0]
            f[f"{block}_rival_share"] = float(rival["share_agree"])
            f[f"{block}_rivals"] = len(top.rivals)
    # Safeguards are facts about organisations: the weakest is read per organisation, with the
    # respondent-level share beside it for comparison.
    organisations = overall_rows(readiness_by_organisation, "share_in_place")
    weakest = leader(organisations, "item_id", "share_in_place", largest=False)
    row = organisations.set_index("item_id").loc[weakest.key]
    f["preparedness_weakest_item"] = weakest.key
    f["preparedness_weakest_separated"] = int(weakest.separated)
    f["preparedness_weakest_share"] = float(row["share_in_place"])
    f["preparedness_weakest_in_place"] = int(row["in_place"])
    f["preparedness_weakest_organisations"] = int(row["organisations"])
    # Where the respondents disagree: "in place in k of n; in `disputed` more they disagree".
    for column in ("disputed", "unanimous", "split", "undecided", "multi_respondent"):
        f[f"preparedness_weakest_{column}"] = int(row[column])
    gap = sector_gap(readiness_by_organisation, min_size=min_cell)
    f["sector_gap_min_points"] = round(LARGE_GAP * 100)
    f["sector_gap_min_size"] = int(min_cell)
    for key, value in gap.items():
        f[f"sector_gap_{key}"] = value
    by_respondent = overall_rows(readiness, "share_yes").set_index("item_id")
    f["preparedness_weakest_share_yes"] = float(by_respondent.loc[weakest.key, "share_yes"])
    f["preparedness_weakest_respondents"] = int(by_respondent.loc[weakest.key, "n"])
    concern = shown_mentions(mentions, "concern_countries")
    if len(concern):
        named_any = int(concern["named_any"].iloc[0])
        f["concern_base"] = int(concern["base"].iloc[0])
        f["concern_named_any"] = named_any
        listed, written = split_by_prompting(
            with_naming_intervals(concern), prompted.get("concern_countries", ())
        )
        if len(listed):
            _country_leader(f, listed, "concern_top", "concern_rival_country")
            f["concern_top_share"] = float(
                listed.set_index("iso2").loc[f["concern_top_country"], "share"]
            )
        if len(written):
            _country_leader(f, written, "concern_written_in", "concern_written_in_rival_country")
    return f


def _top_sentence(f: Findings, block: str, lang: str, label: Callable[[str], str]) -> PageText:
    """The most often rated threat or opportunity, or "among the most", naming the closest
    rival, when their intervals overlap."""
    values = {
        "item": in_sentence(label(str(f[f"{block}_top_item"]))),
        "share": share(f[f"{block}_top_share"], lang),
        "agree": f[f"{block}_top_agree"],
        "n": f[f"{block}_top_n"],
    }
    if f[f"{block}_top_separated"]:
        return page_text(f"summary.top.{block}", lang, **values)
    return page_text(
        f"summary.among_top.{block}",
        lang,
        rival=in_sentence(label(str(f[f"{block}_rival_item"]))),
        rival_share=share(f[f"{block}_rival_share"], lang),
        **values,
    )


def _gap_sentence(
    f: Findings, lang: str, label: Callable[[str], str], group: Callable[[str], str]
) -> PageText:
    """The largest separated gap between groups of organisations in preparedness, among the
    types shown and the groups a reader works out from them (the others taken together); or
    that there is none; or that none can be shown without revealing small groups."""
    status = f["sector_gap_status"]
    if status == "not_comparable":
        return page_text("summary.sector_not_comparable", lang, min_cell=f["sector_gap_min_size"])
    if status == "no_gap":
        return page_text("summary.no_sector_gap", lang, points=f["sector_gap_min_points"])

    def side(which: str) -> dict[str, object]:
        return {
            f"{which}_share": share(f[f"sector_gap_{which}_share"], lang),
            f"{which}_k": f[f"sector_gap_{which}_in_place"],
            f"{which}_n": f[f"sector_gap_{which}_organisations"],
        }

    values = {
        "item": in_sentence(label(str(f["sector_gap_item_id"]))),
        **side("high"),
        **side("low"),
    }
    single = {w: f[f"sector_gap_{w}_group"] != OTHERS for w in ("high", "low")}
    if all(single.values()):
        return page_text(
            "summary.sector_gap",
            lang,
            high_group=in_sentence(group(str(f["sector_gap_high_group"]))),
            low_group=in_sentence(group(str(f["sector_gap_low_group"]))),
            **values,
        )
    # One side is the other organisations taken together: named by the types it holds, which
    # the report cannot show apart.
    named, others = ("high", "low") if single["high"] else ("low", "high")
    members = [group(m) for m in str(f[f"sector_gap_{others}_members"]).split()]
    return page_text(
        f"summary.sector_gap_others.{named}",
        lang,
        group=in_sentence(group(str(f[f"sector_gap_{named}_group"]))),
        others=listing([in_sentence(m) for m in members], lang),
        min_cell=f["sector_gap_min_size"],
        **values,
    )


def _gap_disagreement(f: Findings, lang: str, group: Callable[[str], str]) -> PageText | None:
    """Where the gap's lower side is a type shown whose respondents disagree: how many of its
    organisations have a respondent saying the arrangement is in place although the
    organisation's answer is not, and how many are undecided (a tie). The gap compares the
    organisations' answers under the organisation rule; this says how firm they are."""
    if f["sector_gap_status"] != "gap" or "sector_gap_low_disputed" not in f:
        return None
    disputed = f["sector_gap_low_disputed"]
    ties = f.get("sector_gap_low_ties", 0)
    if not disputed and not ties:
        return None
    return page_text(
        "summary.sector_gap_disagreement",
        lang,
        group=in_sentence(group(str(f["sector_gap_low_group"]))),
        disputed=disputed,
        undecided=ties,
        n=f["sector_gap_low_organisations"],
    )


def keyed_sentences(
    findings: Findings,
    lang: str,
    label: Callable[[str], str],
    country: Callable[[str], str],
    group: Callable[[str], str] = str,
) -> list[tuple[str, PageText]]:
    """The executive summary's sentences, each with what it is about (``cooperation``,
    ``threats``, ``opportunities``, ``preparedness``, ``sector_gap``, ``concern``), written only
    from ``findings``; ``label`` names an item and ``country`` a country code in ``lang``."""
    f = findings
    sentences: list[tuple[str, PageText]] = []
    if "top_partner" in f:  # without OpenAlex answers there is no co-publication sentence
        rose = f["international_share_last"] >= f["international_share_first"]
        sentences.append(
            (
                "cooperation",
                page_text(
                    "summary.international_rose" if rose else "summary.international_fell",
                    lang,
                    first=share(f["international_share_first"], lang),
                    last=share(f["international_share_last"], lang),
                    first_year=f["first_year"],
                    last_year=f["last_year"],
                    partner=country(str(f["top_partner"])),
                    works=number(f["top_partner_works"], lang),
                ),
            )
        )
    for block in ("threats", "opportunities"):
        sentences.append((block, _top_sentence(f, block, lang, label)))
    sentences.append(
        (
            "preparedness",
            page_text(
                "summary.weakest_safeguard"
                if f["preparedness_weakest_separated"]
                else "summary.among_weakest_safeguards",
                lang,
                item=in_sentence(label(str(f["preparedness_weakest_item"]))),
                share=share(f["preparedness_weakest_share"], lang),
                k=f["preparedness_weakest_in_place"],
                n=f["preparedness_weakest_organisations"],
                respondent_share=share(f["preparedness_weakest_share_yes"], lang),
                respondents=f["preparedness_weakest_respondents"],
            ),
        )
    )
    sentences.append(("sector_gap", _gap_sentence(f, lang, label, group)))
    disagreement = _gap_disagreement(f, lang, group)
    if disagreement is not None:
        sentences.append(("sector_gap_disagreement", disagreement))
    if "concern_top_country" in f:
        separated, rival = standing(f, "concern_top", "concern_rival_country")
        concern = page_text(
            "summary.concern_country" if separated else "summary.among_concern_countries",
            lang,
            country=country(str(f["concern_top_country"])),
            rival=country(rival) if rival else "",
            k=f["concern_top_respondents"],
            base=f["concern_base"],
            share=share(f["concern_top_share"], lang),
            named_any=f["concern_named_any"],
            share_of_naming=share(f["concern_top_share_of_naming"], lang),
        )
        sentences.append(("concern", concern))
    if "concern_written_in_country" in f:  # written in, never ranked with the listed ones
        alone, rival = standing(f, "concern_written_in", "concern_written_in_rival_country")
        sentences.append(
            (
                "concern_written_in",
                page_text(
                    "summary.concern_written_in" if alone else "summary.among_concern_written_in",
                    lang,
                    country=country(str(f["concern_written_in_country"])),
                    rival=country(rival) if rival else "",
                    k=f["concern_written_in_respondents"],
                    named_any=f["concern_named_any"],
                ),
            )
        )
    return sentences


def summary_sentences(
    findings: Findings,
    synthetic: bool,
    lang: str,
    label: Callable[[str], str],
    country: Callable[[str], str],
    group: Callable[[str], str] = str,
) -> list[PageText]:
    """The executive summary, written only from ``findings`` (``keyed_sentences``), with the
    synthetic-data sentence last when the data is the demo."""
    sentences = [text for _, text in keyed_sentences(findings, lang, label, country, group)]
    if synthetic:
        sentences.append(page_text("summary.synthetic", lang))
    return sentences
