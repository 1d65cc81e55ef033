"""More lines of ``make bench``: the release and its audit, the data check, a wide header, and
partner briefs in bulk. Each entry is measured by a function of its own, on a copy of the
project or in a temporary folder, and printed by :func:`print_entries`.

``ENTRIES`` lists them with their targets (on a 2-core machine); the printed line names the
target beside the measured value, and nothing fails when one is missed.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.files.paths import find_project_root

ENTRIES = {
    "release": "release of all editions and all institution reports (release --force): "
    "target <= 90 s",
    "audit": "audit of that release (audit-release): target <= 10 s",
    "check_data": "check-data on the demo folder: target <= 3 s",
    "wide_header": "reading an export with a 40 000-column header: target <= 2 s",
    "briefs": "50 partner briefs from a register, OpenAlex answers cached, one edition: "
    "target <= 120 s",
    "brief_calls": "OpenAlex calls of one uncached partner brief (counted offline): target <= 6",
}
BRIEF_COUNT = 50
WIDE_COLUMNS = 40_000
ANALYSIS = [sys.executable, "-m", "analysis"]


def _run(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return elapsed, done.stdout


def _project_copy(folder: Path) -> Path:
    """The parts of the project a run needs (as the main benchmark copies them)."""
    source = find_project_root()
    for part in ("config", "notebooks", "templates", "data/raw"):
        shutil.copytree(source / part, folder / part)
    return folder


class _Answers:
    """An OpenAlex session answering every call offline with one saved answer."""

    def __init__(self, answer: dict):
        self.answer = answer

    def get(self, url: str, params: dict, timeout: float):
        answer = self.answer

        class Response:
            status_code = 200
            headers: dict = {}
            from_cache = False

            def json(self) -> dict:
                return copy.deepcopy(answer)

        return Response()


def time_release() -> dict[str, float]:
    """The release from a fresh copy: the command's wall time, its own build and audit
    times, and a separate ``audit-release`` of the folder it wrote."""
    with tempfile.TemporaryDirectory(prefix="bench-release-") as folder:
        root = _project_copy(Path(folder))
        wall, output = _run([*ANALYSIS, "release", "--force"], root)
        found = re.search(r"built in ([0-9.]+) s, audited in ([0-9.]+) s", output)
        audit, _ = _run([*ANALYSIS, "audit-release", "reports/release"], root)
        files = len([p for p in (root / "reports" / "release").rglob("*") if p.is_file()])
    return {
        "release": wall,
        "release_built": float(found.group(1)) if found else float("nan"),
        "release_audited": float(found.group(2)) if found else float("nan"),
        "audit": audit,
        "release_files": files,
    }


def time_check_data() -> float:
    """``python -m analysis check-data data/raw/demo``, as a user runs it."""
    root = find_project_root()
    wall, _ = _run([*ANALYSIS, "check-data", "data/raw/demo"], root)
    return wall


def time_wide_header(columns: int = WIDE_COLUMNS) -> float:
    """Seconds to read an export whose header has ``columns`` columns (one response)."""
    from analysis.sources.exports import read_export

    with tempfile.TemporaryDirectory(prefix="bench-wide-") as folder:
        path = Path(folder) / "wide.csv"
        header = ",".join(f"q{i}" for i in range(columns))
        path.write_text(header + "\n" + ",".join("1" * columns) + "\n", encoding="utf-8")
        started = time.perf_counter()
        read = read_export(path)
        elapsed = time.perf_counter() - started
    if read.frame.shape[1] != columns + 1:  # the columns and the source row
        raise RuntimeError(f"the wide export read as {read.frame.shape}")
    return elapsed


def _bench_partner(template: dict, number: int) -> tuple[dict, str, str]:
    """A ROR record made from the demo's Swedish partner, with an id and names of its own."""
    ror_id = f"0zz7{number:03d}01"
    name = f"Bench Partner University {number:03d}"
    record = copy.deepcopy(template)
    record["id"] = f"https://ror.org/{ror_id}"
    record["names"] = [{"lang": "en", "types": ["ror_display", "label"], "value": name}]
    record["relationships"] = []
    return record, ror_id, name


