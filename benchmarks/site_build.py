r"""Build-speed benchmark of the site (issue 8): how much server-side math costs a ``mkdocs build``.

Run on demand (it is not part of the test suite)::

    .venv/bin/python benchmarks/site_build.py                       # sizes 10,100,300; all engines
    .venv/bin/python benchmarks/site_build.py --sizes 10,100 --engines none,katex
    .venv/bin/python benchmarks/site_build.py --profile-size 100    # also profile a katex cold build

For each size N it generates a synthetic site of N logs (about 20 formulas each, display fences and
inline math in an optimizer-log mix, varied per log, plus two small executed examples per log) and
times, each as a fresh ``mkdocs build`` subprocess:

* the cold build (empty formula and example caches),
* the no-change rebuild,
* the rebuild after one formula of one log was edited,

for the engines ``none`` (TeX shown as code: the floor), ``katex`` and ``markdown-katex`` (slow:
by default only for sizes <= 100, see ``--markdown-katex-max``). Every time is also given as a
ratio to the ``none`` build of the same size and kind, measured in the same run. The number of
formulas each build actually rendered is read from the plugin's log line
(``studylog: … formulas rendered: R``), which checks that a rebuild after an edit re-renders only
the edited log's formulas.

Each build is repeated (``--repeat``, default 3; the fastest counts, and the CPU seconds are reported
too) because the machine may be shared. Every build runs from a copy of the ``studylog`` package made
at the start, so edits to the working tree during the run cannot mix code versions.

It also measures the raw cold throughput of each engine (formulas/s over ~200 distinct formulas,
through ``studylog.site.katex`` directly, no cache) and the per-formula cost of a cache hit as the
rendered-formula cache grows (200, 2,000, 20,000 entries).

The results are printed and written to ``benchmarks/README.md``, section "Site build" (only that
section is replaced; ``--no-readme`` leaves the file alone).
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401 - used through ``python -m cProfile`` (imported to fail early if missing)
import datetime as dt
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = Path(__file__).with_name("README.md")
SECTION = "## Site build"
PYTHON = sys.executable

# --------------------------------------------------------------------------------------------- targets
TARGET_THROUGHPUT = 500.0  # default engine, formulas/s cold
TARGET_COLD_RATIO = 1.5  # 300-log cold build vs the no-math build
TARGET_REBUILD_RATIO = 1.1  # no-change rebuild vs the no-math build
TARGET_MK_THROUGHPUT = 10.0  # markdown-katex formulas/s cold
TARGET_SIZE = 300


# ------------------------------------------------------------------------------------------ the site
SYMBOLS = ["W", r"\theta", "w", r"\phi", r"\psi", "u"]
STEPS = ["t", "k", "n"]
OPTIMIZERS = ["SGD", "Momentum", "Adam", "AdamW", "RMSProp", "Adagrad", "Nesterov"]


def formulas_of(i: int, edit: int = 0) -> tuple[list[str], list[str]]:
    """The display and inline formulas of log ``i`` (most depend on ``i``; a few recur in every log).

    ``edit`` > 0 changes exactly one display formula (the benchmark's one-formula edit; each value
    gives a different formula).
    """
    p = SYMBOLS[i % len(SYMBOLS)]
    t = STEPS[i % len(STEPS)]
    layer = i + 1
    b1 = 0.80 + (i % 19) / 100
    b2 = 0.990 + (i % 9) / 1000
    eps = 6 + i % 4
    lr = f"{1 + i % 9}\\times 10^{{-{2 + i % 3}}}"
    n_data = 1000 + 10 * i
    batch = 2 ** (4 + i % 5)
    width = 64 * (1 + i % 8)
    lam = f"{(i % 7) + 1}\\times 10^{{-4}}"
    step = f"{edit + 1}\\eta" if edit else r"\eta"
    pl = f"{p}^{{({layer})}}"  # the parameters of layer i + 1: makes a formula unique to the log
    display = [
        rf"{pl}_{{{t}+1}} \leftarrow {pl}_{{{t}}} - {step}\, g^{{({layer})}}_{{{t}}}",
        rf"m^{{({layer})}}_{{{t}}} = \beta_1 m^{{({layer})}}_{{{t}-1}} + (1-\beta_1)\, g^{{({layer})}}_{{{t}}}, \qquad \beta_1 = {b1:.2f}",
        rf"v^{{({layer})}}_{{{t}}} = \beta_2 v^{{({layer})}}_{{{t}-1}} + (1-\beta_2)\, \big(g^{{({layer})}}_{{{t}}}\big)^{{2}}, \qquad \beta_2 = {b2:.3f}",
        rf"\hat m_{{{t}}} = \frac{{m_{{{t}}}}}{{1-\beta_1^{{{t}}}}}, \qquad \hat v_{{{t}}} = \frac{{v_{{{t}}}}}{{1-\beta_2^{{{t}}}}}",
        rf"{pl}_{{{t}+1}} = {pl}_{{{t}}} - \frac{{\eta}}{{\sqrt{{\hat v_{{{t}}}}} + \epsilon}}\, \hat m_{{{t}}}, \qquad \epsilon = 10^{{-{eps}}}",
        rf"\mathcal{{L}}({p}) = \frac{{1}}{{N}} \sum_{{i=1}}^{{N}} \ell\big(f_{{{p}}}(x_i), y_i\big) + \frac{{\lambda}}{{2}} \lVert {p} \rVert_2^2, \qquad N = {n_data}",
        rf"\mathbb{{E}}_{{x \sim p}}\big[\nabla_{{{pl}}} \ell(x)\big] \approx \frac{{1}}{{B}} \sum_{{b \in \mathcal{{B}}_{{{layer}}}}} \nabla_{{{pl}}} \ell(x_b), \qquad B = {batch}",
        rf"H = \begin{{pmatrix}} {2 + i // 7} & {i % 7} \\ {i % 7} & {3 + i // 7} \end{{pmatrix}}, \qquad \kappa(H) = \frac{{\lambda_{{\max}}}}{{\lambda_{{\min}}}}",
    ]
    inline = [
        r"\eta",  # recurs in every log
        rf"g_{{{t}}}",  # recurs in every third log
        rf"\eta = {lr}",
        rf"\beta_1 = {b1:.2f}",
        rf"\sqrt{{\hat v_{{{t}}}}}",
        rf"\lambda = {lam}",
        rf"{pl} \in \mathbb{{R}}^{{{width} \times {width // 2}}}",
        rf"\nabla_{{{pl}}} \mathcal{{L}}",
        rf"\frac{{1}}{{\sqrt{{{width}}}}}",
        rf"x^{{({layer})}}_{{j}}",
        rf"B = {batch}",
        rf"O\big(n^{{{2 + i % 3}}}\big)",
    ]
    return display, inline


def log_text(i: int, edit: int = 0) -> str:
    """One synthetic log: front matter, prose, 8 display and 12 inline formulas, 2 executed examples."""
    display, inline = formulas_of(i, edit)
    name = OPTIMIZERS[i % len(OPTIMIZERS)]
    date = dt.date(2021, 1, 1) + dt.timedelta(days=i)
    ex = [inline[k] for k in range(len(inline))]
    d = [f"```math\n{tex}\n```" for tex in display]
    prose = ("The lecture went over it slowly; the notes below are what stuck, with the numbers from "
             "the assignment. ")  # fmt: skip
    return f"""---
