r"""Fuzz the site: generated logs are assembled into a site model and rendered by the Markdown extension.

Layers: `studylog.site.assemble` (reading, rendering formulas with the "none" engine or real KaTeX,
verdicts and examples from the worker process of `studylog.runner`), the Markdown extension rendering
each page through a `RenderContext` as MkDocs hands it the page, and a few full ``mkdocs build`` runs.
Every problem must name a file and a line; the extension must find every log of the site by its lines
(a page it cannot find would show its formulas unchecked) and leave no stash placeholder behind.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from studylog.runner.pool import Runner
from studylog.site.assemble import SiteError, assemble
from studylog.site.context import RenderContext
from studylog.site.extension import StudylogExtension
from studylog.site.katex import MathRenderer
from studylog.site.model import SiteModel
from studylog.site.options import SiteOptions
from studylog.site.render import Links
from tests.fuzz.budget import budget, within
from tests.fuzz.checks import assert_located
from tests.fuzz.project import BASE_LOG, PACKAGE, write_project
from tests.fuzz.strategies import clean_log, log_text, python_fence

EXTENSIONS = ["pymdownx.superfences", "tables", "md_in_html", "attr_list", "toc"]
_LOCATED = re.compile(r"^docs/\S+\.md:\d+: ")


@pytest.fixture(scope="module")
def katex(fuzz_project: Path) -> Iterator[MathRenderer]:
    renderer = MathRenderer("katex", fuzz_project, None)
    yield renderer
    renderer.close()


@pytest.fixture(scope="module")
def runner(fuzz_project: Path) -> Iterator[Runner]:
    runner = Runner(fuzz_project, (PACKAGE,))
    yield runner
    runner.close()


def _write_logs(root: Path, texts: list[str]) -> dict[str, str]:
    posts = root / "docs" / "blog" / "posts"
    shutil.rmtree(posts, ignore_errors=True)
    posts.mkdir(parents=True)
    logs = {}
    for i, text in enumerate(texts):
        (posts / f"log{i}.md").write_bytes(text.encode("utf-8"))
        logs[f"docs/blog/posts/log{i}.md"] = text
    return logs


def as_mkdocs_reads(text: str) -> str:
    """The Markdown MkDocs hands the extension: read as UTF-8 with a BOM dropped, universal newlines, front matter off."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return get_data(text)[0]


def build_model(root: Path, texts: list[str], options: SiteOptions, renderer: MathRenderer, runner: Runner | None,
                ) -> tuple[dict[str, str], SiteModel | None]:  # fmt: skip
    logs = _write_logs(root, texts)
    try:
        model = assemble(root, root / "docs", options, renderer=renderer, runner=runner or Runner(root, (PACKAGE,)))
    except SiteError as exc:
        assert all(_LOCATED.match(line) for line in str(exc).split("\n") if not line.startswith(" ")), str(exc)
        event("assemble: stopped (front matter)")
        return logs, None
    for problem in model.problems:
        assert_located(problem, logs)
    event(f"assemble: {min(len(model.problems), 3)} problem(s)")
    return logs, model


def render_pages(model: SiteModel, renderer: MathRenderer, logs: dict[str, str]) -> None:
    """Render every page as MkDocs would; the extension must find each one by its lines."""
    context = RenderContext(model, renderer, Links(autorefs=False))
    md = markdown.Markdown(extensions=[StudylogExtension(context=context), *EXTENSIONS])
    for page in model.pages.values():
        if not page.src_uri.startswith("blog/posts/"):
            continue
        body = as_mkdocs_reads(logs[page.path])
        context.current = page.path
        html = md.reset().convert(body)
        assert "\x02" not in html and "\x03" not in html and "wzxhzdk" not in html, "a stash placeholder was left"
        if body.strip():
            found = context.locate(body.split("\n"))
            assert found is not None and found[0] is page, f"the extension did not find {page.path} by its lines"
        assert html.count('<div class="sl-formula"') == len(page.log.math), "a display formula is missing"


