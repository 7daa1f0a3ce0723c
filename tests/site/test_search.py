"""Search in the real browser: a part of a Korean compound word finds the page; English still works;
a formula is found by its readable text and its TeX command names, and is indexed once."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Build


@pytest.mark.parametrize("query", ["하강법", "경사하강", "bootcamp", r"\leftarrow", "leftarrow", "Wₜ₊₁"])
def test_search_finds_day7(built_site: Build, serve, browser, query: str) -> None:
    assert built_site.returncode == 0, built_site.output
    server = serve(built_site.site)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server.base, wait_until="networkidle")
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill(query)
    box.press("End")  # a key event: Material searches on keyboard input
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any("day-7-optimization" in h for h in hrefs), (query, hrefs)
    page.close()


def test_a_formula_is_indexed_once_as_readable_text(built_site: Build) -> None:
    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if "day-7-optimization" in d["location"])
    # W_{t+1} \leftarrow W_t - \eta g_t, read out by hand: the index holds it once, then its command names
    assert text.count("Wₜ₊₁ ← Wₜ − η gₜ (leftarrow eta)") == 1, text[:2000]
    assert r"W_{t+1}" not in text  # not the TeX
    assert "katex" not in text and "𝑊" not in text  # nor KaTeX's glyphs or MathML
