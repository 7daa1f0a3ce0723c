r"""Converting a post's math and markup: one test per rule, expected text written out by hand from the rule."""

from __future__ import annotations

import pytest

from studylog.authoring.convert import convert_post
from studylog.authoring.errors import ConversionError, UnbalancedMathError
from studylog.authoring.formulas import list_equations

FRONT = "---\ntitle: T\n---\n"  # the body starts on line 4


def convert(body: str):
    return convert_post(FRONT + body, path="post.md", stem="2021-08-10-x")


def log_body(body: str) -> str:
    """The converted log without its front matter."""
    markdown = convert(body).markdown
    return markdown[markdown.index("---\n", 4) + 4 :].lstrip("\n")


def error_of(body: str) -> str:
    with pytest.raises(ConversionError) as err:
        convert(body)
    return str(err.value)


# ------------------------------------------------------------------------------------------------ inline


def test_single_dollar_math_becomes_markdown_katex_inline_math():
    assert log_body("속도 $v = \\frac{d}{t}$ 와 $\\eta$.\n") == "속도 $`v = \\frac{d}{t}`$ 와 $`\\eta`$.\n"


def test_kramdown_escapes_written_to_protect_math_are_undone():
    src = "* $\\hat{y}\\_i = \\sum\\_{j} w\\_j$ and $a \\* b$ and $P(A\\|B)$\n"
    assert log_body(src) == "* $`\\hat{y}_i = \\sum_{j} w_j`$ and $`a * b`$ and $`P(A|B)`$\n"


def test_a_doubled_backslash_gives_latex_its_brace_and_norm():
    # kramdown turns "\\{" into "\{" and "\\|" into "\|": what MathJax saw, and what the author meant
    assert log_body("$\\\\{x\\\\}$ and $\\\\|w\\\\|_2$\n") == "$`\\{x\\}`$ and $`\\|w\\|_2`$\n"


def test_a_single_escaped_brace_is_what_kramdown_showed_and_is_reported():
    post = convert("집합 $\\{1, 2\\}$\n")
    assert "집합 $`{1, 2}`$\n" in post.markdown
    assert [str(n) for n in post.notes] == [
        "post.md:4: warning: '\\{' inside $...$ is kramdown's escape for '{': the log has '{', "
        "as the original page showed it",
        "post.md:4: warning: '\\}' inside $...$ is kramdown's escape for '}': the log has '}', "
        "as the original page showed it",
    ]


def test_a_bare_line_break_in_single_dollar_math_is_reported_but_a_spacing_command_is_not():
    post = convert("$a \\\\ b$ and $a\\\\,b$\n")
    assert "$`a \\ b`$ and $`a\\,b`$" in post.markdown
    assert [n.message[:34] for n in post.notes] == ["'\\\\' inside $...$ is kramdown's es"]


def test_an_escaped_dollar_inside_math_stays_a_latex_dollar():
    assert log_body("$\\$5 = x$\n") == "$`\\$5 = x`$\n"


def test_spaces_inside_single_dollars_are_allowed_as_in_mathjax():
    assert log_body("$ \\eta $ 는 학습률\n") == "$`\\eta`$ 는 학습률\n"


def test_double_dollar_in_a_sentence_is_inline_and_passed_through_verbatim_except_underscore_escapes():
    src = "norm $$\\|w\\|_2 + \\{a\\} + w\\_1$$ here\n"
    assert log_body(src) == "norm $`\\|w\\|_2 + \\{a\\} + w_1`$ here\n"


def test_inline_double_dollar_over_two_lines_is_joined_into_one_line():
    assert log_body("a $$x +\n  y$$ b\n") == "a $`x + y`$ b\n"


# ------------------------------------------------------------------------------------------------ display


def test_double_dollar_alone_on_its_line_becomes_a_math_fence():
    assert log_body("text\n\n$$\\mathbb{E}[x] = \\mu$$\n\nmore\n") == (
        "text\n\n```math\n\\mathbb{E}[x] = \\mu\n```\n\nmore\n"
    )


