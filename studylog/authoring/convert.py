r"""Convert one Jekyll post (kramdown + MathJax) into a log (mkdocs-material blog + markdown-katex).

The conversion is all in memory: front matter (`frontmatter`), line structure
(`blocks`), formulas (`kramdown_math`), the
writer (`writer`) and list indentation (`lists`).
It then reads the result back with the engine's scanner
and compares the formulas found in the post with those in the log: any difference is an error, so a
post is either converted with every formula or not at all.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from studylog.authoring.blocks import LineKind, classify_lines
from studylog.authoring.errors import ConversionError, FormulaCountError
from studylog.authoring.formulas import log_formulas, missing_formulas
from studylog.authoring.frontmatter import LogMeta, jekyll_to_log_meta, render_front_matter, split_front_matter
from studylog.authoring.kramdown_math import Math, Token, scan_math, undo_escapes
from studylog.authoring.lists import reindent_lists
from studylog.authoring.slug import slugify
from studylog.authoring.writer import Written, write_tokens
from studylog.errors import StudylogError

__all__ = ["ConvertedPost", "Note", "convert_post", "read_post"]

_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
_FILE_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:", re.MULTILINE)


@dataclass(frozen=True)
class Note:
    """Something the user should look at (the post was converted anyway)."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"


@dataclass(frozen=True)
class FoundFormula:
    """A formula of the post: its line and its LaTeX after the kramdown escapes are undone."""

    line: int
    latex: str
    display: bool


@dataclass(frozen=True)
class ConvertedPost:
    """A converted post: the log's Markdown, its front matter, the formulas on both sides and the notes."""

    meta: LogMeta
    slug: str
    markdown: str
    found: list[FoundFormula]
    written: list[tuple[int, str]]
    notes: list[Note] = field(default_factory=list)


def read_post(path: Path, *, display_path: str | None = None) -> str:
    r"""The text of a post file: UTF-8 (a BOM is dropped), ``\n`` line ends.

    Raises:
        ConversionError: if the file cannot be read or is not UTF-8 (with the line of the first bad byte).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     post = Path(tmp) / "post.md"
        ...     _ = post.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n")
        ...     read_post(post)
        '---\ntitle: T\n---\n'
    """
    name = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot read the post: {exc.strerror}", path=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConversionError(f"not UTF-8 text ({exc.reason})", path=name, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(latex: str) -> str:
    return " ".join(latex.split())


def _first_heading(lines: list[str]) -> str:
    fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        elif not fence and (m := _H1.match(line)):
            return m.group("title").strip()
    return ""


def _formulas(tokens: list[Token], *, path: str) -> list[FoundFormula]:
    """The formulas among ``tokens``, with the kramdown escapes undone."""
    found: list[FoundFormula] = []
    for tok in tokens:
        if isinstance(tok, Math):
            latex, _ = undo_escapes(tok.body, tok.delimiter, table_row=tok.table_row)
            if "`" in latex and not tok.fenced:
                raise ConversionError(
                    f"the formula '{_one_line(latex)}' holds a backtick, which inline math cannot hold",
                    path=path,
                    line=tok.line,
                )
            found.append(FoundFormula(tok.line, textwrap.dedent(latex).strip(), tok.display))
    return found


def _notes(written: Written, *, path: str) -> list[Note]:
    """What the writer did that the user should check."""
    notes = [
        Note(
            path,
            line,
            f"'{escape}' inside $...$ is kramdown's escape for '{escape[1]}': the log has "
            f"'{escape[1]}', as the original page showed it",
        )
        for line, escape in written.lossy
    ]
    notes += [
        Note(
            path,
            line,
            "display math in a blockquote is written as inline math (the site reads math fences only outside quotes)",
        )
        for line in written.quoted_display
    ]
    return notes


