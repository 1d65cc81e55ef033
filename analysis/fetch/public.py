"""Download the public sources into ``data/raw/public/`` and record them in its ``MANIFEST.yaml``.

``python -m analysis fetch [--source NAME]`` (``make fetch``) brings in:

``openalex``
    co-publication aggregates, through ``analysis.fetch.openalex.refresh`` (needs the
    ``OPENALEX_API_KEY``); its own ``openalex/manifest.json`` is merged into the manifest.
``cordis``
    the CORDIS bulk CSV archives of Horizon Europe and Horizon 2020; from each, ``project.csv``
    and ``organization.csv`` are extracted as ``cordis/<programme>_project.csv`` and
    ``cordis/<programme>_organization.csv`` (the CORDIS reader pairs them by that prefix).
``academic_freedom``
    V-Dem's Academic Freedom Index as Our World in Data publishes it (grapher CSV), saved as
    ``context/academic_freedom_index.csv``.

Every download streams into ``.<name>.part`` beside its target and is renamed only when all of
it arrived (and, for an archive, when it opens as one), so a target file is never half
written. An interrupted download keeps its ``.part`` and the next run asks the server for the
rest (HTTP ``Range``). A file whose sha256 matches the manifest is not downloaded again unless
``force``. Failures end in one ``FetchError`` line naming the source and the URL.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import yaml

SOURCES = ("openalex", "cordis", "academic_freedom")
MANIFEST_NAME = "MANIFEST.yaml"
RETRY_STATUS = {429, 500, 502, 503, 504}
CHUNK = 1 << 16
USER_AGENT = "responsible-cooperation-analysis (python requests; bulk open data download)"

CORDIS_PRODUCER = "European Commission, CORDIS (Publications Office of the European Union)"
CORDIS_LICENCE = "CC BY 4.0 (Commission reuse policy, Decision 2011/833/EU)"


@dataclass(frozen=True)
class Programme:
    prefix: str  # file name prefix in cordis/
    title: str
    url: str


CORDIS_PROGRAMMES = (
    Programme(
        "horizon",
        "CORDIS: EU research projects under Horizon Europe (2021-2027)",
        "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
    ),
    Programme(
        "h2020",
        "CORDIS: EU research projects under Horizon 2020 (2014-2020)",
        "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
    ),
)
CORDIS_MEMBERS = ("project.csv", "organization.csv")

ACADEMIC_FREEDOM_URL = (
    "https://ourworldindata.org/grapher/academic-freedom-index.csv"
    "?v=1&csvType=full&useColumnShortNames=false"
)
ACADEMIC_FREEDOM_FILE = "context/academic_freedom_index.csv"

PROFILE_HEADER = {
    "profile": "public",
    "synthetic": False,
    "description": (
        "Public sources (OpenAlex, CORDIS, V-Dem via Our World in Data) downloaded by "
        "python -m analysis fetch, beside the files the institutions supply"
    ),
    "generator": "python -m analysis fetch",
}


class FetchError(RuntimeError):
    """A source could not be downloaded; its message is one line naming the source and URL."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


@dataclass
class Manifest:
    """``MANIFEST.yaml`` of the public folder: the profile header and one entry per file."""

    folder: Path
    header: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        raw = raw or {}
        files = {entry["path"]: entry for entry in raw.pop("files", None) or []}
        return cls(folder, {**PROFILE_HEADER, **raw}, files)

    def recorded(self, relative: str) -> bool:
        """The file is present and its sha256 is the one recorded."""
        entry = self.files.get(relative)
        path = self.folder / relative
        return bool(entry) and path.is_file() and sha256_of(path) == entry.get("sha256")

    def record(self, relative: str, **about: Any) -> None:
        self.files[relative] = {
            "path": relative,
            **about,
            "sha256": sha256_of(self.folder / relative),
        }

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {**self.header, "files": [self.files[k] for k in sorted(self.files)]}
        text = "# Raw data manifest: every downloaded file, where it came from and its checksum.\n"
        text += yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
        temporary = self.folder / f".{MANIFEST_NAME}.part"
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.folder / MANIFEST_NAME)