@budget(200)
@given(texts=st.lists(log_text(), min_size=1, max_size=2))
@example(texts=["\ufeff\n\n```math{\x03}\ny = a x + 1\n```\n"])  # the long run's finds: ETX quoted in a message,
@example(texts=["```math\ny = a x + 1\n``\n\n```math\x03\ny = a x + 1\n```\n"])  # and in a formula shown as TeX
def test_a_generated_site_is_assembled_and_every_page_renders(fuzz_project: Path, texts: list[str]) -> None:
    options = SiteOptions(engine="none", verify=False, example_timeout=1.0)
    renderer = MathRenderer("none", fuzz_project, None)
    with within(60, "assembling and rendering"):
        logs, model = build_model(fuzz_project, texts, options, renderer, None)
        if model is not None:
            render_pages(model, renderer, logs)


@budget(60, long_share=0.1)
@given(texts=st.lists(log_text(), min_size=1, max_size=2))
def test_real_katex_renders_every_formula_or_says_why_at_its_line(fuzz_project: Path, katex: MathRenderer, texts: list[str]) -> None:
    options = SiteOptions(engine="katex", verify=False, example_timeout=1.0)
    with within(120, "rendering with KaTeX"):
        logs, model = build_model(fuzz_project, texts, options, katex, None)
        if model is not None:
            render_pages(model, katex, logs)


#: a log with examples (some hang, raise, kill the worker or print what JSON cannot carry) at its end
WITH_EXAMPLES = st.tuples(log_text(examples=True), st.lists(python_fence(hangs=True), min_size=1, max_size=3)).map(
    lambda t: t[0] + "\n\n" + "\n\n".join(t[1]) + "\n"
)


@budget(8, long_share=0.02)
@given(texts=st.lists(WITH_EXAMPLES, min_size=1, max_size=2))
def test_verdicts_and_examples_come_from_the_worker_with_their_lines(fuzz_project: Path, runner: Runner, texts: list[str]) -> None:
    options = SiteOptions(engine="none", verify=True, example_timeout=1.0)
    renderer = MathRenderer("none", fuzz_project, None)
    with within(240, "verifying and running examples"):
        logs, model = build_model(fuzz_project, texts, options, renderer, runner)
        if model is not None:
            assert model.verified, [str(p) for p in model.problems]
            for view in model.examples.values():
                out = view.outcome
                event("example: ok" if out.ok else "example: stopped" if "ran longer" in out.error else "example: failed")
                if not out.ok:
                    assert out.error.strip() and "Traceback" not in out.error
            for verdict in model.verdicts.values():
                event(f"verdict: {verdict.status}")
            render_pages(model, renderer, logs)


_NAMED = re.compile(r"(?m)^(?:WARNING|ERROR) +-  (?:docs/blog/posts/log\d\.md|fuzzimpl/__init__\.py):\d+: ")


@budget(3, long_share=0.003)
@given(drawn=st.lists(st.one_of(clean_log().map(lambda t: (True, t)), log_text(examples=True).map(lambda t: (False, t))),
                      min_size=1, max_size=2))  # fmt: skip
def test_a_full_mkdocs_build_succeeds_or_names_the_file_and_line(tmp_path_factory: pytest.TempPathFactory,
                                                                 drawn: list[tuple[bool, str]]) -> None:  # fmt: skip
    """Logs with no problem in them build green (strict), with their formulas numbered and verified."""
    from tests.conftest import ROOT, mkdocs_build

    texts = [t for _, t in drawn]
    logs = {"blog/posts/base.md": BASE_LOG, **{f"blog/posts/log{i}.md": t for i, t in enumerate(texts)}}
    root = write_project(tmp_path_factory.mktemp("build"), logs, timeout=1.0, broken=False)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    build = mkdocs_build(root, root / "site", strict=True, timeout=600)
    event(f"mkdocs build: exit {build.returncode}")
    assert "Traceback" not in build.output, build.output[-3000:]
    assert build.returncode in (0, 1), build.output[-3000:]
    if all(clean for clean, _ in drawn):
        assert build.returncode == 0, build.output[-3000:]
    if build.returncode:
        assert _NAMED.search(build.output), build.output[-3000:]
    else:
        pages = [p.read_text(encoding="utf-8") for p in (root / "site" / "blog").rglob("index.html")]
        assert any('<span class="sl-number">(1)</span>' in p and "sl-verified" in p for p in pages)
    shutil.rmtree(root, ignore_errors=True)