date: {date.isoformat()}
slug: log-{i:04d}
categories:
  - Study log
---

# Day {i + 1}: {name}

Today's topic is {name} with a learning rate $`{ex[0]}`$ and the gradient $`{ex[1]}`$ of the loss.

<!-- more -->

## The update

{prose}One step of plain gradient descent with $`{ex[2]}`$:

{d[0]}

The first moment keeps a running mean of the gradients, with $`{ex[3]}`$:

{d[1]}

and the second moment a running mean of their squares:

{d[2]}

Both start at zero, so early estimates are biased toward zero; dividing corrects that:

{d[3]}

The step divides by $`{ex[4]}`$ per coordinate:

{d[4]}

## The loss

{prose}Weight decay adds $`{ex[5]}`$ times the squared norm, for $`{ex[6]}`$:

{d[5]}

The gradient $`{ex[7]}`$ is estimated on a mini-batch; initial weights scale like $`{ex[8]}`$:

{d[6]}

```python exec="on" result="text"
sizes = [{i % 7 + 2}, {i % 5 + 3}, {i % 3 + 4}]
print("parameters:", sum(a * b for a, b in zip(sizes, sizes[1:])))
```

## Curvature

The activations $`{ex[9]}`$ of layer {i + 1} feed the next; with $`{ex[10]}`$ the cost is $`{ex[11]}`$.

