r"""The page model of a log: its Markdown read once into front matter, fenced blocks and inline spans.

Everything in studylog that needs to know what a log contains reads it through this package: the
formula scanner (`studylog.engine.scan`), the example runner, the journal views, the Markdown
extension (which renders from these records) and the importer. It has the only fence loop and the
only front-matter reader of the package, and it imports nothing of studylog but its errors.

>>> page = parse_log("---\ndate: 2021-08-10\n---\n\nSee $`x = 1`${#one}.\n", "log.md")
>>> page.front_matter.data["date"].isoformat(), [(m.latex, m.line, m.attrs.id) for m in page.inline]
('2021-08-10', [('x = 1', 5, 'one')])
"""

from studylog.markup.attrs import ID_RE, FormulaAttrs, parse_formula_attrs, parse_options
from studylog.markup.blocks import BlockKind, Fence, FenceOpening, closes, code_mask, fence_end, fence_kind, fence_opening, fences
from studylog.markup.frontmatter import FrontMatter, escape_meta, read_front_matter
from studylog.markup.inline import InlineMath, Ref, inline_tokens
from studylog.markup.page import Example, LogPage, parse_log, read_log

__all__ = [
    "ID_RE",
    "BlockKind",
    "Example",
    "Fence",
    "FenceOpening",
    "FormulaAttrs",
    "FrontMatter",
    "InlineMath",
    "LogPage",
    "Ref",
    "closes",
    "code_mask",
    "escape_meta",
    "fence_end",
    "fence_kind",
    "fence_opening",
    "fences",
    "inline_tokens",
    "parse_formula_attrs",
    "parse_log",
    "parse_options",
    "read_front_matter",
    "read_log",
]
