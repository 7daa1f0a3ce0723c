"""A formula restated on a later page (``same="id"``) is checked by the original's implementation, in its place."""

from __future__ import annotations

from pathlib import Path

from studylog.engine.binding import In, Out, Scalar, implements
from studylog.engine.status import Status
from studylog.engine.verify import add_log, check_all, check_references, FormulaIndex
from studylog.engine.scan import scan_text


@implements("dbl", symbols={"y": Out(), "x": In("x"), "a": In("a", Scalar())})
def scaled(x, a):
    return a * x


DAY1 = "---\ndate: 2021-08-10\n---\n\n```math {#dbl}\ny = a x\n```\n"


def verdicts(day2: str) -> dict[int, tuple[Status, str]]:
    index = FormulaIndex()
    for path, text in (("day1.md", DAY1), ("day2.md", day2)):
        add_log(index, scan_text(text, path))
    check_references(index)
    report = check_all(index, [scaled.__studylog_bindings__[0]])
    return {s.formula.line: (s.status, s.message) for s in report.statuses if s.formula.path == "day2.md"}


def test_a_restatement_is_verified_by_the_original_binding() -> None:
    day2 = "---\ndate: 2021-08-11\n---\n\nRecap:\n\n```math {same=\"dbl\"}\ny = x a\n```\n"
    assert verdicts(day2) == {7: (Status.VERIFIED, verdicts(day2)[7][1])}
    assert verdicts(day2)[7][1].startswith("restates dbl")


def test_a_wrong_restatement_fails_at_its_own_line() -> None:
    day2 = "---\ndate: 2021-08-11\n---\n\n```math {#dbl.recap same=\"dbl\"}\ny = a + x\n```\n"
    status, message = verdicts(day2)[5]
    assert status is Status.MISMATCH, message


def test_a_restatement_of_an_unknown_id_is_invalid() -> None:
    day2 = "---\ndate: 2021-08-11\n---\n\n```math {same=\"nope\"}\ny = a x\n```\n"
    status, message = verdicts(day2)[5]
    assert status is Status.INVALID and "names no formula" in message
