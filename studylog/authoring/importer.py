r"""``studylog import``: convert Jekyll posts (files or a ``_posts/`` folder) into logs, one post at a time.

A post that cannot be converted is reported with its file and line and nothing is written for it;
the other posts are still converted. Existing logs are never overwritten unless ``force`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studylog.authoring.convert import ConvertedPost, Note, convert_post, read_post
from studylog.authoring.errors import AuthoringError, LogExistsError
from studylog.authoring.slug import log_path
from studylog.errors import StudylogError

__all__ = ["POST_SUFFIXES", "ImportResult", "find_posts", "import_posts"]

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

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """``PATH: N formulas found, N written (LOG)`` for a converted post."""
        return f"{self.source}: {self.found} formulas found, {self.written} written ({self.target})"


def find_posts(paths: list[Path]) -> tuple[list[Path], list[ImportResult]]:
    r"""The posts named by ``paths``: files as given, folders searched recursively (hidden files skipped).

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
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in POST_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
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


def _write(post: ConvertedPost, target: Path, *, force: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("w" if force else "x", encoding="utf-8", newline="\n") as fh:
            fh.write(post.markdown)
    except FileExistsError:
        raise LogExistsError(
            "a log already exists here (use --force to overwrite it)", path=str(target), line=1
        ) from None


def import_posts(
    paths: list[Path], docs_dir: Path, *, force: bool = False, categories: list[str] | None = None
) -> list[ImportResult]:
    r"""Convert every post named by ``paths`` into ``DOCS/blog/posts/YYYY-MM-DD-SLUG.md``.

    Args:
        paths: post files and folders of posts (e.g. a Jekyll site's ``_posts/``).
        docs_dir: the site's docs folder.
        force: overwrite existing logs.
        categories: blog categories for every log, replacing the posts' own (None keeps them).

    Returns:
        One result per post (and per path that holds none), in order; failed ones carry their error.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     post = Path(tmp) / "2021-08-10-sgd.md"
        ...     _ = post.write_text("---\ntitle: SGD\n---\n* $W_{t+1} \\leftarrow W_t - \\eta g_t$\n")
        ...     [result] = import_posts([post], Path(tmp) / "docs")
        ...     print(result.summary().replace(tmp, "TMP"))
        ...     print(result.target.read_text().splitlines()[-1])
        TMP/2021-08-10-sgd.md: 1 formulas found, 1 written (TMP/docs/blog/posts/2021-08-10-sgd.md)
        * $`W_{t+1} \leftarrow W_t - \eta g_t`$
    """
    posts, results = find_posts(paths)
    targets: dict[Path, str] = {}
    for path in posts:
        name = str(path)
        try:
            post = convert_post(read_post(path, display_path=name), path=name, stem=path.stem, categories=categories)
            target = log_path(docs_dir, post.meta.date, post.slug)
            if target in targets:
                raise AuthoringError(f"{targets[target]} is imported into the same log {target}", path=name, line=1)
            _write(post, target, force=force)
        except StudylogError as exc:
            results.append(ImportResult(name, error=exc))
            continue
        targets[target] = name
        results.append(ImportResult(name, target, len(post.found), len(post.written), notes=post.notes))
    return results
