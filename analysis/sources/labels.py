"""Labels as exports write them: the one comparison of a cell's text with a known label."""

from __future__ import annotations

import re
import unicodedata


def normalise_label(text: object) -> str:
    """Compare labels as a person would: case, accents' encoding, spaces and quotes ignored."""
    value = unicodedata.normalize("NFC", str(text)).casefold()
    value = value.replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", value).strip()
