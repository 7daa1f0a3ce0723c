r"""Count formulas on both sides of an import with a parser that shares nothing with the importer or the engine.

markdown-it-py (CommonMark) reads the Jekyll post with mdit-py-plugins' ``dollarmath`` (``$…$`` and
``$$…$$``), and the text it leaves is searched for MathJax's ``\(…\)`` and ``\[…\]`` (kramdown's
``\\(`` has become ``\(`` by then, as on the old page). The log is read by the same parser without
any math plugin: a ```` ```math ```` fence, or a code span with a ``$`` on each side, is a formula.
Used by ``benchmarks/import_blogs.py``; runnable on its own: ``formula_count.py POST_OR_LOG.md...``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

__all__ = ["count_log", "count_post"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_BACKSLASH_MATH = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.DOTALL)

_TAG = re.compile(r"<[^<>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKDOWN_TAG = re.compile(r"<(?P<tag>[A-Za-z][\w-]*)\b[^<>\n]*\bmarkdown\b[^<>\n]*>")
_SOURCE = MarkdownIt("commonmark").enable("table").use(
    dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=False, double_inline=True
)
_LOG = MarkdownIt("commonmark").enable("table")


def _body(text: str) -> str:
    return _FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)


def _walk(tokens: list[Token]):
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def count_post(text: str) -> int:
    """The formulas MathJax would have found in a Jekyll post (``$``, ``$$``, ``\\(``, ``\\[`` and math fences)."""
    count = 0
    for tok in _walk(_SOURCE.parse(_body(text))):
        if tok.type in ("math_block", "math_block_label", "math_inline", "math_inline_double"):
            count += 1
        elif tok.type == "fence" and tok.info.strip().startswith("math"):
            count += 1
        elif tok.type == "html_block":  # MathJax reads the text of raw HTML too (not of comments)
            text_only = _TAG.sub(" ", _COMMENT.sub(" ", tok.content))
            count += count_post(text_only) if text_only != tok.content else 0
        elif tok.type == "inline" and tok.children:
            plain = "".join(
                c.content if c.type == "text" else "\n" if c.type in ("softbreak", "hardbreak") else "\0"
                for c in tok.children
            )
            count += sum(1 for m in _BACKSLASH_MATH.finditer(plain) if "\0" not in m.group())
    return count


def count_log(text: str) -> int:
    """The formulas of a log in markdown-katex syntax: math fences, and code spans with ``$`` on both sides.

    An HTML element with the ``markdown`` attribute holds Markdown (``md_in_html``): its tags are dropped first.
    """
    body = _body(text)
    out: list[str] = []
    depth, tag = 0, ""
    for line in body.split("\n"):  # inside an element with the markdown attribute, tags are not Markdown's business
        m = _MARKDOWN_TAG.search(line) if not depth else None
        if m:
            tag = m.group("tag").lower()
        if m or depth:
            lower = line.lower()
            depth += len(re.findall(rf"<{tag}\b", lower)) - lower.count(f"</{tag}")
            line = _TAG.sub("", line)
        out.append(line)
    body = "\n".join(out)
    count = 0
    for tok in _walk(_LOG.parse(body)):
        if tok.type == "fence" and tok.info.strip().startswith("math"):
            count += 1
        elif tok.type == "inline" and tok.children:
            kids = tok.children
            for k, child in enumerate(kids):
                if child.type != "code_inline" or not 0 < k < len(kids) - 1:
                    continue
                before, after = kids[k - 1], kids[k + 1]
                if before.type == "text" and before.content.endswith("$") and after.type == "text" and after.content.startswith("$"):
                    count += 1
    return count


def main(argv: list[str]) -> int:
    for name in argv:
        text = Path(name).read_text(encoding="utf-8")
        counter = count_log if "```math" in text or "$`" in text else count_post
        print(f"{name}\t{counter(text)}\t({counter.__name__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
