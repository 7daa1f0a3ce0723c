r"""Convert one Jekyll post (kramdown + MathJax) into a log (mkdocs-material blog + markdown-katex).

The conversion is all in memory: front matter (`frontmatter`, `jekyll_meta`), line structure
(`blocks`), formulas (`kramdown_math`), the writer (`writer`, with the caller's `Rewriter` for
Liquid, links and files), list indentation (`lists`), blockquotes with display math and the excerpt
separator (`structure`). It then reads the result back with the engine's scanner and compares the
formulas found in the post with those in the log: any difference is an error, so a post is either
converted with every formula or not at all. What can be recovered (a stray ``$``, a form feed, a
front matter value of the wrong type) is, with a warning naming the line.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from studylog.authoring.blocks import LineKind, classify_lines
from studylog.authoring.errors import ConversionError, FormulaCountError
from studylog.authoring.formulas import log_formulas, missing_formulas
from studylog.authoring.frontmatter import FrontMatter, LogMeta, render_front_matter, split_front_matter
from studylog.authoring.jekyll_meta import jekyll_to_log_meta
from studylog.authoring.kramdown_math import Math, Token, scan_math
from studylog.authoring.lists import reindent_lists
from studylog.authoring.notes import Note, NoteKind
from studylog.authoring.slug import slugify
from studylog.authoring.structure import (
    close_html_blocks,
    drop_unused_footnotes,
    insert_excerpt,
    markdown_in_html,
    unquote_math,
)
from studylog.authoring.tokens import LINE_BREAK_KEPT
from studylog.authoring.writer import IMPORTED_ATTRS, Rewriter, Written, formula_latex, write_tokens
from studylog.errors import StudylogError
from studylog.markup import fence_opening

__all__ = ["ConvertOptions", "ConvertedPost", "FoundFormula", "Note", "convert_post", "identify_post", "read_post"]

_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
_FILE_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:", re.MULTILINE)
#: characters other than "\n" that Python's str.splitlines (and so the engine's scanner) takes for a line break
_LINE_BREAKING = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: other control characters (a backspace pasted before \beta): no TeX and no Markdown reads them
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


@dataclass(frozen=True)
class FoundFormula:
    """A formula of the post: its line and its LaTeX after the kramdown escapes are undone."""

    line: int
    latex: str
    display: bool


@dataclass(frozen=True)
class ConvertOptions:
    r"""How a post is converted.

    Attributes:
        single_dollar: ``$…$`` is math (the blog's MathJax set-up has ``['$','$']`` in ``inlineMath``).
        mark_imported: mark the formulas that need an id ``{imported}`` (`writer.needs_mark`).
        excerpt: insert ``<!-- more -->`` where the post has none (`structure.insert_excerpt`).
        excerpt_separator: the blog's own excerpt separator (``_config.yml`` or the post's front matter).
        timezone: the site's time zone, for dates with an offset.
        rewriter: makes the `Rewriter` of a post from its raw lines and its notes list (None: text
            and links are left as they are).
        slug: write the log's slug into its front matter (the blog plugin's own slug of a title drops
            Hangul: two posts of a day, in Korean and in English, would get one URL).
    """

    single_dollar: bool = True
    mark_imported: bool = False
    excerpt: bool = False
    excerpt_separator: str | None = None
    timezone: str | None = None
    rewriter: Callable[[frozenset[int], list[Note]], Rewriter] | None = None
    slug: bool = False


@dataclass(frozen=True)
class ConvertedPost:
    """A converted post: the log's Markdown, its front matter, the formulas on both sides and the notes."""

    meta: LogMeta
    slug: str
    markdown: str
    found: list[FoundFormula]
    written: list[tuple[int, str]]
    notes: list[Note] = field(default_factory=list)
    marked: int = 0


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
            latex, _, _ = formula_latex(tok)
            if "`" in latex and not tok.fenced:
                raise ConversionError(
                    f"the formula '{_one_line(latex)}' holds a backtick, which inline math cannot hold",
                    path=path,
                    line=tok.line,
                )
            found.append(FoundFormula(tok.line, textwrap.dedent(latex).strip(), tok.display))
    return found


