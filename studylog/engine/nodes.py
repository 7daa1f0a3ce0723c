"""The compiled form of a formula: a tree of `Node` objects, evaluated on an environment.

The environment maps each declared symbol's key to its drawn value, and a few engine keys to the state
of the evaluation: the values an index runs over in the current scope (``(RANGE, letter)``), whether a
binder masks part of its range (``MASKED``), an integration variable's nodes (``(VAR, name)``), a norm
read the other way (``(NORM, id)``) and the binding's tolerance (``TOL``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from studylog.engine.symbols import ARRAY, MATRIX, SCALAR
from studylog.errors import LatexError

Env = Mapping[Any, Any]
RANGE, VAR, NORM = "range", "var", "norm"
MASKED, TOL, RNG, SHAPE = ("masked",), ("tol",), ("rng",), ("shape",)
SOLUTION = "solution"

Use = tuple[str, str, int, int]


@dataclass
class Node:
    """A compiled sub-expression: its kind, how to evaluate it, and what it depends on.

    ``free`` are the index letters (and integration variables) it depends on that no binder inside it
    binds; ``uses`` are the places an index letter is written directly as a subscript
    (``(letter, key, axis, start)``), from which an index's range can be read; ``terms`` are the
    top-level additive terms with their signs (used by identity checks).
    """

    kind: str
    fn: Callable[[Env], Any]
    text: str
    symbols: frozenset[str] = field(default_factory=frozenset)
    free: frozenset[str] = field(default_factory=frozenset)
    uses: frozenset[Use] = field(default_factory=frozenset)
    terms: tuple[tuple[int, Node], ...] = ()

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


def node(kind: str, fn: Callable[[Env], Any], text: str, *children: Node, free: frozenset[str] | None = None) -> Node:
    """A node whose dependencies are those of its children (``free`` overrides the free indices)."""
    symbols: frozenset[str] = frozenset()
    uses: frozenset[Use] = frozenset()
    letters: frozenset[str] = frozenset()
    for c in children:
        symbols |= c.symbols
        uses |= c.uses
        letters |= c.free
    return Node(kind, fn, text, symbols, letters if free is None else free, uses)


def product_kind(a: Node, b: Node, op: str) -> str:
    """The kind of ``a op b`` (a matrix times an elementwise array is ambiguous)."""
    kinds = {a.kind, b.kind}
    if MATRIX in kinds and ARRAY in kinds:
        raise LatexError(f"'{a.text} {op} {b.text}' mixes a matrix with an elementwise array")
    if MATRIX in kinds:
        return MATRIX
    return ARRAY if ARRAY in kinds else SCALAR
