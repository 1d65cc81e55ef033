"""Streaming downloads: retries, HTTP ``Range`` resume, progress lines, atomic rename.

Every download streams into ``.<name>.part`` beside its target and is renamed only when all of
it arrived (and passed its check), so a target file is never half written. An interrupted
download keeps its ``.part`` and the next run asks the server for the rest. Failures end in
one ``FetchError`` line naming the source and the URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests

from analysis.files.atomic import move_into_place

RETRY_STATUS = {429, 500, 502, 503, 504}
CHUNK = 1 << 16
USER_AGENT = "responsible-cooperation-analysis (python requests; bulk open data download)"


class FetchError(RuntimeError):
    """A source could not be downloaded; its message is one line naming the source and URL."""


def size_text(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def today() -> str:
    return datetime.now(UTC).date().isoformat()


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
                discard(part)
                raise FetchError(f"{source}: {complete.reason} for {url}")
            if attempt >= self.retries:
                kept = part.is_file() and part.stat().st_size > 0
                if not kept:
                    discard(part)
                raise FetchError(
                    f"{source}: {reason} for {url} after {attempt + 1} attempts"
                    + (
                        f" ({size_text(part.stat().st_size)} kept in {part.name}; run fetch again to resume)"
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
                discard(part)
                raise
        move_into_place(part, target)
        self.log(f"{source}: saved {target.name} ({size_text(target.stat().st_size)})")
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
                discard(part)  # the kept part does not fit the file any more: start again
                self.log(f"{source}: the server cannot resume {part.name}; starting again")
                return self._stream(source, url, part)
            if answer.status_code in RETRY_STATUS:
                answer.close()
                raise _HttpRetry(f"HTTP {answer.status_code} {answer.reason or ''}".strip())
            if answer.status_code >= 400:
                return _Refused(f"HTTP {answer.status_code} {answer.reason or ''}".strip())
            if answer.status_code == 206 and have:
                mode, done = "ab", have
                self.log(f"{source}: resuming {part.name} at {size_text(have)}")
            else:
                mode, done = "wb", 0
            total = _expected_total(answer, done)
            self.log(f"{source}: downloading {url}" + (f" ({size_text(total)})" if total else ""))
            shown = done
            with part.open(mode) as handle:
                for block in answer.iter_content(self.chunk_size):
                    handle.write(block)
                    done += len(block)
                    if done - shown >= self.progress_every:
                        shown = done
                        of = f" of {size_text(total)}" if total else ""
                        self.log(f"{source}: {size_text(done)}{of}")
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


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _discard_if_empty(path: Path) -> None:
    if path.is_file() and path.stat().st_size == 0:
        discard(path)
