"""Fuzz the page model: any text is a `LogPage` (and its formulas) or a `MarkupError` at a file and line.

Layers: `studylog.markup.parse_log` and `read_log`, `studylog.engine.scan.scan_page`, the journal's
reading of front matter (`studylog.site.journal`) and `escape_meta`, which every template's metadata
goes through.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from studylog.engine.scan import scan_page
from studylog.errors import MarkupError
from studylog.markup import BlockKind, escape_meta, parse_log, read_log
from studylog.site import journal
from tests.fuzz.budget import budget, within
from tests.fuzz.checks import assert_located, lines_of
from tests.fuzz.strategies import front_matter, log_text, paragraph

PATH = "docs/blog/posts/fuzz.md"


def _page_or_error(text: str):  # type: ignore[no-untyped-def]
    try:
        return parse_log(text, PATH)
    except MarkupError as exc:
        assert_located(exc, {PATH: text})
        return None


@budget(600)
@given(text=log_text(surrogates=True))
def test_any_text_is_a_page_model_or_a_located_markup_error(text: str) -> None:
    with within(20, "reading the log"):
        page = _page_or_error(text)
        if page is None:
            return
        scanned = scan_page(page)
        n = lines_of(text)
        assert len(page.lines) == n
        for problem in page.problems:
            assert_located(problem, {PATH: text})
        for fence in page.fences:
            assert page.front_matter.lines < fence.line < fence.end_line <= n
            assert page.lines[fence.line - 1].lstrip(" \t>-*+0123456789.").startswith(("```", "~~~"))
        for span in page.inline:
            line = page.lines[span.line - 1]
            assert line[span.start : span.start + 2] == "$`" and line[span.start + 2 :].startswith(span.latex)
        for ref in page.refs:
            assert page.lines[ref.line - 1][ref.start : ref.end] == f"[eq:{ref.id}]"
        numbers = [f.number for f in scanned.formulas if f.display]
        assert sorted(numbers) == list(range(1, len(page.math) + 1))
        for formula in scanned.formulas:
            formula.is_equation  # noqa: B018 - reads the LaTeX: must not raise
        for ex in page.examples:
            assert ex.fence.kind is BlockKind.EXAMPLE and (ex.expect is None or ex.expect.kind is BlockKind.EXPECT)


@budget(600)
@given(fm=front_matter(), body=paragraph(surrogates=False))
def test_front_matter_is_read_or_a_located_error_and_every_reader_takes_it(fm: str, body: str) -> None:
    text = f"{fm}\n{body}\n"
    with within(20, "reading the front matter"):
        page = _page_or_error(text)
        if page is None:
            return
        try:
            entry = journal.entry_of(page, "blog/posts/fuzz.md")
        except MarkupError as exc:
            assert_located(exc, {PATH: text})
            return
        meta = escape_meta(dict(page.front_matter.data))
        assert set(meta) == set(page.front_matter.data)
        if entry is not None:
            pages = journal.journal_pages([entry])
            assert "journal/calendar.md" in pages and str(entry.date.day) in pages["journal/calendar.md"]


@budget(300)
@given(data=st.one_of(st.binary(max_size=200), log_text().map(lambda t: t.encode("utf-8")),
                      st.tuples(log_text(), st.binary(min_size=1, max_size=4), log_text()).map(
                          lambda t: t[0].encode() + t[1] + t[2].encode())))  # fmt: skip
def test_any_bytes_on_disk_are_a_page_model_or_a_located_markup_error(data: bytes, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path_factory.mktemp("bytes") / "fuzz.md"
    file.write_bytes(data)
    try:
        page = read_log(file, PATH)
    except MarkupError as exc:
        text = data.decode("utf-8", "replace")
        assert_located(exc, {PATH: text})
        return
    assert page.text == data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    Path(file).unlink()
