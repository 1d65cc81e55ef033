"""``python -m analysis brief``: one partner's brief, or every partner of a register with an index."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analysis.build.config import ConfigError, load_config
from analysis.files.paths import find_project_root


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


def brief_command(args: argparse.Namespace) -> int:
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
