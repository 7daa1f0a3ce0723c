"""Bad input gives a clear message, never a traceback (issue 15's engine gaps), and discovery does not depend on
the order modules are imported in (issue 13, item 4).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest

from studylog.engine.binding import Array, In, Out, bindings_of, implements
from studylog.engine.check import INVALID, VERIFIED, check_binding
from studylog.engine.latex import MAX_DEPTH, canonical, has_relation, normalize, split_lines, tokenize
from studylog.engine.verify import ProjectConfig, discover, verify_paths
from studylog.errors import LatexError
from tests.engine.test_strength import formulas


class Pair(NamedTuple):
    y: Any


@pytest.mark.parametrize(
    ("value", "what"),
    [("0.5", "'0.5' (str)"), (None, "None (NoneType)"), ({"y": 1.0}, "(dict)"), (1 + 2j, "(complex)"),
     (["a", "b"], "(list)"), (object(), "(object)"), (Pair(y="high"), "'high' (str)")],
)  # fmt: skip
def test_a_binding_that_returns_something_not_numeric_is_invalid_with_a_message(value: Any, what: str) -> None:
    attr = "y" if isinstance(value, Pair) else None

    @implements("odd", symbols={"y": Out(attr), "x": In("x", Array())})
    def odd(x):
        return value

    result = check_binding(bindings_of(odd)[0], formulas("y = 2 x", ids=("odd",)))[0]
    assert result.status == INVALID
    assert what in result.message and "not a number or an array of numbers" in result.message, result.message


def _nested(kind: str, depth: int) -> str:
    return {
        "braces": "{" * depth + "x" + "}" * depth,
        "parentheses": "(" * depth + "x" + ")" * depth,
        "left-right": r"\left(" * depth + "x" + r"\right)" * depth,
        "fractions": r"\frac{1}{" * depth + "x" + "}" * depth,
        "roots": r"\sqrt{" * depth + "x" + "}" * depth,
        "powers": "x^{" * depth + "x" + "}" * depth,
        "floors": r"\lfloor " * depth + "x" + r" \rfloor" * depth,
        "minus signs": "- " * depth * 5 + "x",
        "absolute values": r"\left|" * depth + "x" + r"\right|" * depth,
    }[kind]


KINDS = ["braces", "parentheses", "left-right", "fractions", "roots", "powers", "floors", "minus signs", "absolute values"]
DEEP = bindings_of(implements("deep", symbols={"y": Out(), "x": In("x", Array(0.5, 0.9))})(lambda x: x))[0]


@pytest.mark.parametrize("kind", KINDS)
def test_a_formula_nested_200_levels_deep_is_a_clear_latex_error(kind: str) -> None:
    latex = "y = " + _nested(kind, 200)
    result = check_binding(DEEP, formulas(latex, ids=("deep",)))[0]
    assert result.status == INVALID
    assert "levels deep" in result.message and ("the limit is 50 levels" in result.message or "the limit is 100" in result.message)
    if kind not in ("minus signs", "absolute values"):  # nesting without brackets is only met by the parser
        with pytest.raises(LatexError, match="the limit is 50 levels"):
            canonical(latex)
    assert has_relation(latex)  # read without recursion: the formula is still found to be an equation
    assert split_lines(latex)  # and split into its one line


@pytest.mark.parametrize("kind", ["braces", "parentheses", "fractions", "roots", "floors"])
def test_the_limit_is_generous_for_real_formulas(kind: str) -> None:
    latex = "y = " + _nested(kind, MAX_DEPTH - 2)
    normalize(tokenize(latex))  # no error below the limit
    assert check_binding(DEEP, formulas(latex, ids=("deep",)))[0].status in (VERIFIED, "mismatch")


def test_deep_formulas_in_a_log_are_reported_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    deep = _nested("parentheses", 200)
    (tmp_path / "docs" / "log.md").write_text(f"# L\n\n```math {{#deep}}\ny = {deep}\n```\n\nInline $`y = {deep}`$.\n")
    report = verify_paths([tmp_path / "docs"], ProjectConfig(root=tmp_path, docs_dir=tmp_path / "docs", implementations=()))
    lines = sorted(s.problem_line() for s in report.statuses)
    assert lines[0].startswith("docs/log.md:3: deep: no implementation declares") or "docs/log.md:3" in lines[0]
    assert any(line.startswith("docs/log.md:7: (no id): inline equation without an id") for line in lines), lines


def test_bindings_attached_in_another_module_are_found_whatever_the_import_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = tmp_path / "orderpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a_impl.py").write_text("def double(x):\n    return 2 * x\n")  # imported (and read) first
    (pkg / "b_bind.py").write_text(textwrap.dedent('''
        from studylog.engine.binding import Array, In, Out, implements
        from orderpkg.a_impl import double
        from helper_outside import triple
        implements("double", symbols={"y": Out(), "x": In("x", Array())})(double)
        implements("triple", symbols={"y": Out(), "x": In("x", Array())})(triple)
    '''))  # fmt: skip
    (tmp_path / "helper_outside.py").write_text("def triple(x):\n    return 3 * x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith(("orderpkg", "helper_outside"))]:
        monkeypatch.delitem(sys.modules, name)
    found = discover(["orderpkg"], tmp_path)
    assert sorted(fid for b in found for fid in b.formula_ids) == ["double", "triple"]
    double = next(b for b in found if b.formula_ids == ("double",))
    assert check_binding(double, formulas("y = 2x", ids=("double",)))[0].status == VERIFIED
    assert np.array_equal(double.func(np.ones(2)), [2.0, 2.0])


_VOCAB = [
    "y_i", "=", "x_i", "x_j", "x_{i+1}", r"\sum", "_", "^", "{", "}", "(", ")", "[", "]", r"\frac", r"\sqrt", r"\lfloor", r"\rfloor",
    r"\begin{cases}", r"\end{cases}", "&", "\\\\", r"\mathbb{1}", r"\int", "dt", "t", r"\max", r"\arg\max", r"\prod", "i", "j", "k", "1",
    "0", "2.5", "+", "-", r"\cdot", "|", r"\|", r"\rVert", "_2", "_F", r"\theta", "a", r"\mathrm{op}", "W", r"^\top", "g", ",", ".",
    r"\leq", "<", r"\neq", r"\infty", r"\text{if}", r"\text{otherwise}", r"\quad", "%", "\n", r"\mathbf{x}", r"\nabla_\theta",
    r"\left(", r"\right)", r"\log", r"\operatorname{exp}", "'", r"\phantom", r"\dots", r"\begin{aligned}", r"\end{aligned}",
    r"\sum_{i=1}^{5}", "x_{ij}", r"\int_0^1", r"\int_{-\infty}^{x_i}", "dx", r"\,", r"\mathrm{d}t",
]  # fmt: skip


def test_random_token_soup_never_escapes_as_an_exception() -> None:
    """A bounded random run (the on-demand fuzzer of issue 15 is larger): every input is a verdict or a LatexError."""
    import random

    from studylog.engine.binding import Fn, Index, Matrix, Op, Scalar, Var

    @implements("soup", symbols={"y_i": Out(), "x_i": In("x", Array(shape=(5,))), "i": Index(), "j": Index(), "k": Index(start=0),
                                 r"\theta": Var("t", Array(shape=(2,))), "a": In("a", Scalar()), r"\mathrm{op}": Op(np.tanh),
                                 "W": In("W", Matrix(2, 3)), "g": In("g", Fn())})  # fmt: skip
    def soup(x, a, W, g):  # noqa: N803
        return {"t": np.zeros(2)}

    rng = random.Random(0)
    for _ in range(3000):
        latex = " ".join(rng.choice(_VOCAB) for _ in range(rng.randint(1, 25)))
        latex = "y_i = " + latex if rng.random() < 0.5 else latex
        assert check_binding(bindings_of(soup)[0], formulas(latex, ids=("soup",)))[0].status in (INVALID, VERIFIED, "mismatch")
        has_relation(latex)
        split_lines(latex)
        try:
            canonical(latex)
        except LatexError:
            pass
