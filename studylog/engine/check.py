r"""Compile a binding's formulas and compare them with the implementation on random inputs.

For an assignment (``W_{t+1} \leftarrow W_t - \eta g_t``) the left-hand side must be an output of the
implementation; the right-hand side is evaluated on the drawn inputs and compared with that output.
Equations of a system are evaluated in order, later ones seeing the values of earlier left-hand sides.
For an identity (``identity=True``), both sides are evaluated on the simulator's samples and compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from studylog.engine.binding import Array, Binding, Choice, Const, Derived, Dim, Fixed, Fn, In, Int, Matrix, Op, Out, Scalar
from studylog.engine.latex import canonical, normalize, split_lines, split_relation, tokenize
from studylog.engine.parse import ARRAY, MATRIX, SCALAR, Node, Parser, SymbolInfo
from studylog.engine.sampling import draw_dims, rng_for, sample
from studylog.engine.scan import Formula
from studylog.engine.status import Status
from studylog.errors import BindingError, LatexError, StudylogError, UnknownSymbolError

VERIFIED, MISMATCH, INVALID, MISSING, UNLINKED, EXEMPT = (
    Status.VERIFIED, Status.MISMATCH, Status.INVALID, Status.MISSING, Status.UNLINKED, Status.EXEMPT,
)  # fmt: skip


@dataclass(frozen=True)
class Equation:
    """One line of a formula, compiled."""

    formula: Formula
    index: int  # line within the formula (0 for single-line formulas)
    line: int  # 1-based line in the log
    lhs_key: str | None  # assignment: the output symbol; identity: None
    lhs: Node | None  # identity: the compiled left side
    rhs: Node
    relation: str


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one binding against the formulas it names."""

    binding: Binding
    status: Status
    message: str = ""
    formula_id: str | None = None  # the formula the problem is in (None: all of them)
    line: int | None = None
    max_abs_diff: float | None = None


def _info(key: str, role: Any, kinds: dict[str, str]) -> SymbolInfo:
    canon = canonical(key)
    if isinstance(role, In):
        s = role.sample
        if isinstance(s, Fn):
            return SymbolInfo(key, canon, "op", "()")
        if isinstance(s, Matrix):
            return SymbolInfo(key, canon, MATRIX)
        if isinstance(s, (Array, Choice)):
            return SymbolInfo(key, canon, ARRAY)
        if isinstance(s, (Scalar, Int, Dim)):
            return SymbolInfo(key, canon, SCALAR)
        if isinstance(s, Fixed):
            if callable(s.value):
                return SymbolInfo(key, canon, "op", "()")
            return SymbolInfo(key, canon, ARRAY if np.ndim(s.value) else SCALAR)
        raise BindingError(f"symbol {key!r}: unknown sampler {s!r}")
    if isinstance(role, Out):
        return SymbolInfo(key, canon, kinds.get(key, ARRAY))
    if isinstance(role, Const):
        return SymbolInfo(key, canon, SCALAR)
    if isinstance(role, Op):
        return SymbolInfo(key, canon, "op", role.brackets, op=role.fn)
    if isinstance(role, Derived):
        return SymbolInfo(key, canon, ARRAY)  # replaced by the compiled expression below
    raise BindingError(f"symbol {key!r}: unknown role {role!r} (use In, Out, Const, Op or Derived)")


def _table(binding: Binding, kinds: dict[str, str]) -> list[SymbolInfo]:
    infos = [_info(k, r, kinds) for k, r in binding.symbols.items()]
    infos.sort(key=lambda s: len(s.canon), reverse=True)
    derived = {k: r for k, r in binding.symbols.items() if isinstance(r, Derived)}
    if derived:
        plain = [s for s in infos if s.key not in derived]
        compiled = {}
        for key, role in derived.items():
            toks = normalize(tokenize(role.latex))
            compiled[key] = Parser(toks, plain, role.latex).parse()
        infos = [SymbolInfo(s.key, s.canon, compiled[s.key].kind, derived=compiled[s.key]) if s.key in compiled else s
                 for s in infos]  # fmt: skip
    return infos


def compile_equations(binding: Binding, formulas: list[Formula]) -> list[Equation]:
    """Parse every line of ``formulas`` (in order) with the binding's closed symbol table.

    Raises:
        StudylogError: located at the formula's file and line.
    """
    kinds: dict[str, str] = {}
    equations: list[Equation] = []
    for formula in formulas:
        for index, (offset, text) in enumerate(split_lines(formula.latex)):
            line = formula.content_line + offset if formula.display else formula.line
            try:
                table = _table(binding, kinds)
                lhs_toks, relation, rhs_toks = split_relation(normalize(tokenize(text)))
                rhs = Parser(rhs_toks, table, text).parse()
                if binding.identity:
                    lhs = Parser(lhs_toks, table, text).parse()
                    equations.append(Equation(formula, index, line, None, lhs, rhs, relation))
                    continue
                lhs_canon = tuple(t.text for t in lhs_toks)
                key = next((s.key for s in table if s.canon == lhs_canon), None)
                lhs_text = "".join(lhs_canon)
                if key is None:
                    raise UnknownSymbolError(f"undeclared left-hand side '{lhs_text}'")
                if not isinstance(binding.symbols[key], Out):
                    raise BindingError(f"the left-hand side '{key}' must be bound to an output (Out) of {binding.path}")
                kinds[key] = rhs.kind
                equations.append(Equation(formula, index, line, key, None, rhs, relation))
            except StudylogError as exc:
                raise exc.at(path=formula.path, line=line, formula_id=formula.id) from None
    return equations


