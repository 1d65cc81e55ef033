"""Pseudonymous organisations and partner countries of the synthetic demo.

Organisations are named "University A", "UAS 07", "Research Institute 2": fake answers are
never attributed to real institutions. Countries are real (they are what the analysis is
about) but every number attached to them in the demo is invented.
"""

from __future__ import annotations

import string
from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    org_type: str  # codebook org_type code
    respondents: int  # how many people answer the demo survey
    aliases: tuple[str, ...]


def _universities() -> list[Organisation]:
    sizes = [18, 16, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3]
    result = []
    for letter, size in zip(string.ascii_uppercase, sizes, strict=False):
        result.append(
            Organisation(
                key=f"UNI-{letter}",
                name=f"University {letter}",
                org_type="university",
                respondents=size,
                aliases=(
                    f"University {letter}",
                    f"Yliopisto {letter}",
                    f"Universitet {letter}",
                    f"Univ. {letter}",
                    f"university {letter.lower()}",
                ),
            )
        )
    return result


def _universities_of_applied_sciences() -> list[Organisation]:
    sizes = [10, 9, 8, 8, 7, 7, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 6, 5]
    return [
        Organisation(
            key=f"UAS-{number:02d}",
            name=f"UAS {number:02d}",
            org_type="uas",
            respondents=size,
            aliases=(
                f"UAS {number:02d}",
                f"AMK {number:02d}",
                f"Ammattikorkeakoulu {number:02d}",
                f"YH {number:02d}",
                f"UAS {number}",
            ),
        )
        for number, size in enumerate(sizes, start=1)
    ]


def _research_institutes() -> list[Organisation]:
    sizes = [9, 7, 5, 4]
    return [
        Organisation(
            key=f"RI-{number}",
            name=f"Research Institute {number}",
            org_type="research_institute",
            respondents=size,
            aliases=(
                f"Research Institute {number}",
                f"Tutkimuslaitos {number}",
                f"Forskningsinstitut {number}",
                f"RI {number}",
            ),
        )
        for number, size in enumerate(sizes, start=1)
    ]


ORGANISATIONS: tuple[Organisation, ...] = (
    *_universities(),
    *_universities_of_applied_sciences(),
    *_research_institutes(),
)


@dataclass(frozen=True)
class PartnerCountry:
    iso2: str
    en: str
    fi: str
    sv: str
    copublications_2024: int  # invented annual volume of co-publications with Finland
    growth: float  # invented yearly growth factor
    concern_weight: float  # how often demo respondents name it as of concern
    opportunity_weight: float  # ... and as of opportunity
    variants: tuple[str, ...] = ()  # how it is also written in messy exports (incl. typos)


COUNTRIES: tuple[PartnerCountry, ...] = (
    PartnerCountry("SE", "Sweden", "Ruotsi", "Sverige", 5200, 1.03, 0, 3, ("Swedem",)),
    PartnerCountry(
        "US", "United States", "Yhdysvallat", "USA", 5000, 1.01, 0.3, 4, ("USA", "U.S.A.")
    ),
    PartnerCountry(
        "GB",
        "United Kingdom",
        "Iso-Britannia",
        "Förenade kungariket",
        4800,
        1.02,
        0,
        3,
        ("UK", "Great Britain", "Storbritannien"),
    ),
    PartnerCountry("DE", "Germany", "Saksa", "Tyskland", 4700, 1.03, 0, 4, ("Germnay",)),
    PartnerCountry("FR", "France", "Ranska", "Frankrike", 3000, 1.02, 0, 2, ()),
    PartnerCountry("IT", "Italy", "Italia", "Italien", 2900, 1.03, 0, 1, ()),
    PartnerCountry(
        "NL", "Netherlands", "Alankomaat", "Nederländerna", 2800, 1.03, 0, 2, ("Holland",)
    ),
    PartnerCountry("NO", "Norway", "Norja", "Norge", 2700, 1.03, 0, 3, ()),
    PartnerCountry("ES", "Spain", "Espanja", "Spanien", 2500, 1.04, 0, 1, ()),
    PartnerCountry("DK", "Denmark", "Tanska", "Danmark", 2400, 1.03, 0, 2, ()),
    PartnerCountry(
        "CN", "China", "Kiina", "Kina", 2300, 1.06, 9, 2, ("Kiinan kansantasavalta", "PRC", "Chna")
    ),
    PartnerCountry("EE", "Estonia", "Viro", "Estland", 1300, 1.05, 0, 2, ("Eesti",)),
    PartnerCountry("CH", "Switzerland", "Sveitsi", "Schweiz", 1900, 1.02, 0, 1, ()),
    PartnerCountry("AU", "Australia", "Australia", "Australien", 1700, 1.03, 0, 1, ()),
    PartnerCountry("CA", "Canada", "Kanada", "Kanada", 1600, 1.02, 0, 2, ()),
    PartnerCountry("JP", "Japan", "Japani", "Japan", 1100, 1.03, 0.2, 3, ()),
    PartnerCountry(
        "KR", "South Korea", "Etelä-Korea", "Sydkorea", 700, 1.07, 0.1, 2, ("Korea, Rep.",)
    ),
    PartnerCountry("IN", "India", "Intia", "Indien", 1000, 1.09, 0.8, 4, ()),
    PartnerCountry(
        "RU", "Russia", "Venäjä", "Ryssland", 1200, 0.88, 8, 0, ("Venäjän federaatio", "Rusia")
    ),
    PartnerCountry("BR", "Brazil", "Brasilia", "Brasilien", 800, 1.04, 0, 1, ()),
    PartnerCountry("ZA", "South Africa", "Etelä-Afrikka", "Sydafrika", 500, 1.05, 0, 1, ()),
    PartnerCountry("SG", "Singapore", "Singapore", "Singapore", 450, 1.06, 0.3, 2, ()),
    PartnerCountry("TW", "Taiwan", "Taiwan", "Taiwan", 350, 1.05, 0.3, 2, ()),
    PartnerCountry("HK", "Hong Kong", "Hongkong", "Hongkong", 300, 1.0, 1.5, 0.5, ()),
    PartnerCountry("IR", "Iran", "Iran", "Iran", 400, 1.04, 5, 0, ()),
    PartnerCountry("SA", "Saudi Arabia", "Saudi-Arabia", "Saudiarabien", 250, 1.1, 2, 0.3, ()),
    PartnerCountry("TR", "Turkey", "Turkki", "Turkiet", 450, 1.04, 1.5, 0.5, ("Türkiye",)),
    PartnerCountry("IL", "Israel", "Israel", "Israel", 400, 1.01, 1, 0.5, ()),
    PartnerCountry("UA", "Ukraine", "Ukraina", "Ukraina", 300, 1.08, 0.3, 2, ()),
    PartnerCountry("BY", "Belarus", "Valko-Venäjä", "Belarus", 80, 0.85, 3, 0, ()),
    PartnerCountry("PK", "Pakistan", "Pakistan", "Pakistan", 200, 1.08, 1, 0.2, ()),
    PartnerCountry("VN", "Vietnam", "Vietnam", "Vietnam", 150, 1.1, 0.5, 1, ()),
    PartnerCountry("KE", "Kenya", "Kenia", "Kenya", 120, 1.06, 0, 1, ()),
    PartnerCountry("XK", "Kosovo", "Kosovo", "Kosovo", 15, 1.05, 0, 0.1, ()),
)
