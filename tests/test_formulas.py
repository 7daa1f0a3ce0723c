"""Every formula of the logs is its own test item, named by its id (``pytest -k adam``)."""

from __future__ import annotations

import pytest

from studylog.engine.pytest_items import check_formula, formula_params
from tests.conftest import ROOT


@pytest.mark.parametrize("formula_id", formula_params(ROOT))
def test_formula(formula_id: str) -> None:
    check_formula(formula_id, ROOT)


def test_site_problems_are_none() -> None:
    """Duplicate ids, unknown references and implementations of unknown ids are problems too."""
    from studylog.engine.pytest_items import _report

    problems = _report(str(ROOT)).problems
    assert not problems, "\n".join(map(str, problems))
