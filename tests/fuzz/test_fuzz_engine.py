r"""Fuzz the checker: any formula is a verdict (with a message and a line when it fails), never an exception.

Layers: the LaTeX front end (`studylog.engine.latex`), the checker (`check_binding`) against the fuzzer's
implementation package, and `verify_site` on whole generated logs, whose records then travel as the
worker sends them (`studylog.engine.records`). Formulas linked to an id with the LaTeX its code computes
must be verified, and with LaTeX it does not compute never are: a verdict cannot be wrong silently.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from studylog.engine.binding import bindings_of
from studylog.engine.check import check_binding
from studylog.engine.latex import canonical, has_relation, split_lines
from studylog.engine.records import from_json, report_to_json
from studylog.engine.scan import Formula
from studylog.engine.status import Status
from studylog.engine.verify import ProjectConfig, verify_site
from studylog.errors import LatexError
from tests.fuzz.budget import budget, within
from tests.fuzz.checks import assert_located, lines_of
from tests.fuzz.project import PACKAGE, RIGHT, WRONG
from tests.fuzz.strategies import latex_formula, log_text

BOUND = ["fz.lin", "fz.sum", "fz.sys.u", "fz.str", "fz.raise"]


@budget(500)
@given(latex=st.one_of(latex_formula(), st.sampled_from([*RIGHT.values(), *WRONG.values()])), which=st.sampled_from(BOUND))
def test_any_formula_is_a_verdict_with_a_message_and_a_line(fuzz_project: Path, latex: str, which: str) -> None:
    module = importlib.import_module(PACKAGE)
    binding = next(b for v in vars(module).values() for b in bindings_of(v) if which in b.formula_ids)
    formulas = [Formula(latex=latex, path="log.md", line=10 + 10 * k, display=True, id=fid, content_line=11 + 10 * k)
                for k, fid in enumerate(binding.formula_ids)]  # fmt: skip
    with within(60, "checking one formula"):
        for read in (canonical, has_relation, split_lines):
            try:
                read(latex)
            except LatexError:
                pass
        results = check_binding(binding, formulas)
    assert len(results) == 1
    result = results[0]
    status = Status(result.status)
    if status is not Status.VERIFIED:
        assert result.message.strip()
    if result.line is not None:
        assert any(f.content_line <= result.line <= f.content_line + latex.count("\n") for f in formulas), result
    event(f"verdict: {status}")
    if which in RIGHT and latex == RIGHT[which]:
        assert status is Status.VERIFIED, result.message
    if which in WRONG and latex == WRONG[which]:
        assert status is not Status.VERIFIED


@budget(300)
@given(texts=st.lists(log_text(), min_size=1, max_size=3))
def test_verify_site_gives_every_formula_a_verdict_or_a_located_problem(fuzz_project: Path, texts: list[str]) -> None:
    logs = {f"docs/blog/posts/log{i}.md": t for i, t in enumerate(texts)}
    config = ProjectConfig(root=fuzz_project, docs_dir=fuzz_project / "docs", implementations=(PACKAGE,))
    with within(120, "verifying the logs"):
        report = verify_site(config, logs=logs)
    for problem in report.problems:
        assert_located(problem, logs)
    event(f"problems: {min(len(report.problems), 5)}")
    for s in report.statuses:
        assert s.formula.path in logs and 1 <= (s.line or s.formula.line) <= lines_of(logs[s.formula.path])
        if Status(s.status).failed:
            assert s.message.strip()
    for fid, formula in report.index.by_id.items():
        if fid not in RIGHT or formula.exempt is not None or formula.imported or formula.same is not None:
            continue
        verdict = next(s for s in report.statuses if s.formula is formula)
        event(f"a linked {fid}: {verdict.status}")
        if formula.latex.strip() == RIGHT[fid]:
            assert verdict.status == Status.VERIFIED, verdict.problem_line()
        elif formula.latex.strip() == WRONG[fid]:
            assert verdict.status != Status.VERIFIED, verdict.problem_line()
    records = from_json(report_to_json(report))  # what the worker sends the site
    assert len(records.verdicts) == len(report.statuses) and len(records.problems) == len(report.problems)
