r"""Warnings of ``studylog import``: something the user should look at, the post was converted anyway.

Every note names the post and, where one applies, the 1-based line of the post it is about, and has
a `NoteKind` so that the import's summary can count them by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Note", "NoteKind"]


class NoteKind(Enum):
    """What a warning is about (the summary counts warnings by kind)."""

    DROPPED_KEYS = "front matter dropped"  #: front matter keys the blog plugin has no use for
    FRONT_MATTER = "front matter value"  #: a front matter value that could not be kept as it was
    KATEX_COMPAT = "braces for KaTeX"  #: a command used as a script without braces (MathJax only): braced
    MALFORMED_LINK = "malformed link"  #: a link whose address is itself a Markdown link: the inner one is used
    KRAMDOWN_ESCAPE = "kramdown escape"  #: an escape inside $...$ undone as kramdown did (may change the LaTeX)
    UNBALANCED = "unclosed math delimiter"  #: a delimiter that opens no formula: kept as text
    EMPTY_FORMULA = "empty formula"  #: a pair of delimiters with nothing between: kept as text
    INLINE_DISPLAY = "display math in a paragraph"  #: \\[...\\] or $$...$$ inside a sentence: written inline
    CONTROL_CHARACTER = "control character"  #: a form feed or other line-breaking character: made a space
    LIQUID = "Liquid"  #: a Liquid tag or output removed or resolved
    MISSING_FILE = "missing file"  #: a local image or file the post names is not in the blog
    OLD_SITE_LINK = "link to the old site"  #: a link to a page of the old site that is not an imported post
    UNUSED_FOOTNOTE = "unreferenced footnote"  #: a footnote nothing refers to (kramdown did not show it): dropped
    NOT_A_POST = "not a post"  #: a file of the posts folder without Jekyll's dated name: skipped
    FILE_CONFLICT = "file conflict"  #: a file to copy exists in docs/ with other content: left as it was
    UNCLOSED_HTML = "unclosed HTML block"  #: an HTML block never closed: <p> closed as browsers do, others said


@dataclass(frozen=True)
class Note:
    """Something the user should look at (the post was converted anyway)."""

    path: str
    line: int | None
    message: str
    kind: NoteKind = NoteKind.FRONT_MATTER

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"
