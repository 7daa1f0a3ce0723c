r"""Page-weight benchmark (issue 16): the Day-7 page before and after, side by side, in headless Chromium.

Run on demand (it is not part of the test suite)::

    .venv/bin/python benchmarks/page_weight.py                    # before = 5814357 (where issue 16 began)
    .venv/bin/python benchmarks/page_weight.py --before main --loads 7

It builds the site twice into temporary folders: *before* from a ``git worktree`` of ``--before`` (its
own ``studylog`` package first on ``PYTHONPATH``), *after* from this working tree; both share this
project's ``node_modules`` and its content-addressed caches (a cache entry is used only while what it
depended on holds, so sharing them changes no byte). Then it serves each site on 127.0.0.1 and opens
the Day-7 page ``--loads`` times in a fresh Chromium context each (no browser cache), alternating
before and after so that load from other work on the machine hits both, and reports:

* the page's HTML bytes (deterministic),
* the total bytes the page loaded by the end of ``load`` (HTML, CSS, scripts, fonts, figures in view),
* the DOM-ready time (``domContentLoadedEventEnd`` of the navigation, median of the loads),
* the number of DOM elements.

Each "after" number is also printed as a ratio to "before". Targets (issue 16): HTML ≤ 400 KB and
DOM-ready ≤ 1/3 of before.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY7 = "blog/2021/08/10/day-7-optimization/"
BEFORE = "5814357"  # main when issue 16 was taken up
MAX_HTML = 400_000


def build(tree: Path, site: Path, *, pythonpath: Path | None) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site), "-f", str(tree / "mkdocs.yml")],
                          cwd=tree, env=env, capture_output=True, text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"the build of {tree} failed:\n{proc.stdout}{proc.stderr}")


def before_tree(ref: str, folder: Path) -> Path:
    tree = folder / "before"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), ref], check=True)
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    if (ROOT / ".studylog-cache").is_dir():
        (tree / ".studylog-cache").symlink_to(ROOT / ".studylog-cache")
    return tree


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return {dom_ready: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          bytes: nav.encodedBodySize + res.reduce((s, r) => s + r.encodedBodySize, 0),
          elements: document.getElementsByTagName('*').length};
}"""


def measure(browser: object, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    out = page.evaluate(MEASURE)
    context.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", default=BEFORE, help=f"git ref of the 'before' site (default {BEFORE})")
    ap.add_argument("--loads", type=int, default=5, help="page loads per site (median reported)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed (apt install chromium)")
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        folder = Path(tmp)
        tree = before_tree(args.before, folder)
        try:
            print(f"building before ({args.before}) and after (this working tree) …", flush=True)
            build(tree, folder / "site-before", pythonpath=tree)
            build(ROOT, folder / "site-after", pythonpath=None)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        sites = {"before": folder / "site-before", "after": folder / "site-after"}
        html = {k: (s / DAY7 / "index.html").stat().st_size for k, s in sites.items()}
        servers = {k: serve(s) for k, s in sites.items()}
        runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"], headless=True)
            for _ in range(args.loads):
                for key in ("before", "after"):
                    runs[key].append(measure(browser, servers[key][1] + DAY7))
            browser.close()
        for httpd, _ in servers.values():
            httpd.shutdown()
    med = {k: {m: statistics.median(r[m] for r in v) for m in ("dom_ready", "load", "bytes", "elements")} for k, v in runs.items()}
    rows = [("Day-7 HTML bytes", html["before"], html["after"], "{:,.0f}"),
            ("total bytes loaded", med["before"]["bytes"], med["after"]["bytes"], "{:,.0f}"),
            ("DOM-ready ms (median)", med["before"]["dom_ready"], med["after"]["dom_ready"], "{:,.0f}"),
            ("load ms (median)", med["before"]["load"], med["after"]["load"], "{:,.0f}"),
            ("DOM elements", med["before"]["elements"], med["after"]["elements"], "{:,.0f}")]  # fmt: skip
    print(f"\nDay-7 page, {args.loads} loads each in headless Chromium (1280×800, no cache), before = {args.before}\n")
    print(f"| {'measure':<24} | {'before':>12} | {'after':>12} | {'after/before':>12} |")
    print(f"|{'-' * 26}|{'-' * 14}:|{'-' * 14}:|{'-' * 14}:|")
    for name, b, a, fmt in rows:
        print(f"| {name:<24} | {fmt.format(b):>12} | {fmt.format(a):>12} | {a / b:>11.3f}× |")
    ok_html = html["after"] <= MAX_HTML
    ok_dom = med["after"]["dom_ready"] <= med["before"]["dom_ready"] / 3
    print(f"\ntargets: HTML ≤ {MAX_HTML:,} bytes: {'met' if ok_html else 'NOT MET'}; "
          f"DOM-ready ≤ 1/3 of before: {'met' if ok_dom else 'NOT MET'}")  # fmt: skip


if __name__ == "__main__":
    main()
