"""Figures whose values a reader can get at: marks with their values on hover and focus.

A plot function names the marks that carry a value (``value_mark``: one country's bubble, one
year's point) and the text each one tells. The publisher then writes the figure's SVG with a
``<title>`` per mark (shown on hover by the browser, without any script), ``tabindex="0"`` (so
the keyboard reaches it) and the same text as its accessible name; the report inlines that
SVG in the page.

Every SVG that reaches a file or a page is written by ``_serialise``: elements and attributes
from a fixed list only (no script, no foreign content, no event attribute, no link leaving the
figure), every text and attribute value through ``html_text``, the one escaping path, so a
country name or label holding markup shows its characters and never becomes markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import matplotlib.pyplot as plt

from analysis.i18n.page import html_text

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
MARK_CLASS = "value-mark"

# What matplotlib's SVG backend writes for the figures of the report; anything else is left
# out (with its content), ``style`` and ``metadata`` included: a ``<style>`` inlined in a page
# would style the whole page, and the figure's look is in its attributes.
_ELEMENTS = {
    "svg",
    "g",
    "defs",
    "clipPath",
    "path",
    "use",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
}
_ATTRIBUTES = {
    "id",
    "class",
    "d",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "viewBox",
    "version",
    "preserveAspectRatio",
    "transform",
    "style",
    "clip-path",
    "points",
    "fill",
    "stroke",
    "stroke-width",
    "opacity",
    "text-anchor",
    "href",
    "tabindex",
    "role",
    "aria-label",
    "aria-hidden",
}
_URL = re.compile(r"url\(\s*#([^)\s]+)\s*\)")


def value_mark(artist, title: str) -> None:
    """Name ``artist`` (drawn on a figure) as one mark whose value ``title`` tells."""
    marks = value_marks(artist.figure)
    gid = f"{MARK_CLASS}-{len(marks) + 1}"
    artist.set_gid(gid)
    marks[gid] = str(title)


def value_marks(fig: plt.Figure) -> dict[str, str]:
    """The marks ``value_mark`` named on ``fig``: SVG group id → the text it tells."""
    return fig.__dict__.setdefault("_value_marks", {})


def marked_svg(svg: bytes, marks: dict[str, str]) -> str:
    """A standalone SVG document: matplotlib's ``svg`` with each of ``marks`` (group id →
    text) given its title, a place in the keyboard order and an accessible name."""
    root = ElementTree.fromstring(svg)
    found = {element.get("id") for element in root.iter() if element.get("id") in marks}
    missing = sorted(set(marks) - found)
    if missing:
        raise ValueError(f"marks not drawn in the figure: {missing[:3]}")
    body = _serialise(root, marks, prefix="", outer={"xmlns": _SVG})
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def inline_svg(svg: str | bytes, prefix: str, label: str) -> str:
    """An SVG figure (as ``marked_svg`` wrote it) for inlining in a page: every id prefixed
    with ``prefix`` (unique in the page), the whole a labelled group (``label``: the alt text)."""
    root = ElementTree.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    outer = {"class": "report-svg", "role": "group", "aria-label": label}
    return _serialise(root, {}, prefix=prefix, outer=outer)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attribute(name: str, value: str, prefix: str) -> tuple[str, str] | None:
    """An attribute as it may be written, with its ids prefixed, or None to leave it out."""
    local = _local(name)
    if local not in _ATTRIBUTES or (name.startswith("{") and not name.startswith(f"{{{_XLINK}}}")):
        return None
    if local == "id":
        return local, prefix + value
    if local == "href":
        return (local, "#" + prefix + value[1:]) if value.startswith("#") else None
    if "url(" in value.replace(" ", "").lower():
        replaced = _URL.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
        if "url(" in _URL.sub("", replaced).replace(" ", "").lower():
            return None  # a reference outside the figure
        return local, replaced
    return local, value


def _serialise(
    root: ElementTree.Element, marks: dict[str, str], prefix: str, outer: dict[str, str]
) -> str:
    out: list[str] = []

    def write(element: ElementTree.Element, top: bool) -> None:
        tag = _local(element.tag)
        if tag not in _ELEMENTS:
            return
        attributes = [
            kept
            for name, value in element.attrib.items()
            if (kept := _attribute(name, value, prefix)) is not None
            and not (top and kept[0] in outer)
        ]
        if top:
            attributes = list(outer.items()) + attributes
        title = marks.get(element.get("id", ""))
        if title is not None:
            attributes += [
                ("class", MARK_CLASS),
                ("tabindex", "0"),
                ("role", "img"),
                ("aria-label", title),
            ]
        out.append(
            f"<{tag}" + "".join(f' {name}="{html_text(value)}"' for name, value in attributes) + ">"
        )
        if title is not None:
            out.append(f"<title>{html_text(title)}</title>")
        if element.text:
            out.append(html_text(element.text))
        for child in element:
            write(child, False)
            if child.tail:
                out.append(html_text(child.tail))
        out.append(f"</{tag}>")

    write(root, True)
    return "".join(out)
