r"""The one front-matter reader: the ``---`` YAML block at the top of a log, with exact line numbers.

A log's front matter is what mkdocs-material's blog plugin reads::

    ---
    date: 2021-08-10
    title: "Day 7 — Optimization"
    ---

Anything that cannot be read (broken YAML, an impossible date such as ``2026-02-30``, a list where a
mapping belongs, a block never closed) is a `MarkupError` at the file and line it is on, so every
build stops with ``FILE:LINE`` instead of a traceback from whichever tool reads it first.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from markupsafe import Markup

from studylog.errors import MarkupError

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_HTML_SPECIAL = re.compile(r"[<>&\"']")
#: keys that name files, URLs or templates: escaping would change what they point at
_NOT_SHOWN = frozenset({"slug", "template", "hide", "search", "status", "icon", "links", "readtime"})


@dataclass(frozen=True)
class FrontMatter:
    r"""A Markdown file split into its front matter and its body.

    ``lines`` is how many lines the block takes (0: none); the body starts on line ``lines + 1``.
    """

    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    lines: int = 0
    yaml_text: str = ""

    @property
    def body_line(self) -> int:
        """The 1-based line of the file on which the body starts."""
        return self.lines + 1

    def key_line(self, key: str) -> int:
        """The file line on which ``key:`` is set (the first line of the block when absent)."""
        for i, line in enumerate(self.yaml_text.split("\n")):
            if re.match(rf"^{re.escape(key)}\s*:", line):
                return 2 + i
        return 1


class _Loader(yaml.SafeLoader):  # the pure-Python loader: its messages say what it expected
    """YAML's safe loader, but a timestamp that is no date (``2026-02-30``) is an error at its line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_front_matter(text: str, *, path: str) -> FrontMatter:
    r"""Split ``---``-delimited YAML front matter off ``text``.

    Raises:
        MarkupError: when the block is never closed, is not valid YAML, holds an impossible date,
            or is not a mapping — at the line of the problem.

    >>> fm = read_front_matter("---\ntitle: Hi\n---\n# Hi\n", path="p.md")
    >>> fm.data, fm.body, fm.body_line
    ({'title': 'Hi'}, '# Hi\n', 4)
    >>> read_front_matter("---\ndate: 2026-02-30\n---\n", path="p.md")
    Traceback (most recent call last):
    studylog.errors.MarkupError: p.md:2: the front matter is not valid YAML: '2026-02-30' is not a date (day is out of range for month)
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return FrontMatter({}, text, 0, "")
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        raise MarkupError("the front matter opened here is never closed with '---'", path=path, line=1)
    yaml_text = "\n".join(lines[1:end])
    try:
        data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and ("end of stream" in problem or "<stream end>" in problem):
            # an unclosed quote or bracket: point at where it opens, not at the end of the front matter
            mark, problem = context_mark, f"{context}, {problem}"
        line = 2 + mark.line if mark is not None else 1
        raise MarkupError(f"the front matter is not valid YAML: {problem}", path=path, line=line) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar YAML cannot construct
        raise MarkupError(f"the front matter cannot be read: {exc}", path=path, line=1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MarkupError(f"the front matter must be a mapping of keys to values, not a {type(data).__name__}",
                          path=path, line=2)  # fmt: skip
    return FrontMatter({str(k): v for k, v in data.items()}, "\n".join(lines[end + 1 :]), end + 1, yaml_text)


def log_date(fm: FrontMatter, *, path: str) -> dt.date | None:
    """The ``date`` of a log (None when it has none), read as the blog plugin does (``{created: …}`` too).

    Raises:
        MarkupError: when ``date`` is there but is not a date.
    """
    if "date" not in fm.data:
        return None
    value = fm.data["date"]
    if isinstance(value, Mapping):
        value = value.get("created")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise MarkupError(f"date must be a date (YYYY-MM-DD), not {fm.data['date']!r}", path=path, line=fm.key_line("date"))


def escape_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Escape the HTML in front-matter strings in place, before any template sees them.

    Themes print titles and descriptions unescaped (``{{ page.meta.description }}``). Strings holding
    ``<>&"'`` become `markupsafe.Markup` of their escaped text, which prints as the text the author
    wrote and which a template's own ``| e`` does not escape twice. Keys naming files or URLs
    (``slug``, ``template`` …) are left alone. Returns ``meta``.

    >>> escape_meta({"title": "<b>Q&A</b>", "slug": "a<b"})
    {'title': Markup('&lt;b&gt;Q&amp;A&lt;/b&gt;'), 'slug': 'a<b'}
    """

    def walk(value: Any) -> Any:
        if isinstance(value, Markup):
            return value
        if isinstance(value, str):
            return Markup(html.escape(value)) if _HTML_SPECIAL.search(value) else value
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    for key in list(meta):
        if key not in _NOT_SHOWN:
            meta[key] = walk(meta[key])
    return meta
