r"""Timed ``mkdocs build`` subprocesses of the synthetic sites: wall clock, CPU seconds and peak memory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitebench import ROOT
from sitebench.memory import PeakMemory
from sitebench.synthetic import distinct_formulas, edited_log, formulas_per_log, log_text, make_site

PYTHON = sys.executable
Say = Callable[[str], None]

RENDERED_RE = re.compile(r"studylog: examples executed: (\d+), from cache: (\d+); formulas rendered: (\d+)")


@dataclass
class BuildResult:
    seconds: float  # wall clock
    cpu: float  # user + system CPU of mkdocs and everything it ran (Node, the KaTeX binary)
    rendered: int
    executed: int
    from_cache: int
    warnings: list[str]
    peak_kib: int = 0  # largest resident memory of mkdocs and its children together, sampled


SNAPSHOT: Path | None = None  # the folder holding the copy of the studylog package every build runs


def snapshot_source(work: Path) -> str:
    """Copy the studylog package into ``work`` and run every build (and the engine measurements) from the
    copy, so that edits to the working tree during the run cannot mix code versions. Returns a short hash
    of the copied source."""
    global SNAPSHOT
    import hashlib

    SNAPSHOT = work / "src"
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(ROOT / "studylog", SNAPSHOT / "studylog", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    sys.path.insert(0, str(SNAPSHOT))
    for name in [m for m in sys.modules if m == "studylog" or m.startswith("studylog.")]:
        del sys.modules[name]
    h = hashlib.sha256()
    for path in sorted((SNAPSHOT / "studylog").rglob("*")):
        if path.is_file():
            h.update(path.relative_to(SNAPSHOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def git_head() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,  # noqa: S607
                              text=True, check=True).stdout.strip()  # fmt: skip
        # --no-optional-locks: a read-only look (git status would otherwise refresh the index)
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain", "--", "studylog"],  # noqa: S607
                               capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "no git"
    return f"commit {head}" + (" + uncommitted changes to studylog/" if dirty else "")


def env() -> dict[str, str]:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    e.pop("STUDYLOG_NODE_MODULES", None)
    if SNAPSHOT is not None:
        e["PYTHONPATH"] = os.pathsep.join([str(SNAPSHOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return e


def mkdocs_build(root: Path, *, profile: Path | None = None, timeout: float = 1800) -> BuildResult:
    site = root / "site"
def mkdocs_build(root: Path, *, profile: Path | None = None, timeout: float = 1800) -> BuildResult:
    """One ``mkdocs build`` of ``root``: its wall time, CPU time (its own and its children's, from
    ``wait4``) and the peak resident memory of its process tree."""
    site = root / "site"
    pre = ["-m", "cProfile", "-o", str(profile)] if profile else []
    cmd = [PYTHON, *pre, "-m", "mkdocs", "build", "-d", str(site), "-f", str(root / "mkdocs.yml")]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, env=env())  # noqa: S603
        with PeakMemory(proc.pid) as peak:
            deadline = start + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    raise SystemExit(f"mkdocs build of {root} took more than {timeout:.0f} s")
                time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out = log.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime  # mkdocs and every child it waited for (Node, the KaTeX binary)
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root} (exit {proc.returncode}):\n{out[-4000:]}")
    m = RENDERED_RE.search(out)
    if m is None:
        raise SystemExit(f"the studylog plugin's summary line is missing from the build output:\n{out[-4000:]}")
    warnings = [ln for ln in out.splitlines() if ln.startswith("WARNING")]
    return BuildResult(seconds, cpu, int(m.group(3)), int(m.group(1)), int(m.group(2)), warnings, peak.kib)


def page_weight(site: Path, n_logs: int) -> tuple[int, int]:
    """HTML bytes of the built log pages, and the number of formulas they hold."""
    pages = [p for p in site.rglob("index.html") if re.fullmatch(r"log-\d{4}", p.parent.name)]
    if len(pages) != n_logs:
        raise SystemExit(f"expected {n_logs} built log pages in {site}, found {len(pages)}")
    return sum(p.stat().st_size for p in pages), n_logs * formulas_per_log()


@dataclass
class SiteRun:
    """Every repetition of the three builds of one engine at one size."""

    size: int
    engine: str
    root: Path
    colds: list[BuildResult] = field(default_factory=list)
    nochanges: list[BuildResult] = field(default_factory=list)
    edits: list[BuildResult] = field(default_factory=list)
    html_bytes: int = 0
    n_formulas: int = 0
    search_bytes: int = 0

    @property
    def distinct(self) -> int:
        return len(distinct_formulas(self.size))

    @staticmethod
    def best(results: list[BuildResult]) -> BuildResult:
        return min(results, key=lambda r: r.seconds)

    @property
    def cold(self) -> BuildResult:
        return self.best(self.colds)

    @property
    def nochange(self) -> BuildResult:
        return self.best(self.nochanges)

    @property
    def edit(self) -> BuildResult:
        return self.best(self.edits)

    def min_cpu(self, kind: str) -> float:
        return min(r.cpu for r in getattr(self, kind + "s"))

    def renders(self, kind: str) -> str:
        counts = sorted({r.rendered for r in getattr(self, kind + "s")})
        return "/".join(map(str, counts))

    def peak_mib(self, kind: str) -> float:
        """The largest peak memory over the repetitions of ``kind`` (memory is not disturbed by load)."""
        return max(r.peak_kib for r in getattr(self, kind + "s")) / 1024


def _timed(results: list[BuildResult], root: Path, what: str, say: Say) -> None:
    r = mkdocs_build(root)
    results.append(r)
    say(f"  {what} {r.seconds:7.2f} s, CPU {r.cpu:6.2f} s, peak {r.peak_kib / 1024:5.0f} MiB (rendered {r.rendered})")


def repetition(run: SiteRun, rep: int, *, cold: bool, say: Say) -> None:
    """One repetition: (cold build,) no-change rebuild, rebuild after a one-formula edit."""
    root, size, engine = run.root, run.size, run.engine
    i = edited_log(size)
    post = root / "docs" / "blog" / "posts" / f"log-{i:04d}.md"
    post.write_text(log_text(i), encoding="utf-8")  # undo the previous repetition's edit
    tag = f"{engine:>14} N={size:<4} #{rep + 1}"
    if cold:
        for folder in (root / ".studylog-cache", root / "site"):
            shutil.rmtree(folder, ignore_errors=True)
        _timed(run.colds, root, f"{tag} cold     ", say)
    _timed(run.nochanges, root, f"{tag} no-change", say)
    post.write_text(log_text(i, edit=rep + 1), encoding="utf-8")
    _timed(run.edits, root, f"{tag} edit-one ", say)
    if not run.html_bytes:
        run.html_bytes, run.n_formulas = page_weight(root / "site", size)
        run.search_bytes = (root / "site" / "search" / "search_index.json").stat().st_size


def run_size(work: Path, size: int, engines: list[str], repeat: int, say: Say) -> list[SiteRun]:
    """All builds of one size; the engines take turns within each repetition (shared load affects all)."""
    runs = [SiteRun(size, e, work / f"site-{e}-{size}") for e in engines]
    for run in runs:
        make_site(run.root, size, run.engine)
    for rep in range(repeat):
        for run in runs:
            # markdown-katex renders ~10 formulas/s: its cold build is timed once
            cold = rep == 0 or run.engine != "markdown-katex"
            repetition(run, rep, cold=cold, say=say)
    for run in runs:
        shutil.rmtree(run.root, ignore_errors=True)
    return runs
