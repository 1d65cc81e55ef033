"""The ``public`` data profile: what a run on it reads, and a check that names what is missing."""

from __future__ import annotations

import glob
from pathlib import Path


class PublicFolderIncomplete(ValueError):
    """The public folder lacks sources; the message names each and how to get it."""


# What a run on the ``public`` profile reads, beside MANIFEST.yaml: the sources
# ``python -m analysis fetch`` downloads, and the files only their owners can put there.
FETCHED_SOURCES = {
    "openalex": ("openalex/*.json",),
    "cordis": ("cordis/*project*.csv", "cordis/*organi[sz]ation*.csv"),
    "academic_freedom": ("context/academic_freedom_index.csv",),
}
SUPPLIED_SOURCES = {
    "survey/*": "the survey export(s) with their mapping files",
    "agreements/*": "the agreement registers with their mapping files",
    "mobility/*.csv": "the student mobility statistics",
    "screening/*.csv": "the screening reference lists",
}


def check_public_folder(folder: Path) -> None:
    """Fail with one message naming every missing source and the command that fetches it."""
    fetch = [
        name
        for name, patterns in FETCHED_SOURCES.items()
        if not all(glob.glob(str(folder / pattern)) for pattern in patterns)
    ]
    supplied = [
        f"{pattern} ({what})"
        for pattern, what in SUPPLIED_SOURCES.items()
        if not glob.glob(str(folder / pattern))
    ]
    if not (folder / "MANIFEST.yaml").is_file() and not fetch:
        fetch = list(FETCHED_SOURCES)  # the manifest is written by fetch
    if not fetch and not supplied:
        return
    parts = []
    if fetch:
        patterns = [p for name in fetch for p in FETCHED_SOURCES[name]]
        sources = " ".join(f"--source {name}" for name in fetch)
        parts.append(
            f"missing {', '.join(patterns)}: download with `make fetch` "
            f"(python -m analysis fetch {sources}; OpenAlex needs OPENALEX_API_KEY)"
        )
    if supplied:
        parts.append(f"missing {', '.join(supplied)}: put your own files there (see README)")
    raise PublicFolderIncomplete(
        f"profile 'public' reads {folder}, which is incomplete: " + "; ".join(parts)
    )
