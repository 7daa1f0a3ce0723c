"""What the fuzzer found, kept as ordinary tests: each input once gave a traceback, a hang or a wrong page."""

from __future__ import annotations

import pytest

from studylog.errors import MarkupError
from studylog.markup import escape_meta, parse_log
from studylog.site import journal

PATH = "docs/blog/posts/fuzz.md"
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "\n".join(
    f"{k}: &{k} [{', '.join(['*' + p] * 10)}]" for p, k in zip("abcdefg", "bcdefgh")
)


@pytest.mark.parametrize(
    ("yaml", "line", "message"),
    [("x: &a [1, *a]", 2, "'x' contains itself (a YAML alias inside its own anchor)"),
     ("title: t\na: &x {b: [*x]}", 3, "'a' contains itself"),
     (BILLION_LAUGHS, 6, "'e' expands to more than 100,000 values (YAML aliases repeated)"),
     ("x: " + "[" * 3000 + "]" * 3000, 2, "the front matter is nested too deeply to read")],  # a RecursionError in YAML's loader
)  # fmt: skip
def test_front_matter_that_refers_to_itself_or_explodes_is_an_error_at_its_key(yaml: str, line: int, message: str) -> None:
    with pytest.raises(MarkupError) as caught:
        parse_log(f"---\n{yaml}\n---\n# T\n", PATH)
    assert caught.value.path == PATH and caught.value.line == line and message in caught.value.message


def test_aliases_shared_without_a_cycle_are_read_and_escaped() -> None:
    page = parse_log("---\nx: &a ['<b>', 2]\ny: [*a, *a]\n---\n", PATH)
    meta = escape_meta(dict(page.front_matter.data))
    assert meta["y"] == [[meta["x"][0], 2], [meta["x"][0], 2]] and str(meta["x"][0]) == "&lt;b&gt;"


@pytest.mark.parametrize(
    ("yaml", "line", "message"),
    [("tags: 5", 3, "tags must be a list of names, not 5"), ("concepts: 3", 3, "concepts must be a list of names, not 3"),
     ("tags: {a: 1}", 3, "tags must be a list of names"), ("concepts: [[a], {b: c}]", 3, "concepts must be a list of names"),
     ("tags: [1, null]", 3, "tags must be a list of names"), ("week: true", 3, "week must be a whole number, not True"),
     ("week: -3", 3, "week must be a whole number, not -3")],
)  # fmt: skip
def test_journal_fields_of_the_wrong_type_are_errors_at_their_line(yaml: str, line: int, message: str) -> None:
    page = parse_log(f"---\ndate: 2021-08-10\n{yaml}\n---\n# T\n", PATH)
    with pytest.raises(MarkupError) as caught:
        journal.entry_of(page, "blog/posts/fuzz.md")
    assert caught.value.path == PATH and caught.value.line == line and message in caught.value.message


def test_a_single_tag_or_concept_is_a_list_of_one() -> None:
    page = parse_log("---\ndate: 2021-08-10\ntags: week 2\nconcepts: SGD\n---\n# T\n", PATH)
    entry = journal.entry_of(page, "blog/posts/fuzz.md")
    assert entry is not None and entry.tags == ("week 2",) and entry.concepts == ("SGD",) and entry.week == 2


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_the_calendar_shows_the_first_and_last_days_a_date_can_have(date: str) -> None:
    page = parse_log(f"---\ndate: {date}\n---\n# T\n", PATH)
    entry = journal.entry_of(page, "blog/posts/fuzz.md")
    assert entry is not None
    calendar = journal.calendar_page([entry])
    day = int(date[-2:])
    assert f"[**{day}**](" in calendar and calendar.count("| Mon |") == 1


