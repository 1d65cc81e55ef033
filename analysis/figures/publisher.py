"""Publishing figures and tables into the report: numbered, captioned, with alt text, saved.

Each figure is written to ``figures/`` as PNG and SVG under a stable name, once per report
language (``<notebook-stem>__<slug>.<lang>.png``), with the data it draws beside it as one
language-neutral CSV (``<notebook-stem>__<slug>.csv``: keys, not labels), so a reviewer can
check every bar and no edition overwrites another's files. Figures built from synthetic data
say so on the image itself.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import matplotlib


def _headless() -> bool:
    """No backend was chosen (``MPLBACKEND`` unset) and this is not an IPython session: a
    script, the tests, a command. A Jupyter kernel sets ``MPLBACKEND`` to its inline backend
    (the runner sets ``Agg`` in its kernels), so figures show inline there."""
    if os.environ.get("MPLBACKEND"):
        return False
    ipython = sys.modules.get("IPython")
    return ipython is None or ipython.get_ipython() is None


if _headless():
    matplotlib.use("Agg")  # figures are files and embedded images; no window is ever opened

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import HTML, Markdown, display  # noqa: E402

from analysis.disclosure.cells import SUPPRESSED  # noqa: E402
from analysis.disclosure.internal import refuse_internal  # noqa: E402
from analysis.figures.style import apply_style  # noqa: E402
from analysis.figures.svg import inline_svg, marked_svg, value_marks  # noqa: E402
from analysis.figures.tables import PrintList, table_html  # noqa: E402
from analysis.files.atomic import write_bytes_atomic, write_text_atomic  # noqa: E402
from analysis.files.paths import resolve  # noqa: E402
from analysis.files.raw_manifest import data_profile  # noqa: E402
from analysis.files.scratch import read_source  # noqa: E402
from analysis.files.tables import csv_for_people, write_csv_for_people  # noqa: E402
from analysis.i18n import DECIMAL_COMMA, check_language, demo_banner, t  # noqa: E402
from analysis.i18n.page import PageText, html_text  # noqa: E402

TIGHT_PAD_INCHES = 0.1  # what bbox_inches="tight" pads by


@dataclass
class Publisher:
    """Numbers and writes the figures and tables of one notebook."""

    figures_dir: Path
    stem: str
    synthetic: bool
    lang: str = "en"
    show: bool = True  # display in the notebook (one language of several is shown)
    figure_count: int = 0
    table_count: int = 0

    @classmethod
    def for_notebook(
        cls, stem: str, figures_dir: str, raw_dir: str, lang: str = "en", show: bool = True
    ) -> Publisher:
        apply_style()
        profile = data_profile(resolve(raw_dir))
        synthetic = bool(profile["synthetic"])
        return cls(resolve(figures_dir), stem, synthetic, check_language(lang), show)

    @classmethod
    def for_languages(
        cls, stem: str, figures_dir: str, raw_dir: str, languages: list[str]
    ) -> list[Publisher]:
        """One publisher per report language; only the first shows its figures in the notebook."""
        if not languages:
            raise ValueError(f"{stem}: no report languages given to draw the figures in")
        return [
            cls.for_notebook(stem, figures_dir, raw_dir, lang, show=index == 0)
            for index, lang in enumerate(languages)
        ]

    def base(self, slug: str) -> Path:
        """``figures/<stem>__<slug>``: add ``.csv`` for the data, ``.<lang>.png`` for an image."""
        return self.figures_dir / f"{self.stem}__{slug}"

    def shared_figure(
        self,
        draw: functools.partial,
        slug: str,
        *,
        title: str,
        caption: str,
        alt: str,
        data: pd.DataFrame,
        source: str,
    ) -> Path:
        """``figure(draw(), slug, ...)`` for a drawing that many pages have in common (an
        institution report that shows only its sector's figures).

        ``draw`` is a plot function with all its arguments: the same call draws the same
        image. The first time a call is met in this process (in this language, synthetic or
        not) it is drawn and saved as ``figure`` does; after that its image files are written
        under ``slug`` as they were drawn, with this figure's own title, caption, alt text,
        source and data, and the page shows it just as ``figure`` would have."""
        refuse_internal(data, where=f"figure {slug!r}")
        key = _drawing_key(draw, self.stem, self.lang, self.synthetic)
        drawn = _DRAWN.get(key)
        if drawn is None:
            base = self.figure(
                draw(), slug, title=title, caption=caption, alt=alt, data=data, source=source
            )
            image = base.with_name(f"{base.name}.{self.lang}")
            if len(_DRAWN) >= _DRAWN_KEPT:
                _DRAWN.clear()
            _DRAWN[key] = {
                s: read_source(image.with_name(f"{image.name}{s}")).read_bytes() for s in _SAVED
            }
            return base
        base = self.base(slug)
        image = base.with_name(f"{base.name}.{self.lang}")
        for suffix in (".png", ".svg"):
            write_bytes_atomic(image.with_name(f"{image.name}{suffix}"), drawn[suffix])
        write_csv_for_people(data, base.with_name(f"{base.name}.csv"))
        about = {
            **json.loads(drawn[".json"]),
            "title": title,
            "caption": caption,
            "alt": alt,
            "source": source,
            "data": f"{base.name}.csv",
        }
        write_text_atomic(
            image.with_name(f"{image.name}.json"),
            json.dumps(about, ensure_ascii=False, indent=1) + "\n",
        )
        if self.show:
            self.show_saved(base.name)  # numbers it
        else:
            self.figure_count += 1
        return base

    def figure(
        self,
        fig: plt.Figure,
        slug: str,
        *,
        title: str,
        caption: str,
        alt: str,
        data: pd.DataFrame,
        source: str,
    ) -> Path:
        """Save ``fig`` (PNG, SVG in this language) and ``data`` (CSV, language-neutral), then
        show it with its number and caption."""
        refuse_internal(data, where=f"figure {slug!r}")
        self.figure_count += 1
        if self.lang in DECIMAL_COMMA:
            decimal_commas(fig)
        # One layout pass: the extent of everything drawn, computed once for the banner's place
        # and for both files (savefig with "tight" would lay the figure out twice per file).
        renderer = fig.canvas.get_renderer()
        if self.synthetic:
            # Below everything drawn, a legend under the axes included.
            lowest = fig.get_tightbbox(renderer).y0 / fig.get_figheight()
            fig.text(
                0.995,
                min(lowest, 0.0) - 0.01,
                demo_banner(self.lang),
                ha="right",
                va="top",
                fontsize=9,
                color="#9a3412",
                fontweight="bold",
            )
        base = self.base(slug)
        image = base.with_name(f"{base.name}.{self.lang}")
        extent = fig.get_tightbbox(renderer).padded(TIGHT_PAD_INCHES)
        png = io.BytesIO()
        fig.savefig(png, format="png", bbox_inches=extent)
        write_bytes_atomic(image.with_name(f"{image.name}.png"), png.getvalue())
        svg = io.BytesIO()
        fig.savefig(svg, format="svg", bbox_inches=extent, metadata={"Date": None})
        marks = value_marks(fig)
        # A figure with value marks is written with their titles, and shown as that SVG.
        svg_text = marked_svg(svg.getvalue(), marks) if marks else svg.getvalue().decode()
        write_text_atomic(image.with_name(f"{image.name}.svg"), svg_text)
        write_csv_for_people(data, base.with_name(f"{base.name}.csv"))
        about = {
            "title": title,
            "caption": caption,
            "alt": alt,
            "source": source,
            "data": f"{base.name}.csv",
            "synthetic": self.synthetic,
            "lang": self.lang,
            "marks": len(marks),
        }
        write_text_atomic(
            image.with_name(f"{image.name}.json"),
            json.dumps(about, ensure_ascii=False, indent=1) + "\n",
        )
        plt.close(fig)
        if self.show:
            self._show(svg_text if marks else png.getvalue(), about)
        return base

    def show_saved(self, name: str) -> None:
        """Show a figure an earlier step saved in this language
        (``<figures_dir>/<name>.<lang>.png`` and ``.json``)."""
        image = self.figures_dir / f"{name}.{self.lang}"
        # Run by hand, a figure this notebook drew is read from scratch (analysis/files/scratch.py).
        files = {
            s: read_source(image.with_name(f"{image.name}{s}")) for s in (".png", ".svg", ".json")
        }
        for path in files.values():
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: run its step")
        about = json.loads(files[".json"].read_text(encoding="utf-8"))
        if self.synthetic and not about.get("synthetic"):
            raise ValueError(f"{name} was drawn without the synthetic-data mark: rerun its step")
        if about.get("lang", "en") != self.lang:
            raise ValueError(f"{name} was drawn in {about.get('lang', 'en')!r}, not {self.lang!r}")
        self.figure_count += 1
        if about.get("marks"):
            self._show(files[".svg"].read_text(encoding="utf-8"), about)
        else:
            self._show(files[".png"].read_bytes(), about)

    def _show(self, image: bytes | str, about: dict) -> None:
        """The figure with its number, caption and data: a PNG (``bytes``), or an SVG with
        value marks (``str``), inlined so that its marks answer hover and focus."""
        if isinstance(image, str):
            drawn = inline_svg(image, f"f{self.figure_count}-", about["alt"])
        else:
            encoded = base64.b64encode(image).decode("ascii")
            drawn = f'<img src="data:image/png;base64,{encoded}" alt="{html_text(about["alt"])}"/>'
        number = t("figure.number", self.lang, number=self.figure_count)
        source = t("figure.source", self.lang, source=about["source"], data=about["data"])
        data = read_source(self.figures_dir / about["data"])
        link = download_link(data.read_bytes(), about["data"], t("figure.download", self.lang))
        display(
            HTML(
                f'<figure class="report-figure" id="figure-{self.figure_count}" '
                f'data-csv="{html_text(about["data"])}">'
                f"{drawn}<figcaption><strong>{html_text(number)}. {html_text(about['title'])}</strong> "
                f"{html_text(about['caption'])} <em>{html_text(source)}</em> {link}"
                "</figcaption></figure>"
            )
        )

    def table(
        self,
        frame: pd.DataFrame,
        *,
        title: str,
        caption: str = "",
        data: pd.DataFrame | None = None,
        slug: str = "",
        print_rows: int | None = None,
        print_last: bool = False,
        key_value: bool = False,
    ) -> None:
        """Show a (suppressed) table with its number; every text in it is escaped and every
        missing or withheld cell shows as "–". With ``data`` (language-neutral: keys, counts,
        the ``suppressed`` reason) and ``slug``, the data is also written as
        ``<stem>__<slug>.csv`` beside the figures and named under the table. With
        ``print_rows``, paper shows that many rows (the first, or the last with ``print_last``)
        and "… and N more"; the screen shows them all. A ``key_value`` table (item, value) may
        print in two columns. An internal frame (``analysis.disclosure.internal``) is refused."""
        refuse_internal(frame, data, where=f"table {title!r}")
        self.table_count += 1
        source = ""
        if data is not None:
            if not slug:
                raise ValueError(f"{title!r}: a table's data needs a slug to be saved under")
            base = self.base(slug)
            write_csv_for_people(data, base.with_name(f"{base.name}.csv"))
            source = f"{base.name}.csv"
        shown = frame.copy()
        if SUPPRESSED in shown:
            column = t("table.suppressed_column", self.lang)
            shown = shown.rename(columns={SUPPRESSED: column})
            shown[column] = shown[column].replace(
                {
                    "primary": t("table.suppressed_primary", self.lang),
                    "secondary": t("table.suppressed_secondary", self.lang),
                    "group": t("table.suppressed_group", self.lang),
                    "": "",
                }
            )
        printed, more = None, ""
        if print_rows is not None and len(shown) > print_rows:
            start = len(shown) - print_rows if print_last else 0
            printed = range(start, start + print_rows)
            rest = t("table.and_more_rows", self.lang, count=len(shown) - print_rows)
            more = f'<p class="print-more">{html_text(rest)}</p>'
        css_class = "report-table key-value" if key_value else "report-table"
        body = table_html(shown, self.lang, css_class, printed=printed) + more
        data_line = (
            f" <em>{html_text(t('table.data', self.lang, data=source))}</em>" if source else ""
        )
        name = f"{self.stem}__table-{self.table_count}.{self.lang}.csv"
        download = csv_for_people(_plain(frame)).encode("utf-8")
        link = download_link(download, name, t("table.download", self.lang))
        display(
            HTML(
                f'<figure class="report-table-wrap" id="table-{self.table_count}"'
                + (f' data-csv="{html_text(source)}"' if source else "")
                + "><figcaption><strong>"
                f"{html_text(t('table.number', self.lang, number=self.table_count))}. "
                f"{html_text(title)}</strong> "
                f"{html_text(caption)}{data_line} {link}</figcaption>{body}</figure>"
            )
        )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists in cells (``PrintList``) as the text they stand for, so the CSV holds them whole
    and neutralised like any other text."""
    lists = [c for c in frame.columns if frame[c].map(lambda v: isinstance(v, PrintList)).any()]
    if not lists:
        return frame
    return frame.assign(**{c: frame[c].map(str) for c in lists})


def download_link(data: bytes, name: str, label: str) -> str:
    """A link whose target is inside the page: a reviewer with only the HTML has the data."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="data-download" download="{html_text(name)}" '
        f'href="data:text/csv;charset=utf-8;base64,{encoded}">{html_text(label)}</a>'
    )


class _CommaFormatter(matplotlib.ticker.ScalarFormatter):
    def __call__(self, x, pos=None) -> str:
        return super().__call__(x, pos).replace(".", ",")


def decimal_commas(fig: plt.Figure) -> None:
    """Tick labels with a decimal comma (0,2 rather than 0.2) on every axis that matplotlib
    numbers itself; ticks a plot function labelled (years, shares, names) stay as they are."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is matplotlib.ticker.ScalarFormatter:
                axis.set_major_formatter(_CommaFormatter())


def say(text: PageText) -> None:
    """Show narrative built from computed results as Markdown (numbers are never typed).

    Only a ``PageText`` is shown: every value inserted into it went through the one escaping
    path (``analysis.i18n.page_text``, ``analysis.i18n.page``), so no key, name or comment
    can add markup."""
    if not isinstance(text, PageText):
        raise TypeError(
            "say() shows page text only: build it with analysis.i18n.page_text(key, lang, ...)"
        )
    display(Markdown(str(text)))


# Images already drawn in this process, by their drawing call (Publisher.shared_figure): the
# PNG, SVG and JSON files as first written.
_DRAWN: dict[str, dict[str, bytes]] = {}
_DRAWN_KEPT = 64
_SAVED = (".png", ".svg", ".json")


def _drawing_key(draw: functools.partial, *context: object) -> str:
    """The same for two calls of one plot function with equal arguments (tables equal to the
    value, dictionaries in the same order) and context."""
    function = draw.func
    parts = [f"{function.__module__}.{function.__qualname__}", *context, *draw.args]
    parts += [f"{name}=" for name in draw.keywords] + list(draw.keywords.values())
    text = []
    for part in parts:
        if isinstance(part, pd.DataFrame):
            text.append(f"frame {list(part.columns)} {list(map(str, part.dtypes))}")
            text.append(part.to_csv())
        else:
            text.append(json.dumps(part, ensure_ascii=False, default=repr))
    return hashlib.sha256("\n".join(text).encode("utf-8")).hexdigest()
