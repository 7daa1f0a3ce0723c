"""The Day-7 page in a real browser: formulas rendered (MathML), no foreign request."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.conftest import Build
from tests.site.test_build import DAY7


def test_day7_page_in_chromium(built_site: Build, serve, browser, artifacts) -> None:
    assert built_site.returncode == 0, built_site.output
    server = serve(built_site.site)
    requests: list[str] = []
    failed: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto(server.base + DAY7.parent.as_posix() + "/", wait_until="networkidle")
    page.evaluate("document.fonts.ready")

    # the display formulas are rendered: KaTeX's MathML, laid out by the browser with a real size
    boxes = page.eval_on_selector_all(
        ".sl-formula .katex-display math", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert len(boxes) >= 80 and all(w > 0 and h > 0 for w, h in boxes), boxes
    visible_text = page.evaluate("document.body.innerText")
    assert "\\leftarrow" not in visible_text and "```math" not in visible_text
    # MathML is the accessible form: no copy of the formula hidden from assistive technology
    assert page.evaluate("document.querySelectorAll('.katex-html, [aria-hidden=true] math').length") == 0

    # nothing went anywhere but 127.0.0.1
    foreign = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname != "127.0.0.1"]  # fmt: skip
    assert not foreign, foreign
    assert not failed, failed
    page.screenshot(path=str(artifacts / "day7.png"), full_page=False)
    page.close()
