r"""Re-indent nested lists for Python-Markdown, which nests a block only when it is indented 4 spaces.

Jekyll posts (kramdown, CommonMark) nest lists by the column of the parent item's text, usually 2
spaces: ``* a`` / ``  * b``. Python-Markdown, which builds the site, needs 4 spaces per level and
otherwise flattens ``b`` into a sibling of ``a``. `reindent_lists` moves every nested item, its
continuation lines and its fenced blocks (code and ```` ```math ````) to 4 spaces per level, keeping
the structure CommonMark gives the original; 4-space nesting reads the same in CommonMark (GitHub).
Tabs inside fenced code stay tabs (a Makefile's recipe needs them).

Rules (CommonMark's, simplified): a line belongs to the deepest open item whose text column it
reaches; after a blank line, a line that reaches no open item ends the lists; a non-blank line right
after a paragraph line is a lazy continuation of the deepest item; a heading at the margin ends them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from studylog.markup import FenceOpening, fence_end, fence_opening

__all__ = ["INDENT", "reindent_lists"]

#: spaces per nesting level in the log
INDENT = 4

_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[*+-]|\d{1,9}[.)])(?P<space> +|$)(?P<rest>.*)$")
_ENDS_LISTS = re.compile(r"^(?:#{1,6}(?:\s|$)|(?:-[ \t]*){3,}$|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$)")


@dataclass(frozen=True)
class _Item:
    content: int  # column of the item's text in the post
    new_marker: int  # column of the item's marker in the log

    @property
    def new_content(self) -> int:
        return self.new_marker + INDENT


def _expand(line: str) -> str:
    """``line`` with the tabs of its indentation expanded to 4-column stops."""
    stripped = line.lstrip(" \t")
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shift(line: str, delta: int) -> str:
    """``line`` moved ``delta`` columns; tabs after its leading spaces (code's own indentation) are kept."""
    if delta >= 0:
        return " " * delta + line if line.strip() and delta else line
    return line[min(-delta, _indent(line)) :]


class _Reindenter:
    def __init__(self) -> None:
        self.stack: list[_Item] = []
        self.after_blank = True
        self.out: list[str] = []

    def owner(self, indent: int) -> int | None:
        """Index in the stack of the deepest open item whose text column ``indent`` reaches."""
        for k in range(len(self.stack) - 1, -1, -1):
            if indent >= self.stack[k].content:
                return k
        return None

    def new_indent(self, indent: int, *, lazy_ok: bool) -> int:
        """Where a non-item line indented ``indent`` goes, closing the items it leaves."""
        if not self.stack:
            return indent
        k = self.owner(indent)
        if k is None:
            if lazy_ok and not self.after_blank:
                return self.stack[-1].new_content  # a lazy continuation of the deepest item's paragraph
            self.stack.clear()
            return indent
        del self.stack[k + 1 :]
        item = self.stack[k]
        return item.new_content + (indent - item.content)

    def item(self, m: re.Match[str]) -> str:
        indent = len(m.group("indent"))
        while self.stack and indent < self.stack[-1].content:
            self.stack.pop()
        new_marker = self.stack[-1].new_content if self.stack else 0
        space = m.group("space")
        width = 1 if not m.group("rest") or len(space) > 4 else len(space)
        self.stack.append(_Item(indent + len(m.group("marker")) + width, new_marker))
        return " " * new_marker + m.group("marker") + space + m.group("rest")

    def run(self, lines: list[str]) -> list[str]:
        i = 0
        while i < len(lines):
            line = _expand(lines[i])
            if not line.strip():
                self.out.append(lines[i])
                self.after_blank = True
                i += 1
                continue
            fence = fence_opening(line)
            if fence is not None:
                i = self.fenced_block(lines, i, fence)
                continue
            item = _ITEM.match(line)
            if item and not _ENDS_LISTS.match(line.strip()):
                self.out.append(self.item(item))
            elif _indent(line) == 0 and _ENDS_LISTS.match(line):
                self.stack.clear()
                self.out.append(line)
            else:
                new = self.new_indent(_indent(line), lazy_ok=True)
                self.out.append(" " * new + line.lstrip(" "))
            self.after_blank = False
            i += 1
        return self.out

    def fenced_block(self, lines: list[str], i: int, fence: FenceOpening) -> int:
        """Shift a fenced block as a whole with its opening line; the index after its closing line."""
        indent = len(fence.indent)
        delta = self.new_indent(indent, lazy_ok=False) - indent
        closing = fence_end(lines, i, fence.marks)
        end = len(lines) if closing is None else closing
        for j in range(i, min(end, len(lines) - 1) + 1):
            line = lines[j] if j > i else _expand(lines[j])  # the fence's own lines keep their tabs
            self.out.append(_shift(line, delta))
        self.after_blank = False
        return end + 1


def reindent_lists(markdown: str) -> str:
    r"""``markdown`` with its nested lists indented 4 spaces per level (see the module's rules).

    Args:
        markdown: a Markdown body (no front matter), ``\n`` line ends.

    Returns:
        The same text with list items, their continuation lines and their fenced blocks moved.

    Examples:
        >>> print(reindent_lists("* a\n  * b\n    ```math\n    x\n    ```\n  * c\n\ntext\n"))
        * a
            * b
                ```math
                x
                ```
            * c
        <BLANKLINE>
        text
        <BLANKLINE>
    """
    return "\n".join(_Reindenter().run(markdown.split("\n")))