def test_a_file_that_is_not_utf8_is_an_error_at_the_line_of_its_first_bad_byte(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from studylog.markup import read_log

    file = tmp_path / "log.md"
    file.write_bytes(b"# T\r\n\r\nok\rstill ok\n\x80 bad\n")
    with pytest.raises(MarkupError) as caught:
        read_log(file, PATH)
    assert str(caught.value) == f"{PATH}:5: not UTF-8 text (invalid start byte)"


@pytest.mark.parametrize(
    ("latex", "message"),
    [(r"s = \sum_{k=1}^{10^{12}} x k", r"\sum from 1 to 1000000000000 runs over more than 1,000,000 values"),
     (r"s = \prod_{k=1}^{1000000000} x k", r"\prod from 1 to 1000000000 runs over more than 1,000,000 values"),
     (r"s = \sum_{k=1}^{10^{400}} x k", r"the upper bound of \sum must be an integer, not inf"),
     (r"s = \sum_{k=1}^{10^{4}} \sum_{j=1}^{10^{4}} x k j", r"\sum runs over 100,000,000 index values (with the binders around it)")],
)  # fmt: skip
def test_a_binder_over_a_huge_range_is_invalid_before_it_allocates(latex: str, message: str) -> None:
    from studylog.engine.binding import In, Index, Out, Scalar, bindings_of, implements
    from studylog.engine.check import INVALID, check_binding
    from studylog.engine.scan import Formula

    @implements("huge", symbols={"s": Out(), "x": In("x", Scalar()), "k": Index(), "j": Index()})
    def huge(x):
        return x

    formula = Formula(latex=latex, path="log.md", line=3, display=True, id="huge", content_line=4)
    result = check_binding(bindings_of(huge)[0], [formula])[0]
    assert result.status == INVALID and message in result.message, result.message
    small = Formula(latex=r"s = \sum_{k=1}^{3} \frac{x k}{6}", path="log.md", line=3, display=True, id="huge", content_line=4)
    assert check_binding(bindings_of(huge)[0], [small])[0].status == "verified"


def test_a_second_formula_with_an_id_gets_no_verdict_of_the_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The first `{#sgd.w}` is right, the second (in another log) is wrong: it must not show ✓ (found by the fuzzer:
    it took the first one's verdict, message and line)."""
    from studylog.engine.status import Status
    from studylog.engine.verify import ProjectConfig, verify_site
    from tests.site.project import IMPL

    (tmp_path / "impl").mkdir()
    (tmp_path / "impl" / "__init__.py").write_text("")
    (tmp_path / "impl" / "ops.py").write_text(IMPL)
    logs = {"docs/a.md": "```math {#scale}\ny = \\alpha x\n```\n",
            "docs/b.md": "# B\n\n```math {#scale}\ny = 2 \\alpha x\n```\n"}  # fmt: skip
    report = verify_site(ProjectConfig(root=tmp_path, docs_dir=tmp_path / "docs", implementations=("impl",)), logs=logs)
    verdicts = {s.formula.path: s for s in report.statuses}
    assert verdicts["docs/a.md"].status == Status.VERIFIED
    assert verdicts["docs/b.md"].status == Status.INVALID
    assert verdicts["docs/b.md"].problem_line() == "docs/b.md:3: scale: duplicate formula id (first defined at docs/a.md:1)"
    assert [str(p) for p in report.problems] == ["docs/b.md:3: scale: duplicate formula id (first defined at docs/a.md:1)"]


def test_a_title_too_long_for_a_file_name_stops_the_build_at_its_line(fixture_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The blog makes the title its slug: 300 bytes is no file name (found by the fuzzer: MkDocs' traceback)."""
    from tests.conftest import mkdocs_build

    root = fixture_site({"blog/posts/long.md": "---\ndate: 2021-08-10\ntitle: " + "학" * 100 + "\n---\n\n# L\n"})
    build = mkdocs_build(root, tmp_path / "out", strict=False)
    assert build.returncode == 1 and "Traceback" not in build.output, build.output
    assert "docs/blog/posts/long.md:3: the page's URL would hold a name of" in build.output


@pytest.mark.parametrize(
    "head",
    ["---\n\n---\n", "---\n# only a comment\n---\n", "title: a line MkDocs takes for metadata\n\n", "Note: this looks like metadata\n",
     "\ufeff\ufeff---\ndate: 2021-08-10\n---\n"],
)  # fmt: skip
def test_a_log_is_found_by_its_lines_whatever_mkdocs_strips_from_its_top(tmp_path, head: str) -> None:  # type: ignore[no-untyped-def]
    """MkDocs keeps an empty front matter, drops leading 'key: value' lines and only one BOM: the extension found
    no page then (found by the fuzzer), and rendered the log as foreign Markdown: formulas unnumbered, unchecked."""
    import markdown
    from mkdocs.utils.meta import get_data

    from studylog.runner.pool import Runner
    from studylog.site.assemble import assemble
    from studylog.site.context import RenderContext
    from studylog.site.extension import StudylogExtension
    from studylog.site.katex import MathRenderer
    from studylog.site.options import SiteOptions
    from studylog.site.render import Links

    text = head + "# T\n\n```math {#one}\ny = 1\n```\n\nSee $`x = 2`${#two}.\n"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "log.md").write_bytes(text.encode("utf-8"))
    renderer = MathRenderer("none", tmp_path, None)
    model = assemble(tmp_path, tmp_path / "docs", SiteOptions(engine="none", verify=False), renderer=renderer,
                     runner=Runner(tmp_path, ()))  # fmt: skip
    context = RenderContext(model, renderer, Links(autorefs=False), current="docs/log.md")
    md = markdown.Markdown(extensions=[StudylogExtension(context=context)])
    as_read = text.removeprefix("\ufeff")  # MkDocs reads with utf-8-sig: one BOM
    html = md.convert(get_data(as_read)[0])
    assert '<span class="sl-number">(1)</span>' in html and 'id="eq-two"' in html, html


@pytest.mark.parametrize(
    ("text", "expected"),
    [("# No front matter\n", "docs/blog/posts/p.md:1: a blog post needs a date"),
     ("---\n---\n# Empty\n", "docs/blog/posts/p.md:1: the blog plugin cannot find this front matter"),
     ("---\ndate: 2021-08-10\ntitle: T\nlinks: 5\n---\n# L\n", "docs/blog/posts/p.md:4: links: the blog plugin cannot read 5"),
     ("---\ndate: 2021-08-10\ncategories: 3\n---\n# C\n", "docs/blog/posts/p.md:3: categories: Expected a list of items")],
)  # fmt: skip
def test_what_the_blog_plugin_refuses_stops_the_build_at_its_line(fixture_site, tmp_path, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzzer: the blog plugin named the file but no line, and 'links: 5' crashed it (AttributeError)."""
    from tests.conftest import mkdocs_build

    root = fixture_site({"blog/posts/p.md": text})
    build = mkdocs_build(root, tmp_path / "out", strict=False)
    assert build.returncode == 1 and "Traceback" not in build.output, build.output
    assert expected in build.output, build.output


def test_an_example_that_prints_a_lone_surrogate_or_ends_the_worker_gets_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r"""Found by the fuzzer: print("\ud800") killed the worker (its reply could not be encoded) and every later
    example of the build failed with 'the worker ended unexpectedly', no reason given."""
    from studylog.runner.pool import Runner
    from studylog.site.assemble import assemble
    from studylog.site.katex import MathRenderer
    from studylog.site.options import SiteOptions

    fence = '```python exec="on"\n{}\n```\n'
    text = "# T\n\n" + fence.format('print("\\ud800")\nraise ValueError("\\udcff")') + "\n" + fence.format("import os; os._exit(3)")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "log.md").write_text(text, encoding="utf-8")
    model = assemble(tmp_path, tmp_path / "docs", SiteOptions(engine="none", verify=False, example_timeout=5.0),
                     renderer=MathRenderer("none", tmp_path, None), runner=Runner(tmp_path, ()))  # fmt: skip
    printed = model.examples[("docs/log.md", 3)].outcome
    assert printed.output == "\\ud800\n" and printed.error == "ValueError: \\udcff"
    assert [str(p) for p in model.problems] == ["docs/log.md:5: the example failed: ValueError: \\udcff",
                                                "docs/log.md:8: the example failed: the example ended its interpreter (exit status 3)"]  # fmt: skip


def test_a_log_whose_body_begins_with_a_line_of_spaces_is_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by the long fuzzer run: MkDocs strips only newlines after the front matter, so a line of spaces stays
    at the top of the body it hands over, and the extension found no page."""
    from mkdocs.utils.meta import get_data

    text = "---\ndate: 2021-08-10\n---\n\n" + " " * 40 + "\n\n```math {#one}\ny = 1\n```\n"
    html = _render_log(tmp_path, text, get_data(text)[0])
    assert '<div class="sl-formula" id="eq-one">' in html and '<span class="sl-number">(1)</span>' in html, html


def test_a_log_holding_the_stash_marker_characters_is_found(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found by the long fuzzer run: Python-Markdown deletes STX and ETX (its stash markers) before any
    preprocessor runs, so a log holding one no longer matched its own lines and rendered as foreign Markdown."""
    text = "```math {#one}\ny = 1\n```\n\nA \x03control\x02 character and $`x = 2`${#two}.\n"
    html = _render_log(tmp_path, text, text)
    assert '<span class="sl-number">(1)</span>' in html and 'id="eq-two"' in html, html


def _render_log(tmp_path, text: str, body: str) -> str:  # type: ignore[no-untyped-def]
    """Assemble a site of one log, docs/log.md holding ``text``, and convert ``body`` (what MkDocs hands over)."""
    import markdown

    from studylog.runner.pool import Runner
    from studylog.site.assemble import assemble
    from studylog.site.context import RenderContext
    from studylog.site.extension import StudylogExtension
    from studylog.site.katex import MathRenderer
    from studylog.site.options import SiteOptions
    from studylog.site.render import Links

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "log.md").write_text(text, encoding="utf-8")
    renderer = MathRenderer("none", tmp_path, None)
    model = assemble(tmp_path, tmp_path / "docs", SiteOptions(engine="none", verify=False), renderer=renderer,
                     runner=Runner(tmp_path, ()))  # fmt: skip
    context = RenderContext(model, renderer, Links(autorefs=False), current="docs/log.md")
    return markdown.Markdown(extensions=[StudylogExtension(context=context)]).convert(body)
