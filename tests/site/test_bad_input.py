"""User mistakes fail the strict build with a message naming the file (and line), never garbage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import mkdocs_build

POST = """---
date: 2021-08-11
---
# A log

Some text.

```math
{latex}
```
"""


def test_broken_latex_fails_naming_file_and_line(fixture_site, tmp_path: Path) -> None:
    root = fixture_site({"blog/posts/broken.md": POST.format(latex=r"\frac{a}{")})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "docs/blog/posts/broken.md:8: KaTeX cannot render the formula" in build.output, build.output
    assert "Traceback" not in build.output


def test_unclosed_inline_math_is_a_clear_error(fixture_site, tmp_path: Path) -> None:
    root = fixture_site({"blog/posts/inline.md": "---\ndate: 2021-08-11\n---\n# A\n\nText $`\\frac{a}{`$ end.\n"})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "docs/blog/posts/inline.md:6: KaTeX cannot render the formula" in build.output, build.output
    assert "Traceback" not in build.output


def test_post_without_date_fails_naming_the_file(fixture_site, tmp_path: Path) -> None:
    root = fixture_site({"blog/posts/nodate.md": "---\ntitle: No date\n---\n# No date\n"})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "nodate.md" in build.output, build.output


def test_unknown_formula_reference_fails(fixture_site, tmp_path: Path) -> None:
    root = fixture_site({"blog/posts/ref.md": "---\ndate: 2021-08-11\n---\n# R\n\nAs [eq:nope] says.\n"})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "docs/blog/posts/ref.md:6: nope: reference to an unknown formula id" in build.output, build.output


@pytest.mark.parametrize("strict", [True, False])
def test_an_impossible_date_stops_every_build_at_its_line(fixture_site, tmp_path: Path, strict: bool) -> None:
    root = fixture_site({"blog/posts/feb30.md": "---\ntitle: T\ndate: 2026-02-30\n---\n# T\n"})
    build = mkdocs_build(root, tmp_path / "out", strict=strict)
    assert build.returncode != 0
    assert "docs/blog/posts/feb30.md:3: the front matter is not valid YAML: '2026-02-30' is not a date" in build.output
    assert "Traceback" not in build.output


def test_unclosed_inline_math_is_reported_at_its_line(fixture_site, tmp_path: Path) -> None:
    root = fixture_site({"blog/posts/open.md": "---\ndate: 2021-08-11\n---\n# A\n\nText $`x + 1 and more.\n"})
    build = mkdocs_build(root, tmp_path / "out")
    assert build.returncode != 0
    assert "docs/blog/posts/open.md:6: inline math opened with $` is never closed" in build.output, build.output
