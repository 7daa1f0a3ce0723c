"""The ``studylog`` command: ``verify``, ``cache``, and the authoring commands ``new`` and ``import``.

Exit codes follow pytest, ruff and mypy: 0 when all is well; 1 when the notes or the code have a
problem (a mismatch, unsupported or undeclared notation, bad markup, a binding that raises or returns
a non-number); 2 when the command cannot run (bad options, a missing path or configuration, an
internal error). Problems are printed as ``FILE:LINE: ID: message``; a user mistake never prints a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from studylog import __version__
from studylog.errors import ConfigError, StudylogError

OK, PROBLEMS, CANNOT_RUN = 0, 1, 2


class CannotRun(StudylogError):
    """The command cannot run as asked (exit status 2)."""


def _add_verify(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help="check every formula of the logs against its implementation",
                       description="Check every formula of the logs against its implementation.")  # fmt: skip
    p.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: the docs folder)")
    p.add_argument("--report", action="store_true", help="list every formula with its status")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (json: for CI)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random inputs (default 0)")
    p.add_argument("--root", type=Path, default=None, help="project root holding pyproject.toml (default: .)")
    p.add_argument("--fail-on-imported", action="store_true", help="imported formulas not yet checked are problems")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    p.add_argument("-v", "--verbose", action="store_true", help="also print every formula's verdict")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    """Run the one verification path over the logs; print problems, a summary, or JSON."""
    from studylog.engine.records import from_report, to_json
    from studylog.engine.status import Status
    from studylog.engine.verify import load_config, verify_site

    config = load_config(args.root)
    for path in args.paths:
        if not path.exists():
            raise CannotRun("no such file or folder", path=str(path))
    if not args.paths and not config.docs_dir.is_dir():
        raise CannotRun("no docs folder: pass the logs' paths or run from the project root", path=str(config.docs_dir))
    report = verify_site(config, paths=args.paths or None, seed=args.seed)
    records = from_report(report)
    imported = [v for v in records.verdicts if v.status is Status.IMPORTED]
    failed = bool(records.problems) or any(v.status.failed for v in records.verdicts)
    failed = failed or (args.fail_on_imported and bool(imported))
    if args.format == "json":
        data = to_json(records)
        data["counts"] = {k.value: n for k, n in records.counts().items()}
        data["ok"] = not failed
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return PROBLEMS if failed else OK
    for problem in records.problems:
        print(str(problem), file=sys.stderr)
    for v in records.verdicts:
        if v.status.failed:
            print(v.problem_line(), file=sys.stderr)
        elif v.status is Status.IMPORTED and args.fail_on_imported:
            print(f"{v.path}:{v.line}: imported formula not yet checked", file=sys.stderr)
    if (args.report or args.verbose) and not args.quiet:
        for v in records.verdicts:
            impl = ", ".join(dict.fromkeys(i.path for i in v.impls)) or "-"
            detail = f"  ({v.message})" if v.status is Status.EXEMPT else ""
            print(f"{v.path}:{v.line}\t{v.id or '-'}\t{impl}\t{v.status.value}{detail}")
    if not args.quiet:
        counts = records.counts()
        summary = ", ".join(f"{n} {k.value}" for k, n in counts.items() if n)
        print(f"studylog verify: {summary or 'no formulas'}; {len(records.problems)} other problem(s)")
    return PROBLEMS if failed else OK


def _add_cache(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("cache", help="show or clear the rendered-formula and example caches",
                       description="Show or clear the caches under .studylog-cache/.")  # fmt: skip
    p.add_argument("action", choices=("info", "clear"), help="info: sizes; clear: delete every entry")
    p.add_argument("--root", type=Path, default=None, help="project root (default: .)")
    p.set_defaults(func=cmd_cache)


def cmd_cache(args: argparse.Namespace) -> int:
    """``studylog cache info|clear``: both caches live under the project's ``.studylog-cache/``."""
    from studylog.site.store import JsonStore

    root = (args.root or Path.cwd()).resolve()
    stores = {name: JsonStore(root / ".studylog-cache" / name) for name in ("katex", "examples")}
    for name, store in stores.items():
        if args.action == "clear":
            store.clear()
            print(f"cleared {store.folder}")
        else:
            info = store.info()
            print(f"{name}: {info.entries} entries, {info.bytes / 1e6:.1f} MB in {info.folder}")
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studylog", description="Daily study logs whose formulas are checked "
                                     "against their implementations.",
                                     epilog="Exit status: 0 all good, 1 problems in the notes or code, "
                                     "2 the command could not run.")  # fmt: skip
    parser.add_argument("--version", action="version", version=f"studylog {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_verify(sub)
    _add_cache(sub)
    from studylog.authoring.commands import add_subcommands

    add_subcommands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``studylog`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except (CannotRun, ConfigError) as exc:
        print(str(exc), file=sys.stderr)
        return CANNOT_RUN
    except StudylogError as exc:
        print(str(exc), file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        return CANNOT_RUN
    except Exception as exc:  # noqa: BLE001 - an internal error: say so, exit 2, keep the details short
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"studylog: internal error: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})",
              file=sys.stderr)  # fmt: skip
        return CANNOT_RUN
