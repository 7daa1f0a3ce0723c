r"""Executed examples: their output comes from the worker (or a cache that cannot lie), markdown-exec formats it.

An example is a Python fence marked for execution, markdown-exec's syntax::

    ```python exec="on" result="text"
    print(1 + 1)
    ```

It may be followed by the output it must print; the build and pytest assert it (the page shows the
real output and hides this block)::

    ```text expect
    2
    ```

Blocks with the same ``session="…"`` in one log share a namespace, in order.

The cache keeps each output with what it depended on: every project file the interpreter had loaded
when the example finished (with the SHA-256 of its content) and every installed distribution it had
loaded (with its version). A cached output is used only while all of these still hold, so editing a
module an example imports — inside or outside the configured packages — runs it again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog.markup import Example, Fence
from studylog.runner.protocol import ExampleJob, ExampleOutcome
from studylog.site.store import JsonStore, digest

DEFAULT_TIMEOUT_S = 60.0
_FORMAT = 2  # bump when the cached payload changes shape


@dataclass(frozen=True)
class Chain:
    """Examples that must run together: one block, or every block of one session of one log, in order."""

    path: str
    examples: tuple[Example, ...]

    def jobs(self, timeout: float | None) -> list[ExampleJob]:
        return [ExampleJob(self.path, e.fence.line, e.fence.body, e.session, timeout) for e in self.examples]

    def keys(self) -> list[str]:
        """One key per block: its code and the code of the blocks before it in the chain."""
        out, codes = [], []
        for e in self.examples:
            codes.append(e.fence.body)
            out.append(digest({"fmt": _FORMAT, "codes": codes, "python": sys.version, "session": e.session}))
        return out


def chains(path: str, examples: list[Example]) -> Iterator[Chain]:
    """The chains of a log's examples: each session is one chain, every other block its own."""
    sessions: dict[str, list[Example]] = {}
    for e in examples:
        if e.session:
            sessions.setdefault(e.session, []).append(e)
        else:
            yield Chain(path, (e,))
    for items in sessions.values():
        yield Chain(path, tuple(items))


class ExampleCache(JsonStore):
    """Outputs of examples that ran cleanly, valid while what they depended on is unchanged."""

    def __init__(self, folder: Path | None, root: Path) -> None:
        super().__init__(folder)
        self.root = root
        self._sha: dict[str, tuple[tuple[int, int], str] | None] = {}
        self._versions: dict[str, str | None] = {}

    def lookup(self, key: str) -> ExampleOutcome | None:
        payload = self.get_json(key)
        if not isinstance(payload, dict):
            return None
        try:
            outcome = ExampleOutcome.from_json(payload)
        except TypeError:
            return None
        if not all(self._file_sha(rel) == sha for rel, sha in outcome.deps.items()):
            return None
        if not all(self._version(dist) == version for dist, version in outcome.dists.items()):
            return None
        return outcome

    def store(self, key: str, outcome: ExampleOutcome) -> None:
        if outcome.ok:
            self.put_json(key, outcome.to_json())

    def _file_sha(self, rel: str) -> str | None:
        path = self.root / rel
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        memo = self._sha.get(rel)
        if memo is None or memo[0] != stamp:
            memo = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
            self._sha[rel] = memo
        return memo[1]

    def _version(self, dist: str) -> str | None:
        if dist not in self._versions:
            try:
                self._versions[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                self._versions[dist] = None
        return self._versions[dist]


def expected_output_problem(example: Example, outcome: ExampleOutcome) -> str | None:
    """Why the output differs from the ``text expect`` block after the example (None when it agrees)."""
    if example.expect is None or not outcome.ok:
        return None
    got, want = outcome.output.rstrip(), example.expect.body.rstrip()
    if got == want:
        return None
    return f"the example printed\n{got}\nbut the log expects\n{want}"


def format_output(md: Any, fence: Fence, outcome: ExampleOutcome) -> str:
    """The HTML markdown-exec makes of an example's output (its options: ``result``, ``html``, ``source`` …).

    markdown-exec's public `validator` reads the options and its `base_format` lays the output out;
    the code itself already ran in the worker, so the ``run`` it is given only returns that output.
    """
    import markdown_exec

    inputs = dict(fence.options)
    inputs.setdefault("id", f"{fence.line}")
    options: dict[str, Any] = {}
    markdown_exec.validator(fence.lang, inputs, options, {}, md)

    def run(code: str, **_: Any) -> str:
        return outcome.output

    return str(markdown_exec.base_format(language=fence.lang, run=run, code=fence.body, md=md, **options))
