"""One notebook step of the run: its notebook, parameters, and the files it reads and writes."""

from __future__ import annotations

import glob
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.files.paths import resolve


class ConfigError(ValueError):
    """The run configuration or an override is not usable; the message says why."""


@dataclass(frozen=True)
class Step:
    name: str
    notebook: str
    parameters: dict[str, Any]
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    executed: str = ""  # where its executed notebook is kept; default: reports/executed/<stem>
    renders: str = ""  # an HTML report rendered from the executed notebook, if any
    title: str = ""  # the rendered report's title
    base: str = ""  # for one edition of a rendering step: the configured step's name
    # Outputs written only when a source folder of the raw folder is provided: pattern →
    # source (``- {path: ..., needs: openalex}`` in the configuration).
    needs: dict[str, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """The language a rendering step writes in ("" for a step that renders nothing)."""
        return str(self.parameters.get("lang", ""))

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem

    def expand(self, pattern: str) -> str:
        """A configured path with its ``{parameter}`` placeholders filled."""
        try:
            return pattern.format(**self.parameters)
        except KeyError as missing:
            raise ConfigError(
                f"step {self.name!r}: path {pattern!r} uses {missing} which is not a parameter"
            ) from None

    def _optional_and_unset(self, pattern: str) -> bool:
        """An input built on a parameter left empty (an optional input not given)."""
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name]
        return any(self.parameters.get(name) == "" for name in fields)

    def _source_not_provided(self, pattern: str, root: Path) -> bool:
        """An input in an optional source folder of the raw folder that is not there: the
        report is built without that source (check-data names what it removes)."""
        from analysis.build.check_data import SOURCES

        head, _, rest = pattern.partition("/")
        source = rest.split("/", 1)[0]
        if head != "{raw_dir}" or source not in SOURCES or SOURCES[source][0]:
            return False
        return self._not_provided(source, root)

    def _not_provided(self, source: str, root: Path) -> bool:
        folder = resolve(self.expand("{raw_dir}"), root) / source
        return not (folder.is_dir() and any(folder.iterdir()))

    def input_files(self, root: Path) -> list[Path]:
        """Every file the step reads, globs expanded, sorted; a pattern matching nothing fails.

        A pattern using a parameter that is set to "" names an optional input not given.
        """
        files: set[Path] = set()
        for pattern in self.inputs:
            if self._optional_and_unset(pattern) or self._source_not_provided(pattern, root):
                continue
            expanded = str(resolve(self.expand(pattern), root))
            matches = [Path(m) for m in glob.glob(expanded, recursive=True) if Path(m).is_file()]
            if not matches:
                raise ConfigError(
                    f"step {self.name!r}: input {pattern!r} matches no file ({expanded})"
                )
            files.update(matches)
        return sorted(files)

    def input_patterns(self, root: Path) -> list[str]:
        """The input patterns as absolute paths, globs left unexpanded."""
        return [str(resolve(self.expand(p), root)) for p in self.inputs]

    def output_files(self, root: Path) -> list[Path]:
        """Declared outputs; a pattern with ``{lang}`` in a step that draws in several
        ``languages`` names one file per language."""
        files = []
        for pattern in self.outputs:
            if pattern in self.needs and self._not_provided(self.needs[pattern], root):
                continue
            if "{lang}" in pattern and "lang" not in self.parameters:
                languages = self.parameters.get("languages") or []
                for lang in languages:
                    files.append(resolve(self.expand(pattern.replace("{lang}", str(lang))), root))
            else:
                files.append(resolve(self.expand(pattern), root))
        return files
