r"""Links to headings (``#anchor``) of imported posts, pointed at the ids the new site gives those headings.

kramdown gave a heading the id of its text in lower case, spaces as ``-``, other punctuation
dropped (its GFM parser keeps Hangul and other letters; its own parser keeps ASCII only); Python-
Markdown's ``toc`` (the site's) keeps ASCII letters and digits only and numbers repeats ``_1``, ``_2``.
A link ``[a](#데이터-표현)`` or ``[a](other.md#id)`` whose anchor is a heading's kramdown id is pointed at
the same heading's new id; one that names no heading loses its anchor (the page still opens), with a
warning. The same slugify as the site's default ``toc`` is used (`markdown.extensions.toc.slugify`).
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from pathlib import Path

from markdown.extensions.toc import slugify, unique

from studylog.authoring.notes import Note, NoteKind
from studylog.markup import code_mask

__all__ = ["Headings", "fix_anchors"]

_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
_ATTR_ID = re.compile(r"\s*\{[^{}]*#(?P<id>[\w-]+)[^{}]*\}\s*$")
_TAG = re.compile(r"<[^<>]*>")
_LINK = re.compile(r"\]\((?P<target>[^()\s#]*)#(?P<anchor>[^()\s]+)\)")


def _kramdown_ids(text: str) -> set[str]:
    """The ids kramdown (its GFM parser, and its own) would give a heading written ``text``."""
    lower = text.lower()
    gfm = re.sub(r"[^\w\- ]", "", lower).replace(" ", "-")
    plain = re.sub(r"^[^a-z]+", "", re.sub(r"[^a-z0-9 -]", "", lower)).replace(" ", "-")
    return {gfm, plain, urllib.parse.unquote(gfm)} - {""}


class Headings:
    """The headings of one log: the site's id of each, and which old ids point at it."""

    def __init__(self, markdown: str) -> None:
        self.ids: set[str] = set()
        self.old: dict[str, str] = {}
        used: set[str] = set()
        old_seen: dict[str, int] = {}
        lines = markdown.split("\n")
        for line, in_code in zip(lines, code_mask(lines), strict=True):
            if in_code:
                continue
            m = _HEADING.match(line)
            if not m:
                continue
            text = m.group("text")
            if explicit := _ATTR_ID.search(text):
                new = explicit.group("id")
                text = text[: explicit.start()]
            else:
                plain = unicodedata.normalize("NFC", _TAG.sub("", re.sub(r"\$`([^`]*)`\$", r"\1", text)))
                new = unique(slugify(plain, "-"), used)
            used.add(new)
            self.ids.add(new)
            for old in _kramdown_ids(text):
                n = old_seen.get(old, 0)
                old_seen[old] = n + 1
                self.old.setdefault(old if n == 0 else f"{old}-{n}", new)  # kramdown numbers repeats -1, -2

    def resolve(self, anchor: str) -> str | None:
        """The site's id for ``anchor`` (a heading's old kramdown id, else already a new one), or None."""
        anchor = urllib.parse.unquote(anchor)
        old = self.old.get(anchor) or self.old.get(anchor.lower())  # the link was written for the old site
        return old if old is not None else anchor if anchor in self.ids else None


def fix_anchors(
    logs: dict[Path, str], *, sources: dict[Path, tuple[str, str]]
) -> tuple[dict[Path, str], dict[Path, list[Note]]]:
    r"""Point the ``#anchor`` of every link of ``logs`` (a same-page one or one to another log) at the site's ids.

    Args:
        logs: each log's path and Markdown.
        sources: each log's post (its name and text), for warnings at the post's line.

    Returns:
        The logs with their links fixed, and the warnings for each log (an anchor that names no heading).
    """
    headings = {path: Headings(text) for path, text in logs.items()}
    fixed: dict[Path, str] = {}
    notes: dict[Path, list[Note]] = {path: [] for path in logs}
    for path, text in logs.items():

        def repl(m: re.Match[str], path: Path = path) -> str:
            target = m.group("target")
            page = path if not target else (path.parent / urllib.parse.unquote(target)).resolve()
            known = headings.get(page) or next((h for p, h in headings.items() if p.resolve() == page), None)
            if known is None:
                return m.group()  # another site's page, or a file: not ours to check
            new = known.resolve(m.group("anchor"))
            if new is not None:
                return f"]({target}#{new})"
            name, source = sources[path]
            at = source.find("#" + m.group("anchor"))
            line = source.count("\n", 0, at) + 1 if at != -1 else None
            notes[path].append(
                Note(name, line, f"the anchor '#{m.group('anchor')}' names no heading of {target or 'this post'}: "
                     "the link goes to the page", NoteKind.OLD_SITE_LINK)
            )  # fmt: skip
            return f"]({target or '#'})"

        fixed[path] = _LINK.sub(repl, text)
    return fixed, notes
