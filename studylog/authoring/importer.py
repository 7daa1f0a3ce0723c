r"""``studylog import``: move a Jekyll blog's posts (files or a ``_posts/`` folder) into logs, in one command.

Two passes. The first reads every post's front matter to know its date, its log and its URL on the
old site (`jekyll_site`), so that links between posts can point at the new logs whatever their
order. The second converts each post (`convert_post`, formulas marked ``{imported}``, Liquid
resolved, links and files rewritten by `links.PostRewriter`, an excerpt separator inserted) and
writes its log. Then the local files the posts name are copied into the docs folder, and the posts'
categories are added to ``mkdocs.yml``'s ``categories_allowed``.

A post that cannot be converted is reported with its file and line and nothing is written for it;
the other posts are still converted. Existing logs and files are never overwritten unless ``force``.
"""

from __future__ import annotations

import dataclasses
import filecmp
import re
import shutil
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from studylog.authoring.anchors import fix_anchors
from studylog.authoring.convert import ConvertedPost, ConvertOptions, convert_post, identify_post, read_post
from studylog.authoring.errors import AuthoringError, LogExistsError
from studylog.authoring.jekyll_meta import file_date, post_datetime
from studylog.authoring.jekyll_site import JekyllSite, find_site, post_url
from studylog.authoring.links import ImportIndex, PostRewriter
from studylog.authoring.mkdocs_config import add_allowed_categories
from studylog.authoring.notes import Note, NoteKind
from studylog.authoring.slug import log_path
from studylog.errors import StudylogError

__all__ = ["POST_SUFFIXES", "ImportReport", "ImportResult", "find_posts", "import_posts", "run_import"]

#: file name endings of Jekyll posts
POST_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class ImportResult:
    """What happened to one post: the log written, or the error that stopped it."""

    source: str
    target: Path | None = None
    found: int = 0
    written: int = 0
    error: StudylogError | None = None
    notes: list[Note] = field(default_factory=list)
    marked: int = 0
    categories: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """``PATH: N formulas found, N written (LOG)`` for a converted post."""
        return f"{self.source}: {self.found} formulas found, {self.written} written ({self.target})"