{d[7]}

```python exec="on" result="text"
lr, beta = {1 + i % 9} * 10 ** -{2 + i % 3}, {b1_str(i)}
print(f"effective step after 10 steps: {{lr / (1 - beta ** 10):.4g}}")
```

## Retrospective

- {prose}
- Re-derive the bias correction without notes tomorrow (log {i}).
"""


def b1_str(i: int) -> str:
    return f"{0.80 + (i % 19) / 100:.2f}"


def distinct_formulas(n_logs: int) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for i in range(n_logs):
        display, inline = formulas_of(i)
        out |= {(tex, True) for tex in display} | {(tex, False) for tex in inline}
    return out


def formulas_per_log() -> int:
    display, inline = formulas_of(0)
    return len(display) + len(inline)


MKDOCS_YML = """\
site_name: benchmark
theme:
  name: material
  font: false
plugins:
  - search
  - blog
  - studylog:
      engine: {engine}
      verify: false
      cache_dir: "{cache_dir}"
      examples_cache_dir: .studylog-cache/examples
"""


def make_site(root: Path, n_logs: int, engine: str) -> None:
    """Write a fresh synthetic site of ``n_logs`` logs for ``engine`` into ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    # the floor renders nothing worth caching: its formula cache is off (a cache write per formula
    # would make the floor slower than no math at all)
    cache_dir = "" if engine == "none" else ".studylog-cache/katex"
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(engine=engine, cache_dir=cache_dir), encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.studylog]\nimplementations = []\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Benchmark\n\nA synthetic site of study logs.\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Logs\n", encoding="utf-8")
    for i in range(n_logs):
        (posts / f"log-{i:04d}.md").write_text(log_text(i), encoding="utf-8")
    (root / "node_modules").symlink_to(ROOT / "node_modules")


def edited_log(n_logs: int) -> int:
    return n_logs // 2


# ------------------------------------------------------------------------------------------ builds
RENDERED_RE = re.compile(r"studylog: examples executed: (\d+), from cache: (\d+); formulas rendered: (\d+)")


@dataclass
class BuildResult:
    seconds: float  # wall clock
    cpu: float  # user + system CPU of mkdocs and everything it ran (Node, the KaTeX binary)
    rendered: int
    executed: int
    from_cache: int
    warnings: list[str]


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
    pre = ["-m", "cProfile", "-o", str(profile)] if profile else []
    cmd = [PYTHON, *pre, "-m", "mkdocs", "build", "-d", str(site), "-f", str(root / "mkdocs.yml")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env(), timeout=timeout, check=False)  # noqa: S603
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {root} (exit {proc.returncode}):\n{out[-4000:]}")
    m = RENDERED_RE.search(out)
    if m is None:
        raise SystemExit(f"the studylog plugin's summary line is missing from the build output:\n{out[-4000:]}")
    warnings = [ln for ln in out.splitlines() if ln.startswith("WARNING")]
    return BuildResult(seconds, cpu, int(m.group(3)), int(m.group(1)), int(m.group(2)), warnings)


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


def repetition(run: SiteRun, rep: int, *, cold: bool, say) -> None:
    """One repetition: (cold build,) no-change rebuild, rebuild after a one-formula edit."""
    root, size, engine = run.root, run.size, run.engine
    i = edited_log(size)
    post = root / "docs" / "blog" / "posts" / f"log-{i:04d}.md"
    post.write_text(log_text(i), encoding="utf-8")  # undo the previous repetition's edit
    tag = f"{engine:>14} N={size:<4} #{rep + 1}"
    if cold:
        for folder in (root / ".studylog-cache", root / "site"):
            shutil.rmtree(folder, ignore_errors=True)
        run.colds.append(mkdocs_build(root))
        say(f"  {tag} cold      {run.colds[-1].seconds:7.2f} s (rendered {run.colds[-1].rendered})")
    run.nochanges.append(mkdocs_build(root))
    say(f"  {tag} no-change {run.nochanges[-1].seconds:7.2f} s (rendered {run.nochanges[-1].rendered})")
    post.write_text(log_text(i, edit=rep + 1), encoding="utf-8")
    run.edits.append(mkdocs_build(root))
    say(f"  {tag} edit-one  {run.edits[-1].seconds:7.2f} s (rendered {run.edits[-1].rendered})")
    if not run.html_bytes:
        run.html_bytes, run.n_formulas = page_weight(root / "site", size)
        run.search_bytes = (root / "site" / "search" / "search_index.json").stat().st_size


