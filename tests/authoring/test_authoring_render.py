r"""Render a converted post with Python-Markdown and markdown-katex (the real KaTeX) and read the formulas back.

This is the end-to-end check that the log's math syntax is what markdown-katex understands: every
formula of the post comes out of KaTeX (its ``application/x-tex`` annotation), and the table with
``|`` inside its formulas is still a two-column table. The expected LaTeX is written out by hand.
"""

from __future__ import annotations

import html
import re

import pytest

from studylog.authoring.convert import convert_post, read_post

markdown = pytest.importorskip("markdown")
pytest.importorskip("markdown_katex")

POST = "2021-08-12-regularization.md"
EXPECTED_TEX = [
    r"\hat{y}_i = \sum_{j} w_j x_{ij}",
    r"\Omega(w) = \frac{1}{2} \|w\|_2^2",
    r"\{x_1, x_2\}",
    r"{1, 2}",
    r"a * b",
    r"L(w) = \frac{1}{n} \sum_{i} (y_i - \hat{y}_i)^2 + \lambda \|w\|_2^2",
    r"\tilde{x} = x + \epsilon",
    r"\eta",
    r"\lambda_{wd} = 0.01",
    r"\mathbb{E}[\hat{y}] = \mu",
    r"\eta",
    r"P(A\vert B)",
    r"\vert x\vert_1",
]


# markdown-katex leaves its KaTeX subprocesses to the garbage collector: not ours to fix
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_markdown_katex_renders_every_formula_of_the_converted_post(fixtures, monkeypatch):
    # use markdown-katex's bundled KaTeX binary: its search of PATH for a `katex`/`npx` costs ~1 s per formula
    monkeypatch.setattr("markdown_katex.wrapper._get_usr_parts", lambda: None)
    path = fixtures / "_posts" / POST
    log = convert_post(read_post(path), path=POST, stem=path.stem).markdown
    body = log.split("---\n", 2)[2]
    try:
        rendered = markdown.markdown(body, extensions=["markdown_katex", "tables"])
    except Exception as exc:  # no usable KaTeX binary on this machine
        pytest.skip(f"markdown-katex cannot run KaTeX here: {exc}")
    tex = [
        html.unescape(t)
        for t in re.findall(r'<annotation encoding="application/x-tex">(.*?)</annotation>', rendered, re.S)
    ]
    assert [" ".join(t.split()) for t in tex] == EXPECTED_TEX
    assert "tmp_inline_md_katex" not in rendered and "tmp_block_md_katex" not in rendered
    table = rendered[rendered.index("<table>") : rendered.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert [len(re.findall(r"<t[hd][ >]", row)) for row in rows] == [2, 2, 2, 2]
