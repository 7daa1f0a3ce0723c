"""Executed examples: output on the page, loud failures with file:line, cache, deterministic figures."""

from __future__ import annotations

import re
from pathlib import Path

from studylog.markup import parse_log
from tests.conftest import ROOT, mkdocs_build

GOOD = """---
date: 2021-08-11
---
# Examples

```python exec="on" result="text"
print(sum(range(5)))
print()
print("second line")
```

```text expect
10

second line
```

```python exec="on" html="1"
from studylog.figures import figure_html
from studylog.figures.svg import new_figure
fig, ax = new_figure(3, 2)
ax.plot([0, 1, 2], [0, 1, 4])
print(figure_html(fig, alt="a parabola through three points"))
```
"""

BAD = """---
date: 2021-08-12
---
# Broken

Text.

```python exec="on"
raise RuntimeError("boom")
```
"""


def _site(fixture_site, pages):
    root = fixture_site(pages)
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace('cache_dir: ""', 'cache_dir: ""\n      examples_cache_dir: .cache-ex'))
    (root / "studylog").symlink_to(Path(__file__).resolve().parents[2] / "studylog")
    return root


def test_output_and_figure_are_on_the_page_and_reruns_come_from_cache(fixture_site, tmp_path: Path) -> None:
    root = _site(fixture_site, {"blog/posts/good.md": GOOD})
    first = mkdocs_build(root, tmp_path / "a")
    assert first.returncode == 0, first.output
    assert "examples executed: 2, from cache: 0" in first.output
    page = next((tmp_path / "a").rglob("2021/08/11/examples/index.html")).read_text()
    assert re.search(r'<pre[^>]*><code[^>]*>10\n\nsecond line\s*</code></pre>', page), "the output is not a text block"
    assert "````" not in page
    # the figure is a file of the site (studylog.site.lightpage), named by its content
    assert 'alt="a parabola through three points"' in page and re.search(r'src="(\.\./)+assets/figures/[0-9a-f]{20}\.svg"', page)
    assert page.count(">10") == 1, "the expected-output block must not be shown besides the real output"
    second = mkdocs_build(root, tmp_path / "b")
    assert second.returncode == 0, second.output
    assert "examples executed: 0, from cache: 2" in second.output
    # byte-identical figures across builds
    img = lambda d: sorted((p.name, p.read_bytes()) for p in (tmp_path / d / "assets/figures").glob("*.svg"))  # noqa: E731
    assert img("a") == img("b") and img("a")


def test_failing_example_fails_the_strict_build_naming_file_and_line(fixture_site, tmp_path: Path) -> None:
    root = _site(fixture_site, {"blog/posts/bad.md": BAD})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "docs/blog/posts/bad.md:9: the example failed: RuntimeError: boom" in build.output  # the raising line, build.output


def test_examples_and_expected_output_are_found_with_lines() -> None:
    examples = parse_log(GOOD, "good.md").examples
    assert [(e.fence.line, e.expect.body if e.expect else None) for e in examples] == [(6, "10\n\nsecond line"), (18, None)]


def _run(text: str, path: str, timeout: float = 60.0) -> list:
    from studylog.runner.protocol import ExampleJob
    from studylog.runner.worker import Worker

    worker = Worker(ROOT, chdir=False)
    return [worker.run(ExampleJob(path, e.fence.line, e.fence.body, e.session, timeout)) for e in parse_log(text, path).examples]


def test_a_failing_example_names_its_line_and_the_expected_output_is_compared() -> None:
    from studylog.site.examples import expected_output_problem

    (bad,) = _run(BAD, "docs/bad.md")
    assert not bad.ok and bad.error == "RuntimeError: boom" and bad.error_line == 9  # the raise, line 9 of the log
    text = GOOD.replace("second line\n```", "third line\n```")
    good = parse_log(text, "docs/good.md").examples
    outcome = _run(text, "docs/good.md")[0]
    assert outcome.ok and outcome.output == "10\n\nsecond line\n"
    assert "the log expects\n10\n\nthird line" in (expected_output_problem(good[0], outcome) or "")


def test_hanging_example_is_stopped_with_a_clear_error() -> None:
    (hang,) = _run("```python exec=\"on\"\nwhile True:\n    pass\n```\n", "docs/hang.md", timeout=0.5)
    assert not hang.ok and "longer than 0.5 s" in hang.error
