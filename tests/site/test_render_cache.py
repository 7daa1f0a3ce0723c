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


# ---------------------------------------------------------------------- prefetch: one pipelined pass
class _Refuse:
    """An engine that fails the test if asked anything: after a prefetch, pages must not need Node."""

    name = "refuse"
    version = "0.16.25"

    def render(self, tex: str, display: bool, macros: dict[str, str]) -> str:
        raise AssertionError(f"rendered again after the prefetch: {tex!r}")

    def close(self) -> None:
        pass


def _many_formulas(n: int) -> list[tuple[str, bool]]:
    return [(rf"x_{{{i}}} = \frac{{{i}}}{{\sqrt{{{i} + y}}}}", i % 3 == 0) for i in range(n)]


def test_prefetch_renders_what_one_at_a_time_renders_byte_for_byte(tmp_path: Path) -> None:
    """Batches (BATCH formulas a line, several lines in flight) keep order, duplicates and errors apart."""
    from studylog.site.katex import BATCH

    formulas = _many_formulas(2 * BATCH + 7)
    bad = (r"\frac{a}{", True)
    untrusted = (r"\href{https://example.org}{x}", False)
    formulas[BATCH - 1 : BATCH - 1] = [bad, formulas[3], untrusted]  # a failure inside a batch, a duplicate
    one = MathRenderer("katex", ROOT, tmp_path / "one")
    expected: dict[tuple[str, bool], str] = {}
    errors: dict[tuple[str, bool], str] = {}
    for tex, display in formulas:
        try:
            expected[(tex, display)] = one.render(tex, display)
        except RenderError as exc:
            errors[(tex, display)] = str(exc)
    one.close()
    assert set(errors) == {bad, untrusted}

    many = MathRenderer("katex", ROOT, tmp_path / "many")
    many.prefetch(formulas)
    assert many.renders == len(set(formulas)), "each distinct formula goes to Node once"
    many._engine.close()  # type: ignore[union-attr]
    many._engine = _Refuse()  # type: ignore[assignment]
    for item in formulas:
        if item in errors:
            with pytest.raises(RenderError) as info:
                many.render(*item)
            assert str(info.value) == errors[item]
        else:
            assert many.render(*item) == expected[item]
    many.close()
    # the cache written on the writer thread is complete once closed: a new build renders nothing
    again = MathRenderer("katex", ROOT, tmp_path / "many")
    again.prefetch(formulas)
    assert again.renders == 2, "only the two refused formulas are tried again"
    again.close()
    assert again.cache is not None and again.cache.hits == len(set(formulas)) - 2


def test_a_fully_cached_prefetch_never_starts_node(tmp_path: Path) -> None:
    formulas = _many_formulas(30)
    first = MathRenderer("katex", ROOT, tmp_path)
    first.prefetch(formulas)
    first.close()
    second = MathRenderer("katex", ROOT, tmp_path)
    second.prefetch(formulas)
    assert second._engine is None and second.renders == 0
    assert [second.render(*f) for f in formulas] == [first.render(*f) for f in formulas]


def test_a_dead_katex_process_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    r = MathRenderer("katex", ROOT, tmp_path)
    engine = r.engine
    engine._proc.kill()  # type: ignore[attr-defined]
    engine._proc.wait()  # type: ignore[attr-defined]
    r.prefetch(_many_formulas(5))  # the prefetch leaves it to the pages, which report it per formula
    with pytest.raises(RenderError, match="not running"):
        r.render(*_many_formulas(5)[0])
    r.close()


def test_pages_asking_while_the_prefetch_is_in_flight_get_the_same_html(tmp_path: Path) -> None:
    """The prefetch renders on a thread: a formula still in flight is waited for, one it does not have
    goes to Node ahead of the prefetch's remaining batches; either way the HTML is what a lone render gives."""
    formulas = _many_formulas(600)
    extra = (r"\int_0^1 x^2 \, dx = \frac{1}{3}", True)
    lone = MathRenderer("katex", ROOT, None)
    expected = {f: lone.render(*f) for f in [*formulas, extra]}
    lone.close()
    r = MathRenderer("katex", ROOT, tmp_path)
    r.prefetch(formulas)
    got = {extra: r.render(*extra), formulas[-1]: r.render(*formulas[-1]), formulas[0]: r.render(*formulas[0])}
    got.update({f: r.render(*f) for f in formulas})
    assert got == expected
    assert r.renders == len(formulas) + 1
    r.close()