def test_display_math_in_a_list_item_stays_in_the_item_with_lists_nested_by_4_spaces():
    # the post nests by 2 spaces (kramdown); Python-Markdown needs 4 per level, so the log has 4
    src = "* 손실 함수\n  * MSE\n    $$\n    L = \\frac{1}{n} \\sum_{i} e_i^2\n    $$\n  * next\n"
    assert log_body(src) == (
        "* 손실 함수\n    * MSE\n        ```math\n        L = \\frac{1}{n} \\sum_{i} e_i^2\n        ```\n    * next\n"
    )


def test_a_list_item_holding_only_display_math_keeps_its_marker_line():
    assert log_body("* $$\\tilde{x} = x + \\epsilon$$\n1. $$y$$\n") == (
        "* \n    ```math\n    \\tilde{x} = x + \\epsilon\n    ```\n1. \n    ```math\n    y\n    ```\n"
    )


def test_display_math_in_a_blockquote_stays_display_math_in_an_html_quote():
    # the site reads a math fence only at the start of a line: the quote becomes <blockquote markdown>
    post = convert("> 정리.\n> $$\n> \\begin{align} a &= b \\end{align}\n> $$\n> 끝\n")
    assert log_body("> 정리.\n> $$\n> \\begin{align} a &= b \\end{align}\n> $$\n> 끝\n") == (
        "<blockquote markdown>\n\n정리.\n```math\n\\begin{align} a &= b \\end{align}\n```\n끝\n\n</blockquote>\n"
    )
    assert [(f.line, f.display) for f in post.found] == [(5, True)]
    assert post.notes == []


def test_multi_line_display_math_is_dedented_and_blank_lines_dropped():
    src = "$$\n  \\begin{aligned}\n    a &= b \\\\\n\n    c &= d\n  \\end{aligned}\n$$\n"
    assert log_body(src) == "```math\n\\begin{aligned}\n  a &= b \\\\\n  c &= d\n\\end{aligned}\n```\n"


# ------------------------------------------------------------------------------------------------ dollars


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("시간당 $5 and $10 사이\n", "시간당 $5 and $10 사이\n"),
        ("$5-$10 range\n", "$5-$10 range\n"),
        ("100$ 짜리, 5$\n", "100$ 짜리, 5$\n"),
        ("달러 $ 기호\n", "달러 $ 기호\n"),
        ("끝에 $\n", "끝에 $\n"),
        ("$값 은 한글\n", "$값 은 한글\n"),
    ],
)
def test_literal_dollars_are_not_math(src, expected):
    post = convert(src)
    assert log_body(src) == expected
    assert post.found == []


@pytest.mark.parametrize(
    ("src", "expected", "latex"),
    [
        ("\\$3 쿠폰과 $\\alpha$\n", "$3 쿠폰과 $`\\alpha`$\n", "\\alpha"),
        ("costs $5 while $x$ is free\n", "costs $5 while $`x`$ is free\n", "x"),
        ("$2^n$ 개\n", "$`2^n`$ 개\n", "2^n"),
    ],
)
def test_a_formula_next_to_a_literal_dollar_is_still_found(src, expected, latex):
    assert log_body(src) == expected
    assert [f.latex for f in convert(src).found] == [latex]


def test_a_literal_dollar_before_a_code_span_cannot_open_inline_math():
    assert log_body("price \\$`5` here\n") == "price &#36;`5` here\n"


# ------------------------------------------------------------------------------------------------ code


def test_code_spans_and_fenced_code_are_left_untouched():
    src = (
        "`$HOME` and ``a ` $b$`` and `echo $PATH`\n\n"
        '```bash\necho "$x and $y" \\_\n```\n\n'
        "  ~~~\n  $$ not math\n  ~~~\n"
    )
    post = convert(src)
    assert log_body(src) == src
    assert post.found == []


def test_a_formula_after_a_code_span_on_the_same_line_reaches_the_site():
    post = convert("변수 `$HOME` 그리고 $x$\n")
    assert post.written == [(8, "x")]


