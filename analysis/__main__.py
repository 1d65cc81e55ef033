"""Command line: ``python -m analysis report|fetch|demo ...`` (the Makefile wraps these)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.build.config import ConfigError, load_config
from analysis.files.paths import find_project_root


def _report(args: argparse.Namespace) -> int:
    from analysis.build.runner import StepFailed, run_pipeline

    root = find_project_root()
    config_path = args.config if args.config.is_absolute() else root / args.config
    try:
        config = load_config(config_path, args.param)
        keys = list(args.institution or [])
        if args.each_institution:
            keys = _institution_keys(config, root)
        extra = [step for key in keys for step in config.institution_steps(key)]
        result = run_pipeline(
            config, root, only=args.only, force=args.force, jobs=args.jobs, extra_steps=extra
        )
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except StepFailed as error:
        print(f"FAILED: {error}", file=sys.stderr)
        print("the previous report, if any, was left untouched", file=sys.stderr)
        return 1
    for report in result.reports:
        print(f"report written: {report.relative_to(root)}")
    if result.other_reports:
        folders = ", ".join(f"{config.institution_outputs[lang]}/" for lang in config.editions)
        print(f"{len(result.other_reports)} institution reports written to {folders}")
    return 0


def _institution_keys(config, root: Path) -> list[str]:
    """Every organisation in the clean survey responses (after the pipeline has run once)."""
    import pandas as pd

    from analysis.files.paths import resolve

    path = resolve(config.common.get("processed_dir", "data/processed"), root)
    path = path / "survey_respondents.parquet"
    if not path.is_file():
        from analysis.build.runner import run_pipeline

        run_pipeline(config, root)
    return sorted(pd.read_parquet(path, columns=["organisation_key"])["organisation_key"].unique())


def _openalex_client_factory(raw_dir: Path):
    """A client for the brief's missing OpenAlex answers, or None without a key."""

    def make():
        import requests_cache

        from analysis.fetch.openalex import KEY_VARIABLE, OpenAlexClient

        key = os.environ.get(KEY_VARIABLE, "").strip()
        if not key:
            print(
                f"OpenAlex: {KEY_VARIABLE} is not set; the brief says which answers are missing",
                file=sys.stderr,
            )
            return None
        session = requests_cache.CachedSession(
            str(raw_dir / "partners" / ".http_cache"),
            backend="sqlite",
            expire_after=30 * 24 * 3600,
            ignored_parameters=["api_key"],  # the cache never stores the key
        )
        return OpenAlexClient(session, key, budget_usd=0.05)

    return make


def _brief(args: argparse.Namespace) -> int:
    from analysis.build.briefs import (
        IndexRow,
        Partners,
        brief_counts,
        relative_link,
        save_openalex_answers,
        steps_for,
        write_index,
    )
    from analysis.build.runner import StepFailed, executed_path, run_pipeline
    from analysis.files.paths import resolve
    from analysis.files.raw_manifest import data_profile

    root = find_project_root()
    config_path = args.config if args.config.is_absolute() else root / args.config
    overrides = [f"lang={args.lang}"] if args.lang else []
    try:
        config = load_config(config_path, overrides)
        raw_dir = resolve(config.brief.parameters["raw_dir"] if config.brief else "", root)
        partners = Partners.read(raw_dir)
        institution = None
        if args.institution:
            own = partners.resolve(args.institution)
            if own.status != "found":
                return _not_resolved(own)
            institution = own.record
        if args.from_register:
            queries = _register_partners(raw_dir / args.from_register, config, root)
        else:
            queries = [args.partner]
        if not partners.records:
            print(
                f"no ROR data in {raw_dir / 'ror'}: download it with "
                "`python -m analysis fetch --source ror`",
                file=sys.stderr,
            )
            return 2
        rows, steps, calls = [], [], 0
        make_client = _openalex_client_factory(raw_dir)
        for query in queries:
            resolution = partners.resolve(query)
            if resolution.status != "found":
                if not args.from_register:
                    return _not_resolved(resolution)
                rows.append(
                    IndexRow(
                        query,
                        resolution.status,
                        candidates="; ".join(f"{r.name} ({r.id})" for r in resolution.candidates),
                    )
                )
                continue
            own_id = partners.index.get(institution.id) if institution else None
            calls += save_openalex_answers(raw_dir, resolution.openalex_id, own_id, make_client)
            mine = [s for s in steps_for(config, resolution.record, institution) if s not in steps]
            steps += mine
            rows.append(IndexRow(query, "found", name=resolution.record.name))
            rows[-1].links = {s.lang: s.renders for s in mine}
            rows[-1].executed = [executed_path(s, root) for s in mine]
        if not steps:
            print("no partner resolved: no brief written", file=sys.stderr)
            return 2
        result = run_pipeline(config, root, only=[], jobs=args.jobs, extra_steps=steps)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except StepFailed as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    print(f"OpenAlex calls for these briefs: {calls}")
    for step in steps:
        print(f"brief written: {step.renders}")
    if args.from_register:
        synthetic = bool(data_profile(raw_dir)["synthetic"])
        for row in rows:
            if row.status == "found":
                row.red_flags, row.attention = brief_counts(row.executed[0])
        for lang in config.editions:
            folder = resolve(config.brief_outputs[lang], root)
            for row in rows:
                if row.status == "found":
                    row.links[lang] = relative_link(resolve(row.links[lang], root), folder)
            index = write_index(config, root, args.from_register, rows, lang, synthetic)
            print(f"index written: {index.relative_to(root)}")
    del result
    return 0


