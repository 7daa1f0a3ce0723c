r"""Compile a binding's formulas and compare them with the implementation on random inputs.

For an assignment (``W_{t+1} \leftarrow W_t - \eta g_t``, or with the output on the right,
``\beta v_{t-1} + g_t = v_t``) the output side must be an output of the implementation; the other side is
evaluated on the drawn inputs and compared with that output. Equations of a system are evaluated in
order, later ones seeing the values of earlier outputs. An index free on the left (``\hat x_i``) runs
over its output's axis, and the right side must use no other free index. For an identity
(``identity=True``), both sides are evaluated on the simulator's samples and compared relative to their
smallest term, and the tolerance must be shown to reject each term scaled by ``1 ± 2·rtol``
(`studylog.engine.power`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from studylog.engine import power
from studylog.engine.binding import Binding, Const, In, Out, Var
from studylog.engine.binders import DIM, NotOptimal, full_range
from studylog.engine.constructs import NormSite
from studylog.engine.latex import normalize, split_lines, split_relation, tokenize
from studylog.engine.nodes import NORM, RANGE, RNG, SHAPE, SOLUTION, TOL, Node
from studylog.engine.parse import Parser
from studylog.engine.sampling import draw_dims, rng_for, sample
from studylog.engine.scan import Formula
from studylog.engine.status import Status
from studylog.engine.symbols import VARIABLE, SymbolInfo, match_at
from studylog.engine.table import build_table
from studylog.engine.values import EvalError, Indexed, gather, materialize
from studylog.errors import BindingError, LatexError, StudylogError, UnknownSymbolError

VERIFIED, MISMATCH, INVALID, MISSING, UNLINKED, EXEMPT = (
    Status.VERIFIED, Status.MISMATCH, Status.INVALID, Status.MISSING, Status.UNLINKED, Status.EXEMPT,
)  # fmt: skip

Use = tuple[str, str, int, int]


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
    labels: tuple[str, ...] = ()  # the free indices, in the output's axis order (assignment) or sorted (identity)
    starts: tuple[int, ...] = ()  # where the output's subscripts start counting (assignment)
    uses: frozenset[Use] = frozenset()  # where index letters subscript symbols directly (to read their ranges)
    norms: tuple[NormSite, ...] = ()
    statement: bool = False  # a problem statement (\min_\theta J(\theta)): checked by its certificate alone


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one binding against the formulas it names."""

    binding: Binding
    status: Status
    message: str = ""
    formula_id: str | None = None  # the formula the problem is in (None: all of them)
    line: int | None = None
    max_abs_diff: float | None = None


def _whole_match(toks: list[Any], table: list[SymbolInfo]) -> SymbolInfo | None:
    m = match_at(toks, 0, len(toks), table)
    return m.info if m is not None and m.end == len(toks) else None


def _output_side(binding: Binding, lhs: list[Any], relation: str, rhs: list[Any], table: list[SymbolInfo]) -> tuple[list[Any], list[Any]]:
    """``(output side, expression side)``: the output may be written on the right of an ``=``."""
    left = _whole_match(lhs, table)
    if left is not None and isinstance(binding.symbols[left.key], Out):
        return lhs, rhs
    right = _whole_match(rhs, table) if relation == "=" else None
    if right is not None and isinstance(binding.symbols[right.key], Out):
        return rhs, lhs
    text = "".join(t.text for t in lhs)
    if left is None:
        raise UnknownSymbolError(f"undeclared left-hand side '{text}'")
    raise BindingError(f"the left-hand side '{left.key}' must be bound to an output (Out) of {binding.path}")


