"""HTML blocks as Python-Markdown reads them: from a block-level opening tag at the start of a line to the tag
that closes it, blank lines and Markdown included.

A block that is never closed takes the rest of the page as raw HTML (its headings show as ``##`` text): the
importer closes a ``<p>`` where browsers do and names any other (`studylog.authoring.structure.close_html_blocks`).
Tags on the lines of fenced code do not count (Python-Markdown has stashed those blocks before it reads HTML).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown.util import BLOCK_LEVEL_ELEMENTS

__all__ = ["BLOCK_TAGS", "HTML_START", "block_tag", "tag_events"]

#: an HTML tag at the start of a line (up to three spaces in), with its attributes and how it ends
HTML_START = re.compile(r"^(?P<indent> {0,3})<(?P<tag>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^>]*?)?)(?P<end>/?>)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
#: the tags that open an HTML block a closing tag must end (block-level, not void)
BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS) - _VOID


def block_tag(line: str) -> str | None:
    """The tag of the HTML block ``line`` opens (lower case), or None."""
    m = HTML_START.match(line)
    if m is None or m.group("end") == "/>" or m.group("tag").lower() not in BLOCK_TAGS:
        return None
    return m.group("tag").lower()


def tag_events(lines: Sequence[str], start: int, tag: str, in_code: Sequence[bool]) -> Iterator[tuple[int, re.Match[str]]]:
    """Each ``<tag …>`` and ``</tag>`` from ``lines[start]`` on, with its line index (group 1: ``/`` or empty)."""
    pattern = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.IGNORECASE)
    for row in range(start, len(lines)):
        if not in_code[row]:
            for m in pattern.finditer(lines[row]):
                yield row, m
