"""The ``studylog`` command: ``verify`` (and the authoring commands ``new`` and ``import``).

Exit codes: 0 all good, 1 a problem found (mismatch, unlinked, invalid, bad input), 2 usage error.
Errors are printed as ``FILE:LINE: ID: message``; a user mistake never prints a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from studylog.errors import StudylogError


def _add_verify(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help="check every formula of the logs against its implementation")
    p.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: the docs folder)")
    p.add_argument("--report", action="store_true", help="list every formula with its status")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--root", type=Path, default=None, help="project root holding pyproject.toml (default: .)")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """Run the engine over the logs and print problems (and, with --report, every formula)."""
    from studylog.engine.verify import load_config, verify_paths

    config = load_config(args.root)
    paths = args.paths or [config.docs_dir]
    report = verify_paths(paths, config, seed=args.seed)
    for problem in report.problems:
        print(str(problem), file=sys.stderr)
    for status in report.statuses:
        if not status.ok:
            print(status.problem_line(), file=sys.stderr)
    if args.report:
        for s in report.statuses:
            f = s.formula
            impl = ", ".join(b.path for b in s.bindings) or "-"
            detail = f"  ({s.message})" if s.status == "exempt" else ""
            print(f"{f.path}:{f.line}\t{f.id or '-'}\t{impl}\t{s.status}{detail}")
    counts = report.counts()
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    print(f"studylog verify: {summary or 'no formulas'}; {len(report.problems)} other problem(s)")
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studylog", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _add_verify(sub)
    try:
        from studylog.authoring.commands import add_subcommands
    except ImportError:  # pragma: no cover - the authoring package is always shipped
        pass
    else:
        add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studylog`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except StudylogError as exc:
        print(str(exc), file=sys.stderr)
        return 1
