"""The three entry points agree: ``studylog verify``, ``pytest --studylog`` and ``mkdocs build --strict``.

Each row of the table breaks the tiny project in one way (or not at all); every entry point must give
the same verdict, and the two that print messages must name the same ``FILE:LINE``. A wrong formula
also fails ``mkdocs build --strict -q`` (MkDocs alone would count no warning under ``-q``) and the
build under ProperDocs; without ``--strict`` the build completes and says what is wrong.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import mkdocs_build
from tests.site.project import edit, make_project

LOG = "docs/blog/posts/tiny.md"
NEST = "(" * 200 + "x" + ")" * 200

CASES = {
    # name: (file to edit, old, new, the verdict is a pass)
    "good": (None, "", "", True),
    "wrong formula": (LOG, r"y = \alpha x", r"y = \alpha x + x", False),
    "undeclared symbol": (LOG, r"y = \alpha x", r"y = \alpha x \beta", False),
    "deep nesting": (LOG, r"y = \alpha x", rf"y = \alpha {NEST}", False),
    "binding raises": ("impl/ops.py", "return alpha * x", 'raise RuntimeError("broken")', False),
    "returns a string": ("impl/ops.py", "return alpha * x", 'return "not a number"', False),
    "returns None": ("impl/ops.py", "return alpha * x", "return None", False),
}


def _run(cmd: list[str], cwd: Path) -> tuple[int, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=600, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("case", list(CASES))
def test_cli_pytest_and_strict_build_agree(case: str, tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    path, old, new, passes = CASES[case]
    if path is not None:
        edit(root / path, old, new)
    cli_rc, cli_out = _run([sys.executable, "-m", "studylog", "verify"], root)
    py_rc, py_out = _run([sys.executable, "-m", "pytest", "--studylog", "-p", "no:cacheprovider", "-q", "docs",
                          "-k", "scale", "--rootdir", str(root), "-c", str(root / "pyproject.toml")], root)  # fmt: skip
    build = mkdocs_build(root, tmp_path / "site")
    assert (cli_rc == 0) is passes, cli_out
    assert (py_rc == 0) is passes, py_out
    assert (build.returncode == 0) is passes, build.output
    if not passes:
        assert cli_rc == 1, "a problem in the notes or the code exits 1 (2 means the command could not run)"
        located = re.search(rf"{re.escape(LOG)}:\d+: scale: [^\n]{{0,40}}", cli_out)
        assert located, cli_out
        for out in (py_out, build.output):  # the same FILE:LINE: ID: and the same start of the message
            assert located.group(0) in out, (located.group(0), out[-2000:])
        assert "Traceback" not in cli_out + build.output


def test_a_wrong_formula_fails_quiet_strict_builds_and_properdocs(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    edit(root / LOG, r"y = \alpha x", r"y = \alpha x + x")
    rc, out = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "q")], root)
    assert rc != 0 and f"{LOG}:10: scale:" in out, out
    properdocs = Path(sys.executable).with_name("properdocs")
    rc, out = _run([str(properdocs), "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "p")], root)
    assert rc != 0 and f"{LOG}:10: scale:" in out, out
    build = mkdocs_build(root, tmp_path / "lenient", strict=False)  # without --strict: built, and it says so
    assert build.returncode == 0, build.output
    assert f"WARNING -  {LOG}:10: scale:" in build.output and "studylog: 1 formula mismatched" in build.output
    page = next((tmp_path / "lenient").rglob("tiny/index.html")).read_text(encoding="utf-8")
    assert "✗ mismatch" in page and "sl-page-problems" in page


def test_an_implementation_no_api_page_documents_names_the_file_to_edit(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - studylog\nmarkdown", "  - autorefs\n  - mkdocstrings:\n"
                                                 "      handlers:\n        python:\n          paths: [.]\n"
                                                 "  - studylog\nmarkdown"), encoding="utf-8")  # fmt: skip
    (root / "docs" / "api.md").write_text("# API\n\n::: helpers\n", encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site")
    assert build.returncode != 0
    assert "WARNING -  impl/ops.py:5: impl.ops.scale implements scale but no API page documents impl.ops: add '::: impl.ops' to" in build.output, build.output
    (root / "docs" / "api.md").write_text("# API\n\n::: helpers\n\n::: impl.ops\n", encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site2")
    assert build.returncode == 0, build.output


IMPORTED_LOG = r"""---
date: 2021-08-12
title: Imported
---
# Imported

