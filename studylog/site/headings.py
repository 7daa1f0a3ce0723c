"""The headings of a log, with the anchors the page gives them (Python-Markdown's ``toc`` ids).

The formula sheet names a formula after the section it stands in, and the concept index links a
concept to the section that explains it; both read the headings from the page model's lines (fenced
blocks skipped) and compute each anchor as the ``toc`` extension does, with the slugify and separator
the site configured for ``toc`` (`Slug`) and its `unique`, so a link made here is the id on the page. A
formula in a heading counts as its TeX (`studylog.site.tocmath` makes ``toc`` read it so).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions.toc import slugify, strip_tags, unique

from studylog.markup import LogPage

__all__ = ["Heading", "Slug", "config_slug", "default_slug", "headings", "md_slug", "plain", "section_of"]

Slug = Callable[[str], str]  # a heading's text -> its id before de-duplication


def default_slug(text: str) -> str:
    """``toc``'s default: ``slugify(text, "-")``."""
    return slugify(text, "-")


def _slug(function: Any, separator: Any) -> Slug:
    if not callable(function):
        return default_slug if separator in (None, "-") else (lambda text: slugify(text, str(separator)))
    sep = "-" if separator is None else str(separator)
    return lambda text: str(function(text, sep))


def config_slug(mdx_configs: Mapping[str, Any]) -> Slug:
    """The slug of ``toc`` as ``markdown_extensions`` configures it in ``mkdocs.yml`` (``slugify``,
    ``separator``), e.g. ``pymdownx.slugs.slugify(case="lower")`` that keeps Korean words."""
    toc = mdx_configs.get("toc") or mdx_configs.get("markdown.extensions.toc") or {}
    return _slug(toc.get("slugify"), toc.get("separator"))


def md_slug(md: Markdown | None) -> Slug:
    """The slug of the ``toc`` treeprocessor of ``md`` (the default when it has none)."""
    toc = md.treeprocessors["toc"] if md is not None and "toc" in md.treeprocessors else None
    return _slug(getattr(toc, "slugify", None), getattr(toc, "sep", None)) if toc is not None else default_slug

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


def headings(log: LogPage, slug: Slug = default_slug) -> list[Heading]:
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
        anchor = explicit.group(1) if explicit else unique(slug(text), used)
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
