"""Finnish numbers in a case, each form worked out by reading the number aloud (Kielitoimiston
ohjepankki's and the EU style guide's own examples among them)."""

from __future__ import annotations

import pytest

from analysis.i18n import number, share, t
from analysis.i18n.finnish import CASES, FORMATTER, inflect, last_word

NBSP = "\u00a0"

FORMS = [
    # genitive
    (22, "gen", "22:n"),  # kahdenkymmenenkahden
    (7, "gen", "7:n"),
    (100, "gen", "100:n"),
    (f"80{NBSP}%", "gen", f"80{NBSP}%:n"),  # kahdeksankymmenen prosentin
    # partitive: a doubled vowel written out in full
    (2, "par", "2:ta"),  # kahta
    (5, "par", "5:tä"),  # viittä
    (300, "par", "300:aa"),  # kolmeasataa
    (20, "par", "20:tä"),  # kahtakymmentä
    (14, "par", "14:ää"),  # neljäätoista
    (17, "par", "17:ää"),  # seitsemäätoista
    (13, "par", "13:a"),  # kolmeatoista
    (1, "par", "1:tä"),  # yhtä
    (8, "par", "8:aa"),  # kahdeksaa
    (f"2{NBSP}000", "par", f"2{NBSP}000:ta"),  # kahtatuhatta
    # inessive
    (2, "ine", "2:ssa"),
    (5, "ine", "5:ssä"),
    (456, "ine", "456:ssa"),  # ... kuudessa
    (12, "ine", "12:ssa"),  # kahdessatoista
    (34, "ine", "34:ssä"),  # ... neljässä
    (f"80{NBSP}%", "ine", f"80{NBSP}%:ssa"),  # prosentissa
    (f"87{NBSP}%–97{NBSP}%", "ine", f"87{NBSP}%–97{NBSP}%:ssa"),
    # elative
    (268, "ela", "268:sta"),  # kahdeksasta
    (1, "ela", "1:stä"),  # yhdestä
    (3, "ela", "3:sta"),
    (4, "ela", "4:stä"),
    (6, "ela", "6:sta"),
    (7, "ela", "7:stä"),
    (9, "ela", "9:stä"),
    (10, "ela", "10:stä"),  # kymmenestä
    (11, "ela", "11:stä"),  # yhdestätoista: -toista never inflects
    (16, "ela", "16:sta"),  # kuudestatoista
    (130, "ela", "130:stä"),  # sadastakolmestakymmenestä
    (100, "ela", "100:sta"),  # sadasta
    (f"1{NBSP}000", "ela", f"1{NBSP}000:sta"),
    (1000, "ela", "1000:sta"),  # tuhannesta
    ("5 000", "ela", "5 000:sta"),
    ("8 564", "ela", "8 564:stä"),
    (f"80{NBSP}%", "ela", f"80{NBSP}%:sta"),
    ("1–5", "ela", "1–5:stä"),
    # illative
    (2, "ill", "2:een"),  # kahteen
    (3, "ill", "3:een"),  # kolmeen
    (4, "ill", "4:ään"),  # neljään
    (8, "ill", "8:aan"),  # kahdeksaan
    (20, "ill", "20:een"),  # kahteenkymmeneen
    (500, "ill", "500:aan"),  # viiteensataan
    (14, "ill", "14:ään"),  # neljääntoista
    (f"1{NBSP}000", "ill", f"1{NBSP}000:een"),  # tuhanteen
    (f"25{NBSP}%", "ill", f"25{NBSP}%:iin"),  # prosenttiin
    ("2,5", "ill", "2,5:een"),  # kaksi pilkku viiteen
    # adessive, ablative, allative, essive, translative
    ("4 000", "ade", "4 000:lla"),
    (13, "ade", "13:lla"),
    (1, "ade", "1:llä"),
    (125, "abl", "125:ltä"),
    (15, "abl", "15:ltä"),  # viideltätoista
    (25, "all", "25:lle"),
    (1, "ess", "1:nä"),  # yhtenä
    (2, "ess", "2:na"),
    (0, "ela", "0:sta"),  # nollasta
    (5, "tra", "5:ksi"),
]


@pytest.mark.parametrize(("value", "case", "expected"), FORMS)
def test_a_number_takes_the_ending_of_its_last_word_read_aloud(value, case, expected) -> None:
    assert inflect(value, case) == expected


def test_enough_hand_checked_forms_of_each_main_case() -> None:
    for case in ("gen", "par", "ine", "ela", "ill"):
        assert sum(1 for _, c, _ in FORMS if c == case) >= 3, case
    assert len(FORMS) >= 20


def test_the_last_word_read_aloud() -> None:
    assert last_word("268") == "kahdeksan"
    assert last_word("19") == "yhdeksän"
    assert last_word("1\u00a0000") == "tuhat"
    assert last_word("2000000") == "miljoona"
    assert last_word("70") == "kymmenen"


def test_a_value_with_no_number_is_left_as_it_is_and_an_unknown_case_fails() -> None:
    assert inflect("–", "ela") == "–"
    with pytest.raises(ValueError):
        inflect(3, "lok")
    with pytest.raises(ValueError):
        inflect("–", "lok")
    assert set(CASES) >= {"gen", "par", "ine", "ela", "ill", "ade"}


def test_the_catalogue_formatter_reads_a_case_as_a_format_spec() -> None:
    assert FORMATTER.format("{k} vastaajaa {base:ela}", k=90, base=268) == "90 vastaajaa 268:sta"
    assert FORMATTER.format("{n:ine}", n=share(0.8, "fi")) == f"80{NBSP}%:ssa"
    assert FORMATTER.format("{n:ela}", n=number(12345, "fi")) == f"12{NBSP}345:stä"
    assert FORMATTER.format("{x:.1f}", x=0.25) == "0.2"  # other specs as str.format


def test_a_finnish_text_puts_its_numbers_in_case_and_the_others_do_not() -> None:
    values = dict(
        country="Kiina", k=90, base=268, share="34\u00a0%", share_of_naming="47\u00a0%",
        named_any=193,
    )  # fmt: skip
    fi = t("summary.concern_country", "fi", **values)
    assert "268:sta" in fi and "maan Kiina" not in fi
    sv = t("summary.concern_country", "sv", **{**values, "country": "Kina"})
    assert "268" in sv and ":" not in sv.split("268")[1][:2]


def test_the_catalogue_asks_for_cases_only_in_finnish_and_never_writes_an_ending_by_hand() -> None:
    import re
    import string

    from analysis.i18n import catalogue

    for key, entry in catalogue().items():
        for lang, text in entry.items():
            specs = {spec for _, _, spec, _ in string.Formatter().parse(text) if spec}
            assert specs <= (set(CASES) if lang == "fi" else set()), (key, lang, specs)
        # "{n}:stä" fixes an ending that depends on the number: "{n:ela}" reads it aloud.
        assert not re.search(r"\}:[a-zäö]", entry["fi"]), key
