r"""Build the parser's closed symbol table from a binding's ``symbols=`` declaration.

Each key becomes a `~studylog.engine.symbols.SymbolInfo`: its canonical tokens, its kind (from the role and
the sampler), and a template when its subscripts hold index letters (``x_i`` with ``i`` an `Index`).
Two keys that are the same symbol as rendered (``x_i`` and ``x_j`` when both letters are indices) must
be the same role, and are then kept once.
"""

from __future__ import annotations

import numpy as np

from studylog.engine.binding import Array, Binding, Choice, Const, Derived, Dim, Fixed, Fn, In, Index, Int, Matrix, Op, Out, Role, Scalar, Var
from studylog.engine.latex import canonical, normalize, tokenize
from studylog.engine.parse import Parser
from studylog.engine.symbols import ARRAY, INDEX, MATRIX, OP, SCALAR, VARIABLE, Slot, SymbolInfo, make_template, sort_table
from studylog.errors import BindingError, StudylogError


def _info(key: str, role: Role, kinds: dict[str, str], indices: dict[str, int]) -> SymbolInfo:
    try:
        canon = canonical(key)
    except StudylogError as exc:
        raise BindingError(f"symbol {key!r}: {exc.message}") from None
    if isinstance(role, Index):
        if len(canon) != 1:
            raise BindingError(f"index {key!r} must be a single letter (i, j, k, \\tau, …)")
        return SymbolInfo(key, canon, INDEX, index_size=role.size, index_start=role.start)
    if isinstance(role, Var):
        return SymbolInfo(key, canon, VARIABLE, variable=role)
    template = make_template(canon, indices)
    if isinstance(role, In):
        s = role.sample
        if isinstance(s, Fn) or (isinstance(s, Fixed) and callable(s.value)):
            return SymbolInfo(key, canon, OP, "()")
        if isinstance(s, Matrix):
            return SymbolInfo(key, canon, MATRIX, template=template)
        if isinstance(s, (Array, Choice)):
            return SymbolInfo(key, canon, ARRAY, template=template)
        if isinstance(s, (Scalar, Int, Dim)):
            if template is not None:
                raise BindingError(f"symbol {key!r} has an index subscript but is drawn as a scalar: draw it as an Array")
            return SymbolInfo(key, canon, SCALAR)
        if isinstance(s, Fixed):
            return SymbolInfo(key, canon, ARRAY if np.ndim(s.value) else SCALAR, template=template)
        raise BindingError(f"symbol {key!r}: unknown sampler {s!r}")
    if isinstance(role, Out):
        return SymbolInfo(key, canon, kinds.get(key, ARRAY), template=template)
    if isinstance(role, Const):
        return SymbolInfo(key, canon, SCALAR)
    if isinstance(role, Op):
        return SymbolInfo(key, canon, OP, role.brackets, op=role.fn)
    if isinstance(role, Derived):
        return SymbolInfo(key, canon, ARRAY, template=template)  # replaced by the compiled expression below
    raise BindingError(f"symbol {key!r}: unknown role {role!r} (use In, Out, Const, Op, Derived, Index or Var)")


def _shape(info: SymbolInfo) -> tuple[object, ...]:
    """What makes two keys the same symbol: their tokens, with index slots as placeholders."""
    if info.template is None:
        return info.canon
    return tuple(("slots", tuple(isinstance(p, Slot) or p for p in item.parts)) if not isinstance(item, str) else item
                 for item in info.template)  # fmt: skip


def build_table(binding: Binding, kinds: dict[str, str]) -> list[SymbolInfo]:
    """The sorted symbol table of ``binding`` (``kinds`` are the kinds of outputs computed so far)."""
    indices = {}
    for key, role in binding.symbols.items():
        if isinstance(role, Index):
            letter = canonical(key)
            if len(letter) == 1:
                indices[letter[0]] = role.start
    infos: list[SymbolInfo] = []
    seen: dict[tuple[object, ...], tuple[str, Role]] = {}
    for key, role in binding.symbols.items():
        info = _info(key, role, kinds, indices)
        shape = _shape(info)
        if shape in seen:
            other, other_role = seen[shape]
            if other_role != role:
                raise BindingError(f"symbols {other!r} and {key!r} are the same symbol as rendered but have different roles")
            continue
        seen[shape] = (key, role)
        infos.append(info)
    infos = sort_table(infos)
    derived = {k: r for k, r in binding.symbols.items() if isinstance(r, Derived) and any(s.key == k for s in infos)}
    if derived:
        plain = [s for s in infos if s.key not in derived]
        compiled = {}
        for key, role in derived.items():
            try:
                toks = normalize(tokenize(role.latex))
                compiled[key] = Parser(toks, plain, role.latex).parse()
            except StudylogError as exc:
                raise BindingError(f"Derived({role.latex!r}) of {key!r}: {exc.message}") from None
        infos = [SymbolInfo(s.key, s.canon, compiled[s.key].kind, derived=compiled[s.key], template=s.template)
                 if s.key in compiled else s for s in infos]  # fmt: skip
    return infos
