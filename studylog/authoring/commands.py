r"""The ``studylog new``, ``studylog import`` and ``studylog init`` subcommands (argparse), for `cli` to mount.

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

from studylog.authoring.importer import run_import
from studylog.authoring.new import create_log
from studylog.authoring.project import create_project
from studylog.errors import StudylogError

__all__ = ["add_subcommands", "cmd_import", "cmd_init", "cmd_new", "iso_date"]

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
    r"""``studylog import``: move Jekyll posts into logs, printing ``PATH: N formulas found, N written (LOG)``.

    Args:
        args: ``paths`` (posts and folders of posts), ``docs_dir``, ``force``, and optionally
            ``categories``, ``single_dollar``, ``site_root``, ``mkdocs_config``.

    Returns:
        0, or 1 if any post could not be converted or written (``FILE:LINE: message`` on stderr for
        each; warnings are printed there too, as ``FILE:LINE: warning: message``). The last line of
        stdout sums it all up: posts, formulas found/written/marked imported, files copied, the
        categories added to ``mkdocs.yml``, and the warnings by kind.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     post = Path(tmp) / "2021-08-10-x.md"
        ...     _ = post.write_text("---\ntitle: x\n---\n$\\eta$\n")
        ...     args = argparse.Namespace(paths=[post], docs_dir=Path(tmp) / "docs", force=False)
        ...     cmd_import(args)  # doctest: +ELLIPSIS
        /.../2021-08-10-x.md: 1 formulas found, 1 written (/.../docs/blog/posts/2021-08-10-x.md)
        studylog import: 1 posts imported, 0 failed; 1 formulas found, 1 written, 0 marked imported ...
        0
    """
    config = getattr(args, "mkdocs_config", None)
    if config is None and (args.docs_dir.parent / "mkdocs.yml").is_file():
        config = args.docs_dir.parent / "mkdocs.yml"
    report = run_import(
        args.paths,
        args.docs_dir,
        force=args.force,
        categories=getattr(args, "categories", None),
        single_dollar=getattr(args, "single_dollar", True),
        site_root=getattr(args, "site_root", None),
        mkdocs_config=config,
        old_url=getattr(args, "old_url", None),
    )
    failed = False
    for result in report.results:
        for note in result.notes:
            print(note, file=sys.stderr)
        if result.error is not None:
            failed = True
            print(result.error, file=sys.stderr)
        else:
            print(result.summary())
    for note in report.notes:
        print(note, file=sys.stderr)
    print(report.summary())
    return 1 if failed else 0


def cmd_init(args: argparse.Namespace) -> int:
    r"""``studylog init``: create a new site of your own and print what to do next.

    Returns:
        0, or 1 when the folder is not empty or the package name is unusable (``PATH: message``).
    """
    try:
        files = create_project(
            args.target,
            name=args.name,
            url=args.url,
            repo=args.repo,
            package=args.package,
            showcase=args.showcase,
            categories=args.categories,
        )
    except StudylogError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.target}: {len(files)} files written. Next:")
    print(f"  cd {args.target} && python3 -m venv .venv && .venv/bin/pip install -e . && npm install")
    print("  .venv/bin/mkdocs build --strict")
    print("  .venv/bin/studylog import path/to/_posts   # to move a Jekyll blog in")
    return 0


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
        description="Move Jekyll (kramdown + MathJax) posts into logs: front matter for the blog plugin; "
        "$$...$$, \\\\(...\\\\), \\\\[...\\\\] and $...$ into markdown-katex syntax, every formula marked "
        "{imported} until you link it; Liquid resolved; links to other posts pointed at their logs; local images "
        "and files copied into the docs folder; the posts' categories added to mkdocs.yml. Prints 'PATH: N "
        "formulas found, N written' per post and a summary; a post that cannot be converted is reported as "
        "FILE:LINE and nothing is written for it.",
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
    imp.add_argument(
        "--no-single-dollar",
        dest="single_dollar",
        action="store_false",
        help="$...$ is not math (for a blog whose MathJax set-up leaves it out of inlineMath)",
    )
    imp.add_argument(
        "--site-root",
        type=Path,
        default=None,
        metavar="DIR",
        help="the Jekyll site's folder, with _config.yml and the images (default: found above the posts)",
    )
    imp.add_argument(
        "--mkdocs-config",
        type=Path,
        default=None,
        metavar="FILE",
        help="the mkdocs.yml whose categories_allowed gets the posts' categories (default: next to the docs folder)",
    )
    imp.add_argument(
        "--old-url",
        default=None,
        metavar="URL",
        help="the old site's address, e.g. https://me.github.io (default: _config.yml's url and baseurl)",
    )
    imp.set_defaults(func=cmd_import)

    init = subparsers.add_parser(
        "init",
        help="create a new site of your own",
        description="Create a new studylog project in TARGET (a new or empty folder): mkdocs.yml with your site's "
        "name, URL and repository, pyproject.toml depending on studylog, your own implementation package with "
        "one implemented formula, a first log that links it, and package.json for KaTeX. It builds with "
        "'mkdocs build --strict' as it is; then 'studylog import' moves a Jekyll blog in.",
    )
    init.add_argument("target", type=Path, metavar="TARGET", help="the new project's folder")
    init.add_argument("--name", required=True, help="the site's name (site_name)")
    init.add_argument("--url", required=True, help="the site's address (site_url), e.g. https://me.github.io/logs/")
    init.add_argument("--repo", required=True, help="the repository's address (repo_url), e.g. https://github.com/me/logs")
    init.add_argument("--package", default=None, help="the implementation package (default: from TARGET's name)")
    init.add_argument(
        "--showcase",
        action="store_true",
        help="also copy studylog's Day-7 log, checked against studylog's own implementations (default: drop it)",
    )
    init.add_argument(
        "--category",
        dest="categories",
        action="append",
        default=None,
        metavar="NAME",
        help="a blog category (repeatable; default: 'Study log'; import adds the posts' own)",
    )
    init.set_defaults(func=cmd_init)
