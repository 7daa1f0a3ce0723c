r"""``studylog new``: create today's (or a given day's) log from the template, never overwriting one."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from studylog.authoring.errors import LogExistsError
from studylog.authoring.frontmatter import LogMeta
from studylog.authoring.slug import log_path, slugify
from studylog.authoring.template import default_title, new_log_text

__all__ = ["DEFAULT_SLUG", "clean_title", "create_log"]

#: the slug of a log created without a title (the date is already in the file name)
DEFAULT_SLUG = "study-log"


def clean_title(title: str) -> str:
    r"""``title`` without control characters and surrounding spaces (line breaks become spaces).

    Examples:
        >>> clean_title("  Day 7\n— Optimization\x07 ")
        'Day 7 — Optimization'
    """
    spaced = "".join(" " if ch in "\t\n\r\v\f\x85\u2028\u2029" else ch for ch in title)
    kept = "".join(ch for ch in spaced if unicodedata.category(ch) != "Cc")
    return " ".join(kept.split())


def create_log(
    docs_dir: Path,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    categories: list[str] | None = None,
    tags: list[str] | None = None,
    today: dt.date | None = None,
) -> Path:
    r"""Write a new log ``DOCS/blog/posts/YYYY-MM-DD-SLUG.md`` from the template.

    Args:
        docs_dir: the site's docs folder (the posts folder is created if needed).
        date: the log's date; ``today`` when None.
        title: the log's title; ``Study log YYYY-MM-DD`` when None or blank. Its slug (ASCII letters,
            digits and Hangul only) names the file, so it cannot point outside the posts folder.
        categories: the blog categories.
        tags: the tags.
        today: the current date (defaults to the system's; tests pass one).

    Returns:
        The path of the new log.

    Raises:
        LogExistsError: if a log with that path exists already (it is left untouched).

    Examples:
        >>> import datetime, tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = create_log(Path(tmp) / "docs", title="Day 7 — Optimization", today=datetime.date(2021, 8, 10))
        ...     print(path.relative_to(tmp).as_posix())
        docs/blog/posts/2021-08-10-day-7-optimization.md
    """
    day = date or today or dt.date.today()
    name = clean_title(title or "")
    slug = slugify(name) if name else DEFAULT_SLUG
    meta = LogMeta(day, name or default_title(day), list(categories or []), list(tags or []))
    path = log_path(docs_dir, day, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(new_log_text(meta))
    except FileExistsError:
        raise LogExistsError("a log already exists here; it was left untouched", path=str(path), line=1) from None
    return path
