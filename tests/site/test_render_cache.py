"""Both math engines, and the content-addressed cache in front of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studylog.errors import RenderError
from studylog.site.katex import MathRenderer, RenderCache
from tests.conftest import ROOT

FORMULAS = [r"W_{t+1} \leftarrow W_t - \eta g_t", r"\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}", r"\mathbb{E}[\hat f]"]


@pytest.fixture(params=["katex", "markdown-katex"])
def engine(request) -> str:
    return request.param


def test_both_engines_render_valid_katex_html(engine: str, tmp_path: Path) -> None:
    r = MathRenderer(engine, ROOT, tmp_path)
    try:
        for display in (True, False):
            for tex in FORMULAS:
                html = r.render(tex, display)
                assert html.startswith('<span class="katex') and 'class="katex-html"' in html
                assert ('katex-display' in html) == display
    finally:
        r.close()
    assert r.version == ("0.16.25" if engine == "katex" else "0.15.1")


def test_the_same_clear_error_from_both_engines(engine: str, tmp_path: Path) -> None:
    r = MathRenderer(engine, ROOT, tmp_path)
    try:
        with pytest.raises(RenderError) as info:
            r.render(r"\frac{a}{", True)
    finally:
        r.close()
    assert "KaTeX parse error" not in str(info.value)
    assert "expected '}'" in str(info.value) and "end of input" in str(info.value), str(info.value)


def test_unchanged_formulas_are_never_rendered_again(tmp_path: Path) -> None:
    first = MathRenderer("katex", ROOT, tmp_path)
    htmls = [first.render(t, True) for t in FORMULAS]
    first.close()
    assert first.renders == 3
    second = MathRenderer("katex", ROOT, tmp_path)
    assert [second.render(t, True) for t in FORMULAS] == htmls
    assert second.renders == 0 and second.cache is not None and second.cache.hits == 3
    assert second._engine is None, "a fully cached build must not even start Node"


def test_macro_change_invalidates_exactly_the_formulas_using_it(tmp_path: Path) -> None:
    r1 = MathRenderer("katex", ROOT, tmp_path, macros={r"\R": r"\mathbb{R}", r"\N": r"\mathbb{N}"})
    before = r1.render(r"x \in \R", True)
    r1.render(r"n \in \N", True)
    r1.render(r"x \Rightarrow y", True)  # \R is a prefix of \Rightarrow, not a use of \R
    r1.close()
    r2 = MathRenderer("katex", ROOT, tmp_path, macros={r"\R": r"\mathbf{R}", r"\N": r"\mathbb{N}"})
    after = r2.render(r"x \in \R", True)
    r2.render(r"n \in \N", True)
    r2.render(r"x \Rightarrow y", True)
    r2.close()
    assert r2.renders == 1, "only the formula using the changed macro is rendered again"
    assert after != before


def test_version_change_invalidates(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path)
    k1 = cache.key(tex="x", display=True, engine="katex", version="0.16.25", macros={})
    k2 = cache.key(tex="x", display=True, engine="katex", version="0.16.26", macros={})
    k3 = cache.key(tex="x", display=False, engine="katex", version="0.16.25", macros={})
    k4 = cache.key(tex="x", display=True, engine="katex", version="0.16.25", macros={r"\R": "R"})
    assert len({k1, k2, k3, k4}) == 4
    assert k1 == cache.key(tex="x", display=True, engine="katex", version="0.16.25", macros={})


@pytest.mark.parametrize("damage", ["truncate", "flip-html", "not-json", "wrong-key"])
def test_a_corrupted_entry_is_detected_and_rendered_again(tmp_path: Path, damage: str) -> None:
    r = MathRenderer("katex", ROOT, tmp_path)
    good = r.render("a+b", True)
    r.close()
    (entry,) = list(tmp_path.rglob("*.json"))
    data = json.loads(entry.read_text())
    if damage == "truncate":
        entry.write_text(entry.read_text()[: len(entry.read_text()) // 2])
    elif damage == "flip-html":
        data["payload"] = data["payload"].replace("a", "<script>x</script>", 1)
        entry.write_text(json.dumps(data))
    elif damage == "not-json":
        entry.write_bytes(b"\xff\xfe garbage")
    else:
        data["key"] = "0" * 64
        entry.write_text(json.dumps(data))
    r2 = MathRenderer("katex", ROOT, tmp_path)
    assert r2.render("a+b", True) == good
    r2.close()
    assert r2.renders == 1
    assert json.loads(entry.read_text())["payload"] == good  # repaired


def test_cache_lookup_does_not_scan_the_cache(tmp_path: Path) -> None:
    """A warm lookup opens exactly one file, however many entries there are."""
    cache = RenderCache(tmp_path)
    for i in range(300):
        cache.put(cache.key(tex=str(i), display=True, engine="katex", version="v", macros={}), f"<b>{i}</b>")
    import builtins

    opened: list[str] = []
    real_open = Path.read_text

    def spy(self: Path, *a, **k):  # type: ignore[no-untyped-def]
        opened.append(str(self))
        return real_open(self, *a, **k)

    Path.read_text = spy  # type: ignore[method-assign]
    try:
        assert cache.get(cache.key(tex="7", display=True, engine="katex", version="v", macros={})) == "<b>7</b>"
    finally:
        Path.read_text = real_open  # type: ignore[method-assign]
    assert len(opened) == 1
    del builtins
