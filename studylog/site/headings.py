"""The headings of a log, with the anchors the page gives them (Python-Markdown's ``toc`` ids).

The formula sheet names a formula after the section it stands in, and the concept index links a
concept to the section that explains it; both read the headings from the page model's lines (fenced
blocks skipped) and compute each anchor as the ``toc`` extension does, with its public `slugify` and
`unique`, so a link made here is the id on the page (``mkdocs build --strict`` checks anchors).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify, strip_tags, unique

from studylog.markup import LogPage

__all__ = ["Heading", "headings", "plain", "section_of"]

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTR_LIST = re.compile(r"\s*\{[^{}]*\}\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MATH = re.compile(r"\$`([^`]*)`\$")


@dataclass(frozen=True)
class Heading:
    """One ATX heading of a log."""

    level: int
    text: str  # as a reader sees it (inline markup removed)
    line: int  # 1-based
    anchor: str


def plain(markdown: str) -> str:
    """Heading Markdown as text: links, code, emphasis, attribute lists and HTML tags removed (``toc`` strips
    the tags of the rendered heading with its `strip_tags` and unescapes entities before it makes the id).

    >>> plain("Assignment notes: `nn.Module.modules()` (*과제*)")
    'Assignment notes: nn.Module.modules() (과제)'
    >>> plain("**Vitali THM**<sup>정리</sup> &amp; more")
    'Vitali THM정리 & more'
    """
    text = _ATTR_LIST.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _MATH.sub(r"\1", text)
    text = text.replace("`", "")
    text = re.sub(r"(\*{1,3}|_{2,3})(\S.*?\S|\S)\1", r"\2", text)
    return html.unescape(strip_tags(text))


def headings(log: LogPage) -> list[Heading]:
    """Every ``#`` heading of the log outside fenced blocks, in order, with its page anchor."""
    inside: set[int] = set()
    for fence in log.fences:
        inside.update(range(fence.line, fence.end_line + 1))
    out: list[Heading] = []
    used: set[str] = set()
    for index, line in enumerate(log.lines[log.front_matter.lines :], start=log.front_matter.lines + 1):
        if index in inside or line.startswith((" ", "\t")):
            continue
        m = _ATX.match(line)
        if m is None:
            continue
        explicit = re.search(r"\{[^{}]*#([\w.-]+)[^{}]*\}\s*$", m.group(2))
        text = plain(m.group(2))
        anchor = explicit.group(1) if explicit else unique(slugify(text, "-"), used)
        used.add(anchor)
        out.append(Heading(len(m.group(1)), text, index, anchor))
    return out


def section_of(all_headings: list[Heading], line: int, *, deepest: int = 6) -> Heading | None:
    """The nearest heading above ``line`` of level ``deepest`` or higher (smaller number)."""
    found = None
    for h in all_headings:
        if h.line > line:
            break
        if h.level <= deepest:
            found = h
    return found
