"""Search in the real browser: a part of a Korean compound word finds the page; English still works;
each formula is indexed once."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Build


@pytest.mark.parametrize("query", ["하강법", "경사하강", "bootcamp"])
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


def test_a_formula_is_indexed_once_as_its_tex(built_site: Build) -> None:
    index = json.loads((built_site.site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if "day-7-optimization" in d["location"])
    assert text.count(r"W_{t+1} \leftarrow W_t - \eta g_t") == 1
    assert "←" not in text  # KaTeX's glyphs and MathML stay out of the index
