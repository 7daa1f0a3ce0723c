r"""Find the formulas of a log in its Markdown source, with their ids and exact lines.

Syntax (markdown-katex's, which GitHub renders too):

* display math is a ```` ```math ```` fence; an id and an exemption go in braces after ``math``::

      ```math {#adam.m}
      m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t
      ```

      ```math {#bv.notation exempt="notation: defines the expectation over training sets"}

* inline math is $`…`$, optionally followed by ``{#id}`` or ``{exempt="…"}``;
* ``[eq:ID]`` in text refers to a formula (rendered as its number, linking to it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from studylog.engine.latex import has_relation, normalize, split_relation, tokenize
from studylog.errors import LatexError, MarkupError

ID_RE = r"[a-z][a-z0-9_.-]*"
_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[^\s`{]*)[ \t]*(?P<rest>.*)$")
_ATTRS_RE = re.compile(r"^\{(?P<body>[^{}]*)\}\s*$")
_ATTR_RE = re.compile(r'\s*(?:#(?P<id>[^\s"=}]+)|(?P<key>[A-Za-z_][\w-]*)="(?P<value>[^"]*)")\s*')
_INLINE_ATTRS_RE = re.compile(r"\{(?P<body>[^{}\n]*)\}")
REF_RE = re.compile(r"\[eq:(?P<id>" + ID_RE + r")\]")
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


def _parse_attrs(text: str, *, path: str, line: int) -> tuple[str | None, str | None]:
    """Parse ``{#id exempt="reason"}``; anything else in the braces is an error."""
    m = _ATTRS_RE.match(text.strip())
    if not m:
        raise MarkupError(f"cannot read the formula attributes {text.strip()!r}: expected {{#id}}", path=path, line=line)
    body = m.group("body")
    formula_id = exempt = None
    pos = 0
    while pos < len(body):
        am = _ATTR_RE.match(body, pos)
        if not am or am.end() == pos:
            raise MarkupError(f"cannot read the formula attributes {{{body}}}", path=path, line=line)
        pos = am.end()
        if am.group("id") is not None:
            if not re.fullmatch(ID_RE, am.group("id")):
                raise MarkupError(
                    f"bad formula id {am.group('id')!r}: use lower-case letters, digits, '.', '_', '-'",
                    path=path, line=line,
                )  # fmt: skip
            formula_id = am.group("id")
        elif am.group("key") == "exempt":
            exempt = am.group("value").strip()
            if not exempt:
                raise MarkupError("exempt=\"\" needs a reason", path=path, line=line)
        else:
            raise MarkupError(f"unknown formula attribute {am.group('key')!r} (known: #id, exempt)", path=path, line=line)
    return formula_id, exempt


def fence_end(lines: list[str], start: int, marks: str) -> int | None:
    """The index of the line closing the fence opened at ``start`` with ``marks`` (None: never closed).

    A closing fence is a line of only the opening character, at least as long as the opening run.
    """
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(marks) and set(stripped) == {marks[0]}:
            return j
    return None


def fence_body(lines: list[str], start: int, end: int, indent: str) -> str:
    """The text between a fence's opening (``start``) and closing (``end``) lines, ``indent`` removed."""
    return "\n".join(ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in lines[start + 1 : end])


def front_matter_lines(lines: list[str]) -> int:
    """How many lines the YAML front matter takes (0 when there is none)."""
    if lines and lines[0].rstrip() == "---":
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return i + 1
    return 0


def _inline_spans(line: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, latex)`` of $`…`$ spans, skipping ordinary code spans."""
    i = 0
    n = len(line)
    while i < n:
        if line.startswith("$`", i):
            end = line.find("`$", i + 2)
            if end == -1:
                return
            yield i, end + 2, line[i + 2 : end]
            i = end + 2
        elif line[i] == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            ticks = line[i : i + run]
            close = line.find(ticks, i + run)
            i = n if close == -1 else close + run
        elif line[i] == "\\":
            i += 2
        else:
            i += 1


def scan_text(text: str, path: str) -> ScannedLog:
    """Scan the Markdown ``text`` of the file ``path``."""
    log = ScannedLog(path)
    lines = text.splitlines()
    i = front_matter_lines(lines)
    number = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE_RE.match(line)
        if fence:
            indent, marks, lang, rest = fence.group("indent", "fence", "lang", "rest")
            start = i
            end = fence_end(lines, start, marks)
            if end is None:
                raise MarkupError(f"the {lang or 'code'} fence opened here is never closed", path=path, line=start + 1)
            i = end + 1
            if lang != "math":
                continue
            formula_id, exempt = _parse_attrs(rest, path=path, line=start + 1) if rest.strip() else (None, None)
            number += 1
            log.formulas.append(
                Formula(
                    latex=fence_body(lines, start, end, indent),
                    path=path,
                    line=start + 1,
                    display=True,
                    id=formula_id,
                    exempt=exempt,
                    number=number,
                    content_line=start + 2,
                )
            )
            continue
        for start, end, latex in _inline_spans(line):
            formula_id = exempt = None
            after = _INLINE_ATTRS_RE.match(line, end)
            if after:
                formula_id, exempt = _parse_attrs(after.group(0), path=path, line=i + 1)
            log.formulas.append(
                Formula(latex=latex, path=path, line=i + 1, display=False, id=formula_id, exempt=exempt, content_line=i + 1)
            )
        for m in REF_RE.finditer(line):
            log.references.append(Reference(m.group("id"), path, i + 1))
        i += 1
    return log


def scan_file(path: Path, display_path: str | None = None) -> ScannedLog:
    """Scan one Markdown file (``display_path`` is how messages name it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MarkupError(f"not UTF-8 text ({exc.reason})", path=display_path or str(path)) from None
    return scan_text(text, display_path or str(path))


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
