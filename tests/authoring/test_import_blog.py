r"""Moving a whole Jekyll blog (`blog.make_blog`, written for these tests) into a site made by ``studylog init``.

Each expected log line, file and warning below is worked out by hand from the blog's text and the
rules of issue 14: all of MathJax's delimiters, imported marks, Jekyll's front matter, local files,
links between posts, Liquid, excerpts, display math in a quote, tabs in code, and recoverable details.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.meta import YAML_RE

from tests.authoring.blog import make_blog
from tests.conftest import ROOT, mkdocs_build

from studylog.authoring.project import create_project


@pytest.fixture
def imported(tmp_path: Path, run_cli, monkeypatch):
    """A site made by ``studylog init`` with the test blog imported: ``(site, stdout, stderr, exit code)``."""
    blog = make_blog(tmp_path / "blog")
    site = tmp_path / "site"
    create_project(site, name="T", url="https://me.github.io/new/", repo="https://github.com/me/new",
                   today=dt.date(2021, 8, 1))  # fmt: skip
    monkeypatch.chdir(site)
    code, out, err = run_cli("import", str(blog / "_posts"))
    return site, out, err, code


def log(site: Path, name: str) -> str:
    return (site / "docs" / "blog" / "posts" / name).read_text(encoding="utf-8")


def body(text: str) -> str:
    return text[YAML_RE.match(text).end() :].lstrip("\n")


def test_every_delimiter_is_found_and_written_and_the_counts_cover_them(imported):
    site, out, err, code = imported
    blog_posts = site.parent / "blog" / "_posts"
    assert code == 0
    # first: \\(x_1\\), $y$, \\[∇L = 0\\], $$a = b$$ in the quote, $f(x)$; second: three $$
    assert out.splitlines()[:2] == [
        f"{blog_posts / '2021-08-09-first.md'}: 5 formulas found, 5 written (docs/blog/posts/2021-08-09-first.md)",
        f"{blog_posts / '2021-08-11-second.md'}: 3 formulas found, 3 written (docs/blog/posts/2021-08-11-second.md)",
    ]
    # marked: the two display formulas of the first post and E = mc^2 (the inline formulas state no relation,
    # except "\sum_i x_i = 1", written inline in a sentence: a value, not an equation to link)
    assert out.splitlines()[2] == (
        "studylog import: 2 posts imported, 0 failed; 8 formulas found, 8 written, 3 marked imported "
        "(shown 'not yet checked' until linked); 2 files copied; categories added to mkdocs.yml: Machine Learning; "
        "5 warnings (Liquid 2, unclosed math delimiter 1, missing file 1, link to the old site 1)"
    )


def test_the_first_post_reads_as_expected(imported):
    site, *_ = imported
    assert body(log(site, "2021-08-09-first.md")) == (
        "Intro with $`x_1`$ and $`y`$.\n"
        "<!-- more -->\n\n"  # the blog's own separator, <!--cut-->, replaced
        "```math {imported}\n\\nabla L = 0\n```\n\n"
        # display math in a quote stays display math: the quote becomes an HTML one the site reads
        "<blockquote markdown>\n\nTheorem.\n```math {imported}\na = b\n```\n\n</blockquote>\n\n"
        # a brace right after inline math is not the formula's attributes; a stray $PATH is text
        "After $`f(x)`$\\{ braces } and a stray $PATH here.\n\n"
        "![plot](../../img/plot.png)\n"
        "![gone](https://me.github.io/assets/images/missing.png)\n"
        '<img src="/new/_posts/images/rel.png">\n\n\n'  # raw HTML: the path below the new site_url
        "## Section\n\n```make\nall:\n\tcc -o x x.c\n```\n"  # the recipe keeps its tab
    )


def test_the_second_post_links_the_first_posts_log_and_gets_an_excerpt_separator(imported):
    site, *_ = imported
    assert body(log(site, "2021-08-11-second.md")) == (
        "See [first](2021-08-09-first.md), [again](2021-08-09-first.md#section)\n"
        "and [root](2021-08-09-first.md) and [about](https://me.github.io/about/).\n\n"
        "<!-- more -->\n\n"
        "Display math $`\\sum_i x_i = 1`$ inside a sentence, and $`x`$ alone:\n\n"
        "```math {imported}\nE = mc^2\n```\n"
    )


def test_front_matter_keeps_its_jekyll_meaning(imported):
    site, *_ = imported
    meta = yaml.safe_load(YAML_RE.match(log(site, "2021-08-09-first.md")).group(1))
    assert meta == {
        "date": dt.date(2021, 8, 9),  # 01:30 +0900 is the 9th in the site's time zone (UTC)
        "title": "First",
        "slug": "first",  # the log's own: the blog plugin's slug of a Hangul title would be empty
        "categories": ["Machine Learning"],  # singular: one category, not two
        "tags": ["AI", "Naver", "2021"],  # the nested list flattened
        "pin": True,
    }


def test_files_are_copied_and_the_categories_reach_mkdocs_yml_with_its_comments(imported):
    site, *_ = imported
    assert (site / "docs" / "img" / "plot.png").read_bytes() == b"\x89PNG plot"
    assert (site / "docs" / "_posts" / "images" / "rel.png").read_bytes() == b"\x89PNG rel"
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert (
        "      categories_allowed:  # `studylog import` adds the categories of the posts it imports\n"
        '        - "Study log"\n        - Machine Learning\n  - tags\n'
    ) in config


def test_every_warning_names_the_file_and_line(imported):
    site, _, err, _ = imported
    first = site.parent / "blog" / "_posts" / "2021-08-09-first.md"
    second = site.parent / "blog" / "_posts" / "2021-08-11-second.md"
    assert err.splitlines() == [
        f"{first}:22: warning: '$' before 'PATH here.' opens no formula (no closing '$' in its paragraph): kept as text",
        f"{first}:24: warning: Liquid '{{{{ site.baseurl }}}}' resolved to '' (links are relative in the log)",
        f"{first}:25: warning: '/assets/images/missing.png' is not a file of the blog: linked on the old site: "
        "https://me.github.io/assets/images/missing.png",
        f"{first}:27: warning: Liquid '{{% include toc.html %}}' removed (Jekyll's templates are not part of the log)",
        f"{second}:5: warning: '/about/' is no imported post: linked on the old site: https://me.github.io/about/",
    ]


def test_single_dollar_math_can_be_turned_off(tmp_path, run_cli):
    post = tmp_path / "2021-08-10-x.md"
    post.write_text("---\ntitle: x\n---\nIt costs $5 or $x$, and \\\\(y\\\\) is math.\n", encoding="utf-8")
    code, out, _ = run_cli("import", str(post), "--docs-dir", str(tmp_path / "docs"), "--no-single-dollar")
    assert code == 0 and "1 formulas found, 1 written" in out
    text = (tmp_path / "docs" / "blog" / "posts" / post.name).read_text(encoding="utf-8")
    assert "It costs $5 or $x$, and $`y`$ is math." in text


def test_a_form_feed_in_a_formula_is_a_space_with_a_warning_at_its_line(tmp_path, run_cli):
    post = tmp_path / "2021-08-10-ff.md"
    post.write_text("---\ntitle: x\n---\nline 4\n\n$$\na = \x0crac{1}{2}\n$$\n\nend $b$\n", encoding="utf-8")
    code, out, err = run_cli("import", str(post), "--docs-dir", str(tmp_path / "docs"))
    assert code == 0 and "2 formulas found, 2 written" in out
    assert err == f"{post}:7: warning: the control character U+000C is written as a space\n"
    text = (tmp_path / "docs" / "blog" / "posts" / post.name).read_text(encoding="utf-8")
    assert "```math {imported}\na =  rac{1}{2}\n```" in text and "end $`b`$" in text


def test_a_site_made_by_init_builds_strictly_and_checks_its_first_formula(tmp_path):
    site = tmp_path / "mine"
    create_project(site, name="Mine", url="https://me.github.io/mine", repo="https://github.com/me/mine",
                   today=dt.date(2021, 8, 1))  # fmt: skip
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: \"Mine\"\nsite_url: https://me.github.io/mine/\nrepo_url: https://github.com/me/mine\n" in config
    assert 'implementations = ["mine"]' in (site / "pyproject.toml").read_text(encoding="utf-8")
    assert not (site / "docs" / "blog" / "posts" / "2021-08-10-day07-optimization.md").exists()
    (site / "node_modules").symlink_to(ROOT / "node_modules")
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode == 0, build.output
    assert "studylog: examples executed: 0, from cache: 0; formulas rendered: 2" in build.output
    page = next((tmp_path / "out" / "blog").rglob("first-log/index.html")).read_text(encoding="utf-8")
    assert "verified" in page
    log_file = site / "docs" / "blog" / "posts" / "2021-08-01-first-log.md"
    log_file.write_text(log_file.read_text(encoding="utf-8").replace("w_t - \\eta g_t", "w_t + \\eta g_t"))
    broken = mkdocs_build(site, tmp_path / "out2")
    assert broken.returncode == 1
    assert "docs/blog/posts/2021-08-01-first-log.md:18: first.step: w_{t+1} differs from mine.first.gradient_step" in (
        broken.output
    )


def test_init_with_the_showcase_keeps_the_day7_log_checked_against_studylogs_own_code(tmp_path):
    site = tmp_path / "show"
    create_project(site, name="Show", url="https://me.github.io/", repo="https://github.com/me/show", showcase=True)
    day7 = site / "docs" / "blog" / "posts" / "2021-08-10-day07-optimization.md"
    assert day7.read_text(encoding="utf-8") == (ROOT / "docs/blog/posts/2021-08-10-day07-optimization.md").read_text(
        encoding="utf-8"
    )
    pyproject = (site / "pyproject.toml").read_text(encoding="utf-8")
    assert 'implementations = ["show", "studylog.optim", "studylog.learning", "studylog.regularization", ' in pyproject
    assert '        - "Boostcamp AI Tech"\n' in (site / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_never_overwrites_and_refuses_a_bad_package(tmp_path, run_cli):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.md").write_text("mine", encoding="utf-8")
    code, _, err = run_cli("init", str(tmp_path / "full"), "--name", "n", "--url", "u", "--repo", "r")
    assert (code, err) == (1, f"{tmp_path / 'full'}: the folder exists and is not empty: studylog init never overwrites\n")
    assert (tmp_path / "full" / "notes.md").read_text(encoding="utf-8") == "mine"
    code, _, err = run_cli("init", str(tmp_path / "new"), "--name", "n", "--url", "u", "--repo", "r", "--package", "1x")
    assert code == 1 and "'1x' cannot be the implementation package's name" in err


def test_the_imported_blog_builds_strictly_with_its_imported_formulas_not_yet_checked(imported, tmp_path):
    site, *_ = imported
    (site / "node_modules").symlink_to(ROOT / "node_modules")
    build = mkdocs_build(site, tmp_path / "out")
    assert build.returncode == 0, build.output
    # init's first log is checked; the three marked formulas of the blog are counted, not checked
    assert "studylog: all 1 formulas verified; 3 imported formula(s) not yet checked" in build.output
    page = (tmp_path / "out" / "blog" / "2021" / "08" / "09" / "first" / "index.html").read_text(encoding="utf-8")
    assert page.count("? not yet checked") == 2 and "✓" not in page
    # the recipe's tab reaches the page (init's mkdocs.yml sets SuperFences' preserve_tabs): copied, it still runs
    assert re.search(r'<span class="w">\t</span>cc', page), "the Makefile's tab became spaces"


def test_markdown_outside_the_logs_renders_a_long_fence_then_inline_math():
    # the blog renders imported excerpts as Markdown of their own: a long math fence, then inline math
    import markdown

    html = markdown.markdown("```math\n" + "a\n" * 10 + "```\n\nthen $`x`$ here\n", extensions=["studylog"])
    assert html.count('class="katex"') == 2 and "then" in html and "$" not in html
