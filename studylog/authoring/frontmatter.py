r"""Front matter of logs: split it off a Markdown file, convert Jekyll's keys, and write it back.

A log's front matter is what mkdocs-material's blog plugin reads::

    ---
    date: 2021-08-10
    title: "Day 7 — Optimization"
    description: "a subtitle"
    categories:
      - Boostcamp AI Tech
    tags:
      - optimization
    ---

``date`` is required (a YAML date, so the plugin sorts posts by it); strings are written JSON-quoted,
which is valid YAML, so any title (quotes, colons, Hangul, control characters) reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from studylog.authoring.errors import FrontMatterError

__all__ = [
    "FrontMatter",
    "LogMeta",
    "jekyll_to_log_meta",
    "render_front_matter",
    "split_front_matter",
]

_DELIMITER = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:-|$)")
#: Jekyll keys that mean nothing to the blog plugin and are dropped without a note
DROPPED_SILENTLY = frozenset({"layout", "use_math"})


@dataclass(frozen=True)
class FrontMatter:
    r"""A Markdown file split into its front matter and its body."""

    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file on which the body starts
    yaml_text: str = ""


@dataclass(frozen=True)
class LogMeta:
    r"""The front matter of a log, in the order it is written."""

    date: dt.date
    title: str
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    subtitle: str | None = None
    draft: bool | None = None


def split_front_matter(text: str, *, path: str) -> FrontMatter:
    r"""Split ``---``-delimited YAML front matter off ``text``.

    Args:
        text: the whole file (``\n`` line ends).
        path: the file's name, for messages.

    Returns:
        The parsed mapping (empty when the file has no front matter), the body and its first line.

    Raises:
        FrontMatterError: if the front matter is never closed, is not valid YAML, or is not a mapping.

    Examples:
        >>> fm = split_front_matter("---\ntitle: Hi\n---\n# Hi\n", path="p.md")
        >>> fm.data, fm.body, fm.body_line
        ({'title': 'Hi'}, '# Hi\n', 4)
    """
    lines = text.split("\n")
    if not lines or not _DELIMITER.match(lines[0]):
        return FrontMatter({}, text, 1)
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        raise FrontMatterError("the front matter opened here is never closed with '---'", path=path, line=1)
    yaml_text = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and ("end of stream" in problem or "<stream end>" in problem):
            # an unclosed quote or bracket: point at where it opens, not at the end of the front matter
            mark, problem = context_mark, f"{context}, {problem}"
        line = 2 + mark.line if mark is not None else 1
        raise FrontMatterError(f"the front matter is not valid YAML: {problem}", path=path, line=line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"the front matter must be a mapping of keys to values, not a {type(data).__name__}", path=path, line=2
        )
    return FrontMatter({str(k): v for k, v in data.items()}, "\n".join(lines[end + 1 :]), end + 2, yaml_text)


def _key_line(fm: FrontMatter, key: str) -> int:
    r"""The file line on which ``key:`` is set in the front matter (2 when it cannot be found)."""
    for i, line in enumerate(fm.yaml_text.split("\n")):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return 2 + i
    return 2


def _as_date(value: Any, *, path: str, line: int) -> dt.date:
    r"""A YAML date, datetime or ``YYYY-MM-DD[ time]`` string as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]|$)", value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
    raise FrontMatterError(f"date: {value!r} is not a date (expected YYYY-MM-DD)", path=path, line=line)


def _as_list(value: Any, *, key: str, path: str, line: int) -> list[str]:
    r"""Jekyll's list-or-string: a YAML list, or a string of space-separated words (Jekyll splits it)."""
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split()
    elif isinstance(value, Sequence):
        items = []
        for item in value:
            if isinstance(item, (Mapping, list)) or item is None:
                raise FrontMatterError(f"{key}: every item must be a word, got {item!r}", path=path, line=line)
            items.append(str(item).strip())
    elif isinstance(value, (int, float, dt.date)):
        items = [str(value)]
    else:
        raise FrontMatterError(f"{key}: expected a list or a string, got {type(value).__name__}", path=path, line=line)
    unique: list[str] = []
    for item in items:
        if item and item not in unique:
            unique.append(item)
    return unique


