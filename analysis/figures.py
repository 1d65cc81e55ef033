"""Publishing figures and tables into the report: numbered, captioned, with alt text, saved.

Each figure is written to ``figures/`` as PNG and SVG under a stable name
(``<notebook-stem>__<slug>``) with the data it draws beside it as CSV, so a reviewer can check
every bar. Figures built from synthetic data say so on the image itself.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files and embedded images; no window is ever opened

import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import HTML, Markdown, display  # noqa: E402

from analysis.disclosure import SUPPRESSED  # noqa: E402
from analysis.i18n import DECIMAL_COMMA, check_language, t  # noqa: E402
from analysis.io import write_csv_for_people  # noqa: E402
from analysis.paths import resolve  # noqa: E402
from analysis.provenance import data_profile, demo_banner  # noqa: E402
from analysis.style import apply_style  # noqa: E402


@dataclass
class Publisher:
    """Numbers and writes the figures and tables of one notebook."""

    figures_dir: Path
    stem: str
    synthetic: bool
    lang: str = "en"
    figure_count: int = 0
    table_count: int = 0

    @classmethod
    def for_notebook(cls, stem: str, figures_dir: str, raw_dir: str, lang: str = "en") -> Publisher:
        apply_style()
        profile = data_profile(resolve(raw_dir))
        return cls(resolve(figures_dir), stem, bool(profile["synthetic"]), check_language(lang))

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
        """Save ``fig`` (PNG, SVG) and ``data`` (CSV), then show it with its number and caption."""
        self.figure_count += 1
        if self.lang in DECIMAL_COMMA:
            decimal_commas(fig)
        if self.synthetic:
            # Below everything else; bbox_inches="tight" grows the image to keep it.
            fig.text(
                0.995,
                -0.01,
                demo_banner(self.lang),
                ha="right",
                va="top",
                fontsize=9,
                color="#9a3412",
                fontweight="bold",
            )
        base = self.figures_dir / f"{self.stem}__{slug}"
        base.parent.mkdir(parents=True, exist_ok=True)
        png = io.BytesIO()
        fig.savefig(png, format="png", bbox_inches="tight")
        base.with_suffix(".png").write_bytes(png.getvalue())
        fig.savefig(
            base.with_suffix(".svg"), format="svg", bbox_inches="tight", metadata={"Date": None}
        )
        write_csv_for_people(data, base.with_suffix(".csv"))
        about = {
            "title": title,
            "caption": caption,
            "alt": alt,
            "source": source,
            "data": f"{base.name}.csv",
            "synthetic": self.synthetic,
            "lang": self.lang,
        }
        base.with_suffix(".json").write_text(
            json.dumps(about, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        plt.close(fig)
        self._show(png.getvalue(), about)
        return base

    def show_saved(self, name: str) -> None:
        """Show a figure an earlier step saved (``<figures_dir>/<name>.png`` and ``.json``)."""
        base = self.figures_dir / name
        for suffix in (".png", ".json"):
            if not base.with_suffix(suffix).is_file():
                raise FileNotFoundError(f"{base.with_suffix(suffix)} is missing: run its step")
        about = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        if self.synthetic and not about.get("synthetic"):
            raise ValueError(f"{name} was drawn without the synthetic-data mark: rerun its step")
        if about.get("lang", "en") != self.lang:
            raise ValueError(f"{name} was drawn in {about.get('lang', 'en')!r}, not {self.lang!r}")
        self.figure_count += 1
        self._show(base.with_suffix(".png").read_bytes(), about)

    def _show(self, png: bytes, about: dict) -> None:
        encoded = base64.b64encode(png).decode("ascii")
        number = t("figure.number", self.lang, number=self.figure_count)
        source = t("figure.source", self.lang, source=about["source"], data=about["data"])
        display(
            HTML(
                f'<figure class="report-figure" id="figure-{self.figure_count}">'
                f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(about["alt"])}"/>'
                f"<figcaption><strong>{number}. {html.escape(about['title'])}</strong> "
                f"{html.escape(about['caption'])} <em>{html.escape(source)}</em>"
                "</figcaption></figure>"
            )
        )

    def table(self, frame: pd.DataFrame, *, title: str, caption: str = "") -> None:
        """Show a (suppressed) table with its number; free text in it is escaped."""
        self.table_count += 1
        shown = frame.copy()
        if SUPPRESSED in shown:
            column = t("table.suppressed_column", self.lang)
            shown = shown.rename(columns={SUPPRESSED: column})
            shown[column] = shown[column].replace(
                {
                    "primary": t("table.suppressed_primary", self.lang),
                    "secondary": t("table.suppressed_secondary", self.lang),
                    "": "",
                }
            )
        if self.lang != "en":
            # Decimal commas where the language writes them; whole numbers are unchanged.
            for column in shown.select_dtypes("float").columns:
                shown[column] = shown[column].map(
                    lambda v: v if pd.isna(v) else str(v).replace(".", ",")
                )
        body = shown.to_html(index=False, escape=True, na_rep="–", border=0, classes="report-table")
        display(
            HTML(
                f'<figure class="report-table-wrap" id="table-{self.table_count}">'
                f"<figcaption><strong>{t('table.number', self.lang, number=self.table_count)}. "
                f"{html.escape(title)}</strong> "
                f"{html.escape(caption)}</figcaption>{body}</figure>"
            )
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


def say(text: str) -> None:
    """Show narrative built from computed results as Markdown (numbers are never typed)."""
    display(Markdown(text))
