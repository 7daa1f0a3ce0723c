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

from studylog.errors import MarkupError
from studylog.markup import InlineMath, LogPage, inline_tokens

__all__ = ["Heading", "Slug", "config_slug", "default_slug", "headings", "md_slug", "plain", "section_of"]

Slug = Callable[[str], str]  # a heading's text -> its id before de-duplication


def default_slug(text: str) -> str:
    """``toc``'s default: ``slugify(text, "-")``."""
    return slugify(text, "-")


def _slug(function: Any, separator: Any) -> Slug:
    make = function if callable(function) else slugify
    sep = "-" if separator is None else str(separator)
    return lambda text: str(make(text, sep))


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


@dataclass(frozen=True)
class Heading:
    """One ATX heading of a log."""

    level: int
    text: str  # as a reader sees it (inline markup removed)
    line: int  # 1-based
    anchor: str


def _split(markdown: str) -> tuple[str, list[str], str | None]:
    """``(text, formulas, id)``: the heading's Markdown with each formula (its braces included) replaced by a
    placeholder and its trailing attribute list removed, the formulas' TeX, and the id that list gives.

    The formulas are found by the page model's lexer, so a formula's own braces (``$`x`${imported}``,
    ``$`y`${#id}``) are neither text nor the heading's attribute list.
    """
    try:
        spans = [t for t in inline_tokens(markdown, line=1, path="<heading>") if isinstance(t, InlineMath)]
    except MarkupError:  # an unclosed $` is the page's problem, reported there; here it is text
        spans = []
    tail = _ATTR_LIST.search(markdown, spans[-1].end if spans else 0)
    explicit = None
    if tail is not None:
        found = re.search(r"#([\w.-]+)", tail.group(0))
        explicit = found.group(1) if found else None
        markdown = markdown[: tail.start()]
    parts, pos = [], 0
    for k, span in enumerate(spans):
        parts += [markdown[pos : span.start], f"\x00{k}\x00"]
        pos = span.end
    return "".join(parts) + markdown[pos:], [t.latex for t in spans], explicit


def _text(markdown: str, formulas: list[str]) -> str:
    text = _LINK.sub(r"\1", markdown)
    text = text.replace("`", "")
    text = re.sub(r"(\*{1,3}|_{2,3})(\S.*?\S|\S)\1", r"\2", text)
    text = html.unescape(strip_tags(text))
    # a formula reads as its TeX, as written (`studylog.site.tocmath` has toc read it so)
    return re.sub("\x00(\\d+)\x00", lambda m: formulas[int(m.group(1))], text)


def plain(markdown: str) -> str:
    """Heading Markdown as text: links, code, emphasis, attribute lists and HTML tags removed (``toc`` strips
    the tags of the rendered heading with its `strip_tags` and unescapes entities before it makes the id);
    a formula is its TeX.

    >>> plain("Assignment notes: `nn.Module.modules()` (*과제*)")
    'Assignment notes: nn.Module.modules() (과제)'
    >>> plain("**Vitali THM**<sup>정리</sup> &amp; more")
    'Vitali THM정리 & more'
    >>> plain("$`a<b`${imported}인 경우 {#case}")
    'a<b인 경우'
    """
    text, formulas, _ = _split(markdown)
    return _text(text, formulas)


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
        body, formulas, explicit = _split(m.group(2))
        text = _text(body, formulas)
        anchor = explicit if explicit else unique(slug(text), used)
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
