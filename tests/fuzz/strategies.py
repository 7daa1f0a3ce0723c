r"""Hypothesis strategies for whole logs: front matter, fences, inline math, references, LaTeX and junk.

Inputs are built from the syntax studylog reads (so that they reach deep into every layer) and mixed
with what a student, an importer or an attacker can produce: odd YAML, broken fences, Unicode of every
kind, control characters, line ends and byte-order marks, very long lines, hostile HTML and LaTeX.

`log_text` draws a whole log; ``surrogates=True`` lets it hold lone surrogates (only a ``str`` handed to
the API can: a file read as UTF-8 cannot).
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from tests.fuzz.project import RIGHT, WRONG

# ------------------------------------------------------------------------------------------ text

#: characters that break naive readers: controls, NUL, BOM, zero-width and bidi marks, line separators
NASTY = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u00a0\u200b\u200d\u200e\u200f\u202a\u202e\u2028\u2029\u2066\ufeff\ufffd"
#: Korean (the author's notes), combining marks, right-to-left scripts, emoji, math letters
SCRIPTS = "가나다한국어공부 \u1100\u1161\u11a8 e\u0301 a\u0308\u0323 עברית العربية 😀👍🏽 ℝ∑∫√∞ 𝑥𝛼 ﬁ Å"
WORDS = ["the", "step", "loss", "가중치", "학습률", "$", "$$", "\\$", "\\", "`", "``", "{", "}", "#", "*", "_", "|",
         "<", ">", "&", "&amp;", "[", "]", "(", ")", "!", ":", "---", "~~~", "```", "[^1]", "==", "---\n"]  # fmt: skip


@functools.cache
def plain(*, surrogates: bool = False, max_size: int = 20) -> st.SearchStrategy[str]:
    """Short text of any Unicode (surrogates only when asked), biased towards the characters above."""
    exclude = () if surrogates else ("Cs",)
    any_char = st.characters(codec=None if surrogates else "utf-8", exclude_categories=exclude)
    return st.text(st.one_of(any_char, st.sampled_from(NASTY + SCRIPTS)), max_size=max_size)


@functools.cache
def words(*, surrogates: bool = False) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(WORDS), plain(surrogates=surrogates, max_size=8)), max_size=6).map(" ".join)


@functools.cache
def long_line() -> st.SearchStrategy[str]:
    """A very long line (tens of kilobytes): repeated text, optionally with math on it."""
    unit = st.sampled_from(["a", "가", "$`x`$ ", "`code` ", "x" * 7, "[eq:fz.lin] ", "\\", " "])
    return st.tuples(unit, st.integers(2_000, 40_000)).map(lambda t: t[0] * (t[1] // len(t[0])))


# ------------------------------------------------------------------------------------------ LaTeX

SYMBOLS = ["x", "a", "y", "s", "u", "v", "x_i", "x_{i}", "x_1", "x_{i+1}", "i", "k", r"\alpha", "2", "1", "0", "0.5", "10^{-3}",
           "z", r"\zeta", r"\theta", "W", "e", r"\pi", r"\infty", "α", "가", r"\mathbf{x}", r"\hat{y}", "x'"]  # fmt: skip
JUNK_TEX = ["{", "}", "(", ")", "[", "]", "^", "_", "&", "\\\\", "%", "#", "$", "\\", r"\left(", r"\right)", r"\frac",
            r"\begin{cases}", r"\end{cases}", r"\begin{aligned}", r"\end{aligned}", r"\phantom{x}", r"\color{red}{x}",
            r"\def\x{1}", r"\newcommand{\y}{2}", r"\href{javascript:alert(1)}{x}", r"\url{http://a}", r"\htmlId{a}{x}",
            r"\includegraphics{x.png}", r"\text{<script>}", r"\mathrm{op}", r"\operatorname{exp}", r"\unknowncmd",
            r"\begin{array}{ll}", r"\end{array}", r"\sum", r"\int", r"\,", r"\!", "'", "|", r"\|", r"\lVert", r"\lfloor",
            r"\rfloor", r"\mathbb{1}", r"\tag{1}", r"\label{x}", r"\verb|x|", "\t", "\x00", "\u202e", r"\char`\x"]  # fmt: skip
RELATIONS = ["=", "=", "=", r"\leq", ":=", r"\approx", r"\leftarrow", "<", r"\neq", "=="]


#: constructs as templates: ``{0}``, ``{1}`` are filled with smaller expressions
TEMPLATES = [
    "{0} + {1}", "{0} - {1}", "{0} {1}", "{0} \\cdot {1}", "\\frac{{{0}}}{{{1}}}", "{0}^{{{1}}}", "{0}_{{{1}}}", "\\sqrt{{{0}}}",
    "\\sqrt[3]{{{0}}}", "\\left( {0} \\right)", "({0})", "|{0}|", "\\|{0}\\|_2", "\\exp({0})", "\\log {0}",
    "\\tanh\\left({0}\\right)", "\\lfloor {0} \\rfloor", "\\sum_{{i=1}}^{{4}} {0}", "\\sum_i {0}", "\\prod_{{i}} {0}",
    "\\max_i {0}", "\\arg\\max_i {0}", "\\sum_{{k=1}}^{{10^{{9}}}} {0}", "\\sum_{{k=1}}^{{10^{{12}}}} k", "\\prod_{{k=1}}^{{1000000000}} {0}",
    "\\sum_{{k=1}}^{{-5}} {0}", "\\sum_{{k=1}}^{{2.5}} {0}", "\\sum_{{k=1}}^{{x}} {0}", "\\sum_{{k=1}}^{{10^{{400}}}} {0}",
    "\\int_0^1 {0} \\, dt", "\\int_{{-\\infty}}^{{\\infty}} {0} \\, dt", "\\mathbb{{1}}[{0} > 0]",
    "\\begin{{cases}} {0} & \\text{{if }} x > 0 \\\\ {1} & \\text{{otherwise}} \\end{{cases}}", "\\max({0}, {1})",
    "\\text{{{0}}}", "{0} % comment", "{{{0}", "{0}}}", "{0}!", "{0}^{{{0}^{{{0}}}}}", "10^{{{0}}}",
]  # fmt: skip


_LEAF = st.one_of(st.sampled_from(SYMBOLS), st.sampled_from(JUNK_TEX), st.integers(-(10**6), 10**6).map(str))


@st.composite
def _expr(draw: st.DrawFn, depth: int) -> str:
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(_LEAF)
    template = draw(st.sampled_from(TEMPLATES))
    return template.format(draw(_expr_at(depth - 1)), draw(_expr_at(depth - 1)))


@functools.cache
def _expr_at(depth: int) -> st.SearchStrategy[str]:
    return _expr(depth)


def latex_expr() -> st.SearchStrategy[str]:
    """An expression of the engine's constructs, nested a few levels, with junk mixed in."""
    return _expr_at(3)


