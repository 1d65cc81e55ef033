"""Read a YAML file a person wrote, with bounds, and with errors that name the file and line.

PyYAML's own messages say ``in "<unicode string>"``; these say which file. Aliases are
counted before anything is built, so a file of nested aliases cannot expand without limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's parser where PyYAML was built with it: the same documents, several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_YAML_BYTES = 5_000_000
MAX_YAML_ALIASES = 100


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's parser when it is there."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)


class YamlFileError(ValueError):
    """A YAML file cannot be read; the message names the file and, where known, the line."""


def load_yaml_file(
    path: Path, max_bytes: int = MAX_YAML_BYTES, max_aliases: int = MAX_YAML_ALIASES
) -> Any:
    """The parsed contents of ``path`` (None for an empty file)."""
    if not path.is_file():
        raise YamlFileError(f"{path}: file not found")
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlFileError(f"{path.name}: {size} bytes, more than the limit of {max_bytes}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlFileError(
            f"{path.name}: not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    try:
        aliases = sum(
            isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_SAFE_LOADER)
        )
        if aliases > max_aliases:
            raise YamlFileError(
                f"{path.name}: {aliases} YAML aliases (*name), more than the limit of "
                f"{max_aliases}; write the values out"
            )
        return parse_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise YamlFileError(f"{path.name}:{where}: not valid YAML ({problem})") from None
