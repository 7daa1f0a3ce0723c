r"""The formulas of a log, with their ids and exact lines, read from its page model.

Syntax (markdown-katex's, which GitHub renders too):

* display math is a ```` ```math ```` fence; an id and an exemption go in braces after ``math``::

      ```math {#adam.m}
      m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t
      ```

      ```math {#bv.notation exempt="notation: defines the expectation over training sets"}

* inline math is $`…`$, optionally followed by ``{#id}``, ``{exempt="…"}`` or ``{imported}``;
* ``[eq:ID]`` in text refers to a formula (rendered as its number, linking to it).

The Markdown itself is read by `studylog.markup` (the page model); this module only turns its
records into `Formula` records for the checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from studylog.engine.latex import has_relation, normalize, split_relation, tokenize
from studylog.errors import LatexError, MarkupError, StudylogError
from studylog.markup import ID_RE, LogPage, parse_log, read_log
from studylog.markup.inline import REF_RE

__all__ = ["ID_RE", "REF_RE", "Formula", "Reference", "ScannedLog", "markdown_files", "scan_file", "scan_page", "scan_text"]

_VALUE_RE = re.compile(r"^\s*-?\s*\d[\d.,]*\s*(\\times\s*10\s*\^\s*\{?\s*-?\d+\s*\}?)?\s*(\\%|%)?\s*$")


@dataclass(frozen=True)
class Formula:
    """One formula of a log as written in its Markdown source."""

    latex: str
    path: str
    line: int  # 1-based line of the fence opening or of the inline math
    display: bool
    id: str | None = None
    exempt: str | None = None
    number: int | None = None  # display formulas are numbered per log: (1), (2), ...
    content_line: int = 0  # 1-based line where the LaTeX starts
    imported: bool = False  # brought over by `studylog import` and not linked yet
    same: str | None = None  # restates the formula of this id (checked by its implementation)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def is_equation(self) -> bool:
        """Whether this formula states a relation that needs a link (values like ``k = 5`` do not)."""
        if self.display:
            return True
        if not has_relation(self.latex):
            return False
        try:
            _, _, rhs = split_relation(normalize(tokenize(self.latex)))
        except LatexError:
            return True
        return not _VALUE_RE.match("".join(t.text for t in rhs))


@dataclass(frozen=True)
class Reference:
    """A ``[eq:ID]`` reference in a log's text."""

    id: str
    path: str
    line: int


@dataclass
class ScannedLog:
    """Everything the scanner found in one Markdown file."""

    path: str
    formulas: list[Formula] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    problems: list[StudylogError] = field(default_factory=list)  # markup problems, with their lines
    page: LogPage | None = None


def scan_page(page: LogPage) -> ScannedLog:
    """The formulas and references of a page model; display formulas are numbered in order."""
    log = ScannedLog(page.path, problems=list(page.problems), page=page)
    for number, fence in enumerate(page.math, start=1):
        a = fence.attrs
        log.formulas.append(Formula(latex=fence.body, path=page.path, line=fence.line, display=True, id=a.id,
                                    exempt=a.exempt, number=number, content_line=fence.content_line,
                                    imported=a.imported, same=a.same))  # fmt: skip
    for span in page.inline:
        a = span.attrs
        log.formulas.append(Formula(latex=span.latex, path=page.path, line=span.line, display=False, id=a.id,
                                    exempt=a.exempt, content_line=span.line, imported=a.imported, same=a.same))  # fmt: skip
    log.formulas.sort(key=lambda f: (f.line, not f.display))
    log.references = [Reference(r.id, page.path, r.line) for r in page.refs]
    return log


def scan_text(text: str, path: str) -> ScannedLog:
    """Scan the Markdown ``text`` of the file ``path``.

    Raises:
        MarkupError: the first markup problem (an index of the site uses `scan_page`, which collects them).
    """
    return _strict(scan_page(parse_log(text, path)))


def scan_file(path: Path, display_path: str | None = None) -> ScannedLog:
    """Scan one Markdown file (``display_path`` is how messages name it); raises as `scan_text` does."""
    return _strict(scan_page(read_log(path, display_path)))


def _strict(log: ScannedLog) -> ScannedLog:
    if log.problems:
        raise log.problems[0]
    return log


def markdown_files(paths: list[Path]) -> list[Path]:
    """The ``.md`` files at ``paths`` (folders are searched recursively), sorted."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(q for q in p.rglob("*.md") if q.is_file()))
        elif p.is_file():
            found.append(p)
        else:
            raise MarkupError("no such file or folder", path=str(p))
    return found