@dataclass
class Downloader:
    """Streams URLs to files: retries, ``Range`` resume, progress lines, atomic rename."""

    session: requests.Session = field(default_factory=requests.Session)
    retries: int = 3
    backoff_seconds: float = 2.0
    timeout: tuple[float, float] = (15.0, 60.0)  # connect, read (between bytes)
    progress_every: int = 8 << 20  # bytes between progress lines
    chunk_size: int = CHUNK
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = print

    def download(
        self, source: str, url: str, target: Path, check: Callable[[Path], None] | None = None
    ) -> Path:
        """Fetch ``url`` into ``target``; ``check`` may reject the complete file before rename."""
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.parent / f".{target.name}.part"
        attempt = 0
        while True:
            try:
                complete = self._stream(source, url, part)
            except requests.RequestException as error:
                complete, reason = False, _reason(error)
                if reason in _NOT_WORTH_RETRYING:
                    _discard_if_empty(part)
                    raise FetchError(f"{source}: {reason} for {url}") from None
            else:
                reason = "the connection closed before the end of the file"
            if complete:
                break
            if isinstance(complete, _Refused):
                _discard(part)
                raise FetchError(f"{source}: {complete.reason} for {url}")
            if attempt >= self.retries:
                kept = part.is_file() and part.stat().st_size > 0
                if not kept:
                    _discard(part)
                raise FetchError(
                    f"{source}: {reason} for {url} after {attempt + 1} attempts"
                    + (
                        f" ({_size(part.stat().st_size)} kept in {part.name}; run fetch again to resume)"
                        if kept
                        else ""
                    )
                )
            delay = self.backoff_seconds * 2**attempt
            self.log(f"{source}: {reason}; retrying in {delay:.0f} s")
            self.sleep(delay)
            attempt += 1
        if check is not None:
            try:
                check(part)
            except FetchError:
                _discard(part)
                raise
        part.replace(target)
        self.log(f"{source}: saved {target.name} ({_size(target.stat().st_size)})")
        return target

    def _stream(self, source: str, url: str, part: Path) -> bool | _Refused:
        """Append what the server sends to ``part``; True when the whole file is there."""
        have = part.stat().st_size if part.is_file() else 0
        headers = {"User-Agent": USER_AGENT}
        if have:
            headers["Range"] = f"bytes={have}-"
        with self.session.get(url, headers=headers, stream=True, timeout=self.timeout) as answer:
            if answer.status_code == 416 and have:
                answer.close()
                _discard(part)  # the kept part does not fit the file any more: start again
                self.log(f"{source}: the server cannot resume {part.name}; starting again")
                return self._stream(source, url, part)
            if answer.status_code in RETRY_STATUS:
                answer.close()
                raise _HttpRetry(f"HTTP {answer.status_code} {answer.reason or ''}".strip())
            if answer.status_code >= 400:
                return _Refused(f"HTTP {answer.status_code} {answer.reason or ''}".strip())
            if answer.status_code == 206 and have:
                mode, done = "ab", have
                self.log(f"{source}: resuming {part.name} at {_size(have)}")
            else:
                mode, done = "wb", 0
            total = _expected_total(answer, done)
            self.log(f"{source}: downloading {url}" + (f" ({_size(total)})" if total else ""))
            shown = done
            with part.open(mode) as handle:
                for block in answer.iter_content(self.chunk_size):
                    handle.write(block)
                    done += len(block)
                    if done - shown >= self.progress_every:
                        shown = done
                        of = f" of {_size(total)}" if total else ""
                        self.log(f"{source}: {_size(done)}{of}")
        return total is None or done == total


class _HttpRetry(requests.RequestException):
    """A server answer worth another try (429, 5xx)."""


@dataclass
class _Refused:
    reason: str

    def __bool__(self) -> bool:
        return False


def _expected_total(answer: requests.Response, already: int) -> int | None:
    length = answer.headers.get("Content-Length", "")
    if not length.isdigit() or answer.headers.get("Content-Encoding"):
        return None
    return already + int(length)


_NO_HOST = "cannot resolve the host name (no network?)"
_REFUSED = "connection refused"
_NOT_WORTH_RETRYING = {_NO_HOST, _REFUSED}  # no network here: say so at once


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, _HttpRetry):
        return str(error)
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the connection broke off"
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        if "Name or service not known" in text or "NameResolution" in text:
            return _NO_HOST
        if "refused" in text.lower():
            return _REFUSED
        return "connection failed"
    return f"{type(error).__name__}"


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _discard_if_empty(path: Path) -> None:
    if path.is_file() and path.stat().st_size == 0:
        _discard(path)


def _check_zip(source: str, url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        if not zipfile.is_zipfile(path):
            raise FetchError(f"{source}: the answer from {url} is not a zip archive")
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name for n in archive.namelist()}
        missing = [m for m in CORDIS_MEMBERS if m not in names]
        if missing:
            raise FetchError(f"{source}: {url} has no {', '.join(missing)} in it")

    return check