def _compile_line(binding: Binding, formula: Formula, index: int, line: int, text: str, kinds: dict[str, str]) -> Equation:
    table = build_table(binding, kinds)
    toks = normalize(tokenize(text))
    if toks and toks[0].text in (r"\min", r"\max", r"\argmin", r"\argmax") and not any(t.text in ("=", r"\leftarrow", ":=") for t in toks):
        if any(s.kind == VARIABLE for s in table):
            parser = Parser(toks, table, text)
            return Equation(formula, index, line, None, None, parser.parse(), "", statement=True)
        raise LatexError(f"{toks[0].text}_… states an optimization problem, not an equation: state its solution "
                         f"(\\theta^* = \\arg\\min_\\theta …) or declare its variable a Var, or exempt the formula")  # fmt: skip
    lhs_toks, relation, rhs_toks = split_relation(toks)
    if binding.identity:
        lp, rp = Parser(lhs_toks, table, text), Parser(rhs_toks, table, text)
        lhs, rhs = lp.parse(), rp.parse()
        if lhs.free != rhs.free:
            odd = sorted(lhs.free ^ rhs.free)[0]
            raise LatexError(f"index {odd} is free on one side of the identity but not on the other")
        return Equation(formula, index, line, None, lhs, rhs, relation, tuple(sorted(lhs.free)), (), lhs.uses | rhs.uses,
                        tuple(lp.norms + rp.norms))  # fmt: skip
    out_toks, expr_toks = _output_side(binding, lhs_toks, relation, rhs_toks, table)
    m = match_at(out_toks, 0, len(out_toks), table)
    assert m is not None
    labels: list[str] = []
    uses: set[Use] = set()
    indices = {s.canon[0] for s in table if s.kind == "index"}
    for k, (a, b) in enumerate(m.subscripts):
        letter = out_toks[a].text
        if b != a + 1 or letter not in indices or letter in labels:
            sub = "".join(t.text for t in out_toks[a:b])
            raise LatexError(f"the output's subscript '{sub}' must be an index letter (each once), e.g. {m.info.key}")
        labels.append(letter)
        uses.add((letter, m.info.key, k, m.info.slots[k].start))
    parser = Parser(expr_toks, table, text)
    rhs = parser.parse()
    extra = sorted(rhs.free - set(labels))
    if extra:
        raise LatexError(f"index {extra[0]} is free on the right side but not on the left: bind it (\\sum_{extra[0]} …) "
                         "or write it on the left")  # fmt: skip
    kinds[m.info.key] = rhs.kind
    starts = tuple(slot.start for slot in m.info.slots)
    return Equation(formula, index, line, m.info.key, None, rhs, relation, tuple(labels), starts, rhs.uses | uses,
                    tuple(parser.norms))  # fmt: skip


def compile_equations(binding: Binding, formulas: list[Formula]) -> list[Equation]:
    """Parse every line of ``formulas`` (in order) with the binding's closed symbol table.

    Raises:
        StudylogError: located at the formula's file and line.
    """
    kinds: dict[str, str] = {}
    equations: list[Equation] = []
    for formula in formulas:
        try:
            lines = split_lines(formula.latex)
        except StudylogError as exc:
            raise exc.at(path=formula.path, line=formula.line, formula_id=formula.id) from None
        for index, (offset, text) in enumerate(lines):
            line = formula.content_line + offset if formula.display else formula.line
            try:
                equations.append(_compile_line(binding, formula, index, line, text, kinds))
            except StudylogError as exc:
                raise exc.at(path=formula.path, line=line, formula_id=formula.id) from None
    return equations