def _to_numpy(value: Any) -> Any:
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return value


def _output(result: Any, role: Out, binding: Binding) -> Any:
    if role.attr is None:
        return _to_numpy(result)
    if isinstance(result, dict):
        if role.attr not in result:
            raise BindingError(f"{binding.path} returned no key {role.attr!r}")
        return _to_numpy(result[role.attr])
    if not hasattr(result, role.attr):
        raise BindingError(f"{binding.path} returned {type(result).__name__} without attribute {role.attr!r}")
    return _to_numpy(getattr(result, role.attr))


def _summary(values: dict[str, Any]) -> str:
    parts = []
    for key, value in values.items():
        if callable(value):
            continue
        arr = np.asarray(value)
        parts.append(f"{key}={float(arr):.4g}" if arr.ndim == 0 else f"{key}: {'×'.join(map(str, arr.shape))} array")
    return ", ".join(parts)


def _compare(got: Any, expected: Any, binding: Binding) -> tuple[bool, float, str]:
    a = np.asarray(got, dtype=float)
    b = np.asarray(expected, dtype=float)
    if a.shape != b.shape:
        if a.size == 1 and b.size == 1:
            a, b = a.reshape(()), b.reshape(())
        else:
            return False, float("inf"), f"shape {a.shape} from the formula vs {b.shape} from the code"
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return False, float("inf"), "non-finite values (the drawn inputs leave the formula's domain?)"
    diff = np.abs(a - b)
    worst = float(diff.max()) if diff.size else 0.0
    ok = bool(np.all(diff <= binding.atol + binding.rtol * np.abs(b)))
    return ok, worst, ""


def check_binding(binding: Binding, formulas: list[Formula], *, seed: int = 0) -> list[CheckResult]:
    """Check one binding against its formulas (given in the binding's order)."""
    try:
        equations = compile_equations(binding, formulas)
    except StudylogError as exc:
        return [CheckResult(binding, INVALID, exc.message, exc.formula_id, exc.line)]
    worst_by_formula: dict[str, float] = {}
    for draw in range(binding.draws):
        rng = rng_for(binding.formula_ids, draw, seed)
        try:
            dims = draw_dims(binding.dims, rng)
            taken: list[float] = []
            env: dict[str, Any] = {}
            kwargs: dict[str, Any] = dict(binding.fixed)
            by_arg: dict[str, Any] = {}  # symbols bound to the same argument share its value (x_i, x_j)
            for key, role in binding.symbols.items():
                if isinstance(role, In):
                    if role.arg is not None and role.arg in by_arg:
                        env[key] = by_arg[role.arg]
                        continue
                    value = sample(role.sample, rng, shape=binding.shape, dims=dims, taken=taken)
                    env[key] = value
                    if role.arg is not None:
                        by_arg[role.arg] = value
                    if role.arg is not None:
                        kwargs[role.arg] = value.copy() if isinstance(value, np.ndarray) else value
                elif isinstance(role, Const):
                    env[key] = role.value
        except StudylogError as exc:
            return [CheckResult(binding, INVALID, exc.message)]
        inputs = dict(env)
        try:
            result = binding.func(**kwargs)
        except Exception as exc:  # noqa: BLE001 - the implementation's failure is reported, not raised
            return [CheckResult(binding, INVALID, f"{binding.path} raised {type(exc).__name__}: {exc}")]
        if binding.identity:
            try:
                for key, role in binding.symbols.items():
                    if isinstance(role, Out):
                        env[key] = _output(result, role, binding)
            except StudylogError as exc:
                return [CheckResult(binding, INVALID, exc.message)]
        for eq in equations:
            fid = eq.formula.id or "?"
            try:
                with np.errstate(all="ignore"):
                    got = eq.rhs(env)
                    if eq.lhs_key is None:
                        assert eq.lhs is not None
                        expected = eq.lhs(env)
                        what = "the two sides differ"
                    else:
                        role = binding.symbols[eq.lhs_key]
                        assert isinstance(role, Out)
                        expected = _output(result, role, binding)
                        what = f"{eq.lhs_key} differs from {binding.path}"
            except StudylogError as exc:
                return [CheckResult(binding, INVALID, exc.message, fid, eq.line)]
            except Exception as exc:  # noqa: BLE001 - e.g. shapes that do not broadcast
                return [CheckResult(binding, INVALID, f"evaluating the formula failed: {exc}", fid, eq.line)]
            ok, worst, why = _compare(got, expected, binding)
            worst_by_formula[fid] = max(worst_by_formula.get(fid, 0.0), worst)
            if not ok:
                detail = why or f"max abs diff {worst:.3g} > tolerance (rtol={binding.rtol:g}, atol={binding.atol:g})"
                return [CheckResult(binding, MISMATCH, f"{what}: {detail}; draw {draw}: {_summary(inputs)}",
                                    fid, eq.line, worst)]  # fmt: skip
            if eq.lhs_key is not None:
                env[eq.lhs_key] = got
    worst_all = max(worst_by_formula.values(), default=0.0)
    return [CheckResult(binding, VERIFIED, f"{binding.draws} draws, max abs diff {worst_all:.2g}", None, None, worst_all)]