def run_size(work: Path, size: int, engines: list[str], repeat: int, say) -> list[SiteRun]:
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


# ------------------------------------------------------------------------------------------ engines
@dataclass
class Throughput:
    engine: str
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
        return self.n / self.render_s


def _cpu_now() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def fixed_formulas(n: int = 200) -> list[tuple[str, bool]]:
    seen: list[tuple[str, bool]] = []
    i = 0
    while len(seen) < n:
        display, inline = formulas_of(i)
        for item in [(tex, True) for tex in display] + [(tex, False) for tex in inline]:
            if item not in seen and len(seen) < n:
                seen.append(item)
        i += 1
    return seen


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


def measure_engine(name: str, formulas: list[tuple[str, bool]], cache_sizes: list[int], work: Path,
                   repeat: int = 1) -> Throughput:  # fmt: skip
    from studylog.site.katex import MarkdownKatex, MathRenderer, NodeKatex, NoMath, RenderCache, find_node_modules

    result: Throughput | None = None
    for _ in range(repeat):  # a fresh engine each time; the fastest cold start counts
        cpu0 = _cpu_now()
        start = time.perf_counter()
        if name == "katex":
            engine: Any = NodeKatex(find_node_modules(ROOT))
        elif name == "markdown-katex":
            engine = MarkdownKatex()
        else:
            engine = NoMath()
        startup = time.perf_counter() - start
        start = time.perf_counter()
        htmls = [engine.render(tex, display, {}) for tex, display in formulas]
        render = time.perf_counter() - start
        engine.close()  # reaps Node: its CPU time is counted from here
        this = Throughput(name, engine.version, len(formulas), startup, render, _cpu_now() - cpu0)
        if result is None or this.cold_per_s > result.cold_per_s:
            result = this
    assert result is not None
    if name == "none":
        return result
    # warm cost per formula (a cache hit) as the cache grows: fill the cache with the real renders of
    # the fixed formulas plus entries for other formulas (valid entries; their HTML is reused), then
    # time cache hits of the fixed formulas
    folder = work / f"cache-{name}"
    shutil.rmtree(folder, ignore_errors=True)

    def fresh() -> Any:
        """A renderer as a new build starts with: nothing in memory, only the cache folder."""
        renderer = MathRenderer(name, ROOT, folder)
        renderer._engine = _Refuse(engine.version)  # a cache miss would be a benchmark bug
        if name != "katex":
            renderer.__dict__["version"] = engine.version  # do not start the binary just to read its version
        return renderer

    cache: RenderCache = fresh().cache
    version = fresh().version

    def key(tex: str, display: bool) -> str:
        return cache.key(tex=tex, display=display, engine=name, version=version, macros={})

    for (tex, display), html in zip(formulas, htmls):
        cache.put(key(tex, display), html)
    fillers = filler_formulas(max(cache_sizes) - len(formulas), set(formulas))
    filled = len(formulas)
    for size in sorted(cache_sizes):
        while filled < size:
            tex, display = fillers[filled - len(formulas)]
            cache.put(key(tex, display), htmls[filled % len(htmls)])
            filled += 1
        best = float("inf")
        for _ in range(7):  # a fresh renderer each pass: a renderer remembers what it rendered
            renderer = fresh()
            start = time.perf_counter()
            for tex, display in formulas:
                renderer.render(tex, display)
            best = min(best, time.perf_counter() - start)
        result.warm_us[size] = best / len(formulas) * 1e6
    shutil.rmtree(folder, ignore_errors=True)
    return result


class _Refuse:
    name = "refuse"

    def __init__(self, version: str) -> None:
        self.version = version

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        raise AssertionError(f"cache miss in the warm measurement: {tex!r}")

    def close(self) -> None:
        pass


