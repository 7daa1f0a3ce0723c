"""Finding formulas in Markdown: ids, exemptions, inline equations, references, exact lines, errors."""

from __future__ import annotations

import pytest

from studylog.engine.scan import scan_text
from studylog.errors import MarkupError

LOG = """---
date: 2021-08-10
title: T
---
# Title

```python
x = "```math {#not.a.formula}"
```

```math {#adam.m}
m_t = \\beta_1 m_{t-1}
```

- in a list:

    ```math {#bv.notation exempt="notation only"}
    \\mathbb{E}
    ```

Inline $`W = V`${#w.inline}, a value $`k = 5`$, a statement $`a = b`$, code `$`x`$` and [eq:adam.m].
"""


def test_display_formulas_with_ids_numbers_and_lines() -> None:
    log = scan_text(LOG, "log.md")
    display = [f for f in log.formulas if f.display]
    assert [(f.id, f.number, f.line, f.content_line) for f in display] == [("adam.m", 1, 11, 12), ("bv.notation", 2, 17, 18)]
    assert display[0].latex == "m_t = \\beta_1 m_{t-1}"
    assert display[1].exempt == "notation only" and display[1].latex == "\\mathbb{E}"


def test_inline_formulas_and_which_need_a_link() -> None:
    inline = [f for f in scan_text(LOG, "log.md").formulas if not f.display]
    assert [(f.latex, f.id, f.line) for f in inline] == [("W = V", "w.inline", 21), ("k = 5", None, 21), ("a = b", None, 21)]
    assert [f.is_equation for f in inline] == [True, False, True]


def test_references_are_found() -> None:
    refs = scan_text(LOG, "log.md").references
    assert [(r.id, r.line) for r in refs] == [("adam.m", 21)]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [("```math {#Bad}\nx\n```\n", "bad formula id 'Bad'", 1),
     ("\n```math {#ok colour=\"red\"}\nx\n```\n", "unknown formula attribute 'colour'", 2),
     ("```math {#ok exempt=\"\"}\nx\n```\n", "exempt=\"\" needs a reason", 1),
     ("text\n\n```math {#ok}\nx = y\n", "the math fence opened here is never closed", 3)],
)  # fmt: skip
def test_markup_errors_name_the_line(text: str, message: str, line: int) -> None:
    with pytest.raises(MarkupError) as info:
        scan_text(text, "bad.md")
    assert info.value.line == line
    assert message in str(info.value) and str(info.value).startswith(f"bad.md:{line}: ")


def test_inline_math_after_a_code_span_mid_line_is_found() -> None:
    log = scan_text("text `code` then $`a = b`${#x} end\n", "l.md")
    assert [(f.latex, f.id) for f in log.formulas] == [("a = b", "x")]
