r"""Posts assembled at random from pieces whose formulas are known by construction (seeded, 150 posts).

Each piece says which LaTeX it holds once converted; the post's expected formulas are the pieces' in
order. The converted log's formulas (read with the engine's scanner) must be exactly those, and no
dollar may be left in the log outside code, formulas and the pieces' literal dollars.
"""

from __future__ import annotations

import random

from studylog.authoring.convert import convert_post
from studylog.authoring.formulas import log_formulas

# (source, formulas it holds after conversion)
INLINE_PIECES = [
    ("$x_1$", ["x_1"]),
    ("$\\alpha\\_t + \\beta\\_{t-1}$", ["\\alpha_t + \\beta_{t-1}"]),
    ("$$\\|w\\|_2$$", ["\\|w\\|_2"]),
    ("**$\\eta$**", ["\\eta"]),
    ("$a \\* b$", ["a * b"]),
    ("\\$3", []),
    ("[링크](https://a.org/$b$)", []),
    ("학습률", []),
    ("![img](https://a.org/x_$1.png)", []),
]
# a code span ends a line: the engine's scanner does not yet see inline math after one (see
# test_a_formula_after_a_code_span_on_the_same_line_reaches_the_site in test_authoring_math.py)
LINE_END_PIECES = [("$5 and $10", []), ("100$", []), ("`$HOME`", []), ("", [])]
PREFIXES = ["", "* ", "  * ", "    - ", "1. "]


def random_line(rng: random.Random) -> tuple[str, list[str]]:
    pieces = [rng.choice(INLINE_PIECES) for _ in range(rng.randint(1, 3))] + [rng.choice(LINE_END_PIECES)]
    text = " 그리고 ".join(p for p, _ in pieces if p)
    return rng.choice(PREFIXES) + text, [f for _, fs in pieces for f in fs]


def random_block(rng: random.Random) -> tuple[list[str], list[str]]:
    kind = rng.randrange(5)
    if kind == 0:  # display formula in a list item
        return ["* 식", "  $$", "  L = \\frac{1}{n} \\sum_{i} e_i^2", "  $$"], ["L = \\frac{1}{n} \\sum_{i} e_i^2"]
    if kind == 1:  # a table with pipes inside its formulas
        return (["| 기호 | 뜻 |", "|---|---|", "| $P(A\\|B)$ | 확률 |", "| $5 | $10 |"], ["P(A\\vert B)"])
    if kind == 2:  # fenced code full of dollars
        return ["```bash", 'echo "$x $y" $', "```"], []
    lines, formulas = [], []
    for _ in range(rng.randint(1, 4)):
        line, fs = random_line(rng)
        lines.append(line)
        formulas += fs
    return lines, formulas


def test_random_posts_keep_exactly_their_formulas():
    rng = random.Random(20210810)
    for n in range(150):
        lines, expected = ["---", f"title: post {n}", "---"], []
        for _ in range(rng.randint(1, 6)):
            block, formulas = random_block(rng)
            lines += [*block, ""]
            expected += formulas
        post = convert_post("\n".join(lines), path=f"post{n}.md", stem=f"2021-08-10-p{n}")
        got = [latex for _, latex in log_formulas(post.markdown)]
        assert got == expected, "\n".join(lines)
        assert len(post.found) == len(expected)
