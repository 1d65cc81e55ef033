"""Country harmonisation: ISO names in three languages, the alias table, and clear errors."""

from __future__ import annotations

import pytest

from analysis.reference.countries import CountryResolver, UnmappedCountryError
from tests.conftest import REPO_ROOT

RESOLVER = CountryResolver(REPO_ROOT / "config" / "country_aliases.yaml")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kiina", "CN"),
        ("Kiinan kansantasavalta", "CN"),
        ("Etelä-Korea", "KR"),
        ("Storbritannien", "GB"),
        ("Iso-Britannia", "GB"),
        ("Förenade kungariket", "GB"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("USA", "US"),
        ("Korea, Rep.", "KR"),
        ("Kosovo", "XK"),
        ("Taiwan", "TW"),
        ("Hong Kong", "HK"),
        ("Macao", "MO"),
        ("Venäjän federaatio", "RU"),
        ("Ryssland", "RU"),
        ("  germany ", "DE"),
        ("Germnay", "DE"),
        ("FIN", "FI"),
        ("SE", "SE"),
    ],
)
def test_known_names(name: str, code: str) -> None:
    assert RESOLVER.code(name) == code


def test_territories_stay_separate_and_words_are_not_codes() -> None:
    assert len({RESOLVER.code(n) for n in ("China", "Taiwan", "Hong Kong", "Macao")}) == 4
    assert RESOLVER.code("no") is None  # the Finnish/English word, not Norway
    assert RESOLVER.code("Narnia") is None


def test_cordis_codes() -> None:
    assert RESOLVER.from_cordis("UK") == "GB"
    assert RESOLVER.from_cordis("EL") == "GR"
    assert RESOLVER.from_cordis("FI") == "FI"


def test_unmapped_names_are_listed_with_their_source() -> None:
    with pytest.raises(UnmappedCountryError) as error:
        RESOLVER.harmonise(["Kiina", "Narnia", "Narnia", "Atlantis"], "register.csv, column Maa")
    message = str(error.value)
    assert "'Narnia' (2 times) in register.csv, column Maa" in message
    assert "'Atlantis' (1 times)" in message
    codes, unmapped = RESOLVER.harmonise(["Kiina", "Narnia"], "x", strict=False)
    assert codes == ["CN", None] and unmapped["value"].tolist() == ["Narnia"]


def test_split_mentions_keeps_commas_inside_names() -> None:
    assert RESOLVER.split_mentions("Kiina, Korea, Rep.; Iran ja Intia") == [
        "Kiina",
        "Korea, Rep.",
        "Iran",
        "Intia",
    ]


def test_display_names() -> None:
    assert RESOLVER.name("KR") == "South Korea"
    assert RESOLVER.name("CN", "fi") == "Kiina"
    assert RESOLVER.name("XK") == "Kosovo"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("CN", "Kina"),
        ("DE", "Tyskland"),
        ("NL", "Nederländerna"),
        ("EE", "Estland"),
        ("IN", "Indien"),
        ("SE", "Sverige"),
        ("GB", "Storbritannien"),
        ("US", "Förenta staterna"),
        ("RU", "Ryssland"),
        ("SY", "Syrien"),
        ("XK", "Kosovo"),
    ],
)
def test_swedish_display_names(code: str, name: str) -> None:
    assert RESOLVER.name(code, "sv") == name


def test_swedish_names_come_from_pycountrys_swedish_catalogue() -> None:
    """Where the alias table has no short name, the name is pycountry's own Swedish one."""
    import gettext

    import pycountry

    swedish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
    for code in ("CN", "DE", "JP", "BR", "ZA"):
        country = pycountry.countries.get(alpha_2=code)
        assert RESOLVER.name(code, "sv") == swedish.gettext(country.name), code
    assert RESOLVER.name("CN", "sv") != RESOLVER.name("CN", "en")


def test_every_short_display_name_reads_back_as_its_own_country() -> None:
    import yaml

    table = yaml.safe_load((REPO_ROOT / "config" / "country_aliases.yaml").read_text("utf-8"))
    for lang, names in table["display"].items():
        for code, name in names.items():
            assert RESOLVER.code(name) == code, (lang, code, name)