From my old blog:

```math {imported}
E = m c^2
```

and inline $`a^2 + b^2 = c^2`${imported}.
"""


# a post titled in its front matter whose first heading repeats the title: the blog's listing puts the title
# before the excerpt as a heading of its own, so toc gives the repeated heading the id "mx-keys-review_1"
REVIEW_LOG = """---
date: 2021-08-13
title: MX Keys review
slug: review
---
## MX Keys review

A keyboard.

## Typing feel

Quiet.

<!-- more -->

The rest.
"""


def test_imported_formulas_build_strictly_are_never_marked_checked_and_can_fail_ci(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "docs" / "blog" / "posts" / "imported.md").write_text(IMPORTED_LOG, encoding="utf-8")
    (root / "docs" / "blog" / "posts" / "review.md").write_text(REVIEW_LOG, encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.output
    assert "2 imported formula(s) not yet checked" in build.output
    page = next((tmp_path / "site").rglob("imported/index.html")).read_text(encoding="utf-8")
    assert "✓" not in page and page.count("? not yet checked") == 1 and "sl-inline-status sl-unchecked" in page
    assert "2 formulas on this page were imported and are not yet checked" in page
    # the note goes under the page's title: the title stays its first element, so the blog's listing shows
    # the post's heading once, and a listing's heading links only to anchors the post has
    content = page[page.index('<article class="md-content__inner'):]
    assert content.index('id="imported"') < content.index("sl-page-unchecked"), content[:2000]
    listing = (tmp_path / "site" / "blog" / "index.html").read_text(encoding="utf-8")
    assert listing.count(">Imported</a></h2>") == 1, listing
    for slug in ("imported", "review"):  # every heading link of a listing's excerpts goes to an id the post has
        post = next((tmp_path / "site").rglob(f"{slug}/index.html")).read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', post))
        anchors = re.findall(rf'href="[^"#]*{slug}/#([^"]+)"', listing)
        assert all(a in ids for a in anchors) and (anchors or slug == "imported"), (slug, anchors, sorted(ids))
    rc, out = _run([sys.executable, "-m", "studylog", "verify", "--report"], root)
    assert rc == 0 and "2 imported" in out and out.count("\timported") == 2, out
    rc, out = _run([sys.executable, "-m", "studylog", "verify", "--fail-on-imported"], root)
    assert rc == 1 and f"docs/blog/posts/imported.md:9: imported formula not yet checked" in out, out
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - studylog\nmarkdown", "  - studylog:\n      fail_on_imported: true\nmarkdown"))
    build = mkdocs_build(root, tmp_path / "strict-ci")
    assert build.returncode != 0 and "imported.md:9: imported formula not yet checked" in build.output, build.output


def test_a_tab_before_inline_math_and_markdown_printed_by_an_example_keep_their_formulas(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    post = root / LOG
    text = post.read_text(encoding="utf-8")
    text = text.replace("The scaled input is", "Tab\tthen $`x^2`$ and $`y = \\alpha x`${same=\"scale\"} inline.\n\nThe scaled input is")
    text += '\n```python exec="on"\nprint("printed $`z^3`$ math")\n```\n'
    post.write_text(text, encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site")
    assert build.returncode == 0, build.output
    page = next((tmp_path / "site").rglob("tiny/index.html")).read_text(encoding="utf-8")
    assert "$`" not in page and page.count('class="katex') >= 4  # x^2, the restatement, the display, z^3
    assert "sl-inline-status sl-verified" in page