def test_a_backtick_that_opens_no_code_span_is_escaped_so_it_cannot_pair_with_inline_math():
    assert log_body("a ` b $x$\n") == "a \\` b $`x`$\n"


def test_a_formula_with_a_backtick_is_an_error():
    assert error_of("ok\n$f`(x)$\n") == "post.md:5: the formula 'f`(x)' holds a backtick, which inline math cannot hold"


def test_liquid_highlight_blocks_become_fences_with_their_code_untouched():
    src = '{% highlight python linenos %}\ncost = "$5" # $x$\n{% endhighlight %}\n'
    assert log_body(src) == '```python\ncost = "$5" # $x$\n```\n'


def test_link_destinations_and_html_comments_are_not_searched_for_math():
    src = "[a](https://x.org/$a$/b_(c)) <!-- $b$ --> $c$\n"
    assert log_body(src) == "[a](https://x.org/$a$/b_(c)) <!-- $b$ --> $`c`$\n"


# ------------------------------------------------------------------------------------------------ tables


def test_a_pipe_inside_inline_math_in_a_table_row_does_not_split_the_cell():
    src = (
        "| 기호 | 의미 |\n|:---:|---|\n| $\\eta$ | 학습률 |\n| $P(A\\|B)$ | 조건부 |\n"
        "| $$\\|x\\|_1 + \\\\|y\\\\|$$ | norm |\n"
    )
    assert log_body(src) == (
        "| 기호 | 의미 |\n|:---:|---|\n| $`\\eta`$ | 학습률 |\n| $`P(A\\vert B)`$ | 조건부 |\n"
        "| $`\\vert x\\vert_1 + \\Vert y\\Vert`$ | norm |\n"
    )


def test_in_a_table_row_a_single_dollar_formula_cannot_cross_a_cell_border():
    # kramdown splits the cells first: "$5 | $10" are two prices, not a formula
    assert log_body("| a | b |\n|---|---|\n| $5 | $10 |\n") == "| a | b |\n|---|---|\n| $5 | $10 |\n"


def test_an_escaped_pipe_in_table_text_stays_escaped_and_outside_tables_is_undone():
    src = "| a\\|b | c |\n|---|---|\n\nx \\| y\n"
    assert log_body(src) == "| a\\|b | c |\n|---|---|\n\nx | y\n"


# ------------------------------------------------------------------------------------------------ kramdown


def test_kramdown_only_markup_is_removed_and_images_and_links_kept():
    src = (
        "* TOC\n{:toc}\n\n# Title\n\n<!--more-->\n\n"
        '![loss](https://example.com/loss.png){: width="50%"}\n'
        '[paper](https://arxiv.org/abs/1711.05101){:target="_blank"}\n'
        'A note.\n{: .notice}\n\n{:.lead}\n{::options parse_block_html="true" /}\nend \\: \\"q\\"\n'
    )
    assert log_body(src) == (
        "# Title\n\n<!-- more -->\n\n"
        "![loss](https://example.com/loss.png)\n"
        "[paper](https://arxiv.org/abs/1711.05101)\n"
        'A note.\n\nend : "q"\n'
    )


def test_plain_brackets_are_escaped_and_links_references_footnotes_and_task_boxes_kept():
    src = (
        "### [3강] Optimization\n"
        "- [x] [필수 과제2] 과제\n- [ ] todo\n\n"
        "[link](https://a.org) [ref][r] [r] [R] [^1] ![img](x.png) [eq:adam.m]\n\n"
        "[r]: https://r.org\n"
    )
    assert log_body(src) == (
        "### \\[3강\\] Optimization\n"
        "- [x] \\[필수 과제2\\] 과제\n- [ ] todo\n\n"
        "[link](https://a.org) [ref][r] [r] [R] [^1] ![img](x.png) [eq:adam.m]\n\n"
        "[r]: https://r.org\n"
    )


