"""Benchmark: the runner against a naive baseline, on a copy of the project.

The baseline runs the same notebooks the way one would by hand: the ``papermill`` command line
once per notebook, then the ``jupyter nbconvert`` command line for the report. The runner is
timed for a full rebuild (``--force``) and an immediate no-op rebuild, each in a fresh process,
and the peak memory of the whole process tree (runner and kernels) is sampled.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from analysis.build.config import load_config
from analysis.files.paths import find_project_root

COPIED = ("config", "notebooks", "templates", "data/raw")


def copy_project(source: Path, target: Path) -> Path:
    for folder in COPIED:
        shutil.copytree(source / folder, target / folder)
    return target


class PeakMemory:
    """Sample the summed RSS of a process and all its descendants."""

    def __init__(self, process: subprocess.Popen, interval: float = 0.05):
        self.root = psutil.Process(process.pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                family = [self.root, *self.root.children(recursive=True)]
                total = 0
                for member in family:
                    with contextlib.suppress(psutil.Error):  # a kernel may exit meanwhile
                        total += member.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(command: list[str], cwd: Path, measure_memory: bool = False) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if measure_memory:
        with PeakMemory(process) as memory:
            output, _ = process.communicate()
        peak = memory.peak
    else:
        output, _ = process.communicate()
        peak = 0
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output.decode(errors='replace')}")
    return elapsed, peak


def baseline(root: Path) -> float:
    """papermill CLI per notebook, then nbconvert CLI on the report, as one would by hand
    (one edition: the first configured language)."""
    first = load_config(root / "config" / "params.yaml").editions[0]
    config = load_config(root / "config" / "params.yaml", [f"lang={first}"])
    bin_dir = Path(sys.executable).parent
    out = root / "baseline"
    out.mkdir()
    started = time.perf_counter()
    for step in config.steps:
        command = [str(bin_dir / "papermill"), step.notebook, str(out / f"{step.stem}.ipynb")]
        command += ["--no-progress-bar", "--cwd", str(root / "notebooks")]
        for key, value in step.parameters.items():
            command += ["-y", json.dumps({key: value})]
        timed(command, root)
    report = config.step(config.report_step)
    timed(
        [
            str(bin_dir / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            str(out / f"{report.stem}.ipynb"),
            "--output-dir",
            str(out),
        ],
        root,
    )
    return time.perf_counter() - started


def make_large_export(target: Path, rows: int) -> Path:
    """A LimeSurvey-shaped export of ``rows`` responses, grown from the demo's own export.

    Each copy gets a new id, a submission time spread over the fieldwork window and a varied
    answer, so the rows are distinct responses, as in a real national survey.
    """
    import pandas as pd

    from analysis.sources.exports import ROW, read_export
    from analysis.survey.mapping import load_mapping

    source = find_project_root() / "data" / "raw" / "demo" / "survey"
    mapping = load_mapping(source / "limesurvey_results_2024.mapping.yaml")
    frame = read_export(mapping.export).frame.drop(columns=[ROW])
    big = pd.concat([frame] * (rows // len(frame) + 1), ignore_index=True).iloc[:rows].copy()
    big["id"] = [str(i) for i in range(1, rows + 1)]
    seconds = (pd.Series(range(rows)) * 29) % (31 * 24 * 3600)
    stamps = pd.Timestamp("2024-09-02 08:00") + pd.to_timedelta(seconds, unit="s")
    big["submitdate"] = stamps.dt.strftime("%Y-%m-%d %H:%M:%S").where(big["submitdate"] != "", "")
    big["THR[SQ001]"] = [str(1 + i % 5) for i in range(rows)]
    target.mkdir(parents=True, exist_ok=True)
    big.to_csv(target / mapping.export.name, sep=";", index=False, encoding="cp1252")
    shutil.copy(mapping.path, target)
    shutil.copy(source / "organisation_aliases.csv", target)
    return target


def time_cleaning(rows: int) -> tuple[float, int, int]:
    """Seconds to read and clean an export of ``rows`` responses; kept and rejected rows."""
    from datetime import datetime

    from analysis.reference.countries import CountryResolver
    from analysis.survey.clean import CleaningRules
    from analysis.survey.codebook import load_codebook
    from analysis.survey.folder import clean_folder

    root = find_project_root()
    codebook = load_codebook(root / "config" / "codebook.yaml")
    countries = CountryResolver(root / "config" / "country_aliases.yaml")
    rules = CleaningRules(datetime(2024, 9, 2), datetime(2024, 10, 4, 23, 59, 59))
    with tempfile.TemporaryDirectory(prefix="bench-survey-") as folder:
        export = make_large_export(Path(folder), rows)
        started = time.perf_counter()
        result = clean_folder(export, codebook, countries, rules)
        elapsed = time.perf_counter() - started
    accounting = result.accounting.iloc[0]
    return elapsed, int(accounting["kept"]), int(accounting["rejected"])


class _OfflineOpenAlex:
    """Answers every OpenAlex call with the demo's own country answer, counting the calls."""

    def __init__(self, answer: dict):
        self.answer = answer

    def get(self, url: str, params: dict, timeout: float):
        class Response:
            status_code = 200
            headers: dict = {}
            from_cache = False

            def __init__(self, body: dict):
                self._body = body

            def json(self) -> dict:
                return self._body

        return Response(self.answer)