def _not_resolved(resolution) -> int:
    if resolution.status == "ambiguous":
        print(f"{resolution.query!r} is ambiguous; it fits:", file=sys.stderr)
        for record in resolution.candidates:
            print(f"  {record.id}  {record.name} ({record.country})", file=sys.stderr)
        print("give the ROR id with --partner", file=sys.stderr)
    else:
        print(f"{resolution.query!r} is not in the ROR data", file=sys.stderr)
        for record in resolution.candidates:
            print(f"  near: {record.id}  {record.name} ({record.country})", file=sys.stderr)
    return 2


def _register_partners(mapping_or_register: Path, config, root: Path) -> list[str]:
    """The partner names of an agreement register, through its mapping file."""
    from analysis.cooperation.registers import read_agreements
    from analysis.reference.countries import CountryResolver

    path = mapping_or_register
    if path.suffix not in (".yaml", ".yml"):
        candidates = sorted(path.parent.glob(f"{path.stem}*.mapping.yaml"))
        path = candidates[0] if candidates else path.with_suffix(".mapping.yaml")
    if not path.is_file():
        raise ConfigError(f"no mapping file for the register: {path}")
    resolver = CountryResolver(root / config.brief.parameters["country_aliases"])
    agreements, _ = read_agreements(path, resolver)
    return list(dict.fromkeys(agreements["partner"]))