def test_kramdown_comments_become_html_comments():
    assert log_body("{::comment}\n$x\n{:/comment}\ntext\n") == "<!--\n$x\n-->\ntext\n"


# ------------------------------------------------------------------------------------------------ errors


def warnings_of(body: str) -> list[str]:
    return [str(n) for n in convert(body).notes]


def test_an_unclosed_dollar_is_kept_as_text_with_a_warning_at_its_line():
    src = "ok $a$\n\n* item $\\alpha + \\beta\n* next $b$\n"
    assert log_body(src) == "ok $`a`$\n\n* item $\\alpha + \\beta\n* next $`b`$\n"
    assert warnings_of(src) == [
        "post.md:6: warning: '$' before '\\alpha + \\b' opens no formula (no closing '$' in its paragraph): kept as text"
    ]


def test_a_stray_dollar_in_prose_is_text_and_the_rest_of_the_post_is_converted():
    src = "설정은 $PATH 에 있다.\n\n그리고 $x^2$\n"
    assert log_body(src) == "설정은 $PATH 에 있다.\n\n그리고 $`x^2`$\n"
    assert [n.line for n in convert(src).notes] == [4]


def test_a_formula_runs_on_over_a_continuation_line_as_mathjax_reads_it():
    src = "데이터 $D = \\{(X_{i},y_{i}) : i=1,\\ldots n\n\\} $ 가 주어졌을 때\n"
    # kramdown turned "\{" into "{" before MathJax saw it (and the import says so)
    assert [(f.line, f.latex) for f in convert(src).found] == [(4, "D = {(X_{i},y_{i}) : i=1,\\ldots n\n}")]
    assert log_body(src) == "데이터 $`D = {(X_{i},y_{i}) : i=1,\\ldots n }`$ 가 주어졌을 때\n"


def test_an_unclosed_double_dollar_is_text_with_a_warning_at_its_line():
    assert warnings_of("a\n\n$$\nx = 1\n\ntext\n") == [
        "post.md:6: warning: '$$' opens no formula (it is never closed): kept as text"
    ]


def test_inline_double_dollar_does_not_run_into_the_next_paragraph():
    post = convert("text $$x\n\nmore $$ here\n")
    assert post.found == []
    assert [n.line for n in post.notes] == [4, 6]


def test_an_empty_double_dollar_formula_is_text_with_a_warning():
    assert warnings_of("x\n$$  $$\n") == ["post.md:5: warning: empty formula '$$$$': kept as text"]


def test_an_unclosed_code_fence_is_an_error():
    assert error_of("a\n\n```python\nx = '$'\n") == "post.md:6: the code fence opened here is never closed"


# ------------------------------------------------------------------------------------------------ counts


def test_every_formula_found_is_written_and_counted():
    post = convert("* $a = 1$ and $$b$$\n\n$$c \\leftarrow d$$\n\n| $e\\|f$ | $$g$$ |\n|---|---|\n")
    assert [(f.line, f.latex, f.display) for f in post.found] == [
        (4, "a = 1", False),
        (4, "b", False),
        (6, "c \\leftarrow d", True),
        (8, "e|f", False),
        (8, "g", False),
    ]
    # the log: 6 lines of front matter and a blank line, so post line 4 is log line 8; the display
    # formula's fence opens on log line 10 (after the blank line 9); the table row is log line 14
    assert post.written == [(8, "a = 1"), (8, "b"), (10, "c \\leftarrow d"), (14, "e\\vert f"), (14, "g")]


def test_a_single_dollar_formula_split_by_a_table_cell_border_is_no_formula():
    post = convert("| $e|f$ |\n|---|\n")
    assert post.found == []
    assert [(n.line, n.kind.name) for n in post.notes] == [(4, "UNBALANCED")]


def test_list_equations_lists_the_formulas_with_a_relation_with_their_lines():
    markdown = convert(
        "* $\\eta$ 학습률\n* $W_{t+1} \\leftarrow W_t - \\eta g_t$\n\n$$\nG_t = G_{t-1} + g_t^2\n$$\n"
    ).markdown
    assert list_equations(markdown) == [
        (9, "W_{t+1} \\leftarrow W_t - \\eta g_t"),
        (11, "G_t = G_{t-1} + g_t^2"),
    ]


