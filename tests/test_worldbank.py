"""World Bank readers on the real sample files in ../shared/samples/worldbank_wgi (skipped
with a reason when that folder is absent, failing under CI), on a recorded WGI answer in the
API's layout, and on hand-made faults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analysis.context.governance import governance_indicators
from analysis.reference.countries import CountryResolver
from analysis.sources.worldbank import (
    WorldBankFormatError,
    latest_values,
    read_api_countries,
    read_api_json,
    read_bulk_csv,
)
from tests.conftest import REPO_ROOT, shared_sample

COUNTRIES = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")
BULK = "worldbank_wgi/API_PV.EST_DS2_en_csv_v2_7919.csv"
METADATA = "worldbank_wgi/Metadata_Country_API_PV.EST_DS2_en_csv_v2_7919.csv"


def test_the_wgi_bulk_csv_is_read_with_its_preamble_bom_and_trailing_comma() -> None:
    table = read_bulk_csv(shared_sample(BULK), COUNTRIES, shared_sample(METADATA))
    assert set(table["indicator"]) == {"PV.EST"}
    # The values as the file writes them: Finland 0.894830107688904 in 2022 and
    # 0.713986694812775 in 2023; Aruba's first value, 0.993218183517456, is field 49 of its
    # line: four name and code fields, then 1960 in field 5, so 1960 + 44 = 2004.
    values = table.set_index(["iso2", "year"])["value"]
    assert values[("FI", 2022)] == pytest.approx(0.894830107688904, abs=1e-15)
    assert values[("FI", 2023)] == pytest.approx(0.713986694812775, abs=1e-15)
    assert values[("AW", 2004)] == pytest.approx(0.993218183517456, abs=1e-15)
    # WGI was biennial before 2002 and 2024 is empty in this release.
    assert not set(table["year"]) & {1997, 1999, 2001, 2024}
    assert table["year"].min() == 1996 and table["year"].max() == 2023
    assert table[table["iso2"] == "AW"]["year"].min() == 2004
    # Kosovo's World Bank code XKX becomes XK; aggregates (World, income groups) are gone.
    assert "XK" in set(table["iso2"])
    assert table["iso2"].str.fullmatch(r"[A-Z]{2}").all()
    assert table["value"].between(-3.5, 3.5).all()


def test_without_the_metadata_file_rows_without_values_are_taken_for_aggregates() -> None:
    with_metadata = read_bulk_csv(shared_sample(BULK), COUNTRIES, shared_sample(METADATA))
    without = read_bulk_csv(shared_sample(BULK), COUNTRIES)
    assert without.equals(with_metadata)


def test_latest_values_take_each_countrys_last_year() -> None:
    latest = latest_values(read_bulk_csv(shared_sample(BULK), COUNTRIES))
    finland = latest[latest["iso2"] == "FI"].iloc[0]
    assert (finland["year"], round(finland["value"], 6)) == (2023, 0.713987)
    assert latest.duplicated(["indicator", "iso2"]).sum() == 0


def test_the_api_v2_answer_is_read_newest_first_and_nulls_dropped() -> None:
    table = read_api_json(
        shared_sample("worldbank_wgi/wb_api_v2_NY.GDP.MKTP.KD_9countries.json"), COUNTRIES
    )
    # 9 countries; 2025 is null for every one of them and left out.
    assert set(table["iso2"]) == {"AR", "BR", "CN", "IN", "KE", "MX", "NG", "US", "ZA"}
    assert 2025 not in set(table["year"])
    us = table.set_index(["iso2", "year"])["value"][("US", 2024)]
    assert us == pytest.approx(22568462768174.3)


def test_faults_name_the_file_and_what_is_wrong(tmp_path: Path) -> None:
    odd = tmp_path / "API_X_DS2.csv"
    odd.write_text(
        '"Country Name","Country Code","Indicator Code","2020",\n"Atlantis","ATL","X","1",\n'
    )
    with pytest.raises(WorldBankFormatError, match=r"API_X_DS2.csv: codes that are no ISO.*ATL"):
        read_bulk_csv(odd, COUNTRIES)
    headless = tmp_path / "API_Y.csv"
    headless.write_text("a,b\n1,2\n")
    with pytest.raises(WorldBankFormatError, match="no 'Country Name' header"):
        read_bulk_csv(headless, COUNTRIES)
    paged = tmp_path / "answer.json"
    paged.write_text(json.dumps([{"page": 1, "pages": 3}, []]))
    with pytest.raises(WorldBankFormatError, match="page 2 of 3 is not saved: save every page"):
        read_api_json(paged, COUNTRIES)
    refused = tmp_path / "refused.json"
    refused.write_text(json.dumps([{"message": [{"id": "120", "value": "Invalid value"}]}]))
    with pytest.raises(WorldBankFormatError, match="refused.json: an API error answer"):
        read_api_json(refused, COUNTRIES)


def test_the_governance_context_reads_the_real_bulk_file_and_leaves_the_rest_missing(
    tmp_path: Path,
) -> None:
    assert governance_indicators(tmp_path, COUNTRIES).empty  # no file: no values, no error
    shutil.copy(shared_sample(BULK), tmp_path)
    shutil.copy(shared_sample(METADATA), tmp_path)
    found = governance_indicators(tmp_path, COUNTRIES).set_index("iso2")
    assert found.loc["FI", "political_stability_year"] == 2023
    assert found.loc["FI", "political_stability"] == pytest.approx(0.713986694812775)
    # Only PV.EST is in the sample: the other three estimates are missing, never 0.
    assert (
        found[["rule_of_law", "control_of_corruption", "voice_accountability"]].isna().all().all()
    )


# A recorded WGI answer in the API's own compact layout, cut to three countries and the World
# aggregate and split over two pages (per_page=4); the country list names the aggregate.
PAGE_1 = (
    '[{"page":1,"pages":2,"per_page":4,"total":7,"sourceid":"3","lastupdated":"2024-09-26"},'
    '[{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"FI",'
    '"value":"Finland"},"countryiso3code":"FIN","date":"2023","value":2.01762270927429,'
    '"unit":"","obs_status":"","decimal":0},'
    '{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"FI",'
    '"value":"Finland"},"countryiso3code":"FIN","date":"2022","value":2.03514575958252,'
    '"unit":"","obs_status":"","decimal":0},'
    '{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"CN",'
    '"value":"China"},"countryiso3code":"CHN","date":"2023","value":null,'
    '"unit":"","obs_status":"","decimal":0},'
    '{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"CN",'
    '"value":"China"},"countryiso3code":"CHN","date":"2022","value":-0.166931346058846,'
    '"unit":"","obs_status":"","decimal":0}]]'
)
PAGE_2 = (
    '[{"page":2,"pages":2,"per_page":4,"total":7,"sourceid":"3","lastupdated":"2024-09-26"},'
    '[{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"XK",'
    '"value":"Kosovo"},"countryiso3code":"XKX","date":"2023","value":-0.0940617099404335,'
    '"unit":"","obs_status":"","decimal":0},'
    '{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"1W",'
    '"value":"World"},"countryiso3code":"WLD","date":"2023","value":0.0,'
    '"unit":"","obs_status":"","decimal":0},'
    '{"indicator":{"id":"RL.EST","value":"Rule of Law: Estimate"},"country":{"id":"1W",'
    '"value":"World"},"countryiso3code":"WLD","date":"2022","value":0.0,'
    '"unit":"","obs_status":"","decimal":0}]]'
)
COUNTRY_LIST = (
    '[{"page":1,"pages":1,"per_page":"400","total":4},['
    '{"id":"FIN","iso2Code":"FI","name":"Finland","region":{"id":"ECS","iso2code":"Z7",'
    '"value":"Europe & Central Asia"}},'
    '{"id":"WLD","iso2Code":"1W","name":"World","region":{"id":"NA","iso2code":"NA",'
    '"value":"Aggregates"}}]]'
)


def _recorded(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "worldbank_wgi_RL.EST.json").write_text(PAGE_1)
    (folder / "worldbank_wgi_RL.EST__p2.json").write_text(PAGE_2)
    (folder / "worldbank_countries.json").write_text(COUNTRY_LIST)
    return folder


def test_a_recorded_api_answer_is_read_over_both_pages_without_the_aggregate(
    tmp_path: Path,
) -> None:
    folder = _recorded(tmp_path / "context")
    pages = [folder / "worldbank_wgi_RL.EST.json", folder / "worldbank_wgi_RL.EST__p2.json"]
    aggregates = read_api_countries(folder / "worldbank_countries.json")
    assert aggregates == {"1W"}
    table = read_api_json(pages, COUNTRIES, aggregates)
    # 7 rows: China 2023 is null and the World's two rows are an aggregate, so 4 are left.
    assert table.to_dict("records") == [
        {"iso2": "CN", "indicator": "RL.EST", "year": 2022, "value": -0.166931346058846},
        {"iso2": "FI", "indicator": "RL.EST", "year": 2022, "value": 2.03514575958252},
        {"iso2": "FI", "indicator": "RL.EST", "year": 2023, "value": 2.01762270927429},
        {"iso2": "XK", "indicator": "RL.EST", "year": 2023, "value": -0.0940617099404335},
    ]
    # Without the country list the World's code is no country, and says so.
    with pytest.raises(WorldBankFormatError, match=r"no ISO 3166 country: \['1W'\]"):
        read_api_json(pages, COUNTRIES)
    # Page 2 alone is not the answer.
    with pytest.raises(WorldBankFormatError, match="page 1 of 2 is not saved"):
        read_api_json(pages[1:], COUNTRIES, aggregates)


def test_the_governance_context_takes_each_countrys_latest_estimate(tmp_path: Path) -> None:
    found = governance_indicators(_recorded(tmp_path / "context"), COUNTRIES).set_index("iso2")
    # China's latest value is 2022 (2023 is null); Finland's 2023.
    assert found.loc["CN", "rule_of_law"] == pytest.approx(-0.166931346058846)
    assert found.loc["CN", "rule_of_law_year"] == 2022
    assert found.loc["FI", "rule_of_law_year"] == 2023
    assert sorted(found.index) == ["CN", "FI", "XK"]
    assert found["political_stability"].isna().all()
