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

import yaml

from studylog.authoring.errors import FrontMatterError

__all__ = ["FrontMatter", "LogMeta", "render_front_matter", "split_front_matter"]

_DELIMITER = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


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
    pin: bool | None = None
    slug: str | None = None  # the page's URL slug (the blog plugin makes one of the title otherwise)


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
