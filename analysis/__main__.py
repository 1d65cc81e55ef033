"""Command line: ``python -m analysis report|release|audit-release|check-data|map|fetch|demo ...``
(the Makefile wraps these)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.build.brief_command import brief_command
from analysis.build.config import ConfigError, load_config
from analysis.build.release_command import audit_release_command, release_command
from analysis.files.paths import find_project_root


def _report(args: argparse.Namespace) -> int:
    from analysis.build.runner import StepFailed, run_pipeline

    root = find_project_root()
    config_path = args.config if args.config.is_absolute() else root / args.config
    try:
        config = load_config(config_path, args.param)
        if not args.no_check:
            check = _check_folder(config.common.get("raw_dir", "data/raw/demo"), root)
            if check.errors:
                print(check.report(), file=sys.stderr)
                print(
                    "nothing was run: fix the errors above (python -m analysis check-data)",
                    file=sys.stderr,
                )
                return 2
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


def _check_folder(raw_dir: str | Path, root: Path):
    from analysis.build.check_data import check_raw_folder
    from analysis.files.paths import resolve

    config = root / "config"
    return check_raw_folder(
        resolve(raw_dir, root), config / "codebook.yaml", config / "country_aliases.yaml"
    )


def _texts_review(args: argparse.Namespace) -> int:
    from analysis.files.atomic import write_text_atomic
    from analysis.i18n.review import review_html

    target = args.output if args.output.is_absolute() else find_project_root() / args.output
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, review_html())
    print(f"texts for review written: {target}")
    return 0


def _check_data(args: argparse.Namespace) -> int:
    check = _check_folder(args.raw_dir, find_project_root())
    print(check.report())
    return 1 if check.errors else 0


def _map(args: argparse.Namespace) -> int:
    from analysis.files.atomic import write_text_atomic
    from analysis.sources.exports import ExportError
    from analysis.survey.codebook import load_codebook
    from analysis.survey.draft import draft_for_export, render_draft
    from analysis.survey.mapping import MAPPING_SUFFIX

    root = find_project_root()
    export = args.export if args.export.is_absolute() else Path.cwd() / args.export
    target = args.output or export.with_name(export.stem + MAPPING_SUFFIX)
    if target.exists() and not args.force:
        print(f"map: {target} exists; --force to replace it", file=sys.stderr)
        return 1
    try:
        draft = draft_for_export(export, load_codebook(root / "config" / "codebook.yaml"))
    except ExportError as error:
        print(f"map: {error}", file=sys.stderr)
        return 1
    write_text_atomic(target, render_draft(draft))
    print(f"mapping drafted: {target} ({len(draft.todos)} TODO left to decide)")
    for line in draft.todos:
        print(f"  TODO {line}")
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


def _demo(args: argparse.Namespace) -> int:
    from analysis.demo import write_demo

    root = find_project_root()
    target = args.output if args.output.is_absolute() else root / args.output
    written = write_demo(target, seed=args.seed)
    for path in written:
        print(path.relative_to(target).as_posix())
    print(f"{len(written)} demo files written to {target}")
    return 0


def _questionnaire(args: argparse.Namespace) -> int:
    """Write the survey structure file, the mapping its response export needs, and a printable
    questionnaire per language, all from the codebook."""
    import yaml

    from analysis.files.atomic import write_text_atomic
    from analysis.i18n import t
    from analysis.reference.countries import CountryResolver
    from analysis.report.questionnaire import printable_html
    from analysis.survey.codebook import LANGUAGES, load_codebook
    from analysis.survey.limesurvey import write_lss
    from analysis.survey.questionnaire import mapping_spec, questionnaire

    root = find_project_root()
    languages = [code.strip() for code in args.lang.split(",") if code.strip()]
    unknown = [code for code in languages if code not in LANGUAGES]
    if not languages or unknown:
        print(f"--lang takes languages of the codebook ({', '.join(LANGUAGES)})", file=sys.stderr)
        return 2
    book = load_codebook(root / args.codebook)
    countries = CountryResolver(root / args.country_aliases)
    groups = questionnaire(book, countries.name)
    target = args.output if args.output.is_absolute() else root / args.output
    titles = {lang: t("questionnaire.title", lang) for lang in languages}
    written = [
        write_text_atomic(target / f"{book.id}.lss", write_lss(groups, languages, titles)),
        write_text_atomic(
            target / f"{Path(args.export_name).stem}.mapping.yaml",
            "# Maps the LimeSurvey response export (question codes as headings, answer codes)\n"
            f"# of {book.id}.lss onto config/codebook.yaml; written by python -m analysis "
            "questionnaire.\n"
            + yaml.safe_dump(
                mapping_spec(groups, args.export_name, countries.name),
                sort_keys=False,
                allow_unicode=True,
            ),
        ),
    ]
    for lang in languages:
        page = printable_html(groups, lang, titles[lang], book.version)
        written.append(write_text_atomic(target / f"questionnaire.{lang}.html", page))
    for path in written:
        print(path)
    return 0


def _bench(args: argparse.Namespace) -> int:
    from analysis.build.bench import main as bench

    return bench(repeat=args.repeat, survey_rows=args.survey_rows)


def _openalex_refresh(args: argparse.Namespace, target: Path) -> None:
    """The OpenAlex refresh into ``target``; a missing key or failure raises OpenAlexError."""
    import requests_cache

    from analysis.context.indicators import critical_subfields
    from analysis.fetch.openalex import OpenAlexClient, api_key_from_environment, refresh
    from analysis.scoring.model import load_scoring_model

    key = api_key_from_environment()
    target.mkdir(parents=True, exist_ok=True)
    session = requests_cache.CachedSession(
        str(target / ".http_cache"),
        backend="sqlite",
        expire_after=24 * 3600,
        ignored_parameters=["api_key"],  # the cache never stores the key
    )
    client = OpenAlexClient(session, key, budget_usd=args.budget_usd)
    config = find_project_root() / "config"
    refresh(
        client,
        target,
        args.first_year,
        args.last_year,
        args.ror,
        args.top_partners,
        critical_subfields=critical_subfields(config / "critical_technologies.yaml"),
        # every country the scoring will score gets its critical-area share measured
        min_copublications=int(load_scoring_model(config / "scoring.yaml")["min_copublications"]),
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
    report.add_argument(
        "--no-check", action="store_true", help="skip the check of the raw folder (check-data)"
    )
    report.set_defaults(handler=_report)

    check = commands.add_parser(
        "check-data", help="check a raw folder: every problem at once, each with its file and fix"
    )
    check.add_argument("raw_dir", type=Path, help="the raw folder, e.g. data/raw/2025")
    check.set_defaults(handler=_check_data)

    draft = commands.add_parser(
        "map", help="draft EXPORT's mapping file from its headers and answers (TODO where unsure)"
    )
    draft.add_argument("export", type=Path, help="a survey export (csv, xlsx, sav)")
    draft.add_argument("--output", type=Path, help="default: <export stem>.mapping.yaml beside it")
    draft.add_argument("--force", action="store_true", help="replace an existing mapping file")
    draft.set_defaults(handler=_map)
    release = commands.add_parser(
        "release",
        help="build every edition and institution report into reports/release/ and audit it",
    )
    release.add_argument("--config", type=Path, default=Path("config/params.yaml"))
    release.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="as for report"
    )
    release.add_argument("--force", action="store_true", help="rerun steps even if unchanged")
    release.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    release.set_defaults(handler=release_command)

    audit = commands.add_parser(
        "audit-release",
        help="attack a release folder: fail on any cell under the rules that it lets be recovered",
    )
    audit.add_argument("folder", type=Path, help="e.g. reports/release/")
    audit.add_argument("--config", type=Path, default=Path("config/params.yaml"))
    audit.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="as for report"
    )
    audit.set_defaults(handler=audit_release_command)

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
    brief.set_defaults(handler=brief_command)

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
        choices=["openalex", "cordis", "academic_freedom", "wgi", "ror", "all"],
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

    survey = commands.add_parser(
        "questionnaire",
        help="write the questionnaire from the codebook: a LimeSurvey survey structure file "
        "(.lss), the mapping file of its response export and a printable page per language",
    )
    survey.add_argument("--format", choices=["limesurvey"], default="limesurvey")
    survey.add_argument("--lang", default="fi,sv,en", help="languages, the first the base one")
    survey.add_argument("--output", type=Path, default=Path("reports/questionnaire"))
    survey.add_argument("--codebook", type=Path, default=Path("config/codebook.yaml"))
    survey.add_argument("--country-aliases", type=Path, default=Path("config/country_aliases.yaml"))
    survey.add_argument(
        "--export-name",
        default="limesurvey_responses.csv",
        help="the file name the response export will have (named in the mapping file)",
    )
    survey.set_defaults(handler=_questionnaire)

    review = commands.add_parser(
        "texts-review",
        help="every text key with sample values in en, fi and sv side by side, for editors",
    )
    review.add_argument("--output", type=Path, default=Path("reports/texts-review.html"))
    review.set_defaults(handler=_texts_review)

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
