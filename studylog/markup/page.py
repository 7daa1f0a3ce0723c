r"""A log read once: `parse_log` turns its Markdown into a `LogPage` that every reader shares.

Problems in the markup (an unclosed fence or $`, unreadable braces) do not stop the reading: they are
collected in `LogPage.problems` with their lines, and the rest of the log is still read. Front matter
that cannot be read does stop it (every build must stop on it), as a `MarkupError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studylog.errors import MarkupError
from studylog.markup.blocks import BlockKind, Fence, fences
from studylog.markup.frontmatter import FrontMatter, read_front_matter
from studylog.markup.inline import InlineMath, Ref, inline_tokens


@dataclass(frozen=True)
class Example:
    """An executed Python block and the output the log expects it to print (if it says)."""

    fence: Fence
    expect: Fence | None = None

    @property
    def session(self) -> str | None:
        return self.fence.options.get("session") or None


@dataclass
class LogPage:
    """The page model of one Markdown file."""

    path: str  # how messages name the file (relative to the project root where possible)
    text: str
    front_matter: FrontMatter
    fences: list[Fence] = field(default_factory=list)
    inline: list[InlineMath] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    problems: list[MarkupError] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def math(self) -> list[Fence]:
        """The display formulas, in order."""
        return [f for f in self.fences if f.kind is BlockKind.MATH]

    @property
    def examples(self) -> list[Example]:
        """The executed blocks, each with the ``text expect`` block right after it, if any."""
        out: list[Example] = []
        for k, fence in enumerate(self.fences):
            if fence.kind is not BlockKind.EXAMPLE:
                continue
            nxt = self.fences[k + 1] if k + 1 < len(self.fences) else None
            between = self.lines[fence.end_line : nxt.line - 1] if nxt is not None else []
            expect = nxt if nxt is not None and nxt.kind is BlockKind.EXPECT and not any(s.strip() for s in between) else None
            out.append(Example(fence, expect))
        return out


def parse_log(text: str, path: str) -> LogPage:
    """Read a log's Markdown into its page model.

    Raises:
        MarkupError: when the front matter cannot be read.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fm = read_front_matter(text, path=path)
    page = LogPage(path, text, fm)
    lines = text.split("\n")
    prose_from = fm.lines
    for fence in fences(lines, path=path, first=fm.lines, problems=page.problems):
        page.fences.append(fence)
        _prose(page, lines, prose_from, fence.line - 1)
        prose_from = fence.end_line
    else:
        unclosed = next((p for p in page.problems if "fence opened here is never closed" in p.message), None)
        _prose(page, lines, prose_from, unclosed.line - 1 if unclosed and unclosed.line else len(lines))
    return page


def _prose(page: LogPage, lines: list[str], start: int, stop: int) -> None:
    """Collect the inline spans of the prose lines ``lines[start:stop]``."""
    for index in range(start, stop):
        line = lines[index]
        if "$`" not in line and "[eq:" not in line:
            continue
        try:
            for token in inline_tokens(line, line=index + 1, path=page.path):
                (page.inline if isinstance(token, InlineMath) else page.refs).append(token)  # type: ignore[arg-type]
        except MarkupError as exc:
            page.problems.append(exc)


def read_log(file: Path, shown: str | None = None) -> LogPage:
    """Read and parse one Markdown file (``shown`` is how messages name it).

    Raises:
        MarkupError: when the file is not UTF-8 or its front matter cannot be read.
    """
    name = shown or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        before = exc.object[: exc.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # as the text would count
        raise MarkupError(f"not UTF-8 text ({exc.reason})", path=name, line=line) from None
    except OSError as exc:
        raise MarkupError(f"cannot read the file: {exc.strerror}", path=name) from None
    return parse_log(text, name)