def count_refresh_calls(first_year: int = 2015, last_year: int = 2024) -> tuple[int, float]:
    """Calls and cost of a full national OpenAlex refresh, counted offline."""
    from analysis.context.indicators import critical_subfields
    from analysis.fetch.openalex import OpenAlexClient, refresh

    root = find_project_root()
    critical = critical_subfields(root / "config" / "critical_technologies.yaml")
    demo = root / "data" / "raw" / "demo" / "openalex"
    answer = json.loads((demo / f"fi_works_by_country_{last_year}.json").read_text())
    client = OpenAlexClient(
        _OfflineOpenAlex(answer),
        "offline",
        budget_usd=10.0,
        sleep=lambda s: None,
        log=lambda m: None,
    )
    with tempfile.TemporaryDirectory(prefix="bench-openalex-") as folder:
        refresh(client, Path(folder), first_year, last_year, critical_subfields=critical)
    return client.calls, client.spent_usd


def change_one_weight(root: Path) -> None:
    """Edit one indicator weight in ``config/scoring.yaml`` (the first one, by 0.5)."""
    import re

    path = root / "config" / "scoring.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"weight:\s*([0-9.]+)", text)
    if match is None:
        raise RuntimeError(f"{path} has no weight to change")
    changed = f"weight: {float(match.group(1)) + 0.5:g}"
    path.write_text(text[: match.start()] + changed + text[match.end() :], encoding="utf-8")


def rerun_steps(output: str) -> list[str]:
    """The steps a runner's console output says it ran."""
    import re

    return re.findall(r"^\[\d+/\d+\] (.+?) \(notebooks/[^)]+\): running", output, re.MULTILINE)