def _escape_notes(written: Written, *, path: str) -> list[Note]:
    """The lossy kramdown escapes the writer undid in formulas."""
    return [
        Note(
            path,
            line,
            "'\\\\' before a digit inside $...$ is kept as LaTeX's line break (kramdown made it '\\', "
            "which no TeX reads)"
            if escape == LINE_BREAK_KEPT
            else f"'{escape}' inside $...$ is kramdown's escape for '{escape[1]}': the log has "
            f"'{escape[1]}', as the original page showed it",
            NoteKind.KRAMDOWN_ESCAPE,
        )
        for line, escape in written.lossy
    ] + [
        Note(path, line, "a MathJax-only spelling is written as KaTeX reads it (X^\\tilde{C} as X^{\\tilde{C}}, "
             "\\pmatrix{...} as \\begin{pmatrix}...\\end{pmatrix}, a lone \\ before a digit as \\\\)",
             NoteKind.KATEX_COMPAT)
        for line in written.braced
    ]  # fmt: skip


def _line_breaks_made_spaces(text: str, *, path: str) -> tuple[str, list[Note]]:
    """``text`` with form feeds and other line-breaking characters (not "\\n") made spaces, one note each."""
    notes: list[Note] = []
    if not _LINE_BREAKING.search(text) and not _CONTROL.search(text):
        return text, notes
    for m in _LINE_BREAKING.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        notes.append(
            Note(path, line, f"the control character U+{ord(m.group()):04X} is written as a space",
                 NoteKind.CONTROL_CHARACTER)
        )  # fmt: skip
    for m in _CONTROL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        notes.append(
            Note(path, line, f"the control character U+{ord(m.group()):04X} is removed", NoteKind.CONTROL_CHARACTER)
        )
    return _CONTROL.sub("", _LINE_BREAKING.sub(" ", text)), sorted(notes, key=lambda n: n.line or 0)


@dataclass
class _Body:
    markdown: str
    found: list[FoundFormula]
    notes: list[Note]
    marked: int


def _convert_body(body: str, *, path: str, first_line: int, options: ConvertOptions) -> _Body:
    """The body in markdown-katex syntax, the formulas found in it, the notes and the formulas marked."""
    lines = classify_lines(body.split("\n"), path=path, first_line=first_line)
    references = frozenset(" ".join(m.lower().split()) for m in _REFERENCE_DEFINITION.findall(body))
    notes: list[Note] = []
    raw_lines = frozenset(first_line + k for k, line in enumerate(lines) if line.raw)
    rewriter = options.rewriter(raw_lines, notes) if options.rewriter is not None else None
    out: list[str] = []
    found: list[FoundFormula] = []
    marked = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is not LineKind.TEXT:
            if line.math is not None:  # a ```math fence in the post: math already
                found.append(FoundFormula(first_line + i, textwrap.dedent(line.math).strip(), True))
                text = line.text
                opening = fence_opening(text)
                if options.mark_imported and opening is not None and opening.lang == "math" and not opening.info:
                    text, marked = f"{text.rstrip()} {IMPORTED_ATTRS}", marked + 1
                out.append(text)
            elif line.kind is LineKind.CODE:
                out.append(line.text)
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind is LineKind.TEXT:
            j += 1
        rows = frozenset(k - i for k in range(i, j) if lines[k].table_row)
        # a tab in prose is only space (kramdown's 4-column stops); spaces keep columns the site can count on
        text = "\n".join(lines[k].text.expandtabs(4) if "\t" in lines[k].text else lines[k].text for k in range(i, j))
        tokens = scan_math(
            text,
            table_rows=rows,
            first_line=first_line + i,
            path=path,
            references=references,
            single_dollar=options.single_dollar,
            notes=notes,
        )
        found += _formulas(tokens, path=path)
        written = write_tokens(
            tokens, table_rows=rows, first_line=first_line + i, rewriter=rewriter, mark_imported=options.mark_imported
        )
        notes += _escape_notes(written, path=path)
        marked += written.marked
        out.append(written.markdown)
        i = j
    notes.sort(key=lambda n: n.line or 0)
    return _Body("\n".join(out), found, notes, marked)


