r"""The math engines on their own: formulas/s from a cold start, and the cost of a cache hit as the cache grows."""

from __future__ import annotations

import resource
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitebench import ROOT
from sitebench.synthetic import formulas_of

#: how a build hands formulas to the engine: "one" round trip per formula (a page asking for a formula the
#: prefetch did not have), or "batch": all at once, pipelined (the prefetch of a build, `render_many`)
MODES = ("one", "batch")


@dataclass
class Throughput:
    engine: str
    mode: str
    version: str
    n: int
    startup_s: float
    render_s: float
    cpu_s: float  # CPU seconds of Python, Node or the KaTeX binary for start-up and rendering
    warm_us: dict[int, float] = field(default_factory=dict)  # cache entries -> µs per cache hit

    @property
    def cold_per_s(self) -> float:
        """Formulas/s of a cold start: starting the engine plus rendering every formula once."""
        return self.n / (self.startup_s + self.render_s)

    @property
    def cpu_per_s(self) -> float:
        """Formulas per CPU second (start-up included): less disturbed by other work on the machine."""
        return self.n / self.cpu_s if self.cpu_s > 0 else float("inf")

    @property
    def steady_per_s(self) -> float:
        """Formulas/s once started (the first pass: V8's warm-up of KaTeX's code is in it)."""
        return self.n / self.render_s


def _cpu_now() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def fixed_formulas(n: int = 200) -> list[tuple[str, bool]]:
    """The first ``n`` distinct formulas of the synthetic logs, in order."""
    seen: dict[tuple[str, bool], None] = {}
    i = 0
    while len(seen) < n:
        display, inline = formulas_of(i)
        for item in [(tex, True) for tex in display] + [(tex, False) for tex in inline]:
            if len(seen) < n:
                seen.setdefault(item)
        i += 1
    return list(seen)


def filler_formulas(count: int, avoid: set[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """``count`` further distinct formulas (to grow the cache), none of them in ``avoid``."""
    out: list[tuple[str, bool]] = []
    k = 0
    while len(out) < count:
        item = (rf"\sum_{{j=1}}^{{{k}}} \frac{{x_j^{{2}}}}{{\sqrt{{{k} + j}}}}", k % 2 == 0)
        if item not in avoid:
            out.append(item)
        k += 1
    return out


def _start(name: str) -> Any:
    from studylog.site.katex import MarkdownKatex, NodeKatex, NoMath, find_node_modules

    if name == "katex":
        return NodeKatex(find_node_modules(ROOT))
    if name == "markdown-katex":
        return MarkdownKatex()
    return NoMath()


def measure_engine(name: str, mode: str, formulas: list[tuple[str, bool]], repeat: int = 1) -> tuple[Throughput, list[str]]:
    """Start a fresh engine and render ``formulas`` once (``repeat`` times; the fastest cold start counts).

    Returns the throughput and the rendered HTML (for the cache-hit measurement)."""
    result: Throughput | None = None
    htmls: list[str] = []
    for _ in range(repeat):
        cpu0 = _cpu_now()
        start = time.perf_counter()
        engine = _start(name)
        startup = time.perf_counter() - start
        start = time.perf_counter()
        if mode == "batch":
            replies = engine.render_many(formulas, {})
            if not all(ok for ok, _ in replies):
                raise SystemExit(f"{name} refused a benchmark formula: {next(t for ok, t in replies if not ok)}")
            htmls = [html for _, html in replies]
        else:
            htmls = [engine.render(tex, display, {}) for tex, display in formulas]
        render = time.perf_counter() - start
        engine.close()  # reaps Node: its CPU time is counted from here
        this = Throughput(name, mode, engine.version, len(formulas), startup, render, _cpu_now() - cpu0)
        if result is None or this.cold_per_s > result.cold_per_s:
            result = this
    assert result is not None
    return result, htmls


def measure_cache_hits(name: str, version: str, formulas: list[tuple[str, bool]], htmls: list[str],
                       cache_sizes: list[int], work: Path) -> dict[int, float]:  # fmt: skip
    """µs per cache hit (`MathRenderer.render` served from the cache folder) at each cache size.

    The cache holds the real renders of ``formulas`` plus entries for other formulas (valid entries;
    their HTML is reused); a fresh renderer each pass, as a new build starts with nothing in memory.
    """
    from studylog.site.katex import MathRenderer, RenderCache

    folder = work / f"cache-{name}"
    shutil.rmtree(folder, ignore_errors=True)

    def fresh() -> Any:
        renderer = MathRenderer(name, ROOT, folder)
        renderer._engine = _Refuse(version)  # a cache miss would be a benchmark bug
        renderer.__dict__["version"] = version  # do not start the engine just to read its version
        return renderer

    cache: RenderCache = fresh().cache

    def key(tex: str, display: bool) -> str:
        return cache.key(tex=tex, display=display, engine=name, version=version, macros={})

    for (tex, display), html in zip(formulas, htmls, strict=True):
        cache.put(key(tex, display), html)
    fillers = filler_formulas(max(cache_sizes) - len(formulas), set(formulas))
    filled = len(formulas)
    out: dict[int, float] = {}
    for size in sorted(cache_sizes):
        while filled < size:
            tex, display = fillers[filled - len(formulas)]
            cache.put(key(tex, display), htmls[filled % len(htmls)])
            filled += 1
        best = float("inf")
        for _ in range(7):
            renderer = fresh()
            start = time.perf_counter()
            for tex, display in formulas:
                renderer.render(tex, display)
            best = min(best, time.perf_counter() - start)
        out[size] = best / len(formulas) * 1e6
    shutil.rmtree(folder, ignore_errors=True)
    return out


class _Refuse:
    name = "refuse"

    def __init__(self, version: str) -> None:
        self.version = version

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        raise AssertionError(f"cache miss in the warm measurement: {tex!r}")

    def close(self) -> None:
        pass