def numeric(value: Any, what: str) -> np.ndarray:
    """``value`` as a float64 array, or a `BindingError` saying what it is instead."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if value is None or isinstance(value, (str, bytes, dict, set)):
        shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "…"
        raise BindingError(f"{what} is {shown} ({type(value).__name__}), not a number or an array of numbers")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "…"
        raise BindingError(f"{what} is {shown} ({type(value).__name__}), not a number or an array of numbers") from None
    return arr


def _output(result: Any, role: Out, binding: Binding) -> np.ndarray:
    if role.attr is None:
        return numeric(result, f"the result of {binding.path}")
    if isinstance(result, dict):
        if role.attr not in result:
            raise BindingError(f"{binding.path} returned no key {role.attr!r}")
        return numeric(result[role.attr], f"{role.attr!r} of the result of {binding.path}")
    if not hasattr(result, role.attr):
        raise BindingError(f"{binding.path} returned {type(result).__name__} without attribute {role.attr!r}")
    return numeric(getattr(result, role.attr), f"{role.attr!r} of the result of {binding.path}")


def _summary(values: dict[Any, Any]) -> str:
    parts = []
    for key, value in values.items():
        if not isinstance(key, str) or callable(value):
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


def _ranges(eq: Equation, table: dict[str, SymbolInfo], env: dict[Any, Any], expected: Any) -> dict[Any, Any]:
    """``env`` with the range of each free index (read from the output, too: it is not in ``env``)."""
    scope = dict(env)
    sizes = {**env, eq.lhs_key: expected} if eq.lhs_key is not None else env
    for letter in eq.labels:
        scope[(RANGE, letter)] = full_range(letter, table[letter], eq.uses, sizes)
    return scope


def _sides(eq: Equation, env: dict[Any, Any], expected: Any) -> tuple[Any, Any, list[power.Term]]:
    """The formula's value and the value to compare it with (and, for identities, the terms)."""
    if eq.lhs is None:  # assignment
        got = eq.rhs(env)
        if eq.labels:
            positions = [Indexed(np.asarray(env[(RANGE, x)], dtype=float), (x,)) for x in eq.labels]
            expected = materialize(gather(expected, positions, eq.starts, name=eq.lhs_key or "", masked=False), eq.labels)
            got = materialize(got, eq.labels, np.shape(expected))
        return got, expected, []
    terms = []
    for side, root in ((0, eq.lhs), (1, eq.rhs)):
        for sign, t in root.terms or ((1, root),):
            terms.append(power.Term(side, sign, t.text, np.asarray(materialize(t(env), eq.labels), dtype=float)))
    left, right = power.sides(terms)
    return right, left, terms


def _hint(eq: Equation, env: dict[Any, Any], expected: Any, binding: Binding) -> str:
    """When a norm read the other way would verify, the notation that says so."""
    for site in eq.norms:
        for mode, hint in site.alternates:
            try:
                with np.errstate(all="ignore"):
                    got, exp, terms = _sides(eq, {**env, (NORM, site.ident): mode}, expected)
                ok = power.compare(terms, binding.rtol, binding.atol)[0] if terms else _compare(got, exp, binding)[0]
            except (StudylogError, ValueError, TypeError, IndexError):
                continue
            if ok:
                return f"; {hint}"
    return ""


def _draw(binding: Binding, draw: int, seed: int) -> tuple[dict[Any, Any], dict[str, Any]]:
    rng = rng_for(binding.formula_ids, draw, seed)
    dims = draw_dims(binding.dims, rng)
    taken: list[float] = []
    env: dict[Any, Any] = {(DIM, name): size for name, size in dims.items()}
    env[TOL] = (binding.rtol, binding.atol)
    env[SHAPE] = binding.shape
    kwargs: dict[str, Any] = dict(binding.fixed)
    by_arg: dict[str, Any] = {}  # symbols bound to the same argument share its value
    for key, role in binding.symbols.items():
        if isinstance(role, In):
            if role.arg is not None and role.arg in by_arg:
                env[key] = by_arg[role.arg]
                continue
            value = sample(role.sample, rng, shape=binding.shape, dims=dims, taken=taken)
            env[key] = value
            if role.arg is not None:
                by_arg[role.arg] = value
                kwargs[role.arg] = value.copy() if isinstance(value, np.ndarray) else value
        elif isinstance(role, Const):
            env[key] = role.value
    env[RNG] = rng  # what a certificate of optimality draws its other candidates from
    return env, kwargs


