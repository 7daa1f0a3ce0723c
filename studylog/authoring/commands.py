r"""The ``studylog new`` and ``studylog import`` subcommands (argparse), for `cli` to mount.

Each command function takes the parsed arguments and returns the exit code: 0 on success, 1 when a
log exists already or a post could not be converted (``FILE:LINE: message`` on stderr), and argparse's
2 for usage errors (e.g. ``--date 10/08/2021``)::

    subparsers = parser.add_subparsers(dest="command", required=True)
    add_subcommands(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

from studylog.authoring.importer import import_posts
from studylog.authoring.new import create_log
from studylog.errors import StudylogError

__all__ = ["add_subcommands", "cmd_import", "cmd_new", "iso_date"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: str) -> dt.date:
    r"""Parse ``YYYY-MM-DD`` (an argparse ``type``).

    Raises:
        argparse.ArgumentTypeError: for anything else (argparse then exits with status 2).

    Examples:
        >>> iso_date("2021-08-10")
        datetime.date(2021, 8, 10)
    """
    if _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"{value!r} is not a date (expected YYYY-MM-DD)")


def cmd_new(args: argparse.Namespace) -> int:
    r"""``studylog new``: create a log from the template and print its path.

    Args:
        args: ``date`` (a date or None for today), ``title``, ``docs_dir``, ``categories``, ``tags``.

    Returns:
        0, or 1 when the log exists already (``FILE:1: message`` on stderr; the log is left untouched).

    Examples:
        >>> import tempfile, datetime
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     args = argparse.Namespace(docs_dir=Path(tmp), date=datetime.date(2021, 8, 10), title="Day 7",
        ...                               categories=None, tags=None)
        ...     codes = [cmd_new(args), cmd_new(args)]  # doctest: +ELLIPSIS
        /.../blog/posts/2021-08-10-day-7.md
        >>> codes
        [0, 1]
    """
    try:
        path = create_log(args.docs_dir, date=args.date, title=args.title, categories=args.categories, tags=args.tags)
    except StudylogError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(path)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    r"""``studylog import``: convert Jekyll posts into logs, printing ``PATH: N formulas found, N written (LOG)``.

    Args:
        args: ``paths`` (posts and folders of posts), ``docs_dir``, ``force``.

    Returns:
        0, or 1 if any post could not be converted or written (``FILE:LINE: message`` on stderr for
        each; warnings are printed there too, as ``FILE:LINE: warning: message``).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     post = Path(tmp) / "2021-08-10-x.md"
        ...     _ = post.write_text("---\ntitle: x\n---\n$\\eta$\n")
        ...     args = argparse.Namespace(paths=[post], docs_dir=Path(tmp) / "docs", force=False)
        ...     cmd_import(args)  # doctest: +ELLIPSIS
        /.../2021-08-10-x.md: 1 formulas found, 1 written (/.../docs/blog/posts/2021-08-10-x.md)
        0
    """
    failed = False
    categories = getattr(args, "categories", None)
    for result in import_posts(args.paths, args.docs_dir, force=args.force, categories=categories):
        for note in result.notes:
            print(note, file=sys.stderr)
        if result.error is not None:
            failed = True
            print(result.error, file=sys.stderr)
        else:
            print(result.summary())
            if result.target is not None:
                _print_unimplemented(result.target)
    return 1 if failed else 0


def _print_unimplemented(log: Path) -> None:
    """List the log's equations that no implementation verifies yet (the engine's verdicts)."""
    from studylog.engine.check import EXEMPT, VERIFIED
    from studylog.engine.verify import build_index, check_all, discover, load_config

    try:
        config = load_config(Path.cwd())
        index = build_index([log], config.root)
        report = check_all(index, discover(config.implementations, config.root))
    except StudylogError as exc:  # the import itself succeeded; say why the list is missing
        print(f"{log}: cannot list the equations that need an implementation: {exc}", file=sys.stderr)
        return
    todo = [s for s in report.statuses if s.status not in (VERIFIED, EXEMPT, "prose")]
    if todo:
        print(f"{log}: {len(todo)} equation(s) need an implementation (add {{#id}} and @implements, or exempt them):")
        for s in todo:
            print(f"  {s.formula.path}:{s.formula.line}: {s.formula.latex.strip()}")


def add_subcommands(subparsers: Any) -> None:
    r"""Add ``new`` and ``import`` to ``subparsers`` (from `add_subparsers`).

    Each sets ``func`` to its command function: call ``args.func(args)`` for the exit code.

    Examples:
        >>> parser = argparse.ArgumentParser(prog="studylog")
        >>> add_subcommands(parser.add_subparsers(dest="command"))
        >>> args = parser.parse_args(["new", "--date", "2021-08-10", "--title", "Day 7"])
        >>> args.func.__name__, args.date, args.title, args.docs_dir.as_posix()
        ('cmd_new', datetime.date(2021, 8, 10), 'Day 7', 'docs')
    """
    new = subparsers.add_parser(
        "new",
        help="create a new log from the template",
        description="Create docs/blog/posts/YYYY-MM-DD-SLUG.md from the template and print its path. "
        "Never overwrites a log.",
    )
    new.add_argument(
        "--date", type=iso_date, default=None, metavar="YYYY-MM-DD", help="the log's date (default: today)"
    )
    new.add_argument("--title", default=None, help="the log's title (default: 'Study log YYYY-MM-DD')")
    new.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the site's docs folder (default: docs)")
    new.add_argument(
        "--category",
        dest="categories",
        action="append",
        default=None,
        metavar="NAME",
        help="a blog category (repeatable)",
    )
    new.add_argument("--tag", dest="tags", action="append", default=None, metavar="NAME", help="a tag (repeatable)")
    new.set_defaults(func=cmd_new)

    imp = subparsers.add_parser(
        "import",
        help="convert Jekyll posts into logs",
        description="Convert Jekyll (kramdown + MathJax) posts into logs: front matter for the blog plugin, "
        "$...$ and $$...$$ into markdown-katex syntax. Prints 'PATH: N formulas found, N written' per post; "
        "a post that cannot be converted is reported as FILE:LINE and nothing is written for it.",
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a post, or a folder of posts (e.g. _posts/)")
    imp.add_argument("--docs-dir", type=Path, default=Path("docs"), help="the site's docs folder (default: docs)")
    imp.add_argument("--force", action="store_true", help="overwrite existing logs")
    imp.add_argument(
        "--category",
        dest="categories",
        action="append",
        default=None,
        metavar="NAME",
        help="a blog category for every log, replacing the posts' own (repeatable; the blog "
        "plugin's categories_allowed must list it)",
    )
    imp.set_defaults(func=cmd_import)