def add_bench_register(raw: Path, count: int = BRIEF_COUNT) -> str:
    """``count`` partners in ``raw``: ROR records, saved OpenAlex answers (copied from the
    demo's Swedish partner, ids changed) and a register with its mapping, in a folder of its
    own so that no pipeline step reads it. Returns the register's path inside ``raw``."""
    records = json.loads((raw / "ror" / "demo_ror_records.json").read_text(encoding="utf-8"))
    template = next(r for r in records if r["id"].endswith("0zz000101"))
    answers = raw / "partners" / "openalex" / "I9000001"
    made, lines = [], ["Partner,Country,Type,Start,End,Field,Status"]
    for number in range(1, count + 1):
        record, ror_id, name = _bench_partner(template, number)
        made.append(record)
        openalex_id = f"I97{number:05d}"
        target = raw / "partners" / "openalex" / openalex_id
        target.mkdir(parents=True)
        for path in answers.glob("*.json"):
            text = path.read_text(encoding="utf-8").replace("I9000001", openalex_id)
            text = text.replace("0zz000101", ror_id).replace("Partner University SE-1", name)
            (target / path.name).write_text(text, encoding="utf-8")
        lines.append(f"{name},Sweden,Research cooperation,2020-01-01,,All fields,Active")
    (raw / "ror" / "bench_partners.json").write_text(json.dumps(made), encoding="utf-8")
    folder = raw / "bench_register"
    folder.mkdir()
    (folder / "BENCH_partners.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = (raw / "agreements" / "RI-2_partners.mapping.yaml").read_text(encoding="utf-8")
    mapping = mapping.replace("RI-2_partners.csv", "BENCH_partners.csv")
    (folder / "BENCH_partners.mapping.yaml").write_text(mapping, encoding="utf-8")
    return "bench_register/BENCH_partners.csv"


def time_briefs(count: int = BRIEF_COUNT) -> dict[str, float]:
    """``count`` briefs of one register, one edition, after the pipeline has run (untimed)."""
    from analysis.build.config import load_config

    with tempfile.TemporaryDirectory(prefix="bench-briefs-") as folder:
        root = _project_copy(Path(folder))
        first = load_config(root / "config" / "params.yaml").editions[0]
        register = add_bench_register(root / "data" / "raw" / "demo", count)
        _run([*ANALYSIS, "report", "-p", f"lang={first}", "--no-check"], root)
        wall, output = _run(
            [*ANALYSIS, "brief", "--from-register", register, "--lang", first, "--jobs", "2"],
            root,
        )
        written = output.count("brief written:")
        calls = re.search(r"OpenAlex calls for these briefs: (\d+)", output)
    return {
        "briefs": wall,
        "briefs_written": written,
        "briefs_calls": int(calls.group(1)) if calls else -1,
    }


def count_brief_calls() -> int:
    """Calls one brief of a partner with nothing saved makes, answered offline."""
    from analysis.build.briefs import save_openalex_answers
    from analysis.fetch.openalex import OpenAlexClient

    root = find_project_root()
    answer = json.loads(
        (root / "data" / "raw" / "demo" / "openalex" / "fi_works_by_country_2024.json").read_text()
    )
    clients = []

    def make() -> OpenAlexClient:
        clients.append(
            OpenAlexClient(
                _Answers(answer),
                "offline",
                budget_usd=1.0,
                sleep=lambda s: None,
                log=lambda m: None,
            )
        )
        return clients[-1]

    with tempfile.TemporaryDirectory(prefix="bench-brief-calls-") as folder:
        calls = save_openalex_answers(Path(folder), "I9000001", None, make)
        again = save_openalex_answers(Path(folder), "I9000001", None, make)
    if again:
        raise RuntimeError(f"a second brief of the same partner made {again} calls")
    return calls


def print_entries() -> None:
    """Measure and print every entry of ``ENTRIES``, each on its own line."""
    header = time_wide_header()
    print(f"{ENTRIES['wide_header']}:  {header:6.2f} s")
    check = time_check_data()
    print(f"{ENTRIES['check_data']}:  {check:6.2f} s")
    calls = count_brief_calls()
    print(f"{ENTRIES['brief_calls']}:  {calls} calls (a second brief: 0)")
    release = time_release()
    print(
        f"{ENTRIES['release']}:  {release['release']:6.2f} s "
        f"(built in {release['release_built']:.1f} s, audited in "
        f"{release['release_audited']:.1f} s; {int(release['release_files'])} files)"
    )
    print(f"{ENTRIES['audit']}:  {release['audit']:6.2f} s")
    briefs = time_briefs()
    print(
        f"{ENTRIES['briefs']}:  {briefs['briefs']:6.2f} s "
        f"({int(briefs['briefs_written'])} written, {int(briefs['briefs_calls'])} OpenAlex calls)"
    )


def main() -> int:
    """Only these entries (``python -m analysis.build.bench_entries``)."""
    print_entries()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