def _check_owid_csv(source: str, url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        with path.open(encoding="utf-8-sig") as handle:
            header = [h.strip() for h in handle.readline().split(",")]
        values = [h for h in header if "academic" in h.lower()]
        if header[:3] != ["Entity", "Code", "Year"] or len(values) != 1:
            raise FetchError(
                f"{source}: {url} is not the grapher CSV layout "
                f"(Entity, Code, Year, one academic freedom column); its header is {header[:6]}"
            )

    return check


def fetch_cordis(
    folder: Path, manifest: Manifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """Both programmes' archives into ``cordis/`` and their two CSVs extracted beside them."""
    written = []
    for programme in CORDIS_PROGRAMMES:
        archive = f"cordis/{programme.url.rsplit('/', 1)[-1]}"
        extracted = {m: f"cordis/{programme.prefix}_{m}" for m in CORDIS_MEMBERS}
        if not force and all(manifest.recorded(p) for p in [archive, *extracted.values()]):
            downloader.log(f"cordis: {programme.prefix} already downloaded (sha256 matches)")
            continue
        if force or not manifest.recorded(archive):
            downloader.download(
                "cordis", programme.url, folder / archive, _check_zip("cordis", programme.url)
            )
            manifest.record(
                archive,
                title=f"{programme.title}, CSV archive",
                producer=CORDIS_PRODUCER,
                url=programme.url,
                accessed=_today(),
                licence=CORDIS_LICENCE,
            )
            written.append(archive)
        accessed = manifest.files[archive]["accessed"]
        try:
            _extract(folder, archive, extracted, programme, accessed, manifest)
        except (zipfile.BadZipFile, KeyError) as error:
            raise FetchError(
                f"cordis: cannot extract from {archive} ({error}); rerun with --force"
            ) from None
        written += list(extracted.values())
        manifest.save()
    return written


def _extract(
    folder: Path,
    archive: str,
    extracted: dict[str, str],
    programme: Programme,
    accessed: str,
    manifest: Manifest,
) -> None:
    """Copy the archive's members out through temporary files and record them."""
    with zipfile.ZipFile(folder / archive) as zipped:
        members = {Path(n).name: n for n in zipped.namelist()}
        for member, relative in extracted.items():
            target = folder / relative
            temporary = target.parent / f".{target.name}.part"
            with zipped.open(members[member]) as inside, temporary.open("wb") as out:
                shutil.copyfileobj(inside, out, 1 << 20)
            temporary.replace(target)
            manifest.record(
                relative,
                title=f"{programme.title}: {member}",
                producer=CORDIS_PRODUCER,
                url=programme.url,
                archive_member=members[member],
                accessed=accessed,
                licence=CORDIS_LICENCE,
            )


def fetch_academic_freedom(
    folder: Path, manifest: Manifest, downloader: Downloader, force: bool = False
) -> list[str]:
    """The Academic Freedom Index grapher CSV into ``context/academic_freedom_index.csv``."""
    if not force and manifest.recorded(ACADEMIC_FREEDOM_FILE):
        downloader.log("academic_freedom: already downloaded (sha256 matches)")
        return []
    downloader.download(
        "academic_freedom",
        ACADEMIC_FREEDOM_URL,
        folder / ACADEMIC_FREEDOM_FILE,
        _check_owid_csv("academic_freedom", ACADEMIC_FREEDOM_URL),
    )
    manifest.record(
        ACADEMIC_FREEDOM_FILE,
        title="Academic Freedom Index (V-Dem), Our World in Data grapher CSV",
        producer="V-Dem Institute; processed and published by Our World in Data",
        url=ACADEMIC_FREEDOM_URL,
        accessed=_today(),
        licence="CC BY 4.0 (Our World in Data); cite V-Dem as the source of the index",
    )
    manifest.save()
    return [ACADEMIC_FREEDOM_FILE]


def merge_openalex_manifest(folder: Path, manifest: Manifest) -> int:
    """Copy ``openalex/manifest.json`` entries (what ``refresh`` saved) into the manifest."""
    import json

    path = folder / "openalex" / "manifest.json"
    if not path.is_file():
        return 0
    queries = json.loads(path.read_text(encoding="utf-8")).get("queries", [])
    count = 0
    for query in queries:
        relative = f"openalex/{query['file']}"
        if not (folder / relative).is_file():
            continue
        manifest.files[relative] = {
            "path": relative,
            "title": f"OpenAlex group_by answer {Path(query['file']).stem}",
            "producer": "OpenAlex (OurResearch)",
            "url": query.get("url", ""),
            "accessed": str(query.get("retrieved", ""))[:10],
            "licence": query.get("licence", "CC0-1.0 (OpenAlex)"),
            "sha256": query.get("sha256") or sha256_of(folder / relative),
        }
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
    manifest = Manifest.load(folder)
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
            elif source == "academic_freedom":
                fetch_academic_freedom(folder, manifest, downloader, force)
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
