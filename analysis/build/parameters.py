"""Parameter checks, made before any step writes anything.

Papermill passes a notebook whatever it is given and only warns about a name the notebook does
not declare, so a value of the wrong kind would surface as an error deep inside some notebook,
after the steps before it had rewritten their outputs. Here each value is held against the
default it stands in for:

- a ``-p key=value`` against the value in the configuration (``checked_override``, called by
  ``config.py`` while it reads the overrides), and a language against the editions the
  configuration declares (``check_languages``);
- every parameter a step passes against the default in its notebook's ``parameters`` cell
  (``check_parameter_types``, called by the runner before the first step starts), which
  catches a wrong kind written in the configuration file itself.

The notebook's defaults are read as papermill's ``inspect_notebook`` reads them (a test holds
the two together) without importing papermill, which a run that skips every step never needs.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from analysis.build.step import ConfigError, Step
from analysis.files.paths import resolve


def kind(value: Any) -> str:
    """What a value is, in the words of the error messages."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def fits(value: Any, default: Any) -> bool:
    """Whether ``value`` can stand where the parameter's ``default`` stands: a value of the
    same kind, or a whole number where any number goes. A default of None takes anything."""
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, list | tuple):
        return isinstance(value, list | tuple)
    return isinstance(value, type(default))


def shown(value: Any) -> str:
    """A value as JSON, which ``-p`` and the configuration (YAML) read back as the same value."""
    return json.dumps(value, ensure_ascii=False, default=str)


def checked_override(name: str, value: Any, written: str, configured: dict[str, Any]) -> Any:
    """The value of ``-p name=written`` as the parameter takes it, or ``ConfigError``.

    ``value`` is ``written`` read as YAML; ``configured`` maps each place the override applies
    to (``common``, a step's name) to the value it replaces there. A text parameter takes the
    text as written: ``-p report.previous_edition=2024`` names the folder 2024, not a number.
    """
    if not isinstance(value, str | list | dict) and all(
        isinstance(default, str) for default in configured.values()
    ):
        return written
    for default in configured.values():
        if not fits(value, default):
            hint = f"; write {name}=[{written}]" if isinstance(default, list) else ""
            raise ConfigError(
                f"-p {name}={written}: {name} takes {kind(default)} "
                f"(its default is {shown(default)}), not {kind(value)}{hint}"
            )
    return value


def check_languages(where: str, languages: Iterable[Any], editions: Iterable[str]) -> None:
    """Every language must be an edition the configuration declares (``editions``): a figure
    drawn in another language would be read by no report."""
    editions = list(editions)
    unknown = [str(lang) for lang in languages if lang not in editions]
    if unknown:
        verb = "is" if len(unknown) == 1 else "are"
        raise ConfigError(
            f"{where}: {', '.join(unknown)} {verb} not among the editions of the configuration "
            f"({', '.join(editions)}; declared under 'editions')"
        )


def notebook_defaults(path: Path) -> dict[str, Any]:
    """The defaults of a notebook's ``parameters`` cell (the first cell so tagged, as papermill
    takes it), each read as a Python literal; a default that is not a literal is left out."""
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        return {}
    defaults: dict[str, Any] = {}
    for statement in ast.parse("".join(tagged[0].get("source", ""))).body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    defaults[target.id] = ast.literal_eval(value)
                except ValueError:
                    continue
    return defaults


def check_parameter_types(steps: Iterable[Step], root: Path) -> None:
    """Every parameter a step passes must be of the kind its notebook's default is; otherwise
    ``ConfigError`` names the step, the parameter and both kinds. A notebook that is not there
    is left to fail when its step runs."""
    read: dict[Path, dict[str, Any]] = {}
    for step in steps:
        path = resolve(step.notebook, root)
        if path not in read:
            read[path] = notebook_defaults(path) if path.is_file() else {}
        for name, value in step.parameters.items():
            if name in read[path] and not fits(value, read[path][name]):
                default = read[path][name]
                raise ConfigError(
                    f"step {step.name!r}: {name} is {kind(value)} ({shown(value)}), but "
                    f"{step.notebook} takes {kind(default)} (its default is {shown(default)})"
                )