# ------------------------------------------------------------------------------------------ profile
KEY_FUNCTIONS = [  # (label, "module:qualname"): where a build's time can go
    ("mkdocs build (all of it)", "mkdocs.commands.build:build"),
    ("Markdown conversion (pages and blog excerpts)", "markdown.core:Markdown.convert"),
    ("  studylog preprocessor (math + examples)", "studylog.site.extension:MathPreprocessor.run"),
    ("    MathRenderer.render (cache + engine)", "studylog.site.katex:MathRenderer.render"),
    ("      NodeKatex.render (round trips to Node)", "studylog.site.katex:NodeKatex.render"),
    ("      RenderCache.get (cache reads)", "studylog.site.katex:RenderCache.get"),
    ("      RenderCache.put (cache writes)", "studylog.site.katex:RenderCache.put"),
    ("    executed examples (markdown-exec)", "studylog.site.examples:render_example"),
    ("  studylog HTML sanitizer (postprocessor)", "studylog.site.extension:SanitizePostprocessor.run"),
    ("material search: HTML parse of every page", "material.plugins.search.plugin:SearchIndex.add_entry_from_context"),
    ("material blog: read time (HTML parse of each post)", "material.plugins.blog.readtime:readtime"),
    ("material blog: excerpt rendering", "material.plugins.blog.structure:Excerpt.render"),
    ("Jinja templates", "jinja2.environment:Template.render"),
    ("html.parser (all callers)", "html.parser:HTMLParser.goahead"),
    ("writing files", "mkdocs.utils:write_file"),
    ("copying static files", "mkdocs.structure.files:File.copy_file"),
]


def _code_key(target: str) -> tuple[str, int, str] | None:
    """``module:qualname`` -> cProfile's ``(file, first line, name)`` key, or None if it cannot be found."""
    import importlib
    import inspect

    module, _, qualname = target.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        code = inspect.unwrap(obj).__code__
    except (ImportError, AttributeError):
        return None
    return code.co_filename, code.co_firstlineno, code.co_name


def _component(path: str) -> str:
    if path.startswith("~") or path.startswith("<"):
        return "builtins / C"
    parts = Path(path).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        depth = 3 if rest[:2] == ("material", "plugins") else 2 if rest[0] == "mkdocs" else 1
        return "/".join(rest[: min(depth, len(rest) - 1)]) or rest[0]
    if "studylog" in parts:
        return "studylog/" + "/".join(parts[parts.index("studylog") + 1 :])
    return "stdlib " + Path(path).stem


def profile_build(work: Path, size: int, top: int = 15) -> str:
    """cProfile a katex cold build of ``size`` logs: key functions (cumulative), components and functions (own time)."""
    root = work / f"profile-katex-{size}"
    make_site(root, size, "katex")
    prof = work / "katex-cold.prof"
    build = mkdocs_build(root, profile=prof)
    stats = pstats.Stats(str(prof))
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _), (_, _, _, ct, _) in raw.items())
    lines = [f"cProfile of a katex cold build, N={size}: {build.seconds:.1f} s under the profiler "
             f"({build.rendered} formulas rendered); Node's own time shows as the wait in select/readline.", "",
             "key functions (cumulative seconds, share of the whole run):"]  # fmt: skip
    for label, target in KEY_FUNCTIONS:
        key = _code_key(target)
        ct = raw[key][3] if key in raw else 0.0
        if ct:
            lines.append(f"  {label:<52} {ct:7.2f} s  {ct / total:6.1%}")
    by_comp: dict[str, float] = {}
    for (f, _, _), v in raw.items():
        by_comp[_component(f)] = by_comp.get(_component(f), 0.0) + v[2]
    lines += ["", "own time by component:"]
    for comp, tt in sorted(by_comp.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {comp:<52} {tt:7.2f} s  {tt / total:6.1%}")
    lines += ["", "functions by own time:"]
    for (f, ln, fn), v in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        where = f"{_component(f)}:{ln}({fn})" if not f.startswith("~") else fn
        lines.append(f"  {where[:70]:<70} {v[2]:7.2f} s  calls {v[1]:>9,}")
    shutil.rmtree(root, ignore_errors=True)
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ report
def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, IndexError, ValueError):
        pass
    return f"nproc {os.cpu_count()}, {cpu}{mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def ratio(x: float, floor: float | None) -> str:
    return f"{x / floor:.2f}×" if floor else "–"