def test_a_math_fence_already_in_the_post_is_kept_and_counted():
    post = convert("* a\n  ```math\n  x = 1\n  ```\n")
    assert log_body("* a\n  ```math\n  x = 1\n  ```\n") == "* a\n    ```math\n    x = 1\n    ```\n"
    assert [(f.line, f.latex, f.display) for f in post.found] == [(5, "x = 1", True)]
    assert post.written == [(9, "x = 1")]


def test_a_math_fence_the_site_cannot_read_is_reported_against_the_post():
    assert error_of("```math {#a b}\ny\n```\n") == (
        "post.md: the converted log cannot be read back: unknown formula attribute 'b' "
        '(known: #id, exempt="reason", imported, same="id", title="name")'
    )


# ------------------------------------------------------------------------------------------------ mutants
# The count check must catch a writer that loses or invents a formula: break the writer on purpose.


def test_a_writer_that_drops_a_formula_is_caught_and_nothing_is_returned(monkeypatch):
    import studylog.authoring.convert as convert_module

    real = convert_module.write_tokens

    def dropping(tokens, **kwargs):
        written = real(tokens, **kwargs)
        written.markdown = written.markdown.replace("$`a`$", "a", 1)
        return written

    monkeypatch.setattr(convert_module, "write_tokens", dropping)
    assert (
        error_of("x\n* $a$ and $b$\n")
        == "post.md:5: 2 formulas found, 1 written: the formula 'a' found here is not in the log"
    )


def test_a_writer_that_invents_a_formula_is_caught(monkeypatch):
    import studylog.authoring.convert as convert_module

    real = convert_module.write_tokens

    def inventing(tokens, **kwargs):
        written = real(tokens, **kwargs)
        written.markdown += " $`z`$"
        return written

    monkeypatch.setattr(convert_module, "write_tokens", inventing)
    assert error_of("$a$\n") == "post.md:1: 1 formulas found, 2 written: the log has a formula the post does not: 'z'"


def test_a_writer_that_changes_a_formula_is_caught(monkeypatch):
    import studylog.authoring.convert as convert_module

    real = convert_module.write_tokens

    def mangling(tokens, **kwargs):
        written = real(tokens, **kwargs)
        written.markdown = written.markdown.replace("\\eta", "\\beta")
        return written

    monkeypatch.setattr(convert_module, "write_tokens", mangling)
    assert error_of("$\\eta g$\n") == (
        "post.md:4: 1 formulas found, 1 written: the formula '\\eta g' found here is not in the log"
    )


# ------------------------------------------------------------------------------------------------ raw HTML


def test_a_formula_in_a_raw_html_block_is_rendered_because_the_block_gets_markdown():
    # MathJax rendered math inside <center>; Python-Markdown leaves raw HTML alone unless told (md_in_html)
    src = '<center>넓이 $\\leq$ 넓이</center>\n\n<p align="center">\n$x$\n</p>\n\n<div>no math</div>\n'
    assert log_body(src) == (
        '<center markdown>넓이 $`\\leq`$ 넓이</center>\n\n<p align="center" markdown>\n$`x`$\n</p>\n\n<div>no math</div>\n'
    )


def test_a_closing_dollar_after_a_space_at_the_end_is_still_math_as_mathjax_reads_it():
    assert [f.latex for f in convert("> (1) 성립함 : $1 = 1(1+1)/2 $\n").found] == ["1 = 1(1+1)/2"]
    assert convert("costs $5 and $10, or $5 while $x$\n").found[0].latex == "x"


