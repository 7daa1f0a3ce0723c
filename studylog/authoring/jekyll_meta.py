r"""What a Jekyll post's front matter means, as a log's front matter (on top of `split_front_matter`'s mapping).

Jekyll's own rules (``Jekyll::Document`` and ``Utils.pluralized_array_from_hash``) are kept:

* ``categories`` as a string is split on spaces; ``category`` (singular) is one category, never split,
  and is added to them;
* ``tag`` (singular) is one tag and, when present, replaces ``tags``; ``tags`` as a string is split on
  spaces; nested lists (``tags: - [AI, Naver]``) are flattened; numbers and dates become words;
* ``date`` may carry a time and an offset (``2021-08-10 01:30:00 +0900``): the day is the one in
  the site's ``timezone`` (``_config.yml``) when it is known, as Jekyll dates the post, else the day
  as written; without a date, the ``YYYY-MM-DD-`` file name prefix gives it;
* ``pin: true`` pins the post (mkdocs-material's ``pin``); ``published: false`` makes a draft;
  ``subtitle``, else ``excerpt``, becomes ``description`` when there is none.

A value that cannot be kept (a mapping among the tags, a title that is a list) is dropped with a
warning; only a post with no usable date at all is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from typing import Any

from studylog.authoring.errors import FrontMatterError
from studylog.authoring.frontmatter import FrontMatter, LogMeta
from studylog.authoring.notes import Note, NoteKind

__all__ = ["DROPPED_SILENTLY", "file_date", "jekyll_to_log_meta", "post_datetime"]

#: keys that only steer a Jekyll theme's page layout or its scripts: dropped without a note
DROPPED_SILENTLY = frozenset(
    {
        "layout", "use_math", "math", "mathjax", "mathjax_autoNumber", "mermaid", "comments", "toc", "toc_label",
        "toc_icon", "toc_sticky", "share", "related", "author_profile", "read_time", "show_date", "classes",
        "sidebar", "permalink", "slug", "sitemap", "search", "key", "aside", "article_header", "lang",
    }
)  # fmt: skip
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-|$)")
_DATE_TEXT = re.compile(
    r"^\s*(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$"
)


def file_date(stem: str) -> dt.date | None:
    r"""The date of Jekyll's ``YYYY-MM-DD-title`` file name, if it has one.

    Examples:
        >>> file_date("2021-08-10-day7"), file_date("day7")
        (datetime.date(2021, 8, 10), None)
    """
    m = _FILE_DATE.match(stem)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse(value: Any) -> dt.date | dt.datetime | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if not isinstance(value, str) or not (m := _DATE_TEXT.match(value)):
        return None
    try:
        if m.group("H") is None:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        tz = None
        if (text := m.group("tz")) is not None:
            text = text.replace(":", "")
            sign = -1 if text.startswith("-") else 1
            tz = dt.timezone(sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))) if text != "Z" else dt.UTC
        return dt.datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"] or 0), tzinfo=tz)
    except ValueError:
        return None


def post_datetime(value: Any, timezone: str | None) -> dt.date | dt.datetime | None:
    r"""A front matter ``date`` as Jekyll reads it: moved into the site's ``timezone`` when it has an offset.

    Args:
        value: the YAML value (a date, a datetime, or text such as ``2021-08-10 01:30:00 +0900``).
        timezone: the site's IANA time zone (``_config.yml``'s ``timezone``), or None.

    Returns:
        The date or datetime, or None when ``value`` is no date.

    Examples:
        >>> post_datetime("2021-08-10 01:30:00 +0900", "UTC")
        datetime.datetime(2021, 8, 9, 16, 30, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        >>> post_datetime("2021-08-10 01:30:00 +0900", None).date()
        datetime.date(2021, 8, 10)
    """
    parsed = _parse(value)
    if isinstance(parsed, dt.datetime) and parsed.tzinfo is not None and timezone:
        try:
            return parsed.astimezone(zoneinfo.ZoneInfo(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return parsed
    return parsed


def _key_line(fm: FrontMatter, key: str) -> int:
    r"""The file line on which ``key:`` is set in the front matter (2 when it cannot be found)."""
    for i, line in enumerate(fm.yaml_text.split("\n")):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return 2 + i
    return 2


class _Reader:
    """Takes the keys off a post's front matter one by one, noting what cannot be kept."""

    def __init__(self, fm: FrontMatter, path: str) -> None:
        self.fm = fm
        self.path = path
        self.data = dict(fm.data)
        self.notes: list[Note] = []

    def note(self, key: str, message: str) -> None:
        self.notes.append(Note(self.path, _key_line(self.fm, key), f"{key}: {message}", NoteKind.FRONT_MATTER))

    def text(self, key: str) -> str | None:
        value = self.data.pop(key, None)
        if value is None:
            return None
        if isinstance(value, (Mapping, list)):
            self.note(key, f"expected text, got {type(value).__name__}: dropped")
            return None
        return str(value).strip() or None

    def words(self, key: str, *, split: bool) -> list[str]:
        """The words of ``key``: a string (split on spaces when ``split``), a list (flattened), a number."""
        if key not in self.data:
            return []
        value = self.data.pop(key)
        if isinstance(value, str):
            items: list[Any] = value.split() if split else [value]
        elif isinstance(value, list):
            items = _flatten(value)
        else:
            items = [value]
        out: list[str] = []
        for item in items:
            if item is None:
                continue
            if isinstance(item, Mapping):
                self.note(key, f"{item!r} is not a word: dropped")
                continue
            word = ("true" if item else "false") if isinstance(item, bool) else str(item).strip()
            if word and word not in out:
                out.append(word)
        return out


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _unique(*lists: list[str]) -> list[str]:
    out: list[str] = []
    for items in lists:
        out += [item for item in items if item not in out]
    return out


def jekyll_to_log_meta(
    fm: FrontMatter, *, stem: str, path: str, fallback_title: str, timezone: str | None = None
) -> tuple[LogMeta, list[str], list[Note]]:
    r"""Map a Jekyll post's front matter onto a log's (see the module's rules).

    Args:
        fm: the post's split front matter.
        stem: the post's file name without its extension.
        path: the post's name, for messages.
        fallback_title: the title when the front matter has none (e.g. the post's first heading).
        timezone: the site's time zone (``_config.yml``), or None.

    Returns:
        The log's front matter, the other keys that were dropped (sorted), and the warnings.

    Raises:
        FrontMatterError: if neither the front matter nor the file name gives a date.

    Examples:
        >>> from studylog.authoring.frontmatter import split_front_matter
        >>> fm = split_front_matter('---\ncategory: Machine Learning\ntags: [[AI, Naver]]\npin: true\n---\n', path="p")
        >>> meta, dropped, notes = jekyll_to_log_meta(fm, stem="2021-08-10-day7", path="p", fallback_title="Day 7")
        >>> meta.date.isoformat(), meta.title, meta.categories, meta.tags, meta.pin
        ('2021-08-10', 'Day 7', ['Machine Learning'], ['AI', 'Naver'], True)
    """
    r = _Reader(fm, path)
    raw_date = r.data.pop("date", None)
    from_file = file_date(stem)
    when = post_datetime(raw_date, timezone) if raw_date is not None else None
    if when is None:
        if from_file is None:
            line = _key_line(fm, "date") if raw_date is not None else 1
            what = f"date: {raw_date!r} is not a date (expected YYYY-MM-DD)" if raw_date is not None else (
                "no date: the front matter has no 'date' and the file name does not start with YYYY-MM-DD-"
            )  # fmt: skip
            raise FrontMatterError(what, path=path, line=line)
        if raw_date is not None:
            r.notes.append(
                Note(path, _key_line(fm, "date"), f"date: {raw_date!r} is not a date: the file name's "
                     f"{from_file.isoformat()} is used", NoteKind.FRONT_MATTER)
            )  # fmt: skip
        date = from_file
    else:
        date = when.date() if isinstance(when, dt.datetime) else when

    title = r.text("title") or fallback_title
    subtitle = r.text("subtitle")
    description = r.text("description")
    excerpt = r.text("excerpt")
    if description is None:
        description, subtitle = subtitle or excerpt, None
    categories = _unique(r.words("categories", split=True), r.words("category", split=False))
    singular_tag = r.words("tag", split=False)
    tags = r.words("tags", split=True)
    tags = singular_tag or tags
    published = r.data.pop("published", None)
    pin = r.data.pop("pin", None)
    meta = LogMeta(
        date,
        title,
        categories,
        tags,
        description,
        subtitle,
        draft=True if published is False else None,
        pin=True if pin is True else None,
    )
    dropped = sorted(k for k in r.data if k not in DROPPED_SILENTLY)
    return meta, dropped, r.notes
