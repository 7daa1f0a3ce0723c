r"""KaTeX throughput before and after a change, measured in one run (issue 17).

    .venv/bin/python benchmarks/katex_throughput.py --against cbb0a52

Takes ``studylog/site/katex.py`` and ``katex_server.js`` as they were at the ``--against`` commit, and
times them and the working tree's engine on the same formulas (the synthetic logs' first N distinct
formulas), taking turns, a fresh Node process each pass, the pass with the best cold rate of ``--repeat``:

* *cold*: formulas/s including starting Node;
* *after start-up*: formulas/s once started (the first pass, so V8's warm-up of KaTeX's code is in it);
* *per CPU s*: formulas per CPU second of Python and Node together (less disturbed by a shared machine).

The old engine is driven the only way it can be, one round trip per formula; the new one both that way
(a page asking for a formula) and the way a build's prefetch drives it (pipelined batches).
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitebench import ROOT  # noqa: E402
from sitebench.engines import fixed_formulas  # noqa: E402


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def old_engine(commit: str, folder: Path) -> Any:
    """The ``NodeKatex`` class of ``studylog/site/katex.py`` at ``commit`` (with that commit's server)."""
    for name in ("katex.py", "katex_server.js"):
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:studylog/site/{name}"],  # noqa: S607
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        (folder / ("old_katex.py" if name == "katex.py" else name)).write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_katex", folder / "old_katex.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.NodeKatex


def measure(start: Callable[[], Any], run: Callable[[Any, list[tuple[str, bool]]], list[str]],
            formulas: list[tuple[str, bool]]) -> tuple[float, float, float]:  # fmt: skip
    """(cold formulas/s, formulas/s after start-up, formulas per CPU s) of one pass with a fresh engine."""
    cpu0, t0 = _cpu(), time.perf_counter()
    engine = start()
    t1 = time.perf_counter()
    htmls = run(engine, formulas)
    t2 = time.perf_counter()
    engine.close()
    assert len(htmls) == len(formulas) and all(h.startswith('<span class="katex') for h in htmls)
    n = len(formulas)
    return n / (t2 - t0), n / (t2 - t1), n / (_cpu() - cpu0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", default="cbb0a52", help="the commit whose engine is 'before' (default cbb0a52)")
    ap.add_argument("--n", default="200,3000", help="distinct formulas per pass (default 200,3000)")
    ap.add_argument("--repeat", type=int, default=5, help="passes of each; the best counts (default 5)")
    args = ap.parse_args(argv)
    from studylog.site.katex import NodeKatex, find_node_modules

    modules = find_node_modules(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        old = old_engine(args.against, Path(tmp))
        ways: dict[str, tuple[Callable[[], Any], Callable[[Any, list[tuple[str, bool]]], list[str]]]] = {
            f"{args.against}, one round trip per formula": (lambda: old(modules), lambda e, fs: [e.render(t, d, {}) for t, d in fs]),
            "now, one round trip per formula": (lambda: NodeKatex(modules), lambda e, fs: [e.render(t, d, {}) for t, d in fs]),
            "now, pipelined batches (a build)": (lambda: NodeKatex(modules), lambda e, fs: [h for _, h in e.render_many(fs, {})]),
        }  # fmt: skip
        rows = []
        for n in sorted({int(x) for x in args.n.split(",")}):
            formulas = fixed_formulas(n)
            best: dict[str, tuple[float, float, float]] = {}
            for _ in range(args.repeat):
                for label, (start, run) in ways.items():  # taking turns: load hits all alike
                    r = measure(start, run, formulas)
                    if r[0] > best.get(label, (0.0, 0.0, 0.0))[0]:  # the pass with the best cold rate
                        best[label] = r
            rows += [(n, label, *best[label]) for label in ways]
    print("| formulas | engine | formulas/s cold (incl. start-up) | formulas/s after start-up | formulas per CPU s |")
    print("|---:|---|---:|---:|---:|")
    for n, label, cold, steady, cpu in rows:
        print(f"| {n:,} | {label} | {cold:,.0f} | {steady:,.0f} | {cpu:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