def site_table(runs: list[SiteRun]) -> list[str]:
    floors = {r.size: r for r in runs if r.engine == "none"}
    rows = [
        "| logs | engine | cold s | ×none | no-change s | ×none | edit-one s | ×none | ×none by CPU time "
        "(cold / no-change / edit) | rendered (cold / no-change / edit) | HTML bytes / formula | search index bytes |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r.size, ENGINE_ORDER.index(r.engine))):
        f = floors.get(r.size)
        cpu = " / ".join(ratio(r.min_cpu(k), f.min_cpu(k) if f else None) for k in ("cold", "nochange", "edit"))
        rows.append(
            f"| {r.size} | {r.engine} | {r.cold.seconds:.2f} | {ratio(r.cold.seconds, f and f.cold.seconds)} "
            f"| {r.nochange.seconds:.2f} | {ratio(r.nochange.seconds, f and f.nochange.seconds)} "
            f"| {r.edit.seconds:.2f} | {ratio(r.edit.seconds, f and f.edit.seconds)} | {cpu} "
            f"| {r.renders('cold')} / {r.renders('nochange')} / {r.renders('edit')} "
            f"| {r.html_bytes / r.n_formulas:,.0f} | {r.search_bytes:,} |"
        )
    return rows


def engine_table(tps: list[Throughput], cache_sizes: list[int]) -> list[str]:
    sizes = sorted(cache_sizes)
    head = " | ".join(f"hit µs @{s:,}" for s in sizes)
    rows = [
        f"| engine | KaTeX | start-up s | formulas/s cold (incl. start-up) | formulas/s steady | formulas per CPU s | {head} |",
        "|---|---|---:|---:|---:|---:|" + "---:|" * len(sizes),
    ]
    for t in tps:
        warm = " | ".join(f"{t.warm_us[s]:.0f}" if s in t.warm_us else "–" for s in sizes)
        rows.append(f"| {t.engine} | {t.version} | {t.startup_s:.3f} | {t.cold_per_s:,.0f} | {t.steady_per_s:,.0f} | {t.cpu_per_s:,.0f} | {warm} |")
    return rows


def verdicts(runs: list[SiteRun], tps: list[Throughput], sizes: list[int]) -> list[str]:
    out: list[str] = []
    by = {(r.engine, r.size): r for r in runs}
    tp = {t.engine: t for t in tps}

    def line(ok: bool | None, text: str) -> None:
        mark = {True: "met", False: "**not met**", None: "not measured"}[ok]
        out.append(f"- {text}: {mark}")

    k = tp.get("katex")
    line(None if k is None else k.cold_per_s >= TARGET_THROUGHPUT,
         f"default engine (katex) ≥ {TARGET_THROUGHPUT:.0f} formulas/s cold"
         + (f" — {k.cold_per_s:,.0f}/s incl. Node start-up ({k.steady_per_s:,.0f}/s steady, "
            f"{k.cpu_per_s:,.0f} per CPU second)" if k else ""))  # fmt: skip
    big = max((s for s in sizes if ("katex", s) in by and ("none", s) in by), default=None)
    if big is not None:
        r, f = by[("katex", big)], by[("none", big)]
        q = r.cold.seconds / f.cold.seconds
        label = f"{big}-log" if big == TARGET_SIZE else f"{big}-log (the target names {TARGET_SIZE})"
        line(q <= TARGET_COLD_RATIO if big >= TARGET_SIZE else None,
             f"{label} katex cold build ≤ {TARGET_COLD_RATIO}× the no-math build — {q:.2f}×")
        worst = max((by[("katex", s)].nochange.seconds / by[("none", s)].nochange.seconds, s)
                    for s in sizes if ("katex", s) in by and ("none", s) in by)  # fmt: skip
        line(worst[0] <= TARGET_REBUILD_RATIO,
             f"no-change rebuild ≤ {TARGET_REBUILD_RATIO}× the no-math build (katex) — worst {worst[0]:.2f}× at N={worst[1]}")
    else:
        line(None, f"{TARGET_SIZE}-log cold build ≤ {TARGET_COLD_RATIO}× the no-math build")
        line(None, f"no-change rebuild ≤ {TARGET_REBUILD_RATIO}× the no-math build")
    per_log = formulas_per_log()
    checks = [(r, all(b.rendered == r.distinct for b in r.colds) and all(b.rendered == 0 for b in r.nochanges)
               and all(1 <= b.rendered <= per_log for b in r.edits)) for r in runs if r.engine != "none"]  # fmt: skip
    if checks:
        bad = [f"{r.engine} N={r.size}: {r.renders('cold')} / {r.renders('nochange')} / {r.renders('edit')} "
               f"(distinct: {r.distinct})" for r, ok in checks if not ok]  # fmt: skip
        line(not bad, "editing one log re-renders only that log's formulas (cold renders each distinct formula once, "
                      f"no-change renders 0, the edit renders 1..{per_log})" + (f" — failures: {'; '.join(bad)}" if bad else ""))  # fmt: skip
    else:
        line(None, "editing one log re-renders only that log's formulas")
    m = tp.get("markdown-katex")
    line(None if m is None else m.cold_per_s >= TARGET_MK_THROUGHPUT,
         f"markdown-katex ≥ {TARGET_MK_THROUGHPUT:.0f} formulas/s cold"
         + (f" — {m.cold_per_s:.1f}/s ({m.cpu_per_s:.1f} per CPU second)" if m else ""))  # fmt: skip
    if m is not None and m.warm_us:
        sizes_ = sorted(m.warm_us)
        small, large = m.warm_us[sizes_[0]], m.warm_us[sizes_[-1]]
        # "never slower": allow 25 % timing noise between runs of a few hundred microseconds
        line(large <= small * 1.25,
             "markdown-katex never slower per formula as its cache grows — cache hit "
             + ", ".join(f"{m.warm_us[s]:.0f} µs @{s:,}" for s in sizes_) + " entries")
    else:
        line(None, "markdown-katex never slower per formula as its cache grows")
    return out


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n\nRun on demand; not part of the test suite.\n"
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip() == SECTION), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
        new = "\n".join(lines[:start] + section.rstrip("\n").splitlines() + ([""] + lines[end:] if end < len(lines) else [])) + "\n"
    README.write_text(new, encoding="utf-8")


