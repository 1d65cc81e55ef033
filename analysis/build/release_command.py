"""``python -m analysis release`` and ``audit-release``: the command-line side of the release."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.build.config import ConfigError, load_config
from analysis.files.paths import find_project_root


def release_command(args: argparse.Namespace) -> int:
    import time

    from analysis.build.release import ReleaseRefused, build_release
    from analysis.build.runner import StepFailed

    root = find_project_root()
    config_path = args.config if args.config.is_absolute() else root / args.config
    started = time.perf_counter()
    try:
        config = load_config(config_path, args.param)
        result = build_release(config, root, jobs=args.jobs, force=args.force)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except StepFailed as error:
        print(f"FAILED: {error}", file=sys.stderr)
        print("no release was written; reports/release/ is as it was", file=sys.stderr)
        return 1
    except ReleaseRefused as refused:
        for finding in refused.audit.findings:
            print(finding, file=sys.stderr)
        print(f"RELEASE REFUSED: {refused}", file=sys.stderr)
        print("reports/release/ is as it was", file=sys.stderr)
        return 1
    print(result.audit.summary())
    folder = (
        result.folder.relative_to(root) if result.folder.is_relative_to(root) else result.folder
    )
    print(
        f"release written: {folder}/ ({result.files} files, MANIFEST.json); "
        f"built in {result.build_seconds:.1f} s, audited in {result.audit_seconds:.1f} s, "
        f"{time.perf_counter() - started:.1f} s in all"
    )
    return 0


def audit_release_command(args: argparse.Namespace) -> int:
    from analysis.build.release import release_rules
    from analysis.disclosure.audit import audit_release

    root = find_project_root()
    config_path = args.config if args.config.is_absolute() else root / args.config
    folder = args.folder if args.folder.is_absolute() else Path.cwd() / args.folder
    if not folder.is_dir():
        print(f"audit-release: {folder} is not a folder", file=sys.stderr)
        return 2
    try:
        rules = release_rules(load_config(config_path, args.param), root)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    result = audit_release(folder, rules)
    for finding in result.findings:
        print(finding)
    print(result.summary())
    return 0 if result.passed else 1
