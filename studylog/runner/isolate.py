"""Run the logs' code in a child forked from the worker: a fresh interpreter without its start-up.

A chain of examples must see the implementations as imported, never as an earlier chain left them (an
example may set a global, patch a module or seed a generator), or its output would depend on the order
of the build and could not be cached on its own. Starting an interpreter per chain gives that, but
costs its start-up and imports (numpy, torch: 0.3-2 s) for every chain. A child forked from the worker
starts from the worker's imports in a millisecond and takes whatever the code does with them when it
exits.

So the worker itself only imports (the implementation packages, when asked to preload); verifying the
formulas and every chain of examples run in children. That also keeps the worker safe to fork: a
process that has run a parallel torch/OpenMP operation cannot fork a child that runs another (the
child's thread pool deadlocks), and one that has only imported torch can. Outside Linux (`FORK_SAFE`),
`in_child` returns None and the worker runs the code itself (see `studylog.runner.client` for what
that costs it).

A child sends one JSON line per result through a pipe. A child that ends early (``os._exit``, a
crash) or hangs where its own time limit cannot stop it (in C code) is reported for the result it did
not send.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

# Linux only: macOS's system frameworks (Accelerate's BLAS, the Objective-C runtime) are not fork-safe, which
# is why Python's multiprocessing stopped forking there; Windows has no fork. STUDYLOG_NO_FORK=1 turns it off
# (for a library of your own that is not fork-safe): then every chain gets an interpreter of its own.
FORK_SAFE = sys.platform.startswith("linux") and hasattr(os, "fork") and not os.environ.get("STUDYLOG_NO_FORK")
GRACE_S = 5.0  # past a result's own time limit (which the child enforces itself) the worker kills the child


@dataclass
class Results:
    """What a child sent before it ended, and how it ended when it sent less than was asked."""

    items: list[dict[str, Any]] = field(default_factory=list)
    ended: str = ""  # "exit status 3", "killed by SIGSEGV", or "" when every result came
    killed: bool = False  # the worker killed it: a result took longer than its limit plus `GRACE_S`


def in_child(produce: Callable[[], Iterator[dict[str, Any]]], limits: list[float | None]) -> Results | None:
    """Run ``produce`` in a forked child and collect what it yields, one result per entry of ``limits``.

    Each limit is how long the result may take (None: no limit); None is returned where there is no fork.
    """
    if not FORK_SAFE:
        return None
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns about fork in a process with threads; ours has none
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: what it sends is what the tests check
        _child(produce, read_fd, write_fd)
    os.close(write_fd)
    try:
        return _collect(pid, read_fd, limits)
    finally:
        os.close(read_fd)


def _child(produce: Callable[[], Iterator[dict[str, Any]]], read_fd: int, write_fd: int) -> None:
    status = 0
    try:
        os.close(read_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)  # input() in an example must not read the worker's requests
        os.dup2(devnull, 0)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - for the child's life
        with os.fdopen(write_fd, "w", encoding="utf-8") as out:
            for item in produce():
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
                out.flush()
    except BaseException:  # noqa: BLE001 - the worker reports the result that did not come
        status = 70
    finally:
        os._exit(status)


def _collect(pid: int, read_fd: int, limits: list[float | None]) -> Results:
    results = Results()
    buffer = b""
    with selectors.DefaultSelector() as sel:
        sel.register(read_fd, selectors.EVENT_READ)
        while len(results.items) < len(limits):
            limit = limits[len(results.items)]
            if not sel.select(None if limit is None else limit + GRACE_S):
                os.kill(pid, signal.SIGKILL)
                results.killed = True
                break
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                results.items.append(json.loads(line))
    _, status = os.waitpid(pid, 0)
    if len(results.items) < len(limits):
        results.ended = _status(status)
    return results


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"killed by {name}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
