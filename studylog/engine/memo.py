"""A memo of binding checks, so that a rebuild under ``mkdocs serve`` checks again only what changed.

Checking a binding runs its implementation on random draws (Day 7: about a second for 77 bindings), and
a rebuild after a formula edit used to check every binding of the site again. A check's result depends
only on the binding's code, the formulas it is checked against and the seed. So a `CheckMemo` keys each
result by the binding, the seed and each formula's record without its place (TeX, id, attributes, page),
and remembers the line a result names relative to the formula it falls in: a paragraph written above a
formula moves it, and its check is still remembered. It lives exactly as long as the code it ran: in the
runner's worker, which is
replaced as soon as a file it loaded changes (`studylog.runner.worker` also drops the memo when a file
a check imported on its own changed). Nothing of it is written to disk. As for the examples' cache, a
data file an implementation reads at run time (not a module) is not watched: edit a module to re-check.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from studylog.engine.binding import Binding
from studylog.engine.check import CheckResult, check_binding
from studylog.engine.scan import Formula
from studylog.engine.status import Status

__all__ = ["CheckMemo"]

Row = list[Any]  # [status, message, formula_id, place, max_abs_diff]: a CheckResult without its binding
_PLACE = frozenset({"line", "content_line", "number"})  # where a formula stands, not what it says


class _Unplaced(Exception):
    """A result names a line outside its formulas: it is not remembered (its line would not follow a move)."""


def _place(line: int | None, formulas: Sequence[Formula]) -> list[int] | None:
    """``[k, offset]``: ``line`` as the offset from the first line of the k-th formula it falls in."""
    if line is None:
        return None
    for k, f in enumerate(formulas):
        if f.line <= line <= max(f.line, f.content_line) + f.latex.count("\n") + 1:
            return [k, line - f.line]
    raise _Unplaced


def _line(place: list[int] | None, formulas: Sequence[Formula]) -> int | None:
    return None if place is None else formulas[place[0]].line + place[1]


class CheckMemo:
    """Results of `check_binding`, by binding, formulas and seed; at most ``max_entries``, least recently used
    dropped first."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self._rows: OrderedDict[str, list[Row]] = OrderedDict()
        self.added: dict[str, list[Row]] = {}  # computed since `take_added`, to send to the worker
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    @staticmethod
    def key(binding: Binding, formulas: Sequence[Formula], seed: int) -> str:
        """What a check's result depends on besides the code: the binding, the seed, what each formula says."""
        said = [[getattr(f, x.name) for x in dataclasses.fields(f) if x.name not in _PLACE] for f in formulas]
        record = [binding.path, binding.source_file, binding.source_line, list(binding.formula_ids), seed, said]
        return hashlib.sha256(json.dumps(record, default=repr).encode()).hexdigest()

    def check(self, binding: Binding, formulas: list[Formula], *, seed: int = 0) -> list[CheckResult]:
        """`check_binding`, or its remembered result."""
        key = self.key(binding, formulas, seed)
        rows = self._rows.get(key)
        if rows is not None:
            self._rows.move_to_end(key)
            self.hits += 1
            return [CheckResult(binding, Status(s), m, fid, _line(at, formulas), diff) for s, m, fid, at, diff in rows]
        self.misses += 1
        results = check_binding(binding, formulas, seed=seed)
        try:
            rows = [[Status(r.status).value, r.message, r.formula_id, _place(r.line, formulas), r.max_abs_diff] for r in results]
        except _Unplaced:
            return results
        self.add({key: rows})
        self.added[key] = rows
        return results

    def add(self, entries: dict[str, list[Row]]) -> None:
        """Remember results computed elsewhere (in a forked child, by the same code)."""
        for key, rows in entries.items():
            self._rows[key] = rows
            self._rows.move_to_end(key)
        while len(self._rows) > self.max_entries:
            self._rows.popitem(last=False)

    def take_added(self) -> dict[str, list[Row]]:
        added, self.added = self.added, {}
        return added

    def clear(self) -> None:
        self._rows.clear()
        self.added.clear()
