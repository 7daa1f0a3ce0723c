"""Every formula of the real site, mutated by text edits (site_edits.py) and rewritten without changing its meaning.

Mutants of four kinds are generated wherever they apply, on every formula of the logs that an implementation
binds: a bound index swapped, a free index put into a summand, a norm of another kind, an identity with one
term scaled by ``1 ± 2·rtol``. Each must fail (mismatch or invalid). The rewrites the issue lists (trailing
punctuation, annotations, comments, bold symbols, ``\\operatorname``, superscript first, the output on the
right, ``\\text`` for ``\\mathrm``, ``\\nabla_W``) must verify. The counts are printed at the end of the run.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from studylog.engine.binding import Binding, Const, In, Index, Matrix, Out
from studylog.engine.check import INVALID, MISMATCH, VERIFIED, check_binding
from studylog.engine.power import perturbation
from studylog.engine.scan import markdown_files
from studylog.engine.verify import build_index, discover, load_config
from tests.conftest import ROOT
from tests.engine import site_edits
from tests.engine.conftest import record

CONFIG = load_config(ROOT)
INDEX = build_index(markdown_files([CONFIG.docs_dir]), CONFIG.root)


def _memoized(func: Callable[..., Any]) -> Callable[..., Any]:
    """The implementation, called once per distinct input (the simulations are the slow part of a check)."""
    cache: dict[bytes, Any] = {}

    @functools.wraps(func)
    def call(**kwargs: Any) -> Any:
        key = repr(sorted((k, np.asarray(v).tobytes() if not callable(v) else id(v)) for k, v in kwargs.items())).encode()
        if key not in cache:
            cache[key] = func(**kwargs)
        return cache[key]

    return call


BINDINGS = [dataclasses.replace(b, func=_memoized(b.func)) for b in discover(CONFIG.implementations, CONFIG.root)
            if all(fid in INDEX.by_id for fid in b.formula_ids)]  # fmt: skip
SITE = [(b, fid) for b in BINDINGS for fid in b.formula_ids if INDEX.by_id[fid].exempt is None]


def _with_spare_index(binding: Binding) -> Binding:
    """The binding with one more declared index, ``q``: a mutant using it fails by its meaning, not as undeclared."""
    if "q" in binding.symbols:
        return binding
    return dataclasses.replace(binding, symbols={**binding.symbols, "q": Index()})


def _status(binding: Binding, formula_id: str, latex: str) -> tuple[str, str]:
    formulas = [INDEX.by_id[f] if f != formula_id else dataclasses.replace(INDEX.by_id[f], latex=latex) for f in binding.formula_ids]
    result = check_binding(binding, formulas)[0]
    return result.status, result.message


def _indices(binding: Binding) -> list[str]:
    return [k for k, r in binding.symbols.items() if isinstance(r, Index)]


def _free_letters(binding: Binding, latex: str) -> list[str]:
    """Declared index letters not bound in ``latex`` first (the left side's), then the others."""
    bound = {x for _, letters in site_edits.binders(latex) for x in letters}
    declared = _indices(binding)
    return [x for x in declared if x not in bound] + [x for x in declared if x in bound] + ["q"]


def _mutants(binding: Binding, formula_id: str) -> list[tuple[str, str]]:
    latex = INDEX.by_id[formula_id].latex
    matrices = {k for k, r in binding.symbols.items() if isinstance(r, In) and isinstance(r.sample, Matrix)}
    out = [("bound index swapped", m) for m in site_edits.swap_bound_index(latex, [*_indices(binding), "q"])]
    out += [("free index in a summand", m) for m in site_edits.free_index_in_body(latex, _free_letters(binding, latex))]
    out += [("norm kind", m) for m in site_edits.norm_kind(latex, matrices)]
    if binding.identity:
        delta = perturbation(binding.rtol)
        out += [("perturbed identity", m) for m in site_edits.scale_each_term(latex, (1 + delta, 1 - delta))]
    return [(kind, m) for kind, m in out if m != latex]


MUTANTS = [(b, fid, kind, m) for b, fid in SITE for kind, m in _mutants(b, fid)]


def test_the_site_has_formulas_of_every_mutant_kind() -> None:
    kinds = {kind for _, _, kind, _ in MUTANTS}
    assert kinds == {"bound index swapped", "free index in a summand", "norm kind", "perturbed identity"}, kinds
    assert len(SITE) >= 100


@pytest.mark.parametrize(("binding", "formula_id", "kind", "latex"), MUTANTS,
                         ids=[f"{fid}:{kind}:{n}" for n, (_, fid, kind, _) in enumerate(MUTANTS)])  # fmt: skip
def test_mutant_is_caught(binding: Binding, formula_id: str, kind: str, latex: str) -> None:
    status, message = _status(_with_spare_index(binding), formula_id, latex)
    record("mutants (site)", kind, status in (MISMATCH, INVALID))
    assert status in (MISMATCH, INVALID), f"{formula_id}: {latex!r} verified"
    assert "undeclared" not in message, message  # caught for what it means, not for a name the table lacks


def _bold_bases(binding: Binding) -> list[str]:
    bases = []
    for key, role in binding.symbols.items():
        m = re.fullmatch(r"(\\[A-Za-z]+|[A-Za-z])(?:[_^].*)?", key)
        if m and isinstance(role, In | Out | Const) and not key.startswith((r"\mathrm", r"\hat", r"\tilde", r"\bar", r"\nabla")):
            bases.append(m.group(1))
    return list(dict.fromkeys(bases))


def _rewrites(binding: Binding, formula_id: str) -> list[tuple[str, str]]:
    latex = INDEX.by_id[formula_id].latex
    if "\\\\" in latex or r"\begin" in latex:
        return []  # multi-line and piecewise formulas: appended text would land on their last line only
    edits = site_edits.rewrites(latex, _bold_bases(binding), output_on_left=True)
    return [(kind, r) for kind, r in edits.items() if r != latex]


REWRITES = [(b, fid, kind, r) for b, fid in SITE for kind, r in _rewrites(b, fid)]


@pytest.mark.parametrize(("binding", "formula_id", "kind", "latex"), REWRITES,
                         ids=[f"{fid}:{kind}:{n}" for n, (_, fid, kind, _) in enumerate(REWRITES)])  # fmt: skip
def test_rewrite_verifies(binding: Binding, formula_id: str, kind: str, latex: str) -> None:
    status, message = _status(binding, formula_id, latex)
    record("rewrites (site)", kind, status == VERIFIED)
    assert status == VERIFIED, f"{formula_id}: {latex!r}: {message}"
