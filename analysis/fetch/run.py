"""Download the public sources into ``data/raw/public/`` and record them in its ``MANIFEST.yaml``.

``python -m analysis fetch [--source NAME]`` (``make fetch``) brings in:

``openalex``
    co-publication aggregates, through ``analysis.fetch.openalex.refresh`` (needs the
    ``OPENALEX_API_KEY``); its own ``openalex/manifest.json`` is merged into the manifest.
``cordis``
    the CORDIS bulk CSV archives of Horizon Europe and Horizon 2020; from each, ``project.csv``
    and ``organization.csv`` are extracted as ``cordis/<programme>_project.csv`` and
    ``cordis/<programme>_organization.csv`` (the CORDIS reader pairs them by that prefix).
``ror``
    the newest ROR data dump from Zenodo (``analysis.fetch.ror``), with its schema v2 JSON
    extracted as ``ror/ror-data_schema_v2.json``; partner briefs resolve names through it.
``academic_freedom``
    V-Dem's Academic Freedom Index as Our World in Data publishes it (grapher CSV), saved as
    ``context/academic_freedom_index.csv``.
``wgi``
    the World Bank's Worldwide Governance Indicators (rule of law, political stability,
    control of corruption, voice and accountability) from the API v2 as JSON, with the
    country list that names the aggregates (``analysis.fetch.worldbank``), in ``context/``.

Each download streams into ``.<name>.part`` beside its target and is renamed only when all of
it arrived (and, for an archive, when it opens as one), so a target file is never half
written. An interrupted download keeps its ``.part`` and the next run asks the server for the
rest (HTTP ``Range``). A file whose sha256 matches the manifest is not downloaded again unless
``force``. Failures end in one ``FetchError`` line naming the source and the URL.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.fetch.academic_freedom import fetch_academic_freedom
from analysis.fetch.cordis import fetch_cordis
from analysis.fetch.download import Downloader, FetchError
from analysis.fetch.ror import fetch_ror
from analysis.fetch.worldbank import fetch_wgi
from analysis.files.raw_manifest import MANIFEST_NAME, RawManifest

SOURCES = ("openalex", "cordis", "academic_freedom", "wgi", "ror")

PROFILE_HEADER = {
    "profile": "public",
    "synthetic": False,
    "description": (
        "Public sources (OpenAlex, CORDIS, V-Dem via Our World in Data, World Bank WGI, ROR) "
        "downloaded by "
        "python -m analysis fetch, beside the files the institutions supply"
    ),
    "generator": "python -m analysis fetch",
}


def merge_openalex_manifest(folder: Path, manifest: RawManifest) -> int:
    """Copy ``openalex/manifest.json`` entries (what ``refresh`` saved) into the manifest."""
    path = folder / "openalex" / "manifest.json"
    if not path.is_file():
        return 0
    queries = json.loads(path.read_text(encoding="utf-8")).get("queries", [])
    count = 0
    for query in queries:
        relative = f"openalex/{query['file']}"
        if not (folder / relative).is_file():
            continue
        manifest.record(
            relative,
            title=f"OpenAlex group_by answer {Path(query['file']).stem}",
            producer="OpenAlex (OurResearch)",
            url=query.get("url", ""),
            accessed=str(query.get("retrieved", ""))[:10],
            licence=query.get("licence", "CC0-1.0 (OpenAlex)"),
            sha256=query.get("sha256"),
        )
        count += 1
    manifest.save()
    return count


def run_fetch(
    folder: Path,
    sources: Iterable[str],
    openalex: Callable[[Path], None] | None = None,
    downloader: Downloader | None = None,
    force: bool = False,
    err: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> int:
    """Fetch each source in turn; a failing one is reported and the others still run.

    ``openalex`` runs the OpenAlex refresh into the folder it is given (the caller builds the
    client, since it needs the key); it raises ``FetchError`` with a one-line message.
    Returns the exit status: 0 when every source is in place, 1 otherwise.
    """
    downloader = downloader or Downloader()
    manifest = RawManifest.load(folder, PROFILE_HEADER)
    failed = []
    for source in sources:
        try:
            if source == "openalex":
                if openalex is None:
                    raise FetchError("openalex: no OpenAlex client configured")
                openalex(folder / "openalex")
                count = merge_openalex_manifest(folder, manifest)
                downloader.log(f"openalex: {count} files in the manifest")
            elif source == "cordis":
                fetch_cordis(folder, manifest, downloader, force)
            elif source == "ror":
                fetch_ror(folder, manifest, downloader, force)
            elif source == "academic_freedom":
                fetch_academic_freedom(folder, manifest, downloader, force)
            elif source == "wgi":
                fetch_wgi(folder, manifest, downloader, force)
            else:
                raise FetchError(f"unknown source {source!r}; the sources are {', '.join(SOURCES)}")
        except FetchError as error:
            err(f"fetch failed: {error}")
            failed.append(source)
        except OSError as error:
            err(f"fetch failed: {source}: {error}")
            failed.append(source)
    if failed:
        again = " ".join(f"--source {name}" for name in failed)
        err(f"not fetched: {', '.join(failed)}; run `python -m analysis fetch {again}` again")
        return 1
    downloader.log(f"fetched into {folder}; manifest: {folder / MANIFEST_NAME}")
    return 0
