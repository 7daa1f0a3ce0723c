"""pytest plugin (entry point ``pytest11: studylog``): one test item per formula and per executed example.

Opt-in, so installing studylog adds nothing to other projects' test runs: ``pytest --studylog`` or
``studylog = true`` in the ini file, with the logs' folder among the paths pytest collects (e.g.
``testpaths = ["tests", "docs"]``). Then every log (``*.md`` under the docs folder) is collected:

* ``<log>::<formula id>`` — passes when the formula verifies (or is exempt); ``pytest -k adam``
  selects Adam's formulas. An equation without an id is ``<log>::unlinked@<line>``.
* ``<log>::example@<line>`` — runs the example as the site's worker does, and compares its output
  with the ``text expect`` block after it, if any.
* ``<log>::markup`` — the log's own problems (bad braces, unknown references, duplicate ids).

Verdicts come from `studylog.engine.verify.verify_site`, the same entry point as ``studylog verify``
and the site build, computed once per session; a binding that fails fails only its own formulas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from studylog.engine.verify import ProjectConfig, Report, load_config, verify_site
from studylog.errors import StudylogError

_REPORT = pytest.StashKey[dict[str, Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("studylog")
    group.addoption("--studylog", action="store_true", default=None,
                    help="collect a test item per formula and executed example of the logs")  # fmt: skip
    parser.addini("studylog", type="bool", default=False, help="collect the logs' formulas and examples as tests")


def _enabled(config: pytest.Config) -> bool:
    option = config.getoption("studylog")
    return bool(option) if option is not None else bool(config.getini("studylog"))


def _state(config: pytest.Config) -> dict[str, Any]:
    """The project's configuration and its one verification, computed on first use."""
    if _REPORT not in config.stash:
        state: dict[str, Any] = {"error": None}
        try:
            state["project"] = load_config(config.rootpath)
        except StudylogError as exc:
            state["error"] = exc
        config.stash[_REPORT] = state
    return config.stash[_REPORT]


def _report(config: pytest.Config) -> Report:
    state = _state(config)
    if "report" not in state:
        state["report"] = verify_site(state["project"])
    return state["report"]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".md" or not _enabled(parent.config):
        return None
    state = _state(parent.config)
    project: ProjectConfig | None = state.get("project")
    # as pytest found it, links not followed: a log linked from elsewhere is collected once, in the docs
    if project is None or not file_path.absolute().is_relative_to(project.docs_dir.absolute()):
        return None
    return LogFile.from_parent(parent, path=file_path)


class LogFile(pytest.File):
    """One log: its formulas, its examples and its markup."""

    def collect(self):  # type: ignore[no-untyped-def]
        from studylog.markup import read_log

        project: ProjectConfig = _state(self.config)["project"]
        shown = self.path.resolve().relative_to(project.root).as_posix()
        try:
            log = read_log(self.path, shown)
        except StudylogError as exc:
            yield ProblemsItem.from_parent(self, name="markup", problems=[str(exc)])
            return
        from studylog.engine.scan import scan_page

        scanned = scan_page(log)
        yield ProblemsItem.from_parent(self, name="markup", problems=None, shown=shown)
        for f in scanned.formulas:
            if f.id is not None:
                yield FormulaItem.from_parent(self, name=f.id, key=(f.path, f.line, f.latex))
            elif f.same is not None:
                yield FormulaItem.from_parent(self, name=f"{f.same}@{f.line}", key=(f.path, f.line, f.latex))
            elif f.exempt is None and not f.imported and (f.display or f.is_equation):
                yield FormulaItem.from_parent(self, name=f"unlinked@{f.line}", key=(f.path, f.line, f.latex))
        examples = log.examples
        for example in examples:
            yield ExampleItem.from_parent(self, name=f"example@{example.fence.line}", example=example, shown=shown,
                                          root=project.root, all_examples=examples)  # fmt: skip


class FormulaItem(pytest.Item):
    def __init__(self, *, key: tuple[str, int, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def runtest(self) -> None:
        report = _report(self.config)
        status = next((s for s in report.statuses if (s.formula.path, s.formula.line, s.formula.latex) == self.key), None)
        if status is None:
            pytest.fail(f"{self.key[0]}:{self.key[1]}: {self.name}: no verdict (the log changed during the run?)")
        if not status.ok:
            pytest.fail(status.problem_line(), pytrace=False)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, self.key[1] - 1, f"formula {self.name}"


class ProblemsItem(pytest.Item):
    """The log's problems that belong to no single formula (markup, references, duplicate ids)."""

    def __init__(self, *, problems: list[str] | None, shown: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems, self.shown = problems, shown

    def runtest(self) -> None:
        problems = self.problems
        if problems is None:
            problems = [str(p) for p in _report(self.config).problems if p.path == self.shown]
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)


class ExampleItem(pytest.Item):
    def __init__(self, *, example: Any, shown: str, root: Path, all_examples: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.example, self.shown, self.root, self.all_examples = example, shown, root, all_examples

    def runtest(self) -> None:
        from studylog.runner.protocol import ExampleJob
        from studylog.runner.worker import Worker
        from studylog.site.examples import expected_output_problem

        worker = Worker(self.root, chdir=False)  # the site's worker code, in this (fresh) interpreter
        outcome = None
        for earlier in self.all_examples:  # a session's earlier blocks run first, as on the site
            if earlier is self.example or (self.example.session and earlier.session == self.example.session):
                fence = earlier.fence
                outcome = worker.run(ExampleJob(self.shown, fence.line, fence.body, earlier.session, 60.0))
                if earlier is self.example:
                    break
        assert outcome is not None
        if not outcome.ok:
            pytest.fail(f"{self.shown}:{outcome.error_line or self.example.fence.line}: the example failed: "
                        f"{outcome.error}", pytrace=False)  # fmt: skip
        why = expected_output_problem(self.example, outcome)
        if why is not None:
            pytest.fail(f"{self.shown}:{self.example.expect.line}: {why}", pytrace=False)

    def reportinfo(self):  # type: ignore[no-untyped-def]
        return self.path, self.example.fence.line - 1, f"example at line {self.example.fence.line}"
