r"""Front matter of logs: split it off a Markdown file, and write it back (`jekyll_meta` converts Jekyll's keys).

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
from dataclasses import dataclass, field
from typing import Any

from studylog.authoring.errors import FrontMatterError
from studylog.errors import MarkupError
from studylog.markup import FrontMatter, read_front_matter

__all__ = ["FrontMatter", "LogMeta", "render_front_matter", "split_front_matter"]

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
    pin: bool | None = None
    slug: str | None = None  # the page's URL slug (the blog plugin makes one of the title otherwise)


def split_front_matter(text: str, *, path: str) -> FrontMatter:
    r"""Split ``---``-delimited YAML front matter off ``text``, with the page model's one reader.

    Args:
        text: the whole file (``\n`` line ends).
        path: the file's name, for messages.

    Returns:
        The parsed mapping (empty when the file has no front matter), the body and its first line.

    Raises:
        FrontMatterError: if the front matter is never closed, is not valid YAML (an impossible date
            included), or is not a mapping.

    Examples:
        >>> fm = split_front_matter("---\ntitle: Hi\n---\n# Hi\n", path="p.md")
        >>> fm.data, fm.body, fm.body_line
        ({'title': 'Hi'}, '# Hi\n', 4)
    """
    try:
        return read_front_matter(text, path=path)
    except MarkupError as exc:
        raise FrontMatterError(exc.message, path=exc.path, line=exc.line) from None


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
    if meta.slug is not None:
        lines.append(f"slug: {_quote(meta.slug)}")
    if meta.description is not None:
        lines.append(f"description: {_quote(meta.description)}")
    if meta.subtitle is not None:
        lines.append(f"subtitle: {_quote(meta.subtitle)}")
    lines += _list("categories", meta.categories)
    lines += _list("tags", meta.tags)
    if meta.draft is not None:
        lines.append(f"draft: {'true' if meta.draft else 'false'}")
    if meta.pin is not None:
        lines.append(f"pin: {'true' if meta.pin else 'false'}")
    lines.append("---")
    return "\n".join(lines) + "\n"
