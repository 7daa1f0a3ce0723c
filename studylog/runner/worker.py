"""The worker: ``python -m studylog.runner.worker``, started by `studylog.runner.Worker`.

It reads one JSON request per line on stdin and answers one JSON line on the protocol channel (the
original stdout; the code it runs prints into buffers, and stray writes to file descriptor 1 go to
stderr). See `studylog.runner.protocol` for the messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import io
import json
import os
import signal
import sys
import time
import traceback
from functools import partial
from pathlib import Path
from typing import Any

from studylog.engine.memo import CheckMemo
from studylog.runner.isolate import in_child
from studylog.runner.protocol import ExampleJob, ExampleOutcome


class ExampleTimeout(BaseException):
    """An example ran past its time limit (a BaseException, so ``except Exception`` in it cannot swallow it)."""


class _Files:
    """SHA-256 of project files, remembered by (mtime, size) so that each is hashed once."""

    def __init__(self, root: Path, *, chdir: bool = True) -> None:
        self.root = root
        self.venv = {Path(os.path.abspath(p)) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        self._memo: dict[str, tuple[tuple[int, int], str]] = {}

    def project_files(self) -> list[Path]:
        """Files of the modules loaded now that belong to the project (not the interpreter's or a venv's).

        Paths are taken as Python found them (under the project root), not resolved: a package that is
        a symbolic link into the project still counts as the project's.
        """
        out = set()
        for module in list(sys.modules.values()):
            name = getattr(module, "__file__", None)
            if not name:
                continue
            path = Path(os.path.abspath(name))
            if not path.is_relative_to(self.root) or "site-packages" in path.parts:
                continue
            if any(path.is_relative_to(v) for v in self.venv) or not path.is_file():
                continue
            out.add(path)
        return sorted(out)

    def sha(self, path: Path) -> str:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        memo = self._memo.get(str(path))
        if memo is None or memo[0] != stamp:
            memo = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
            self._memo[str(path)] = memo
        return memo[1]

    def loaded(self) -> dict[str, str]:
        """``{path relative to the root: sha256}`` of every project file loaded now."""
        return {p.relative_to(self.root).as_posix(): self.sha(p) for p in self.project_files()}


_DISTS: dict[str, list[str]] | None = None


def _dists() -> dict[str, str]:
    """Installed distributions whose top-level modules are loaded now, with their versions."""
    global _DISTS  # noqa: PLW0603 - computed once per worker
    if _DISTS is None:
        _DISTS = importlib.metadata.packages_distributions()
    out: dict[str, str] = {}
    for top in {name.split(".", 1)[0] for name in list(sys.modules)}:
        for dist in _DISTS.get(top, ()):
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                out[dist] = importlib.metadata.version(dist)
    return dict(sorted(out.items()))


class Worker:
    """The worker's state: the project root, its files, and the namespaces of example sessions."""

    def __init__(self, root: Path, *, chdir: bool = True) -> None:
        self.root = root
        self.files = _Files(root)
        self.sessions: dict[tuple[str, str], dict[str, Any]] = {}
        # checks this worker's code made, and every project file loaded while making them (`_memo_valid`)
        self.memo = CheckMemo()
        self.memo_seen: dict[str, str] = {}
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        if chdir:
            os.chdir(root)

    # ------------------------------------------------------------------ requests
    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "ping":
            reply: dict[str, Any] = {"pid": os.getpid()}
        elif op == "preload":  # what every forked child then starts from: imports only, never the logs' code
            for name in ("studylog.engine.verify", "numpy.random"):
                with contextlib.suppress(Exception):
                    importlib.import_module(name)
            from studylog.engine.verify import discover

            with contextlib.suppress(Exception):  # a broken package is reported by "verify", at its line
                discover(request.get("packages", []), self.root)  # every module of the packages, as verify will
            reply = {}
        elif op == "verify":
            reply = self._isolated_verify(request)
        elif op == "examples":
            reply = self._isolated_examples([ExampleJob(**job) for job in request["jobs"]])
        else:
            return {"error": f"unknown request {op!r}"}
        reply["loaded"] = self.files.loaded()
        return reply

    def _isolated_verify(self, request: dict[str, Any]) -> dict[str, Any]:
        """The verdicts, computed in a forked child (`studylog.runner.isolate`) where there is fork.

        The child starts from this worker's memo of checks (`studylog.engine.memo`) and sends back the
        checks it made, which join the memo: a rebuild checks again only the bindings whose formulas changed.
        """
        self._memo_valid()
        hits, misses = self.memo.hits, self.memo.misses

        def produce() -> Any:
            report = self.verify(request)
            checks = {"run": self.memo.misses - misses, "remembered": self.memo.hits - hits}
            yield {"report": report, "seen": self.files.loaded(), "memo": self.memo.take_added(), "checks": checks}

        results = in_child(produce, [float(request.get("timeout", 0)) or None])
        if results is not None and not results.items:
            why = "ran past its time limit and was killed" if results.killed else f"ended its interpreter ({results.ended})"
            return {"failed": f"the verification of the formulas {why}"}
        item = results.items[0] if results is not None else next(produce())  # no fork: checked here
        self._memo_seen(item["seen"])
        if results is not None:  # the checks the child made join this worker's memo
            self.memo.add(item["memo"])
        return {**item["report"], "seen": item["seen"], "checks": item["checks"]}

    def _memo_valid(self) -> None:
        """Forget the memo if a file loaded while it was made is no longer what it was (this worker is replaced
        when a file it loaded itself changes; a module that only a check imported is watched here)."""
        for rel, sha in self.memo_seen.items():
            path = self.root / rel
            if not path.is_file() or self.files.sha(path) != sha:
                self.memo.clear()
                self.memo_seen.clear()
                return

    def _memo_seen(self, seen: dict[str, str]) -> None:
        if any(self.memo_seen.get(rel, sha) != sha for rel, sha in seen.items()):  # changed during the check
            self.memo.clear()
            self.memo_seen.clear()
        self.memo_seen.update(seen)

    def _isolated_examples(self, jobs: list[ExampleJob]) -> dict[str, Any]:
        """One chain's outcomes, run in a forked child where there is fork (the worker then stays unused)."""
        _dists()  # the installed distributions are read once, here, not in every child
        results = in_child(lambda: (self.run(job).to_json() for job in jobs), [job.timeout for job in jobs])
        if results is None:  # no fork: the chain runs here, and this worker is used up
            return {"outcomes": [self.run(job).to_json() for job in jobs]}
        outcomes = list(results.items)
        for k, job in enumerate(jobs[len(outcomes) :]):
            if k:
                why = "not run: an earlier example of its session ended the interpreter"
            elif results.killed:
                why = f"the example ran longer than {job.timeout:g} s and did not stop; its interpreter was killed"
            else:
                why = f"the example ended its interpreter ({results.ended})"
            outcomes.append(ExampleOutcome(job.path, job.line, False, error=why, deps=self.files.loaded()).to_json())
        return {"outcomes": outcomes, "isolated": True}

    def verify(self, request: dict[str, Any]) -> dict[str, Any]:
        from studylog.engine.verify import load_config, verify_site
        from studylog.engine.records import report_to_json

        config = load_config(self.root)
        logs = {item["path"]: item["text"] for item in request["logs"]}
        report = verify_site(config, logs=logs, seed=int(request.get("seed", 0)), memo=self.memo)
        return report_to_json(report)

    def run(self, job: ExampleJob) -> ExampleOutcome:
        """Run one example as markdown-exec does (``print`` goes to the output), with its time limit."""
        if job.session:
            namespace = self.sessions.setdefault((job.path, job.session), {})
        else:
            namespace = {}
        buffer = io.StringIO()
        namespace["print"] = partial(print, file=buffer)
        namespace.setdefault("__name__", "studylog_example")
        filename = f"<example {job.name}>"
        started = time.perf_counter()
        ok, error, error_line = True, "", None
        try:
            code = compile(job.code, filename, "exec")
            with _time_limit(job.timeout), contextlib.redirect_stdout(buffer):
                exec(code, namespace)  # noqa: S102 - running the log's own examples is the point
        except ExampleTimeout:
            ok, error = False, f"the example ran longer than {job.timeout:g} s and was stopped"
        except SyntaxError as exc:
            ok, error = False, f"SyntaxError: {exc.msg}"
            error_line = job.line + (exc.lineno or 1)
        except BaseException as exc:  # noqa: BLE001 - whatever the example raises is its failure
            ok = False
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
            if frames:
                error_line = job.line + (frames[-1].lineno or 1)
            error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return ExampleOutcome(job.path, job.line, ok, _text(buffer.getvalue()), _text(error), error_line,
                              self.files.loaded(), _dists(), time.perf_counter() - started)  # fmt: skip


def _text(value: str) -> str:
    """``value`` as UTF-8 can carry it: a lone surrogate an example printed shows as its escape (``\\ud800``)."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


@contextlib.contextmanager
def _time_limit(seconds: float | None):  # type: ignore[no-untyped-def]
    if not seconds:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise ExampleTimeout

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def main() -> None:
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything written to stdout by C code or a stray print goes to stderr
    sys.stdout = sys.stderr
    worker = Worker(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path.cwd())
    channel.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = worker.handle(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - reported to the build as an internal error
            reply = {"error": "".join(traceback.format_exception(exc, limit=6))}
        try:
            text = json.dumps(reply, ensure_ascii=False)
            text.encode("utf-8")
        except (TypeError, ValueError) as exc:  # a reply that cannot travel must not end the worker
            text = json.dumps({"error": f"the reply cannot be sent: {exc}"})
        channel.write(text + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