def _demo(args: argparse.Namespace) -> int:
    from analysis.demo import write_demo

    root = find_project_root()
    target = args.output if args.output.is_absolute() else root / args.output
    written = write_demo(target, seed=args.seed)
    for path in written:
        print(path.relative_to(target).as_posix())
    print(f"{len(written)} demo files written to {target}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from analysis.build.bench import main as bench

    return bench(repeat=args.repeat, survey_rows=args.survey_rows)


def _openalex_refresh(args: argparse.Namespace, target: Path) -> None:
    """The OpenAlex refresh into ``target``; a missing key or failure raises OpenAlexError."""
    import requests_cache

    from analysis.context.indicators import critical_subfields
    from analysis.fetch.openalex import OpenAlexClient, api_key_from_environment, refresh

    key = api_key_from_environment()
    target.mkdir(parents=True, exist_ok=True)
    session = requests_cache.CachedSession(
        str(target / ".http_cache"),
        backend="sqlite",
        expire_after=24 * 3600,
        ignored_parameters=["api_key"],  # the cache never stores the key
    )
    client = OpenAlexClient(session, key, budget_usd=args.budget_usd)
    mapping = find_project_root() / "config" / "critical_technologies.yaml"
    refresh(
        client,
        target,
        args.first_year,
        args.last_year,
        args.ror,
        args.top_partners,
        critical_subfields=critical_subfields(mapping),
    )


def _fetch_openalex(args: argparse.Namespace) -> int:
    from analysis.fetch.openalex import OpenAlexError

    root = find_project_root()
    target = args.output if args.output.is_absolute() else root / args.output
    try:
        _openalex_refresh(args, target)
    except OpenAlexError as error:
        print(f"OpenAlex: {error}", file=sys.stderr)
        return 1
    return 0


def _fetch(args: argparse.Namespace) -> int:
    import requests

    from analysis.fetch.download import Downloader, FetchError
    from analysis.fetch.openalex import OpenAlexError
    from analysis.fetch.run import SOURCES, run_fetch

    root = find_project_root()
    target = args.output if args.output.is_absolute() else root / args.output
    chosen = args.source or ["all"]
    sources = list(SOURCES) if "all" in chosen else list(dict.fromkeys(chosen))

    def openalex(folder: Path) -> None:
        try:
            _openalex_refresh(args, folder)
        except OpenAlexError as error:
            raise FetchError(f"openalex: {error}") from None
        except requests.RequestException as error:
            raise FetchError(
                f"openalex: network error reaching https://api.openalex.org "
                f"({type(error).__name__}); nothing of the failed query was written"
            ) from None

    return run_fetch(target, sources, openalex, Downloader(), force=args.force)


def _pdf(args: argparse.Namespace) -> int:
    from analysis.build.pdf import BrowserMissing, print_pdf

    root = find_project_root()
    source = args.input if args.input.is_absolute() else root / args.input
    target = args.output if args.output.is_absolute() else root / args.output
    try:
        print_pdf(source, target)
    except (BrowserMissing, FileNotFoundError) as error:
        print(f"pdf: {error}", file=sys.stderr)
        return 1
    print(f"PDF written: {target.relative_to(root) if target.is_relative_to(root) else target}")
    return 0


def _openalex_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--first-year", type=int, default=2015)
    parser.add_argument("--last-year", type=int, default=2024)
    parser.add_argument("--ror", help="one Finnish institution by ROR id, e.g. https://ror.org/...")
    parser.add_argument("--top-partners", type=int, default=15, help="field mix for this many")
    parser.add_argument("--budget-usd", type=float, default=0.5, help="stop before spending more")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="run the notebook pipeline and render the report")
    report.add_argument("--config", type=Path, default=Path("config/params.yaml"))
    report.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter for every step that has it, or STEP.KEY=VALUE for one step",
    )
    report.add_argument(
        "--only", action="append", metavar="STEP", help="run only this step (repeatable)"
    )
    report.add_argument("--force", action="store_true", help="rerun steps even if unchanged")
    report.add_argument(
        "--institution",
        action="append",
        metavar="KEY",
        help="also write reports/institutions/KEY.html (repeatable)",
    )
    report.add_argument(
        "--each-institution",
        action="store_true",
        help="also write one report per organisation in the survey",
    )
    report.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="steps that do not depend on each other run side by side (default: 2)",
    )
    report.set_defaults(handler=_report)

    brief = commands.add_parser(
        "brief", help="write a due-diligence brief on a prospective partner (reports/briefs/)"
    )
    who = brief.add_mutually_exclusive_group(required=True)
    who.add_argument("--partner", metavar="ID_OR_NAME", help="ROR id, OpenAlex id or name")
    who.add_argument(
        "--from-register",
        metavar="agreements/REGISTER",
        help="a brief for every partner of an agreement register (in the raw folder), and an index",
    )
    brief.add_argument(
        "--institution", metavar="ORG", help="cooperation of one Finnish organisation"
    )
    brief.add_argument("--lang", choices=["en", "fi", "sv"], help="one edition (default: all)")
    brief.add_argument("--config", type=Path, default=Path("config/params.yaml"))
    brief.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    brief.set_defaults(handler=_brief)

    demo = commands.add_parser("demo", help="write the synthetic demo dataset")
    demo.add_argument("--output", type=Path, default=Path("data/raw/demo"))
    demo.add_argument("--seed", type=int, default=20240408)
    demo.set_defaults(handler=_demo)

    fetch = commands.add_parser(
        "fetch", help="download the public sources into data/raw/public with MANIFEST.yaml"
    )
    fetch.add_argument(
        "--source",
        action="append",
        choices=["openalex", "cordis", "academic_freedom", "ror", "all"],
        help="a source to fetch (repeatable; default: all)",
    )
    fetch.add_argument("--output", type=Path, default=Path("data/raw/public"))
    fetch.add_argument(
        "--force", action="store_true", help="download again files the manifest already has"
    )
    _openalex_options(fetch)
    fetch.set_defaults(handler=_fetch)

    fetch_openalex = commands.add_parser(
        "fetch-openalex", help="download co-publication aggregates from OpenAlex (needs a key)"
    )
    fetch_openalex.add_argument("--output", type=Path, default=Path("data/raw/public/openalex"))
    _openalex_options(fetch_openalex)
    fetch_openalex.set_defaults(handler=_fetch_openalex)

    pdf = commands.add_parser("pdf", help="print the report to PDF with headless Chromium")
    pdf.add_argument("--input", type=Path, default=Path("reports/report.html"))
    pdf.add_argument("--output", type=Path, default=Path("reports/report.pdf"))
    pdf.set_defaults(handler=_pdf)

    bench = commands.add_parser("bench", help="time the runner against a naive baseline")
    bench.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    bench.add_argument(
        "--survey-rows", type=int, default=100_000, help="responses in the cleaning benchmark"
    )
    bench.set_defaults(handler=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