def _file_date(stem: str) -> dt.date | None:
    r"""The date of Jekyll's ``YYYY-MM-DD-title`` file name, if it has one."""
    m = _FILE_DATE.match(stem)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def jekyll_to_log_meta(fm: FrontMatter, *, stem: str, path: str, fallback_title: str) -> tuple[LogMeta, list[str]]:
    r"""Map a Jekyll post's front matter onto a log's.

    ``title`` is kept; ``subtitle`` becomes ``description`` (unless there is one: then both stay);
    ``categories``/``category`` and ``tags``/``tag`` become lists (a string is split on spaces, as
    Jekyll does); ``date`` comes from the front matter or else from the ``YYYY-MM-DD-`` file name
    prefix; ``published: false`` becomes ``draft: true``; ``layout`` and ``use_math`` are dropped.

    Args:
        fm: the post's split front matter.
        stem: the post's file name without its extension.
        path: the post's name, for messages.
        fallback_title: the title when the front matter has none (e.g. the post's first heading).

    Returns:
        The log's front matter and the other keys that were dropped (sorted).

    Raises:
        FrontMatterError: if there is no date, or a value has the wrong type.

    Examples:
        >>> fm = split_front_matter('---\ntitle: "Day 7"\ncategories: AI ML\n---\n', path="p.md")
        >>> meta, dropped = jekyll_to_log_meta(fm, stem="2021-08-10-day7", path="p.md", fallback_title="")
        >>> meta.date.isoformat(), meta.title, meta.categories, dropped
        ('2021-08-10', 'Day 7', ['AI', 'ML'], [])
    """
    data = dict(fm.data)
    if "date" in data and data["date"] is not None:
        date = _as_date(data.pop("date"), path=path, line=_key_line(fm, "date"))
    else:
        data.pop("date", None)
        file_date = _file_date(stem)
        if file_date is None:
            raise FrontMatterError(
                "no date: the front matter has no 'date' and the file name does not start with YYYY-MM-DD-",
                path=path,
                line=1,
            )
        date = file_date

    def text(key: str) -> str | None:
        value = data.pop(key, None)
        if value is None:
            return None
        if isinstance(value, (Mapping, list)):
            raise FrontMatterError(
                f"{key}: expected text, got {type(value).__name__}", path=path, line=_key_line(fm, key)
            )
        return str(value).strip() or None

    def words(*keys: str) -> list[str]:
        out: list[str] = []
        for key in keys:
            if key in data:
                for item in _as_list(data.pop(key), key=key, path=path, line=_key_line(fm, key)):
                    if item not in out:
                        out.append(item)
        return out

    title = text("title") or fallback_title
    subtitle = text("subtitle")
    description = text("description")
    if description is None:
        description, subtitle = subtitle, None
    categories = words("categories", "category")
    tags = words("tags", "tag")
    published = data.pop("published", None)
    draft = True if published is False else None
    dropped = sorted(k for k in data if k not in DROPPED_SILENTLY)
    return LogMeta(date, title, categories, tags, description, subtitle, draft), dropped


_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _quote(value: str) -> str:
    r"""A YAML double-quoted scalar: a JSON string (valid YAML) with YAML's non-printables and line breaks escaped."""
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _list(key: str, items: list[str]) -> list[str]:
    if not items:
        return [f"{key}: []"]
    return [f"{key}:"] + [f"  - {_quote(item)}" for item in items]


def render_front_matter(meta: LogMeta) -> str:
    r"""The ``---`` block of a log, ending with a newline.

    Args:
        meta: the log's front matter.

    Returns:
        YAML that `safe_load` reads back into the same values (``date`` as a date).

    Examples:
        >>> import datetime
        >>> print(render_front_matter(LogMeta(datetime.date(2021, 8, 10), 'Day 7: "SGD"', ["AI"])), end="")
        ---
        date: 2021-08-10
        title: "Day 7: \"SGD\""
        categories:
          - "AI"
        tags: []
        ---
    """
    lines = ["---", f"date: {meta.date.isoformat()}", f"title: {_quote(meta.title)}"]
    if meta.description is not None:
        lines.append(f"description: {_quote(meta.description)}")
    if meta.subtitle is not None:
        lines.append(f"subtitle: {_quote(meta.subtitle)}")
    lines += _list("categories", meta.categories)
    lines += _list("tags", meta.tags)
    if meta.draft is not None:
        lines.append(f"draft: {'true' if meta.draft else 'false'}")
    lines.append("---")
    return "\n".join(lines) + "\n"
