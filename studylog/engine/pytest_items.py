"""pytest integration: one test item per formula of the logs, named by its id.

Used from a test module::

    from studylog.engine.pytest_items import formula_params, check_formula
    @pytest.mark.parametrize("formula_id", formula_params())
    def test_formula(formula_id): check_formula(formula_id)

``pytest -k adam`` then selects Adam's formulas. Each binding is checked once per session.
"""

from __future__ import annotations

import functools
from pathlib import Path

from studylog.engine.check import EXEMPT, VERIFIED
from studylog.engine.scan import markdown_files
from studylog.engine.verify import FormulaIndex, Report, build_index, check_all, discover, load_config


@functools.cache
def _index(root: str) -> FormulaIndex:
    config = load_config(Path(root))
    return build_index(markdown_files([config.docs_dir]), config.root)


@functools.cache
def _report(root: str) -> Report:
    config = load_config(Path(root))
    return check_all(_index(root), discover(config.implementations, config.root))


def formula_params(root: Path | None = None) -> list[str]:
    """Every formula id of the project's logs, plus a pseudo-id per unlinked equation."""
    index = _index(str((root or Path.cwd()).resolve()))
    ids = [f.id for f in index.formulas if f.id]
    unlinked = [f"unlinked@{f.location}" for f in index.formulas if not f.id and not f.exempt and (f.display or f.is_equation)]
    return ids + unlinked


def check_formula(formula_id: str, root: Path | None = None) -> None:
    """Fail (with ``file:line: id: what differs``) unless the formula verifies or is exempt."""
    import pytest

    key = str((root or Path.cwd()).resolve())
    report = _report(key)
    if formula_id.startswith("unlinked@"):
        pytest.fail(f"{formula_id.split('@', 1)[1]}: equation without an id: link it ({{#id}}) or exempt it")
    status = report.by_id().get(formula_id)
    if status is None:
        pytest.fail(f"{formula_id}: not found in the logs")
    if status.status not in (VERIFIED, EXEMPT):
        pytest.fail(status.problem_line(), pytrace=False)