ENGINE_ORDER = ["none", "katex", "markdown-katex"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,300", help="numbers of logs (default 10,100,300)")
    ap.add_argument("--engines", default="none,katex,markdown-katex", help="engines (default all three)")
    ap.add_argument("--markdown-katex-max", type=int, default=100,
                    help="largest size built with markdown-katex (default 100: ~10 formulas/s, N=300 would take ~10 min cold)")  # fmt: skip
    ap.add_argument("--repeat", type=int, default=3,
                    help="repetitions of each build; the fastest counts (default 3; markdown-katex's cold build runs once)")  # fmt: skip
    ap.add_argument("--throughput-n", type=int, default=200, help="distinct formulas for the raw throughput (default 200)")
    ap.add_argument("--cache-sizes", default="200,2000,20000", help="cache entries at which a cache hit is timed")
    ap.add_argument("--profile-size", type=int, default=0, help="also cProfile a katex cold build of this many logs")
    ap.add_argument("--workdir", type=Path, default=None, help="where the sites are built (default: a temporary folder)")
    ap.add_argument("--no-readme", action="store_true", help=f"do not write the results to {README.name}")
    args = ap.parse_args(argv)

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINE_ORDER:
            ap.error(f"unknown engine {e!r} (choose from {', '.join(ENGINE_ORDER)})")
    engines = [e for e in ENGINE_ORDER if e in engines]
    cache_sizes = sorted({int(s) for s in args.cache_sizes.split(",") if s.strip()})
    if cache_sizes and cache_sizes[0] < args.throughput_n:
        ap.error("--cache-sizes must be at least --throughput-n")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="studylog-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - began:7.1f} s] {msg}", flush=True)

    notes: list[str] = []
    if "markdown-katex" in engines and any(s > args.markdown_katex_max for s in sizes):
        skipped = [s for s in sizes if s > args.markdown_katex_max]
        notes.append(f"markdown-katex was built only for sizes ≤ {args.markdown_katex_max} (skipped N = "
                     f"{', '.join(map(str, skipped))}: at ~10 formulas/s a cold build would take "
                     f"~{max(skipped) * len(distinct_formulas(1)) // 10 // 60 + 1} min; "
                     "raise --markdown-katex-max to include them)")  # fmt: skip
        say("note: " + notes[-1])
    try:
        source, head = snapshot_source(work), git_head()
        say(f"studylog source {source} ({head}), copied to {SNAPSHOT}: the whole run uses this copy")
        say(f"engine throughput over {args.throughput_n} distinct formulas (no cache) and cache-hit cost ...")
        formulas = fixed_formulas(args.throughput_n)
        tps = []
        for e in engines:
            # markdown-katex takes ~20 s per pass over the formulas: at most 2 passes
            reps = min(args.repeat, 2) if e == "markdown-katex" else args.repeat
            tps.append(measure_engine(e, formulas, cache_sizes, work, max(reps, 1)))
            say(f"  {e}: {tps[-1].cold_per_s:,.1f} formulas/s cold (start-up {tps[-1].startup_s:.3f} s)")
        runs: list[SiteRun] = []
        for size in sizes:
            say(f"site of {size} logs ({size * formulas_per_log()} formulas, {len(distinct_formulas(size))} distinct, "
                f"{2 * size} examples)")  # fmt: skip
            here = [e for e in engines if not (e == "markdown-katex" and size > args.markdown_katex_max)]
            runs += run_size(work, size, here, args.repeat, say)
        profile = profile_build(work, args.profile_size) if args.profile_size else ""
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - began

    per_log = formulas_per_log()
    out = [
        SECTION,
        "",
        f"`.venv/bin/python benchmarks/site_build.py --sizes {','.join(map(str, sizes))} --engines {','.join(engines)} "
        f"--repeat {args.repeat} --markdown-katex-max {args.markdown_katex_max}`"
        f" — {dt.date.today().isoformat()}, {machine()}; studylog source {source} ({head}); "
        f"the whole run took {total / 60:.1f} min.",
        "",
        f"Synthetic sites of N logs, each with {per_log} formulas (8 display fences, 12 inline; an optimizer-log mix "
        "varied per log, so most are distinct) and 2 executed examples; mkdocs-material with the blog and search "
        "plugins, `verify: false`. Each build is a fresh `mkdocs build` subprocess: cold (empty formula and example "
        "caches), no-change rebuild, and rebuild after changing one formula of one log. ×none: the time divided by "
        "the `engine: none` build (TeX shown as code, no formula cache) of the same size and kind, measured in the "
        f"same run. Each time is the fastest of {args.repeat} repetitions (the engines take turns, so load from other "
        "work on the machine hits all of them); *×none by CPU time* compares user + system CPU seconds of the build "
        "and everything it ran (Node, the KaTeX binary), which shared load disturbs less. *rendered*: the formulas the "
        "engine rendered, from the plugin's log line (every repetition; `a/b` when they differed). `none` has no "
        "formula cache, so its count includes the formulas of rebuilds; the blog plugin converts each post's whole "
        "Markdown once for its page and once per excerpt view (blog index, archive, category), 4× in these sites, "
        "so a count of 4× the distinct formulas means the renderer does not remember a build's formulas.",
        "",
        *site_table(runs),
        "",
        *([f"Note: {n}" for n in notes] + [""] if notes else []),
        f"Raw engine throughput over {args.throughput_n} distinct formulas through `studylog.site.katex` "
        "(no cache; a fresh engine each pass, the best pass counts; *cold* includes starting the engine, *steady* "
        "does not), and the cost of a cache hit (`MathRenderer.render` served from the rendered-formula cache) "
        "as the cache grows:",
        "",
        *engine_table(tps, cache_sizes),
        "",
        "Targets:",
        "",
        *verdicts(runs, tps, sizes),
    ]
    if profile:
        out += ["", "<details><summary>Where a katex cold build spends its time (cProfile)</summary>", "", "```text",
                profile.strip(), "```", "", "</details>"]  # fmt: skip
    section = "\n".join(out) + "\n"
    print()
    print(section)
    if not args.no_readme:
        write_readme(section)
        print(f"written to {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