def identify_post(
    text: str, *, path: str, stem: str, timezone: str | None = None
) -> tuple[FrontMatter, LogMeta, str, list[str], list[Note]]:
    r"""A post's front matter, its log's front matter and slug, the keys dropped and the warnings about them.

    Raises:
        FrontMatterError: no date, or front matter that is not YAML.

    Examples:
        >>> _, meta, slug, _, _ = identify_post("---\ntitle: T\n---\n", path="p.md", stem="2021-08-10-Day 7")
        >>> meta.date.isoformat(), slug
        ('2021-08-10', 'day-7')
    """
    fm = split_front_matter(text, path=path)
    slug_source = _FILE_DATE_PREFIX.sub("", stem)
    meta, dropped, notes = jekyll_to_log_meta(
        fm,
        stem=stem,
        path=path,
        fallback_title=_first_heading(fm.body.split("\n")) or slug_source.replace("-", " "),
        timezone=timezone,
    )
    return fm, meta, slugify(slug_source or meta.title), dropped, notes


def convert_post(
    text: str,
    *,
    path: str,
    stem: str,
    categories: list[str] | None = None,
    options: ConvertOptions | None = None,
) -> ConvertedPost:
    r"""Convert the text of a Jekyll post into a log.

    Args:
        text: the post (``\n`` line ends; see `read_post`).
        path: the post's name, for messages.
        stem: the post's file name without extension (``2021-08-10-day7``): gives the date when the
            front matter has none, and the log's slug.
        categories: the log's blog categories, replacing the post's (e.g. to match the site's
            ``categories_allowed``); None keeps the post's.
        options: how to convert (`ConvertOptions`; the default marks nothing and inserts no excerpt).

    Returns:
        The converted post; its ``markdown`` is the whole log.

    Raises:
        FrontMatterError: no date, or front matter that is not YAML.
        ConversionError: an unclosed code fence, a formula holding a backtick.
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
    options = options or ConvertOptions()
    text, control_notes = _line_breaks_made_spaces(text, path=path)
    fm, meta, slug, dropped, meta_notes = identify_post(text, path=path, stem=stem, timezone=options.timezone)
    if categories is not None:
        meta = dataclasses.replace(meta, categories=list(categories))
    if options.slug:
        meta = dataclasses.replace(meta, slug=slug)
    closed, html_notes = close_html_blocks(fm.body, path=path, first_line=fm.body_line)
    converted = _convert_body(closed, path=path, first_line=fm.body_line, options=options)
    notes = control_notes + meta_notes + sorted(converted.notes + html_notes, key=lambda n: n.line or 0)
    if dropped:
        notes.insert(
            0,
            Note(path, None, "front matter keys dropped (the blog plugin has no use for them): " + ", ".join(dropped),
                 NoteKind.DROPPED_KEYS),
        )  # fmt: skip
    body = markdown_in_html(unquote_math(reindent_lists(converted.markdown.lstrip("\n").rstrip())))
    body, unused = drop_unused_footnotes(body)
    for label in unused:
        at = fm.body.find(f"[^{label}]:")
        notes.append(
            Note(path, fm.body_line + fm.body.count("\n", 0, at) if at != -1 else None,
                 f"the footnote [^{label}] is referenced nowhere (kramdown did not show it): kept as a plain paragraph",
                 NoteKind.UNUSED_FOOTNOTE)
        )  # fmt: skip
    if options.excerpt:
        separator = fm.data.get("excerpt_separator", options.excerpt_separator)
        body = insert_excerpt(body, str(separator) if separator is not None else None).rstrip()
    markdown = render_front_matter(meta) + "\n" + body + "\n"
    found = converted.found
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
    return ConvertedPost(meta, slug, markdown, found, written, notes, converted.marked)