@dataclass
class ImportReport:
    """Everything one import did: per post, the files copied, the categories added, and the other warnings."""

    results: list[ImportResult]
    copied: list[Path] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # about files and mkdocs.yml, not one post

    def warnings_by_kind(self) -> Counter[NoteKind]:
        """How many warnings of each kind, over every post and the files."""
        return Counter(n.kind for r in self.results for n in r.notes) + Counter(n.kind for n in self.notes)

    def summary(self) -> str:
        """One line: posts, formulas found/written/marked, files, categories, warnings by kind."""
        ok = [r for r in self.results if r.ok]
        failed = len(self.results) - len(ok)
        found, written, marked = (sum(getattr(r, a) for r in ok) for a in ("found", "written", "marked"))
        kinds = self.warnings_by_kind()
        warned = ", ".join(f"{kind.value} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        added = ", ".join(self.categories_added) or "none"
        return (
            f"studylog import: {len(ok)} posts imported, {failed} failed; {found} formulas found, {written} written, "
            f"{marked} marked imported (shown 'not yet checked' until linked); {len(self.copied)} files copied; "
            f"categories added to mkdocs.yml: {added}; {sum(kinds.values())} warnings" + (f" ({warned})" if warned else "")
        )


def find_posts(paths: list[Path], skipped: list[Path] | None = None) -> tuple[list[Path], list[ImportResult]]:
    r"""The posts named by ``paths``: files as given, folders searched recursively (hidden files skipped).

    In a folder that has dated posts, a file without Jekyll's ``YYYY-MM-DD-`` name (a template, a
    draft) is no post, as Jekyll has it: it is appended to ``skipped`` instead.

    Returns:
        The post files in order (folders sorted), and a failed result for each path that does not
        exist or is a folder without posts.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     for name in ("_posts/2021-08-11-b.md", "_posts/2021-08-10-a.markdown", "_posts/.x.md", "_posts/c.txt"):
        ...         (Path(tmp) / name).parent.mkdir(exist_ok=True)
        ...         _ = (Path(tmp) / name).write_text("x")
        ...     posts, failed = find_posts([Path(tmp) / "_posts", Path(tmp) / "missing.md"])
        ...     [p.name for p in posts], [str(r.error).replace(tmp, "TMP") for r in failed]
        (['2021-08-10-a.markdown', '2021-08-11-b.md'], ['TMP/missing.md: no such file or folder'])
    """
    posts: list[Path] = []
    failed: list[ImportResult] = []
    skipped = skipped if skipped is not None else []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in POST_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            undated = [p for p in found if file_date(p.stem) is None]
            if undated and len(undated) < len(found):  # Jekyll reads only YYYY-MM-DD-title files in _posts
                found = [p for p in found if p not in undated]
                skipped.extend(undated)
            if not found:
                failed.append(
                    ImportResult(
                        str(path), error=AuthoringError("no posts (*.md, *.markdown) in this folder", path=str(path))
                    )
                )
            posts.extend(found)
        elif path.is_file():
            posts.append(path)
        else:
            failed.append(ImportResult(str(path), error=AuthoringError("no such file or folder", path=str(path))))
    return posts, failed


@dataclass(frozen=True)
class _Planned:
    source: Path
    name: str
    text: str
    target: Path


def _plan(path: Path, docs_dir: Path, site: JekyllSite | None) -> tuple[_Planned, str | None]:
    """Read a post and work out its log and its URL on the old site (errors as `StudylogError`)."""
    name = str(path)
    text = read_post(path, display_path=name)
    fm, meta, slug, _, _ = identify_post(text, path=name, stem=path.stem, timezone=site.timezone if site else None)
    target = log_path(docs_dir, meta.date, slug)
    old_url = None
    if site is not None:
        when = post_datetime(fm.data.get("date"), site.timezone) if fm.data.get("date") is not None else None
        jekyll_slug = path.stem[11:] if file_date(path.stem) else path.stem
        old_url = post_url(site, fm.data, slug=jekyll_slug or slug, date=when or meta.date)
    return _Planned(path, name, text, target), old_url


def _site_path(config: Path | None) -> str:
    """The path of ``site_url`` in ``config`` (``/`` when there is none)."""
    if config is None or not config.is_file():
        return "/"
    m = re.search(r"^site_url:\s*['\"]?(?P<url>[^'\"\s#]+)", config.read_text(encoding="utf-8"), re.MULTILINE)
    path = urllib.parse.urlsplit(m.group("url")).path if m else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _write(post: ConvertedPost, target: Path, *, force: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("w" if force else "x", encoding="utf-8", newline="\n") as fh:
            fh.write(post.markdown)
    except FileExistsError:
        raise LogExistsError(
            "a log already exists here (use --force to overwrite it)", path=str(target), line=1
        ) from None


def _copy_files(index: ImportIndex, *, force: bool) -> tuple[list[Path], list[Note]]:
    """Copy the local files the posts name into the docs folder (never over a different file unless ``force``)."""
    copied: list[Path] = []
    notes: list[Note] = []
    for target, source in sorted(index.copies.items()):
        if target.exists() and not force:
            if not target.is_file() or not filecmp.cmp(source, target, shallow=False):
                notes.append(
                    Note(str(target), None, f"a different file is already here: {source} was not copied "
                         "(use --force to overwrite it)", NoteKind.FILE_CONFLICT)
                )  # fmt: skip
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied, notes


def run_import(
    paths: list[Path],
    docs_dir: Path,
    *,
    force: bool = False,
    categories: list[str] | None = None,
    single_dollar: bool = True,
    site_root: Path | None = None,
    mkdocs_config: Path | None = None,
    old_url: str | None = None,
) -> ImportReport:
    r"""Import every post named by ``paths`` into ``DOCS/blog/posts/YYYY-MM-DD-SLUG.md`` (see the module).

    Args:
        paths: post files and folders of posts (e.g. a Jekyll site's ``_posts/``).
        docs_dir: the site's docs folder.
        force: overwrite existing logs and files.
        categories: blog categories for every log, replacing the posts' own (None keeps them).
        single_dollar: ``$…$`` is math (the MathJax set-up of nearly every theme).
        site_root: the Jekyll site's folder (default: the nearest folder above the posts with ``_config.yml``).
        mkdocs_config: the site's ``mkdocs.yml``, whose ``categories_allowed`` gets the posts' categories
            (None: left alone).
        old_url: the old site's address (``https://me.github.io/blog``), when ``_config.yml`` has no ``url``.

    Returns:
        The report: one result per post (and per path that holds none), in order.
    """
    undated: list[Path] = []
    posts, results = find_posts(paths, undated)
    site = find_site(site_root) if site_root is not None else next((s for p in paths if (s := find_site(p))), None)
    if old_url:
        parts = urllib.parse.urlsplit(old_url.strip())
        root = site.root if site is not None else (site_root or (paths[0] if paths else Path(".")))
        site = dataclasses.replace(
            site or JekyllSite(root=root),
            url=f"{parts.scheme}://{parts.netloc}",
            baseurl=parts.path.rstrip("/"),
        )
    index = ImportIndex(site, docs_dir, _site_path(mkdocs_config))
    planned: list[_Planned] = []
    targets: dict[Path, str] = {}
    for path in posts:
        try:
            plan, old_url = _plan(path, docs_dir, site)
            if plan.target in targets:
                raise AuthoringError(
                    f"{targets[plan.target]} is imported into the same log {plan.target}", path=plan.name, line=1
                )
        except StudylogError as exc:
            results.append(ImportResult(str(path), error=exc))
            continue
        targets[plan.target] = plan.name
        index.add_post(path, plan.target, old_url)
        planned.append(plan)
    converted: list[tuple[_Planned, ConvertedPost]] = []
    for plan in planned:

        def rewriter(raw_lines: frozenset[int], notes: list[Note], plan: _Planned = plan) -> PostRewriter:
            return PostRewriter(index, source=plan.source, log=plan.target, path=plan.name, notes=notes,
                                raw_lines=raw_lines)  # fmt: skip

        options = ConvertOptions(
            single_dollar=single_dollar,
            mark_imported=True,
            excerpt=True,
            slug=True,
            excerpt_separator=site.excerpt_separator if site is not None else None,
            timezone=site.timezone if site is not None else None,
            rewriter=rewriter,
        )
        try:
            post = convert_post(plan.text, path=plan.name, stem=plan.source.stem, categories=categories, options=options)
        except StudylogError as exc:
            results.append(ImportResult(plan.name, error=exc))
            continue
        converted.append((plan, post))
    fixed, anchor_notes = fix_anchors(
        {plan.target: post.markdown for plan, post in converted},
        sources={plan.target: (plan.name, plan.text) for plan, _ in converted},
    )
    for plan, post in converted:
        post = dataclasses.replace(post, markdown=fixed[plan.target], notes=post.notes + anchor_notes[plan.target])
        try:
            _write(post, plan.target, force=force)
        except StudylogError as exc:
            results.append(ImportResult(plan.name, error=exc))
            continue
        results.append(
            ImportResult(plan.name, plan.target, len(post.found), len(post.written), notes=post.notes,
                         marked=post.marked, categories=tuple(post.meta.categories))
        )  # fmt: skip
    report = ImportReport(results)
    report.copied, report.notes = _copy_files(index, force=force)
    report.notes[:0] = [
        Note(str(p), None, "no YYYY-MM-DD- in the file name: not a post to Jekyll (a template or a draft), skipped",
             NoteKind.NOT_A_POST)
        for p in undated
    ]  # fmt: skip
    used = [c for r in results if r.ok for c in r.categories]
    if mkdocs_config is not None and used:
        try:
            report.categories_added = add_allowed_categories(mkdocs_config, used)
        except StudylogError as exc:
            report.notes.append(Note(exc.path or str(mkdocs_config), exc.line, exc.message, NoteKind.FRONT_MATTER))
    return report


def import_posts(
    paths: list[Path], docs_dir: Path, *, force: bool = False, categories: list[str] | None = None
) -> list[ImportResult]:
    r"""Convert every post named by ``paths`` into ``DOCS/blog/posts/YYYY-MM-DD-SLUG.md`` (`run_import`'s results).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     post = Path(tmp) / "2021-08-10-sgd.md"
        ...     _ = post.write_text("---\ntitle: SGD\n---\n* $W_{t+1} \\leftarrow W_t - \\eta g_t$\n")
        ...     [result] = import_posts([post], Path(tmp) / "docs")
        ...     print(result.summary().replace(tmp, "TMP"))
        ...     print(result.target.read_text().splitlines()[-3])
        TMP/2021-08-10-sgd.md: 1 formulas found, 1 written (TMP/docs/blog/posts/2021-08-10-sgd.md)
        * $`W_{t+1} \leftarrow W_t - \eta g_t`${imported}
    """
    return run_import(paths, docs_dir, force=force, categories=categories).results