def test_a_dollar_ending_its_line_opens_a_formula_on_the_next_lines_as_mathjax_reads_it():
    src = "Matrix 1: $\n\\begin{bmatrix} 3 \\end{bmatrix}\n$, Matrix 2: $\n\\begin{bmatrix} 5 \\end{bmatrix}\n$.\n"
    assert [f.latex for f in convert(src).found] == ["\\begin{bmatrix} 3 \\end{bmatrix}", "\\begin{bmatrix} 5 \\end{bmatrix}"]
    assert log_body("끝에 $\n\n다음\n") == "끝에 $\n\n다음\n"  # a dollar that ends its paragraph is a dollar


def test_a_command_used_as_a_script_without_braces_gets_braces_for_katex_with_a_warning():
    # MathJax reads P_\bf N and X^\tilde{C}; KaTeX refuses both ("Got function ... with no arguments")
    post = convert("$P_\\bf N$ and $X^\\tilde{\\mathfrak{C}}_i$ and $x_{\\bf y}$\n")
    assert log_body("$P_\\bf N$ and $X^\\tilde{\\mathfrak{C}}_i$ and $x_{\\bf y}$\n") == (
        "$`P_{\\bf N}`$ and $`X^{\\tilde{\\mathfrak{C}}}_i`$ and $`x_{\\bf y}`$\n"
    )
    assert [(n.line, n.kind.name) for n in post.notes] == [(4, "KATEX_COMPAT"), (4, "KATEX_COMPAT")]


def test_a_doubled_backslash_before_a_digit_stays_a_latex_line_break():
    # kramdown turns "\\3" into "\3", which neither MathJax nor KaTeX reads: the author meant "\\" 3
    post = convert("$\\begin{bmatrix}1\\\\3\\end{bmatrix}$\n")
    assert log_body("$\\begin{bmatrix}1\\\\3\\end{bmatrix}$\n") == "$`\\begin{bmatrix}1\\\\3\\end{bmatrix}`$\n"
    assert [str(n) for n in post.notes] == [
        "post.md:4: warning: '\\\\' before a digit inside $...$ is kept as LaTeX's line break "
        "(kramdown made it '\\', which no TeX reads)"
    ]


def test_mathjax_only_spellings_are_written_as_katex_reads_them():
    src = (
        "$$\\pmatrix{a\\\\b}$$\n\n| $[\\textrm{data\\|process}]$ | $\\begin{bmatrix}1\\3\\end{bmatrix}$ |\n|---|---|\n\n"
        "$[\\textrm{data\\vert process}]$\n"
    )
    assert log_body(src) == (
        "```math\n\\begin{pmatrix}a\\\\b\\end{pmatrix}\n```\n\n"
        "| $`[\\textrm{data\\textbar process}]`$ | $`\\begin{bmatrix}1\\\\3\\end{bmatrix}`$ |\n|---|---|\n\n"
        "$`[\\textrm{data\\textbar process}]`$\n"
    )


def test_a_stray_control_character_is_removed_with_a_warning_at_its_line():
    post = convert("text\n\n$P = {\x08\\beta}$\n")
    assert "$`P = {\\beta}`$" in post.markdown
    assert [str(n) for n in post.notes] == ["post.md:6: warning: the control character U+0008 is removed"]


def test_a_footnote_nothing_refers_to_becomes_a_plain_paragraph_with_its_formula_and_a_warning():
    post = convert("text[^a]\n\n[^a]: shown\n[^b]: never referenced, $\\theta$\n")
    assert log_body("text[^a]\n\n[^a]: shown\n[^b]: never referenced, $\\theta$\n") == (
        "text[^a]\n\n[^a]: shown\n\n\\[^b\\]: never referenced, $`\\theta`$\n"
    )
    assert [str(n) for n in post.notes] == [
        "post.md:7: warning: the footnote [^b] is referenced nowhere (kramdown did not show it): kept as a plain "
        "paragraph"
    ]


def test_a_tab_in_prose_becomes_spaces_and_a_tab_in_code_stays():
    assert log_body("a\tb $x$\n\n```make\nall:\n\tcc x.c\n```\n") == "a   b $`x`$\n\n```make\nall:\n\tcc x.c\n```\n"