def check_binding(binding: Binding, formulas: list[Formula], *, seed: int = 0) -> list[CheckResult]:
    """Check one binding against its formulas (given in the binding's order)."""
    try:
        equations = compile_equations(binding, formulas)
        table = {s.canon[0] if s.kind == "index" else s.key: s for s in build_table(binding, {})}
    except StudylogError as exc:
        return [CheckResult(binding, INVALID, exc.message, exc.formula_id, exc.line)]
    worst_by_formula: dict[str, float] = {}
    powers = {id(eq): power.Power(binding.rtol, binding.atol) for eq in equations if eq.lhs is not None}
    for draw in range(binding.draws):
        try:
            env, kwargs = _draw(binding, draw, seed)
        except StudylogError as exc:
            return [CheckResult(binding, INVALID, exc.message)]
        inputs = dict(env)
        try:
            result = binding.func(**kwargs)
        except Exception as exc:  # noqa: BLE001 - the implementation's failure is reported, not raised
            return [CheckResult(binding, INVALID, f"{binding.path} raised {type(exc).__name__}: {exc}")]
        try:
            for key, role in binding.symbols.items():
                if binding.identity and isinstance(role, Out):
                    env[key] = _output(result, role, binding)
                elif isinstance(role, Var) and role.solution is not None:
                    env[(SOLUTION, key)] = _output(result, Out(role.solution), binding)
        except StudylogError as exc:
            return [CheckResult(binding, INVALID, exc.message)]
        for eq in equations:
            fid = eq.formula.id or "?"
            try:
                expected = None
                what = "the two sides differ"
                if eq.lhs_key is not None:
                    role = binding.symbols[eq.lhs_key]
                    assert isinstance(role, Out)
                    expected = _output(result, role, binding)
                    what = f"{eq.lhs_key} differs from {binding.path}"
                with np.errstate(all="ignore"):
                    scope = _ranges(eq, table, env, expected)
                    if eq.statement:
                        eq.rhs(scope)
                        continue
                    got, expected, terms = _sides(eq, scope, expected)
            except StudylogError as exc:
                return [CheckResult(binding, INVALID, exc.message, fid, eq.line)]
            except NotOptimal as exc:
                return [CheckResult(binding, MISMATCH, f"{exc}; draw {draw}: {_summary(inputs)}", fid, eq.line)]
            except EvalError as exc:
                return [CheckResult(binding, INVALID, str(exc), fid, eq.line)]
            except Exception as exc:  # noqa: BLE001 - e.g. shapes that do not broadcast
                return [CheckResult(binding, INVALID, f"evaluating the formula failed: {exc}", fid, eq.line)]
            if terms:
                ok, worst, allowed = power.compare(terms, binding.rtol, binding.atol)
                why = "" if np.isfinite(worst) else "non-finite values (the drawn inputs leave the formula's domain?)"
                detail = why or f"max abs diff {worst:.3g} > {allowed:.3g} (rtol={binding.rtol:g} of the smallest term, atol={binding.atol:g})"
                powers[id(eq)].observe(terms)
            else:
                ok, worst, why = _compare(got, expected, binding)
                detail = why or f"max abs diff {worst:.3g} > tolerance (rtol={binding.rtol:g}, atol={binding.atol:g})"
            worst_by_formula[fid] = max(worst_by_formula.get(fid, 0.0), worst)
            if not ok:
                hint = _hint(eq, scope, expected, binding) if eq.norms else ""
                return [CheckResult(binding, MISMATCH, f"{what}: {detail}; draw {draw}: {_summary(inputs)}{hint}",
                                    fid, eq.line, worst)]  # fmt: skip
            if eq.lhs_key is not None:  # symbols bound to the same output share its value (\hat{w}, \hat{w}_i)
                out_role = binding.symbols[eq.lhs_key]
                for key, role in binding.symbols.items():
                    if key == eq.lhs_key or role == out_role:
                        env[key] = got
    for eq in equations:
        if eq.lhs is not None:
            refusal = powers[id(eq)].verdict()
            if refusal is not None:
                return [CheckResult(binding, INVALID, refusal, eq.formula.id, eq.line)]
    worst_all = max(worst_by_formula.values(), default=0.0)
    return [CheckResult(binding, VERIFIED, f"{binding.draws} draws, max abs diff {worst_all:.2g}", None, None, worst_all)]
