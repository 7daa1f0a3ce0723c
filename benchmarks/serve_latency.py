"""How long ``mkdocs serve`` takes to show a verdict after an edit, against a math-off rebuild.

Run on demand (not part of the test suite)::

    .venv/bin/python benchmarks/serve_latency.py [--repeat 3]

Two copies of the Day-7 site are served side by side, in the same run:

* **math off** — ``engine: none, verify: false`` (TeX shown as code, no checks): the floor;
* **studylog** — the real configuration.

Measured, each the best of ``--repeat`` tries (seconds from the edit on disk until the page served
over HTTP shows the new verdict, or, for the no-change rebuild, until the rebuild has finished):

* no-change rebuild (a log's modification time changes, its text does not), for both copies;
* edit of one formula (``sgd.w`` made wrong, then right again) → the verdict on the page;
* edit of one implementation (``sgd_step`` made wrong, then right again) → the verdict on the page.

Ratios are against the math-off no-change rebuild measured in the same run. Target: a formula edit
≤ 1.3×. The implementation packages are copied (not linked) so that breaking one touches nothing else.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = "docs/blog/posts/2021-08-10-day07-optimization.md"
PAGE = "studylog/blog/2021/08/10/day-7-optimization/"  # site_url's path is /studylog/
GOOD_F, BAD_F = r"W_{t+1} \leftarrow W_t - \eta g_t", r"W_{t+1} \leftarrow W_t + \eta g_t"
IMPL = "studylog/optim/sgd.py"


def _copy(dest: Path, *, math: bool) -> Path:
    for name in ("docs", "studylog"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(ROOT / ".studylog-cache", dest / ".studylog-cache") if (ROOT / ".studylog-cache").is_dir() else None
    if not math:
        cfg = dest / "mkdocs.yml"
        cfg.write_text(cfg.read_text().replace("engine: katex  # or: markdown-katex", "engine: none\n      verify: false"))
    return dest


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, root: Path) -> None:
        self.root, self.port = root, _port()
        self.log = root / "serve.log"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.out = self.log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
                                     cwd=root, env=env, stdout=self.out, stderr=subprocess.STDOUT)  # fmt: skip
        self.wait_builds(1, 900)

    def builds(self) -> int:
        """Builds finished: the first one ends with "Serving on", each rebuild with "Reloading browsers"."""
        text = self.log.read_text(errors="replace")
        return ("Serving on" in text) + text.count("Reloading browsers")

    def wait_builds(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.builds() < n:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"serve did not finish build {n}:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.05)

    def page(self) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{PAGE}", timeout=10) as r:  # noqa: S310
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def edit_and_wait(self, rel: str, old: str, new: str, shows: str | None) -> float:
        """Seconds from writing the file until the rebuild is done (and, if given, the page shows ``shows``)."""
        path = self.root / rel
        before = self.builds()
        text = path.read_text(encoding="utf-8")
        started = time.monotonic()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.wait_builds(before + 1, 900)
        while shows is not None and shows not in self.page():
            if time.monotonic() - started > 900:
                raise RuntimeError(f"the page never showed {shows!r}")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        time.sleep(1.5)  # let serve settle (the background worker start) before the next edit
        return elapsed

    def touch(self, rel: str) -> float:
        path = self.root / rel
        before = self.builds()
        started = time.monotonic()
        os.utime(path)
        self.wait_builds(before + 1, 900)
        elapsed = time.monotonic() - started
        time.sleep(1.5)
        return elapsed

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.out.close()


def _sgd_mark(page: str) -> str:
    m = re.search(r'id="eq-sgd\.w">.*?<span class="sl-status [^"]*"[^>]*>([^<]*)<', page, re.S)
    return m.group(1) if m else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        floor = Served(_copy(Path(tmp) / "off", math=False))
        real = Served(_copy(Path(tmp) / "on", math=True))
        try:
            rows: dict[str, list[float]] = {k: [] for k in ("off_nochange", "on_nochange", "formula", "impl")}
            for _ in range(args.repeat):
                rows["off_nochange"].append(floor.touch(LOG))
                rows["on_nochange"].append(real.touch(LOG))
                rows["formula"].append(real.edit_and_wait(LOG, GOOD_F, BAD_F, "✗ mismatch"))
                assert _sgd_mark(real.page()).startswith("✗"), "the formula edit did not reach the page"
                real.edit_and_wait(LOG, BAD_F, GOOD_F, None)
                rows["impl"].append(real.edit_and_wait(IMPL, "np.subtract", "np.add", "✗ mismatch"))
                real.edit_and_wait(IMPL, "np.add", "np.subtract", None)
        finally:
            floor.close()
            real.close()
    base = min(rows["off_nochange"])
    print(f"mkdocs serve, Day-7 site, best of {args.repeat} (nproc {os.cpu_count()}):")
    print("| what | seconds | × math-off no-change rebuild |\n|---|---:|---:|")
    for key, label in (("off_nochange", "no-change rebuild, math off (the floor)"),
                       ("on_nochange", "no-change rebuild, studylog"),
                       ("formula", "edit one formula → verdict on the page"),
                       ("impl", "edit one implementation → verdict on the page")):  # fmt: skip
        best = min(rows[key])
        print(f"| {label} | {best:.2f} | {best / base:.2f}× |")
    print(f"target: formula edit ≤ 1.3× — {'met' if min(rows['formula']) / base <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
