r"""Liquid in a post's text: what Jekyll would have done with it, done once at import.

* ``{% raw %}`` … ``{% endraw %}``: the tags go, what they hold stays as written (no warning);
* ``{% post_url NAME %}`` and ``{% link _posts/NAME.md %}``: the link to that post's log (a warning
  when no imported post has that name); ``{% link other/file %}``: the file's path, for the links
  rewriter to copy it;
* ``{{ site.baseurl }}``, ``{{ site.url }}``, ``{{ "/path" | relative_url }}`` (or ``absolute_url``):
  resolved to the root-relative path, with a warning;
* anything else (``{% include %}``, ``{% assign %}``, ``{% if %}``, ``{{ page.title }}``, …, and a
  ``{% comment %}`` with what it holds) is removed, with a warning for each.

Code (fences and code spans) and formulas never reach this module: Jekyll would have run Liquid
there too, but what the author wrote there is code or LaTeX (``a^{{b}}``), kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from studylog.authoring.notes import Note, NoteKind

__all__ = ["Liquid"]

_ANY = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<expr>.*?)-?\}\}", re.DOTALL)
_POST_URL = re.compile(r"\{%-?\s*post_url(?P<args>.*?)-?%\}")
_SITE_PREFIX = re.compile(r"^(?:site\.(?:url|baseurl)\s*(?:\|\s*\w+\s*)?)+$")
_STRING_URL = re.compile(r"""^(?P<q>["'])(?P<path>[^"']*)(?P=q)\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*$""")


def _short(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 60 else one_line[:57] + "..."


class Liquid:
    """Resolves or removes the Liquid of one post, piece of text by piece of text, in order.

    Args:
        path: the post's name, for warnings.
        resolve_post: the link to the log of a post named like its file (``2021-08-10-slug``), or None.
        notes: where the warnings go.
        raw_lines: the post's lines inside a ``{% raw %}`` block that stands on lines of its own.
    """

    def __init__(
        self,
        *,
        path: str,
        resolve_post: Callable[[str], str | None],
        notes: list[Note],
        raw_lines: frozenset[int] = frozenset(),
    ) -> None:
        self.path = path
        self.resolve_post = resolve_post
        self.notes = notes
        self.raw_lines = raw_lines
        self.in_raw = False
        self.in_comment = False

    def warn(self, line: int, message: str) -> None:
        self.notes.append(Note(self.path, line, message, NoteKind.LIQUID))

    def _post(self, name: str, line: int, tag: str) -> str:
        stem = name.strip().strip("'\"").removeprefix("_posts/")
        stem = re.sub(r"\.(?:md|markdown)$", "", stem)
        link = self.resolve_post(stem) or self.resolve_post(stem.rsplit("/", 1)[-1])
        if link is None:
            self.warn(line, f"Liquid '{tag}' names no imported post: removed")
            return ""
        return link

    def _tag(self, m: re.Match[str], line: int) -> str:
        name, args = m.group("name"), m.group("args").strip()
        if name == "raw":
            self.in_raw = True
            return ""
        if name == "endraw":
            return ""
        if name == "comment":
            self.in_comment = True
            self.warn(line, "Liquid comment removed with what it holds")
            return ""
        if name == "post_url":
            return self._post(args, line, _short(m.group()))
        if name == "link":
            path = args.strip("'\" ")
            if path.startswith("_posts/"):
                return self._post(path, line, _short(m.group()))
            return "/" + path.lstrip("/")
        self.warn(line, f"Liquid '{_short(m.group())}' removed (Jekyll's templates are not part of the log)")
        return ""

    def _output(self, m: re.Match[str], line: int) -> str:
        expr = m.group("expr").strip()
        if _SITE_PREFIX.match(expr):
            self.warn(line, f"Liquid '{_short(m.group())}' resolved to '' (links are relative in the log)")
            return ""
        if s := _STRING_URL.match(expr):
            self.warn(line, f"Liquid '{_short(m.group())}' resolved to '{s.group('path')}'")
            return s.group("path")
        self.warn(line, f"Liquid '{_short(m.group())}' removed (Jekyll's variables are not part of the log)")
        return ""

    def process(self, text: str, line: int, *, links_in_raw: bool = False) -> str:
        """``text`` (of the post's ``line``) with its Liquid resolved or removed.

        In a ``{% raw %}`` block the text is left as it is, except that with ``links_in_raw`` (a link
        destination) a ``{% post_url %}`` is still resolved: the author meant a link.
        """
        if line in self.raw_lines and links_in_raw and "post_url" in text:
            return _POST_URL.sub(lambda m: self._post(m.group("args"), line, _short(m.group())), text)
        if line in self.raw_lines or ("{%" not in text and "{{" not in text and not (self.in_raw or self.in_comment)):
            return text
        out: list[str] = []
        i = 0
        while i < len(text):
            if self.in_raw or self.in_comment:
                closing = re.compile(r"\{%-?\s*end" + ("raw" if self.in_raw else "comment") + r"\s*-?%\}")
                m = closing.search(text, i)
                if m is None:
                    if self.in_raw:
                        out.append(text[i:])
                    return "".join(out)
                if self.in_raw:
                    out.append(text[i : m.start()])
                self.in_raw = self.in_comment = False
                i = m.end()
                continue
            m = _ANY.search(text, i)
            if m is None:
                out.append(text[i:])
                break
            out.append(text[i : m.start()])
            out.append(self._tag(m, line) if m.group("name") else self._output(m, line))
            i = m.end()
        return "".join(out)
