"""The hostile-input corpus (`tests/site/xss_payloads.py`), built as logs and loaded in headless Chromium.

Two sites are built once for the module, each with ``mkdocs build --strict``: one of every payload
that must be inert (the build must pass), one of every payload that must be a build error (the build
must fail, naming each payload's ``FILE:LINE``). Every page of the first site (each log, and the
blog's index, archive and category pages, where excerpts are rendered again) is loaded in Chromium
with every request recorded and every request that would leave 127.0.0.1 refused. A payload fails
if its flag is set, a dialog naming it opens, a request names it, its page navigates away, or an
event handler or a script URL naming it is left in any page's DOM.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import FIXTURE_MKDOCS, ROOT, Build, _QuietHandler, mkdocs_build
from tests.site.xss_payloads import BUILD_ERROR, INERT, PAYLOADS, Outcome, Payload

EXTENSIONS = """markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - pymdownx.details
  - pymdownx.superfences
"""
BLOG = "  - blog:\n      pagination_per_page: 1000\n"  # one index page holds every excerpt
FAMILIES = {"script", "event handler", "URL scheme", "SVG/MathML", "parser trick", "base/form/meta", "object/embed",
            "CSS", "remote media", "Markdown", "front matter", "example output", "KaTeX"}  # fmt: skip
_NAMED = re.compile(r"xss[_-](\d+)")
_SETTLE_MS = 150  # after the load event: timers, autofocus, animations and <meta> refreshes have fired

INSPECT = r"""() => {
  const flags = Object.keys(window).filter(k => /^__xss_\d+$/.test(k) && window[k] === 1);
  const found = [];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset",
                            "background", "ping", "codebase", "dynsrc", "lowsrc"]);
  const script = /^(javascript|vbscript|livescript|data):/i;
  for (const el of document.querySelectorAll("*")) {
    for (const name of el.getAttributeNames()) {
      const lname = name.toLowerCase(), value = el.getAttribute(name) || "";
      const url = value.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+/, "");
      if (lname.startsWith("on")) found.push(`handler ${lname} on <${el.localName}>: ${el.outerHTML.slice(0, 240)}`);
      else if (urlAttrs.has(lname) && script.test(url)
               && !(el.localName === "img" && lname === "src" && /^data:image\//i.test(url)))
        found.push(`${lname}=${value.slice(0, 80)} on <${el.localName}>: ${el.outerHTML.slice(0, 240)}`);
    }
  }
  const active = "article script, article style, article iframe, article object, article embed, article form, " +
                 "article input, article button, article textarea, base, body meta, body link, frame, frameset";
  for (const el of document.querySelectorAll(active)) found.push(`<${el.localName}> in the page: ${el.outerHTML.slice(0, 240)}`);
  return {flags, found};
}"""


@dataclass
class Corpus:
    inert: Build
    errors: Build
    failures: dict[int, list[str]] = field(default_factory=dict)
    unattributed: list[str] = field(default_factory=list)
    pages: int = 0

    def fail(self, text: str, page_payload: int | None = None) -> None:
        named = {int(n) for n in _NAMED.findall(text)} or ({page_payload} if page_payload else set())
        for n in named:
            self.failures.setdefault(n, []).append(text)
        if not named:
            self.unattributed.append(text)


def _site(root: Path, payloads: list[Payload]) -> Path:
    config = FIXTURE_MKDOCS.format(verify="false").replace("  - blog\n", BLOG) + EXTENSIONS
    assert BLOG in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.studylog]\nimplementations = []\n", encoding="utf-8")
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Corpus\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    for p in payloads:
        (posts / f"{p.slug}.md").write_text(p.log(), encoding="utf-8")
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _payload_of(url: str) -> int | None:
    m = re.search(r"/xss-(\d+)/$", url)
    return int(m.group(1)) if m else None


def browse(browser, base: str, pages: list[str], corpus: Corpus, tabs: int = 6) -> None:
    """Load every page, ``tabs`` at a time; record what each payload did (see the module docstring)."""
    context = browser.new_context()
    workers = [context.new_page() for _ in range(tabs)]
    where: dict[object, str] = dict.fromkeys(workers, "")
    navigated: dict[object, list[str]] = {w: [] for w in workers}

    def refuse(route) -> None:  # every request that would leave 127.0.0.1
        url = route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss", "ftp"):
            try:
                origin = where.get(route.request.frame.page, "")
            except Exception:  # noqa: BLE001 - a worker's request has no frame
                origin = ""
            corpus.fail(f"request to another host from {origin or 'a worker'}: {url}", _payload_of(origin))
        route.abort()

    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), refuse)
    for w in workers:
        w.on("dialog", lambda d, w=w: (corpus.fail(f"dialog on {where[w]}: {d.message}", _payload_of(where[w])),
                                       d.dismiss()))  # fmt: skip
        w.on("framenavigated", lambda frame, w=w: frame == w.main_frame and navigated[w].append(frame.url))
    for i in range(0, len(pages), tabs):
        batch = workers[: len(pages[i : i + tabs])]
        for w, rel in zip(batch, pages[i : i + tabs]):
            where[w] = base + rel
            w.goto(where[w], wait_until="commit")
        for w in batch:
            w.wait_for_load_state("load")
            navigated[w].clear()
        batch[0].wait_for_timeout(_SETTLE_MS)
        for w in batch:
            _inspect(w, where[w], navigated[w], corpus)
    context.close()


def _inspect(page, url: str, navigated: list[str], corpus: Corpus) -> None:
    here = _payload_of(url)
    corpus.pages += 1
    if navigated or page.url != url:  # a failure in itself; the page it left is gone
        corpus.fail(f"{url} navigated to {navigated or [page.url]}", here)
        return
    result = page.evaluate(INSPECT)
    for flag in result["flags"]:
        corpus.fail(f"script ran on {url}: {flag} is set", int(flag.rsplit("_", 1)[1]))
    for finding in result["found"]:
        corpus.fail(f"{url}: {finding}", here)
    payload = next((p for p in PAYLOADS if p.n == here), None)
    if payload is not None and payload.expect and not page.query_selector(payload.fill(payload.expect)):
        corpus.fail(f"{url}: nothing matches {payload.fill(payload.expect)!r}", here)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[Corpus]:
    inert_root = _site(tmp_path_factory.mktemp("corpus-inert"), [p for p in PAYLOADS if p.outcome is INERT])
    error_root = _site(tmp_path_factory.mktemp("corpus-errors"), [p for p in PAYLOADS if p.outcome is BUILD_ERROR])
    result = Corpus(mkdocs_build(inert_root, inert_root / "site"), mkdocs_build(error_root, error_root / "site"))
    for line in result.inert.output.splitlines():
        if "WARNING" in line or "ERROR" in line:
            m = re.search(r"xss-(\d+)\.md", line)
            result.fail(f"build: {line}", int(m.group(1)) if m else None)
    site = inert_root / "site"
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    pages = [p.removeprefix("./") for p in pages]
    httpd, base = _serve(site)
    try:
        browse(browser, base, pages, result)
    finally:
        httpd.shutdown()
        httpd.server_close()
    yield result


def _params(outcome: Outcome) -> list[object]:
    return [pytest.param(p, id=f"{p.n}-{p.family.replace('/', '-').replace(' ', '-')}") for p in PAYLOADS
            if p.outcome is outcome]  # fmt: skip


def test_the_corpus_covers_the_cheat_sheet_families() -> None:
    assert len(PAYLOADS) >= 60
    assert {p.family for p in PAYLOADS} == FAMILIES
    assert len({p.n for p in PAYLOADS}) == len(PAYLOADS)


@pytest.mark.parametrize("payload", _params(INERT))
def test_payload_is_inert(payload: Payload, corpus: Corpus) -> None:
    assert corpus.inert.returncode == 0 or payload.n in corpus.failures, corpus.inert.output[-3000:]
    assert not corpus.failures.get(payload.n), "\n".join(corpus.failures[payload.n])


@pytest.mark.parametrize("payload", _params(BUILD_ERROR))
def test_payload_is_a_build_error_with_file_and_line(payload: Payload, corpus: Corpus) -> None:
    assert corpus.errors.returncode != 0
    first_body_line = payload.log().splitlines().index(payload.fill(payload.body).splitlines()[0]) + 1
    where = f"blog/posts/{payload.slug}.md:{first_body_line}: "
    lines = [line for line in corpus.errors.output.splitlines() if f"{payload.slug}.md" in line]
    assert any(where in line and "WARNING" in line and "is not allowed: KaTeX runs with trust off" in line
               for line in lines), (where, lines)  # fmt: skip
    assert all("Traceback" not in line for line in lines)


def test_the_inert_site_builds_strict_and_every_finding_names_a_payload(corpus: Corpus) -> None:
    assert corpus.inert.returncode == 0, corpus.inert.output[-3000:]
    assert corpus.pages > len([p for p in PAYLOADS if p.outcome is INERT])  # the logs and the blog's own pages
    assert not corpus.unattributed, "\n".join(corpus.unattributed)


CONTROL = """<!doctype html><title>control</title><body><article>
<img src="x" onerror="window.__xss_901=1">
<a href="javascript:void(window.__xss_902=1)">x</a>
<img src="http://198.51.100.7/xss-903.png">
<script>setTimeout(() => alert("xss-904"), 0)</script>
<form action="/xss-905"></form>
</article></body>"""


def test_the_harness_sees_payloads_that_run(tmp_path: Path, browser) -> None:
    """The same checks, on a page that bypasses the sanitizer: each kind of failure is seen and named."""
    (tmp_path / "control").mkdir()
    (tmp_path / "control" / "index.html").write_text(CONTROL, encoding="utf-8")
    (tmp_path / "away").mkdir()
    (tmp_path / "away" / "index.html").write_text('<meta http-equiv="refresh" content="0;url=/xss-906/">', encoding="utf-8")
    (tmp_path / "xss-906").mkdir()
    (tmp_path / "xss-906" / "index.html").write_text("moved", encoding="utf-8")
    httpd, base = _serve(tmp_path)
    found = Corpus(Build(0, "", tmp_path), Build(0, "", tmp_path))
    try:
        browse(browser, base, ["control/", "away/"], found)
    finally:
        httpd.shutdown()
        httpd.server_close()
    text = "\n".join(f"{n}: {m}" for n, ms in found.failures.items() for m in ms)
    assert "script ran" in "".join(found.failures[901]), text
    assert "javascript:" in "".join(found.failures[902]), text
    assert "request to another host" in "".join(found.failures[903]), text
    assert "dialog" in "".join(found.failures[904]), text
    assert "<form>" in "".join(found.failures[905]), text
    assert any("navigated" in m for m in found.unattributed) or "navigated" in "".join(found.failures.get(906, [])), text
