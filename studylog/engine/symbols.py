r"""Symbol-table entries and how a formula's tokens are matched against them.

A key is matched by its canonical tokens (``W_t`` and ``W_{t}`` are one key). A key whose subscript holds a
letter declared as an `~studylog.engine.binding.Index` is a *template*: ``x_i`` matches ``x_j``,
``x_{i+1}`` and ``x_1`` as well, and each subscript is then an expression that picks a position along one
axis of the value (the first subscript the first axis, and so on). ``W_{ij}`` with two index letters has
two subscripts; so has ``p_{t,i}``, whose ``t`` is literal and whose ``i`` is a subscript.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from studylog.engine.latex import Token
from studylog.errors import LatexError

if TYPE_CHECKING:
    from studylog.engine.nodes import Node

SCALAR, ARRAY, MATRIX, OP, INDEX, VARIABLE = "scalar", "array", "matrix", "op", "index", "variable"


@dataclass(frozen=True)
class Slot:
    """One subscript position of a template key: the index letter the key was declared with, and its start."""

    letter: str
    start: int


@dataclass(frozen=True)
class SlotGroup:
    """A braced subscript of a template key: literal parts (token tuples) and `Slot` parts, comma-separated.

    ``joined`` is set for ``W_{ij}``: the parts are written without commas, one token each.
    """

    parts: tuple[tuple[str, ...] | Slot, ...]
    joined: bool = False

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple(p for p in self.parts if isinstance(p, Slot))


Item = str | SlotGroup


@dataclass(frozen=True)
class SymbolInfo:
    """What the parser needs to know of one table key."""

    key: str
    canon: tuple[str, ...]
    kind: str  # scalar | array | matrix | op | index
    brackets: str = "()"
    op: Callable[..., Any] | None = None  # operators; None means "look the callable up in the environment"
    derived: Node | None = None
    template: tuple[Item, ...] | None = None  # set for keys with index subscripts
    index_size: int | str | None = None  # for kind == index
    index_start: int = 1
    variable: Any = None  # for kind == variable: the binding's Var role

    @property
    def slots(self) -> tuple[Slot, ...]:
        if self.template is None:
            return ()
        return tuple(s for item in self.template if isinstance(item, SlotGroup) for s in item.slots)


@dataclass
class Match:
    """Where a key matched: the token just past it, and the token ranges of its subscript expressions."""

    info: SymbolInfo
    end: int
    subscripts: list[tuple[int, int]] = field(default_factory=list)


def _split_commas(toks: Sequence[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    depth = 0
    for t in toks:
        if t in ("{", "(", "["):
            depth += 1
        elif t in ("}", ")", "]"):
            depth -= 1
        if t == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _group_end(toks: Sequence[str], i: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``i``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j] == "{":
            depth += 1
        elif toks[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return None


def make_template(canon: tuple[str, ...], indices: dict[str, int]) -> tuple[Item, ...] | None:
    """The template of a key whose subscripts use the index letters ``indices`` (letter -> start), or None."""
    items: list[Item] = []
    found = False
    i = 0
    while i < len(canon):
        if canon[i] == "_" and i + 1 < len(canon) and canon[i + 1] == "{":
            end = _group_end(canon, i + 1)
            if end is not None:
                content = list(canon[i + 2 : end])
                parts = _split_commas(content)
                group: SlotGroup | None = None
                if len(parts) == 1 and len(content) > 1 and all(t in indices for t in content):
                    group = SlotGroup(tuple(Slot(t, indices[t]) for t in content), joined=True)
                elif any(len(p) == 1 and p[0] in indices for p in parts):
                    group = SlotGroup(tuple(Slot(p[0], indices[p[0]]) if len(p) == 1 and p[0] in indices else tuple(p)
                                            for p in parts))  # fmt: skip
                if group is not None:
                    items.extend(["_", group])
                    found = True
                    i = end + 1
                    continue
        items.append(canon[i])
        i += 1
    return tuple(items) if found else None


def _match_group(toks: Sequence[Token], j: int, limit: int, group: SlotGroup, subs: list[tuple[int, int]]) -> int | None:
    if j >= limit or toks[j].text != "{":
        return None
    texts = [t.text for t in toks[j:limit]]
    end = _group_end(texts, 0)
    if end is None:
        return None
    content = list(range(j + 1, j + end))
    if group.joined and "," not in texts[1:end]:
        if len(content) != len(group.parts) or any(not (toks[k].text.isalnum() and len(toks[k].text) == 1) for k in content):
            return None
        subs.extend((k, k + 1) for k in content)
        return j + end + 1
    ranges: list[tuple[int, int]] = []
    depth, start = 0, j + 1
    for k in content:
        t = toks[k].text
        depth += 1 if t in ("{", "(", "[") else -1 if t in ("}", ")", "]") else 0
        if t == "," and depth == 0:
            ranges.append((start, k))
            start = k + 1
    ranges.append((start, j + end))
    if len(ranges) != len(group.parts):
        return None
    for part, (a, b) in zip(group.parts, ranges, strict=True):
        if isinstance(part, Slot):
            if a == b:
                return None
            subs.append((a, b))
        elif tuple(t.text for t in toks[a:b]) != part:
            return None
    return j + end + 1


def match_at(toks: Sequence[Token], i: int, limit: int, table: Sequence[SymbolInfo]) -> Match | None:
    """The first table entry (literal keys before templates, longest first) matching at token ``i``."""
    for info in table:
        if info.template is None:
            n = len(info.canon)
            if i + n > limit or any(toks[i + k].text != info.canon[k] for k in range(n)):
                continue
            end = i + n
            subs: list[tuple[int, int]] = []
        else:
            end, subs = i, []
            for item in info.template:
                if isinstance(item, SlotGroup):
                    nxt = _match_group(toks, end, limit, item, subs)
                    if nxt is None:
                        break
                    end = nxt
                elif end < limit and toks[end].text == item:
                    end += 1
                else:
                    break
            else:
                item = None
            if item is not None:
                continue
        nxt_tok = toks[end].text if end < limit else None
        if nxt_tok in ("_", "'"):
            continue
        return Match(info, end, subs)
    return None


def match_gradient(toks: Sequence[Token], i: int, limit: int, table: Sequence[SymbolInfo]) -> Match | None:
    r"""``\nabla_\theta J(\theta)`` matches the key ``\nabla J(\theta)`` (or the operator ``\nabla J``): the
    subscript only names the variable, which must then be the gradient's argument."""
    texts = [t.text for t in toks[:limit]]
    if i + 2 >= limit or texts[i + 2] != "{":
        return None
    close = _group_end(texts, i + 2)
    if close is None:
        return None
    variable = texts[i + 3 : close]
    width = close + 1 - (i + 1)  # the tokens "_{…}" that the key does not have
    view = list(toks[: i + 1]) + list(toks[close + 1 : limit])
    m = match_at(view, i, len(view), table)
    if m is None:
        return None
    after = [t.text for t in view[i + 1 : m.end]]
    if m.info.kind == OP and m.end < len(view) and view[m.end].text in ("(", "[", r"\{"):
        after += [t.text for t in view[m.end : m.end + 64]]
    n = len(variable)
    if not any(after[k : k + n] == variable for k in range(len(after))):
        raise LatexError(f"\\nabla_{{{''.join(variable)}}} differentiates with respect to {''.join(variable)}, "
                         "which is not the gradient's argument")  # fmt: skip
    m.end += width
    m.subscripts = [(a + width, b + width) for a, b in m.subscripts]
    return m


def sort_table(infos: list[SymbolInfo]) -> list[SymbolInfo]:
    """Literal keys first, then templates; longest first within each."""
    return sorted(infos, key=lambda s: (s.template is not None, -len(s.canon)))
