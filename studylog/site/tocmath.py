"""Headings that hold math get their ``toc`` id (and table-of-contents name) from the formula's TeX.

``toc`` makes a heading's id from the text of its rendered HTML. For a heading with an inline formula that
text is whatever the math engine wrote (KaTeX's MathML letters, its TeX annotation, a verdict mark), so
``## $`L^p`$ spaces`` got the id ``lplplp-spaces`` and the sidebar the name "LpL^pLp spaces": an id no
one could predict (it changed with the engine and the verdict) and that the links studylog makes to a
section (formula sheet, concept index: `studylog.site.headings`, which reads a formula as its TeX) missed.

So, for ``toc``'s run only, each formula stashed inside a heading reads as its TeX: `TexForToc`
(before ``toc``) swaps the stashed HTML for the escaped TeX, and `RestoreMath` (after ``toc``) puts the
rendered formula back. The page still shows the rendered formula; ``toc`` itself makes the id (its own
slugify, separator and de-duplication, whatever the site configured).
"""

from __future__ import annotations

import html
import re

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE
from xml.etree.ElementTree import Element

__all__ = ["InlineTex", "register"]

_HEADING = re.compile(r"^h[1-6]$")


class InlineTex:
    """The TeX of each inline formula stashed in the document being converted, by stash index."""

    def __init__(self) -> None:
        self.tex: dict[int, str] = {}
        self.swapped: dict[int, str] = {}

    def reset(self) -> None:
        self.tex.clear()
        self.swapped.clear()

    def record(self, index: int, tex: str) -> None:
        """The stashed block ``index`` (of ``md.htmlStash``) holds the formula ``tex``."""
        self.tex[index] = tex


class TexForToc(Treeprocessor):
    """Before ``toc`` (5): a formula in a heading is stashed as its escaped TeX."""

    def __init__(self, md: Markdown, inline: InlineTex) -> None:
        super().__init__(md)
        self.inline = inline

    def run(self, root: Element) -> None:
        if not self.inline.tex:
            return
        blocks = self.md.htmlStash.rawHtmlBlocks
        for el in root.iter():
            if not isinstance(el.tag, str) or not _HEADING.match(el.tag):
                continue
            for text in el.itertext():
                for m in HTML_PLACEHOLDER_RE.finditer(text):
                    index = int(m.group(1))
                    if index in self.inline.tex and index not in self.inline.swapped and index < len(blocks):
                        self.inline.swapped[index] = str(blocks[index])
                        blocks[index] = html.escape(self.inline.tex[index], quote=False)


class RestoreMath(Treeprocessor):
    """After ``toc``: the rendered formulas are back in the stash, for the page."""

    def __init__(self, md: Markdown, inline: InlineTex) -> None:
        super().__init__(md)
        self.inline = inline

    def run(self, root: Element) -> None:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for index, original in self.inline.swapped.items():
            blocks[index] = original
        self.inline.swapped.clear()


def register(md: Markdown, inline: InlineTex) -> None:
    """Put the two treeprocessors around ``toc`` (priority 5); after ``attr_list`` (8), whose ``{#id}``
    ``toc`` keeps."""
    md.treeprocessors.register(TexForToc(md, inline), "studylog_toc_tex", 6)
    md.treeprocessors.register(RestoreMath(md, inline), "studylog_toc_restore", 4)