@functools.cache
def latex_formula() -> st.SearchStrategy[str]:
    """A formula: a relation between expressions (or just an expression), one or more lines, or a known one."""
    relation = st.tuples(latex_expr(), st.sampled_from(RELATIONS), latex_expr()).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
    lhs_bound = st.tuples(st.sampled_from(["y", "s", "u", "v", "y_i"]), st.sampled_from(RELATIONS), latex_expr()).map(
        lambda t: f"{t[0]} {t[1]} {t[2]}"
    )
    one = st.one_of(relation, lhs_bound, latex_expr(), st.sampled_from(list(RIGHT.values()) + list(WRONG.values())))
    lines = st.lists(one, min_size=1, max_size=3).map(" \\\\\n".join)
    aligned = lines.map(lambda t: "\\begin{aligned}\n" + t.replace("=", "&=", 1) + "\n\\end{aligned}")
    deep = st.tuples(st.sampled_from(["(", "{", r"\frac{1}{", r"\sqrt{", r"\left("]), st.integers(40, 400)).map(
        lambda t: "y = " + t[0] * t[1] + "x" + {"(": ")", "{": "}", r"\frac{1}{": "}", r"\sqrt{": "}", r"\left(": r"\right)"}[t[0]] * t[1]
    )
    huge = st.integers(5_000, 60_000).map(lambda n: "y = " + " + ".join(["x"] * (n // 4)))
    return st.one_of(one, one, lines, aligned, deep, huge, plain(max_size=30))


# ------------------------------------------------------------------------------------------ formula attributes

KNOWN_IDS = list(RIGHT)
ID_LIKE = KNOWN_IDS + ["fz.sys.u", "fz.sys.v", "fz.str", "fz.raise", "unbound.id", "x", "a-b_c.d", "Bad", "9x", "é", "a b",
                       "a}b", "", "fz.lin.extra", "-x"]  # fmt: skip


@functools.cache
def attributes() -> st.SearchStrategy[str]:
    """What may follow ``math`` on a fence or an inline span: braces good, odd and broken."""
    item = st.one_of(
        st.sampled_from(ID_LIKE).map(lambda i: f"#{i}"),
        st.sampled_from(['exempt="notation"', 'exempt=""', 'exempt="a \\"q\\""', "exempt", 'exempt="<b>x</b>"', "imported",
                         'imported="yes"', 'same="fz.lin"', 'same="nope"', 'same="Bad Id"', "same", 'unknown="1"', "#",
                         "##a", ".cls", "key=value", "{", "}", '"', "=", "\t", "#fz.lin#fz.sum"]),  # fmt: skip
        plain(max_size=6),
    )
    braces = st.lists(item, max_size=3).map(lambda xs: "{" + " ".join(xs) + "}")
    return st.one_of(st.just(""), braces, braces, st.sampled_from(["{", "}", "{{#a}}", "{#a", "#a}", "{#a} junk", " {#fz.lin} "]),
                     plain(max_size=10))


# ------------------------------------------------------------------------------------------ front matter

DATES = ["2021-08-10", "2026-02-30", "2021-13-01", "0000-01-01", "9999-12-31", "2021-08-10 10:00:00+09:00",
         "2021-08-10T10:00:00Z", "2021-08-10 25:61:00", "2021-8-1", "20210810", '"2021-08-10"', "{created: 2021-08-10}",
         "{created: 2026-02-30}", "{created: 5}", "[2021-08-10]", "!!timestamp 2021-02-30", "!!str 2021-08-10", "null",
         "~", "", "1e400", "-1", "2021-08-10 10:00:00 +09:00", "2021-08-10t10:00:00.123456789-12:00"]  # fmt: skip
YAML_VALUES = ["1", "-0", "0x1F", "0o17", "1e400", "-.inf", ".nan", "1" + "0" * 5000, "99999999999999999999", "true", "no",
               "null", "~", "''", '""', '"\\u0000"', '"\\ud800"', "'<script>alert(1)</script>'", '"<b>Q&A</b>"', "[a, [b, [c]]]",
               "{a: {b: {c: 1}}}", "[]", "{}", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x",
               "!!float nan", "&a [1, 2]", "*a", "*undefined", "|\n  block\n  text", ">-\n  folded", "'unclosed", '"unclosed',
               "[unclosed", "{unclosed", "- a\n  - b", "@reserved", "`reserved", "%YAML 1.2", "2021-08-10", "가나다", "\t1",
               "a: b: c", "'''", "!!int 1.5", "!local tag", "[" * 300 + "]" * 300]  # fmt: skip
YAML_KEYS = ["title", "date", "tags", "concepts", "week", "description", "slug", "categories", "authors", "draft", "template",
             "hide", "search", "readtime", "1", "true", "null", "~", "? [a, b]", "? {a: 1}", "가", "<b>", "x y", "'quoted'",
             "\t", "date ", "Date"]  # fmt: skip


@functools.cache
def good_front() -> st.SearchStrategy[str]:
    """A front matter the blog reads: a date, a title (with HTML or Hangul), tags and concepts."""
    return st.tuples(st.sampled_from(["2021-08-10", "2021-08-11", "2021-08-10 10:00:00+09:00", "2024-02-29"]),
                     st.sampled_from(["Day 7", "<b>Q&A</b>", "가나다", "x" * 200, "'quoted: colon'"])).map(
        lambda t: f"---\ndate: {t[0]}\ntitle: {t[1]}\ntags: [a, week 2]\nconcepts: [SGD, Adam]\n---"
    )  # fmt: skip


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "\n".join(
    f"{k}: &{k} [{', '.join(['*' + p] * 10)}]" for p, k in zip("abcdefg", "bcdefgh")
)


@functools.cache
def front_matter() -> st.SearchStrategy[str]:
    """The ``---`` block (or what passes for one), from good to very odd YAML."""
    entry = st.tuples(st.sampled_from(YAML_KEYS), st.one_of(st.sampled_from(YAML_VALUES), st.sampled_from(DATES), plain(max_size=12)))
    mapping = st.lists(entry, max_size=6).map(lambda es: "\n".join(f"{k}: {v}" for k, v in es))
    dated = st.tuples(st.sampled_from(DATES), mapping).map(lambda t: f"date: {t[0]}\n{t[1]}")
    good = good_front().map(lambda t: t[4:-4])
    special = st.sampled_from([
        "x: &a [1, *a]", "a: &x {b: *x}", "- 1\n- 2", "just a string", "42", "null", "", "# only a comment", "\t", "date:\t2021-08-10",
        "date: 2021-08-10\ndate: 2021-08-11", "? [a, b]\n: c", "1: one\n2.5: two\nnull: three\ntrue: four", "tags:\n- a\n  - b\n-",
        "title: a\n---\ntitle: b", "concepts: 3", "tags: 5", "tags: {a: 1}", "week: two", "week: true", "week: 1e400", "week: -3",
        "week: 99999999999999999999", "title: [1, 2]", "title: {a: 1}", "title: null", "date: 2021-08-10\ntags: 5\nconcepts: 3",
        "date: 2021-08-10\nweek: true", "date: 2021-08-10\ntitle: " + "x" * 300, "date: 2021-08-10\ntitle: " + "학" * 90,
        "date: 2021-08-10\nconcepts: [[a], {b: c}]", "date: 2021-08-10\ntags: [1, null, [x]]", "key: &a value\nother: *a",
        BILLION_LAUGHS, "date: 2021-08-10\ntags: week 2", "date: 2021-08-10\nweek: 0", "date: 2021-08-10\nslug: ../../etc",
        "date: 2021-08-10\ntemplate: ../x.html", "date: 2021-08-10\nlinks: 5", "date: 2021-08-10\ncategories: 3",
        "date: 2021-08-10\ndraft: maybe", "date: 2021-08-10\npin: 3", "date: 2021-08-10\nauthors: [nobody]",
    ])  # fmt: skip
    body = st.one_of(good, good, good, good, dated, mapping, special)
    opener = st.sampled_from(["---", "---", "--- ", "---\t", "----", "\ufeff---"])
    closer = st.sampled_from(["---", "---", "...", "--- ", None])
    return st.tuples(opener, body, closer).map(lambda t: t[0] + "\n" + t[1] + ("\n" + t[2] if t[2] is not None else ""))


# ------------------------------------------------------------------------------------------ Python examples

CODE_LINES = [
    "while True: pass", "import os; os._exit(0)", "print('\\ud800')", "raise ValueError('\\ud800')", "raise SystemExit(3)",
    "raise KeyboardInterrupt", "import time; time.sleep(0.05)", "print(1 + 1)", "print('가나다', 2 ** 10)", "x = 3", "print(x)",
    "print('<b>bold</b> <script>alert(1)</script>')", "print('<img src=x onerror=alert(1)>')", "print('![i](https://example.com/x.png)')",
    "print('\\x00\\x1b[31mred')", "print('a' * 20000)", "raise ValueError('boom')", "1 / 0", "import sys; sys.stdout.write('raw')",
    "import os; os.write(1, b'stray')", "import os; os.write(2, b'err')", "def (", "  indented", "print(undefined_name)",
    "import fuzzimpl; print(fuzzimpl.lin(1.0, 2.0))", "import numpy as np; print(np.arange(3))", "print(end='')", "print('```')",
    "print('$`x`$ [eq:fz.lin]')", "exit()", "import sys; sys.exit(0)", "import sys; sys.setrecursionlimit(50)", "print(__name__)",
    "print('\\r\\n\\r')", "# comment", "", "\t", "x = [i for i in range(10**5)]; print(len(x))",
]  # fmt: skip
OPTIONS = ['exec="on"', "exec=on", 'exec="1"', 'exec="true"', 'exec="off"', 'session="s"', 'session="t"', 'session=""',
           'result="text"', 'result="json"', 'result="<b>"', 'html="true"', 'html="1"', 'source="above"', 'source="tabbed-left"',
           'source="material-block"', 'id="x"', 'title="t"', "expect", 'unknown="1"', "{", "}", 'exec="on"exec="on"']  # fmt: skip


@functools.cache
def example_code(*, hangs: bool) -> st.SearchStrategy[str]:
    lines = [c for c in CODE_LINES if hangs or c != "while True: pass"]
    return st.lists(st.sampled_from(lines), max_size=4).map("\n".join)


@functools.cache
def python_fence(*, hangs: bool) -> st.SearchStrategy[str]:
    opts = st.lists(st.sampled_from(OPTIONS), max_size=4).map(" ".join)
    lang = st.sampled_from(["python", "python", "python", "py", "pycon", "Python"])
    return st.tuples(lang, opts, example_code(hangs=hangs)).map(lambda t: f"```{t[0]} exec=\"on\" {t[1]}\n{t[2]}\n```")


# ------------------------------------------------------------------------------------------ blocks


@functools.cache
def inline_piece(*, surrogates: bool) -> st.SearchStrategy[str]:
    tex = st.one_of(latex_expr(), st.sampled_from(list(RIGHT.values()) + list(WRONG.values())), plain(max_size=6))
    return st.one_of(
        words(surrogates=surrogates),
        st.tuples(tex, attributes()).map(lambda t: f"$`{t[0]}`${t[1]}"),
        st.tuples(st.sampled_from(KNOWN_IDS), st.sampled_from(list(RIGHT.values()))).map(lambda t: f"$`{RIGHT[t[0]]}`${{#{t[0]}}}"),
        tex.map(lambda t: f"$`{t}"),  # never closed
        tex.map(lambda t: f"`$`{t}`$`"),  # inside a code span
        tex.map(lambda t: f"\\$`{t}`$"),  # escaped
        tex.map(lambda t: f"``$`{t}`$``"),
        tex.map(lambda t: f"$`{t}`$`code`"),
        st.sampled_from(ID_LIKE).map(lambda i: f"[eq:{i}]"),
        st.sampled_from(["[eq:]", "[eq:fz.lin", "[[eq:fz.lin]]", "\\[eq:fz.lin]", "[eq:fz.lin](http://x)", "`[eq:fz.lin]`"]),
        st.sampled_from(["<b>b</b>", "<span onclick=alert(1)>x</span>", "<a href=javascript:alert(1)>x</a>", "<!-- c -->",
                         "<!--", "<img src=x onerror=alert(1)>", "<![CDATA[x]]>", "&#x3C;script&#x3E;", "<br>", "</div>",
                         "<kbd>Ctrl</kbd>", "<sub>2</sub>", "<math><mi>x</mi></math>", "<svg onload=alert(1)>"]),  # fmt: skip
        st.sampled_from(["$x$", "$$x$$", "\\(x\\)", "\\[x\\]", "$`", "`$", "$``$", "$`$`$", "$`x`$`$`y`$", "$`x`${#", "$`x`${}",
                         "$`x`${a, b}", "$`x`${#fz.lin} {#fz.sum}", "$` `$", "$`\\`$", "$`x\\`$"]),  # fmt: skip
    )


@functools.cache
def paragraph(*, surrogates: bool) -> st.SearchStrategy[str]:
    return st.lists(inline_piece(surrogates=surrogates), min_size=1, max_size=6).map(" ".join)


@functools.cache
def math_fence() -> st.SearchStrategy[str]:
    marks = st.sampled_from(["```", "```", "````", "~~~", "~~~~"])
    indent = st.sampled_from(["", "", "  ", "   ", "    ", "\t", "- ", "1. ", "> "])
    closer = st.sampled_from(["same", "same", "same", "longer", "shorter", "other", "none", "indented", "trailing"])

    def build(t: tuple[str, str, str, str, str, str]) -> str:
        m, ind, lang, attrs, body, how = t
        close = {"same": m, "longer": m + m[0], "shorter": m[:-1], "other": "~~~" if m[0] == "`" else "```", "none": "",
                 "indented": "      " + m, "trailing": m + " x"}[how]  # fmt: skip
        prefix = ind if ind in ("> ",) else ""
        inner = " " * len(ind) if ind in ("- ", "1. ") else ind if ind.strip() == "" else prefix
        body = "\n".join(inner + b for b in body.split("\n"))
        return f"{ind}{m}{lang}{attrs}\n{body}\n{inner}{close}"

    lang = st.sampled_from(["math", "math ", "math\t", "Math", "math{#fz.lin}", "latex", "math math"])
    return st.tuples(marks, indent, lang, attributes(), latex_formula(), closer).map(build)


@functools.cache
def linked_formula() -> st.SearchStrategy[str]:
    """A display formula with a known id and its right (or wrong) LaTeX: verdicts have an oracle."""
    return st.tuples(st.sampled_from(KNOWN_IDS), st.booleans(), st.sampled_from(["", " ", "  "])).map(
        lambda t: f"```math {{#{t[0]}}}\n{(RIGHT if t[1] else WRONG)[t[0]]}\n{t[2]}```"
    )


@functools.cache
def other_fence() -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(st.sampled_from(["", "python", "js", "text", "text expect", "html", "mermaid", "{.py}", "```"]),
                  st.one_of(paragraph(surrogates=False), latex_formula())).map(lambda t: f"```{t[0]}\n{t[1]}\n```"),
        example_code(hangs=False).map(lambda c: f"```text expect\n{c}\n```"),
        st.just("```math\n```"),
        st.just("```\n```math {#fz.lin}\ny = a x + 1\n```\n```"),  # a math fence inside a code fence
        st.just("````markdown\n```math\nx\n```\n````"),
        st.just("```math {#fz.lin}\n```math\n```"),
        st.just("    ```math\n    indented code\n    ```"),
    )


@functools.cache
def raw_html() -> st.SearchStrategy[str]:
    return st.sampled_from([
        "<div>\n$`x`$ inside\n</div>", "<details><summary>s</summary>\n\n```math {#fz.sum}\ns = \\sum_{i=1}^{4} x_i\n```\n\n</details>",
        "<script>alert(1)</script>", "<!--\n```math\nx\n```\n-->", "<!--><img src=x onerror=alert(1)>-->",
        "<![CDATA[><img src=x onerror=alert(1)>]]>", "<style>body{background:u\\rl(x)}</style>", "<table><tr><td>$`x`$</td></tr></table>",
        "<div markdown=\"1\">\n\n$`y = a x + 1`${#fz.lin}\n\n</div>", "<pre>\n```math\nx\n```\n</pre>", "<iframe src=x></iframe>",
    ])  # fmt: skip


@functools.cache
def block(*, surrogates: bool, examples: bool) -> st.SearchStrategy[str]:
    choices = [
        paragraph(surrogates=surrogates), paragraph(surrogates=surrogates), math_fence(), math_fence(), linked_formula(),
        other_fence(), raw_html(), st.sampled_from(["# Title", "## 가나다", "#", "- item\n  - nested", "> quote", "| a | b |\n|---|---|\n| $`x`$ | [eq:fz.lin] |",
                                                 "!!! note\n    $`x`$", "---", "***", "[link](https://example.com)", "![img](https://example.com/i.png)",
                                                 "[^1]: note", "\t$`x`$", "    $`x`$", "* $`y = a x + 1`${#fz.lin}"]),
        long_line(),
    ]  # fmt: skip
    if examples:
        fence = python_fence(hangs=True)
        choices += [fence, fence, fence, python_fence(hangs=False).map(lambda f: f + "\n\n```text expect\n2\n```")]
    return st.one_of(*choices)


def line_ends(text: str, how: str) -> str:
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "cr":
        return text.replace("\n", "\r")
    if how == "mixed":
        return "".join(ch + ("\r" if ch == "\n" and i % 3 == 0 else "") for i, ch in enumerate(text))
    return text


@st.composite
def log_text(draw: st.DrawFn, *, surrogates: bool = False, examples: bool = False, front: bool = True) -> str:
    """A whole log: (BOM) (front matter) blocks, with LF, CRLF, CR or mixed line ends."""
    parts = []
    which = draw(st.integers(0, 7)) if front else 0
    if which in (1, 2):
        parts.append(draw(front_matter()))
    elif which > 2:
        parts.append(draw(good_front()))
    parts += draw(st.lists(block(surrogates=surrogates, examples=examples), max_size=8))
    sep = draw(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"]))
    text = sep.join(parts) + draw(st.sampled_from(["\n", "", "\n\n", " "]))
    text = line_ends(text, draw(st.sampled_from(["lf", "lf", "lf", "crlf", "cr", "mixed"])))
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


# ------------------------------------------------------------------------------------------ logs that should build

SAFE_TEX = ["x + y", r"\alpha_t", r"\frac{1}{2}", r"\sum_{i=1}^{n} x_i", r"\sqrt{x}", "가", r"\text{가나다}", r"e^{i\pi}", "x'"]
SAFE_CODE = ["print(1 + 1)", "print('가나다 <b>&amp;</b>')", "print('<script>alert(1)</script>')", "print('|a|b|')",
             "x = 21", "print(x * 2)", "print('$`x`$ [eq:fz.lin]')", "import time; time.sleep(0.01)", "print('\\u202e rtl')"]  # fmt: skip


@functools.cache
def clean_block() -> st.SearchStrategy[str]:
    """A block of a log with no problem in it: a site of these and `BASE_LOG` must build green."""
    exempt = st.tuples(st.sampled_from(SAFE_TEX), st.sampled_from(["notation", "a <b>reason</b> & more", "가나다"])).map(
        lambda t: f'```math {{exempt="{t[1]}"}}\n{t[0]}\n```'
    )
    inline = st.sampled_from(SAFE_TEX).map(lambda t: f"Inline $`{t}`$ is prose.")
    code = st.tuples(st.sampled_from(['exec="on"', 'exec="on" result="text"', 'exec="on" session="s"', 'exec="on" html="1"']),
                     st.lists(st.sampled_from(SAFE_CODE), min_size=1, max_size=3)).map(
        lambda t: f"```python {t[0]}\n" + "\n".join(c for c in t[1] if "x * 2" not in c or "session" in t[0]) + "\n```"
    )  # fmt: skip
    text = st.lists(st.sampled_from(["가나다", "the step", "<kbd>Ctrl</kbd>", "a &amp; b", "*em*", "`code`", "[eq:fz.lin]",
                                     "[eq:fz.sum]", "e\u0301", "עברית", "😀", "\u200b"]), min_size=1, max_size=6).map(" ".join)  # fmt: skip
    return st.one_of(text, text, exempt, inline, code, st.sampled_from(["## 가나다", "- a\n- b", "| a | b |\n|---|---|\n| 1 | 2 |"]))


@st.composite
def clean_log(draw: st.DrawFn) -> str:
    """A log that should build (strict): good front matter, no unlinked equation, every example runs."""
    blocks = [draw(good_front()), "# " + draw(st.sampled_from(["Day", "가나다", "A <b>bold</b> day"]))]
    blocks += draw(st.lists(clean_block(), max_size=6))
    return line_ends("\n\n".join(blocks) + "\n", draw(st.sampled_from(["lf", "crlf"])))
