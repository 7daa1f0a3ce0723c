"""The memo of checks gives exactly the verdicts a check without it gives, through a writer's edits.

The oracle is `check_all` without a memo on the same text. One memo lives through the whole sequence,
as in a ``mkdocs serve`` session: lines moved by prose written above, a formula broken and mended, a
restatement (``same=``), an id duplicated on another page, a formula the parser refuses, a new seed.
"""

from __future__ import annotations

import re

import pytest

from studylog.engine.memo import CheckMemo
from studylog.engine.verify import check_all, check_references, discover, load_config, add_log, FormulaIndex
from studylog.engine.scan import scan_text
from tests.conftest import ROOT

DAY7 = "docs/blog/posts/2021-08-10-day07-optimization.md"
DAY8 = next(str(p.relative_to(ROOT)) for p in sorted((ROOT / "docs/blog/posts").glob("*day08*.md")))
ADAM_M = r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t"


def _logs() -> dict[str, str]:
    return {path: (ROOT / path).read_text(encoding="utf-8") for path in (DAY7, DAY8)}


def _verdicts(logs: dict[str, str], bindings, *, seed: int = 0, memo: CheckMemo | None = None) -> list[tuple]:
    index = FormulaIndex()
    for path, text in logs.items():
        add_log(index, scan_text(text, path))
    check_references(index)
    report = check_all(index, bindings, seed=seed, memo=memo)
    statuses = [(s.formula.path, s.formula.line, s.formula.id, s.status.value, s.message, s.line) for s in report.statuses]
    return sorted(statuses, key=repr) + sorted(str(p) for p in report.problems)


def _first_body_line(text: str) -> int:
    """The index (in lines) just after the front matter."""
    return text.split("\n").index("---", 1) + 1


def _insert(text: str, at: int, lines: list[str]) -> str:
    rows = text.split("\n")
    return "\n".join(rows[:at] + lines + rows[at:])


@pytest.fixture(scope="module")
def bindings():
    return discover(load_config(ROOT).implementations, ROOT)


def test_the_memo_gives_the_verdicts_of_a_fresh_check_through_a_writers_edits(bindings) -> None:
    memo = CheckMemo()
    logs = _logs()
    assert ADAM_M in logs[DAY7]
    steps: list[tuple[str, dict[str, str], int, bool]] = []  # (what, logs, seed, whether anything must be checked)

    def step(what: str, changed: dict[str, str], *, seed: int = 0, runs: bool) -> None:
        logs.update(changed)
        steps.append((what, dict(logs), seed, runs))

    step("first build", {}, runs=True)
    step("no change", {}, runs=False)
    at = _first_body_line(logs[DAY7])
    step("prose above every formula", {DAY7: _insert(logs[DAY7], at, ["", "A new paragraph,", "on two lines.", ""])}, runs=False)
    step("a formula broken", {DAY7: logs[DAY7].replace(ADAM_M, ADAM_M.replace("(1 - ", "(1 + "), 1)}, runs=True)
    step("more prose above the broken one", {DAY7: _insert(logs[DAY7], at, ["One more line."])}, runs=False)
    step("mended", {DAY7: logs[DAY7].replace(ADAM_M.replace("(1 - ", "(1 + "), ADAM_M, 1)}, runs=False)
    recap = ["", "Recap:", "", '```math {#adam.m.recap same="adam.m"}', ADAM_M.replace("(1 - ", "(1 + "), "```", ""]
    step("a wrong restatement on another page", {DAY8: logs[DAY8] + "\n".join(recap)}, runs=True)
    step("the restatement mended", {DAY8: logs[DAY8].replace(recap[4], ADAM_M)}, runs=True)
    step("an id taken twice", {DAY8: logs[DAY8] + "\n```math {#adam.m}\nm_t = g_t\n```\n"}, runs=False)
    broken = "```math {#adam.m title=\"Adam: first moment\"}\n" + ADAM_M
    assert broken in logs[DAY7]
    unparsable = broken.replace(ADAM_M, "m_t = \\beta_1 m_{t-1}\n  + (1 - \\beta_1) \\frobnicate g_t")
    step("a formula the parser refuses, on its second line", {DAY7: logs[DAY7].replace(broken, unparsable, 1)}, runs=True)
    step("prose above the refused one", {DAY7: _insert(logs[DAY7], at, ["", "Again.", ""])}, runs=False)
    step("another seed", {}, seed=1, runs=True)

    for what, text, seed, runs in steps:
        before = memo.misses
        got = _verdicts(text, bindings, seed=seed, memo=memo)
        assert got == _verdicts(text, bindings, seed=seed), f"{what}: the memo changed a verdict"
        assert (memo.misses > before) == runs, f"{what}: {memo.misses - before} checks run"
    refused = [v for v in got if isinstance(v, tuple) and v[2] == "adam.m" and v[0] == DAY7]
    assert refused and refused[0][3] == "invalid" and refused[0][5] is not None  # a line inside the formula, moved


def test_a_result_that_names_a_line_outside_its_formulas_is_not_remembered() -> None:
    from studylog.engine.binding import In, Out, implements
    from studylog.engine.check import CheckResult
    from studylog.engine.status import Status
    import studylog.engine.memo as memo_module

    @implements("twice", symbols={"y": Out(), "x": In("x")})
    def twice(x):
        return 2 * x

    (binding,) = twice.__studylog_bindings__
    (formula,) = scan_text("---\ndate: 2021-08-10\n---\n\n```math {#twice}\ny = 2 x\n```\n", "a.md").formulas
    memo = CheckMemo()
    original = memo_module.check_binding
    memo_module.check_binding = lambda b, f, seed=0: [CheckResult(b, Status.INVALID, "elsewhere", None, 99)]
    try:
        assert memo.check(binding, [formula])[0].line == 99
        assert len(memo) == 0  # a moved formula could not carry line 99 along: checked again next time
    finally:
        memo_module.check_binding = original
    assert memo.check(binding, [formula])[0].status == Status.VERIFIED and len(memo) == 1
    assert re.fullmatch(r"[0-9a-f]{64}", next(iter(memo.take_added())))
