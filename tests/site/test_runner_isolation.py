"""Chains of examples run isolated from each other in one worker (each in a child forked from it).

The oracle is what a fresh interpreter would print for each chain on its own, written by hand below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.runner.isolate import FORK_SAFE
from studylog.runner.pool import Runner
from studylog.runner.protocol import ExampleJob




@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "helper.py").write_text("FACTOR = 2\n", encoding="utf-8")
    return tmp_path


def _job(line: int, code: str, *, session: str | None = None, timeout: float = 20.0) -> ExampleJob:
    return ExampleJob("docs/log.md", line, code, session=session, timeout=timeout)


@pytest.mark.parametrize("fork", [True, False], ids=["forked-children", "an-interpreter-per-chain"])
def test_a_chain_never_sees_what_an_earlier_chain_did_to_modules(
    project: Path, fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fork:
        monkeypatch.setenv("STUDYLOG_NO_FORK", "1")  # the worker reads it: the fallback used outside Linux
    runner = Runner(project, ())
    try:
        runner.prewarm()
        first = runner.examples([_job(1, "import helper, json\nhelper.FACTOR = 99\njson.patched = True\nprint(helper.FACTOR)")])
        second = runner.examples([_job(9, "import helper, json\nprint(helper.FACTOR, hasattr(json, 'patched'))")])
        session = runner.examples([_job(20, "x = 5", session="s"), _job(30, "print(x * 2)", session="s")])
        assert [o.output for o in first + second + session] == ["99\n", "2 False\n", "", "10\n"]
        assert all(o.ok for o in first + second + session)
        assert runner.started == (1 if fork else 3), "one worker for every chain, or one per chain"
        assert "helper.py" in second[0].deps and "helper.py" in runner.code_seen  # what a child imported is watched
    finally:
        runner.close()


@pytest.mark.skipif(not FORK_SAFE, reason="a worker that forks outlives its children on Linux only")
def test_an_example_that_ends_hangs_or_reads_input_fails_at_its_line_and_the_worker_goes_on(project: Path) -> None:
    runner = Runner(project, ())
    try:
        ended = runner.examples([_job(1, "import os\nos._exit(4)", session="s"), _job(5, "print(1)", session="s")])
        assert [(o.ok, o.error) for o in ended] == [
            (False, "the example ended its interpreter (exit status 4)"),
            (False, "not run: an earlier example of its session ended the interpreter"),
        ]
        deaf = "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"
        (hung,) = runner.examples([_job(10, deaf, timeout=1.0)])
        assert not hung.ok and hung.error == "the example ran longer than 1 s and did not stop; its interpreter was killed"
        (asked,) = runner.examples([_job(20, "input()")])
        assert not asked.ok and asked.error.startswith("EOFError"), asked
        (after,) = runner.examples([_job(30, "print('still here')")])
        assert after.ok and after.output == "still here\n" and runner.started == 1
    finally:
        runner.close()


LAZY_IMPL = r'''from studylog.engine.binding import In, Out, Scalar, implements


@implements("scale", symbols={"y": Out(), "x": In("x"), r"\alpha": In("alpha", Scalar(0.5, 2.0))})
def scale(x, *, alpha):
    import factor  # imported by the check only, never by the worker's preload

    return factor.K * alpha * x
'''
LAZY_LOG = "---\ndate: 2021-08-11\n---\n\n```math {#scale}\ny = \\alpha x\n```\n"


@pytest.mark.parametrize("fork", [True, False], ids=["forked-children", "an-interpreter-per-chain"])
def test_remembered_checks_are_dropped_when_a_module_only_a_check_imported_changes(
    project: Path, fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker keeps the checks its code made (a rebuild re-checks only edited formulas); a module that
    only a check imported, outside the implementation packages, must still make them stale."""
    from tests.site.project import edit

    if not fork:
        monkeypatch.setenv("STUDYLOG_NO_FORK", "1")
    (project / "impl").mkdir()
    (project / "impl" / "__init__.py").write_text("", encoding="utf-8")
    (project / "impl" / "ops.py").write_text(LAZY_IMPL, encoding="utf-8")
    (project / "factor.py").write_text("K = 1\n", encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.studylog]\nimplementations = ["impl"]\n', encoding="utf-8")
    logs = {"docs/log.md": LAZY_LOG}
    runner = Runner(project, ("impl",))
    try:
        statuses = lambda: [v.status.value for v in runner.verify(logs).verdicts]  # noqa: E731
        assert statuses() == ["verified"]
        assert statuses() == ["verified"] and runner.checks == {"run": 0, "remembered": 1}
        edit(project / "factor.py", "K = 1", "K = 3")
        assert statuses() == ["mismatch"] and runner.checks["run"] == 1
        assert statuses() == ["mismatch"] and runner.checks == {"run": 0, "remembered": 1}
        edit(project / "factor.py", "K = 3", "K = 1")
        assert statuses() == ["verified"] and runner.checks["run"] == 1
        logs["docs/log.md"] = LAZY_LOG.replace("\\alpha x", "\\alpha + x")
        assert statuses() == ["mismatch"] and runner.checks["run"] == 1
        if fork:
            assert runner.started == 1, "the worker stays: only the memo was stale"
    finally:
        runner.close()