def _convert_body(body: str, *, path: str, first_line: int) -> tuple[str, list[FoundFormula], list[Note]]:
    """The body in markdown-katex syntax, the formulas found in it, and the notes for the user."""
    lines = classify_lines(body.split("\n"), path=path, first_line=first_line)
    references = frozenset(" ".join(m.lower().split()) for m in _REFERENCE_DEFINITION.findall(body))
    out: list[str] = []
    found: list[FoundFormula] = []
    notes: list[Note] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is not LineKind.TEXT:
            if line.math is not None:  # a ```math fence in the post: math already
                found.append(FoundFormula(first_line + i, textwrap.dedent(line.math).strip(), True))
            if line.kind is LineKind.CODE:
                out.append(line.text)
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind is LineKind.TEXT:
            j += 1
        rows = frozenset(k - i for k in range(i, j) if lines[k].table_row)
        text = "\n".join(lines[k].text for k in range(i, j))
        tokens = scan_math(text, table_rows=rows, first_line=first_line + i, path=path, references=references)
        found += _formulas(tokens, path=path)
        written = write_tokens(tokens, table_rows=rows)
        notes += _notes(written, path=path)
        out.append(written.markdown)
        i = j
    return "\n".join(out), found, notes


def convert_post(text: str, *, path: str, stem: str, categories: list[str] | None = None) -> ConvertedPost:
    r"""Convert the text of a Jekyll post into a log.

    Args:
        text: the post (``\n`` line ends; see `read_post`).
        path: the post's name, for messages.
        stem: the post's file name without extension (``2021-08-10-day7``): gives the date when the
            front matter has none, and the log's slug.
        categories: the log's blog categories, replacing the post's (e.g. to match the site's
            ``categories_allowed``); None keeps the post's.

    Returns:
        The converted post; its ``markdown`` is the whole log.

    Raises:
        FrontMatterError: no date, front matter that is not YAML or holds a wrong type.
        UnbalancedMathError: a ``$`` or ``$$`` that is never closed (at the line of the opening one).
        ConversionError: an unclosed code fence, an empty formula.
        FormulaCountError: the log would not hold exactly the post's formulas.

    Examples:
        >>> text = "---\ntitle: Day 7\n---\n* $W \\leftarrow W - \\eta g$\n"
        >>> post = convert_post(text, path="p.md", stem="2021-08-10-day7")
        >>> print(post.markdown, end="")
        ---
        date: 2021-08-10
        title: "Day 7"
        categories: []
        tags: []
        ---
        <BLANKLINE>
        * $`W \leftarrow W - \eta g`$
    """
    fm = split_front_matter(text, path=path)
    body_lines = fm.body.split("\n")
    slug_source = _FILE_DATE_PREFIX.sub("", stem)
    meta, dropped = jekyll_to_log_meta(
        fm, stem=stem, path=path, fallback_title=_first_heading(body_lines) or slug_source.replace("-", " ")
    )
    if categories is not None:
        meta = dataclasses.replace(meta, categories=list(categories))
    body, found, notes = _convert_body(fm.body, path=path, first_line=fm.body_line)
    if dropped:
        notes.insert(
            0,
            Note(path, None, "front matter keys dropped (the blog plugin has no use for them): " + ", ".join(dropped)),
        )
    markdown = render_front_matter(meta) + "\n" + reindent_lists(body.lstrip("\n").rstrip()) + "\n"
    try:
        written = log_formulas(markdown, path=path)
    except StudylogError as exc:  # the engine's scanner refuses the log: say so about the post
        raise ConversionError(f"the converted log cannot be read back: {exc.message}", path=path) from exc
    lost, extra = missing_formulas([f.latex for f in found], [latex for _, latex in written])
    if lost or extra:
        counts = f"{len(found)} formulas found, {len(written)} written"
        if lost:
            line = next(f.line for f in found if f.latex == lost[0])
            raise FormulaCountError(
                f"{counts}: the formula '{_one_line(lost[0])}' found here is not in the log", path=path, line=line
            )
        raise FormulaCountError(
            f"{counts}: the log has a formula the post does not: '{_one_line(extra[0])}'", path=path, line=1
        )
    return ConvertedPost(meta, slugify(slug_source or meta.title), markdown, found, written, notes)
