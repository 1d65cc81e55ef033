"""The one escaping path for text that enters a page.

Organisation keys, country names, file names, free text and list entries come from data, and
data can hold markup: an alias file with ``<img src=x onerror=...>`` as an organisation key must
show those characters, never run them. Two kinds of text reach a report page:

- **HTML text** (table cells and headings, figure titles, captions, alt texts, attributes,
  the table of contents): ``html_text`` escapes ``& < > " '``.
- **Markdown** (the narrative ``say`` shows): a ``PageText`` is a catalogue or code template
  with every inserted value passed through ``escape_value``, which escapes HTML and the
  characters Markdown would read as formatting, links (a bare URL too) or maths. ``say`` takes nothing else, so
  a value can only reach the narrative through here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from analysis.i18n.finnish import FORMATTER

# Backslash first, so the escapes added for the others are not escaped again; ":" keeps a URL
# in a value from becoming a link.
_MARKDOWN = ("\\", "`", "*", "_", "[", "]", "~", "$", "|", ":")


class PageText(str):
    """Markdown for a page: a template with every inserted value escaped.

    Made by ``page_format``/``page_text`` (a template and values), ``escape_value`` (one
    value) or ``join`` (page texts put together); never from an unchecked string.
    """

    @classmethod
    def composed(cls, text: str) -> PageText:
        """A sentence code assembled from templates and values that all went through
        ``escape_value`` (the caller vouches for that; grep for ``composed`` to review)."""
        return cls(text)


def html_text(value: Any) -> str:
    """``value`` as HTML text or an attribute value: nothing in it can open a tag."""
    return html.escape(str(value), quote=True)


def escape_value(value: Any) -> PageText:
    """One value (a key, a name, a number) for Markdown: shown as written, never as markup.

    A value stays on one line (a newline could start a heading or a list).
    """
    if isinstance(value, PageText):
        return value
    text = " ".join(str(value).splitlines())
    text = html.escape(text, quote=False)
    for character in _MARKDOWN:
        text = text.replace(character, "\\" + character)
    return PageText(text)


def page_format(template: str, /, **values: Any) -> PageText:
    """``template`` (written by the project) with each value escaped; page texts pass as
    they are; a Finnish ``{n:ela}`` puts the value in a case (``analysis.i18n.finnish``)."""
    return PageText(FORMATTER.format(template, **{k: escape_value(v) for k, v in values.items()}))


def join(parts: Iterable[PageText], separator: str = "") -> PageText:
    """Page texts put together; a plain string among them is an error."""
    parts = list(parts)
    plain = [p for p in parts if not isinstance(p, PageText)]
    if plain:
        raise TypeError(f"not page text (escape it with escape_value first): {plain[0]!r}")
    return PageText(separator.join(parts))