def timed_output(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started, done.stdout


def release_audit_seconds(output: str) -> float:
    """The audit's time, as the release command prints it."""
    import re

    match = re.search(r"audited in ([0-9.]+) s", output)
    if match is None:
        raise RuntimeError(f"the release printed no audit time:\n{output}")
    return float(match.group(1))


def run_benchmark(repeat: int = 1) -> dict[str, object]:
    source = find_project_root()
    runner = [sys.executable, "-m", "analysis", "report"]
    first = load_config(source / "config" / "params.yaml").editions[0]
    results: dict[str, list] = {
        key: []
        for key in (
            "baseline",
            "one_edition",
            "all_editions",
            "noop",
            "peak_mb",
            "one_weight",
            "one_weight_steps",
            "institutions",
            "institution_count",
            "largest_report_mb",
            "release",
            "release_audit",
        )
    }
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            root = copy_project(source, Path(folder))
            results["baseline"].append(baseline(root))
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            root = copy_project(source, Path(folder))
            one, _ = timed([*runner, "--force", "-p", f"lang={first}"], root)
            results["one_edition"].append(one)
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            root = copy_project(source, Path(folder))
            every, peak = timed([*runner, "--force"], root, measure_memory=True)
            noop, _ = timed(runner, root)
            change_one_weight(root)
            weight, output = timed_output(runner, root)
            each, _ = timed([*runner, "-p", f"lang={first}", "--each-institution"], root)
            results["all_editions"].append(every)
            results["noop"].append(noop)
            results["peak_mb"].append(peak / 2**20)
            results["one_weight"].append(weight)
            results["one_weight_steps"].append(rerun_steps(output))
            results["institutions"].append(each)
            results["largest_report_mb"].append(
                max(f.stat().st_size for f in (root / "reports").glob("report*.html")) / 1e6
            )
            results["institution_count"].append(
                len(list((root / "reports" / "institutions").glob("*.html")))
            )
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            # From nothing: the pipeline, every edition, every institution report, the audit.
            root = copy_project(source, Path(folder))
            seconds, output = timed_output([sys.executable, "-m", "analysis", "release"], root)
            results["release"].append(seconds)
            results["release_audit"].append(release_audit_seconds(output))
    summary: dict[str, object] = {
        key: min(values) for key, values in results.items() if key != "one_weight_steps"
    }
    summary["one_weight_steps"] = results["one_weight_steps"][0]
    summary["editions"] = len(load_config(source / "config" / "params.yaml").editions)
    return summary


def main(repeat: int = 1, survey_rows: int = 100_000) -> int:
    print(f"benchmark on {psutil.cpu_count()} cores, best of {repeat} ...", flush=True)
    calls, cost = count_refresh_calls()
    print(
        f"OpenAlex national refresh 2015-2024: {calls} calls, about {cost:.4f} USD "
        "(counted offline; target: a few hundred at most)"
    )
    cleaning = min(time_cleaning(survey_rows) for _ in range(repeat))
    print(
        f"survey cleaning, {survey_rows:,} responses (read + clean):  {cleaning[0]:6.2f} s  "
        f"({cleaning[1]:,} kept, {cleaning[2]:,} rejected; target < 5 s)".replace(",", " ")
    )
    s = run_benchmark(repeat)
    base = float(s["baseline"])
    print(f"baseline, one edition (papermill CLI per notebook + nbconvert): {base:6.2f} s")
    print(
        f"full rebuild, one edition (report --force -p lang=..):  {s['one_edition']:6.2f} s  "
        f"ratio {float(s['one_edition']) / base:.2f} (target <= 0.30)"
    )
    print(
        f"full rebuild, all {s['editions']} editions (report --force):     {s['all_editions']:6.2f} s  "
        f"{float(s['all_editions']) / float(s['one_edition']):.2f} x one edition (target <= 1.30)"
    )
    print(
        f"no-op rebuild (report):                                {s['noop']:6.2f} s  "
        f"ratio {float(s['noop']) / base:.3f} (target <= 0.05)"
    )
    print(
        f"one weight changed in config/scoring.yaml:              {s['one_weight']:6.2f} s  "
        f"reran: {', '.join(s['one_weight_steps'])}"
    )
    print(
        f"peak memory, all editions (runner + kernels):           {s['peak_mb']:6.0f} MB "
        "(target < 1024 MB)"
    )
    print(
        f"largest edition of the report:                          {s['largest_report_mb']:6.2f} MB "
        "(target < 4 MB)"
    )
    print(
        f"institution reports, one edition ({int(s['institution_count'])} organisations): "
        f"{s['institutions']:6.2f} s (target: 40 in < 120 s)"
    )
    print(
        f"release from nothing (release: every edition and institution report): "
        f"{s['release']:6.2f} s (target <= 90 s), its audit {s['release_audit']:.2f} s "
        "(target <= 10 s)"
    )
    return 0
