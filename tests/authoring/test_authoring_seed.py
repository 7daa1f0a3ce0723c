r"""The project's own seed post (day 7, optimization) converts without losing a single formula.

The expected formulas are read off the source with a deliberately simple regex (the seed has no code,
no ``$$``, no escapes and no prices), not with the converter's scanner, and compared as a multiset
with the ``$`…`$`` bodies of the log, also read with a simple regex.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from material.plugins.blog.structure.config import PostConfig
from mkdocs.utils.meta import YAML_RE

from studylog.authoring.convert import convert_post, read_post
from studylog.authoring.errors import FrontMatterError
from studylog.authoring.formulas import list_equations

SEED = "day07-optimization-jekyll.md"
SOURCE_FORMULA = re.compile(r"\$([^$\n]+)\$")
LOG_FORMULA = re.compile(r"\$`([^`\n]+)`\$")


@pytest.fixture
def seed_text(fixtures) -> str:
    return (fixtures / SEED).read_text(encoding="utf-8")


@pytest.fixture
def seed_log(fixtures, tmp_path) -> str:
    """The seed converted under a dated name (the seed's front matter has no date)."""
    dated = tmp_path / "2021-08-10-day07-optimization.md"
    shutil.copy(fixtures / SEED, dated)
    return convert_post(read_post(dated), path=str(dated), stem=dated.stem).markdown


def source_formulas(text: str) -> list[tuple[int, str]]:
    return [(n, m) for n, line in enumerate(text.split("\n"), 1) for m in SOURCE_FORMULA.findall(line)]


def test_the_seed_has_26_inline_formulas_by_a_plain_count(seed_text):
    formulas = [latex for _, latex in source_formulas(seed_text)]
    assert len(formulas) == 26  # by hand: SGD 3, momentum 4, NAG 4, Adagrad 3, Adadelta 4, RMSprop 3, Adam 5
    assert seed_text.count("$") == 2 * 26  # every dollar of the seed is a delimiter


def test_every_formula_of_the_seed_survives_the_conversion(seed_text, seed_log):
    expected = Counter(latex for _, latex in source_formulas(seed_text))
    written = Counter(LOG_FORMULA.findall(seed_log))
    assert written == expected
    assert "$" not in LOG_FORMULA.sub("", seed_log)  # no dollar is left outside a formula


def test_the_seed_log_lists_its_equations_at_the_right_lines(seed_text, seed_log):
    # post: 8 lines of front matter, then a blank line 9; log: 9 lines (date and description in, layout
    # and use_math out, each list on 2 lines), then a blank line 10. Nothing else is added or removed, so
    # post line n is log line n + 1.
    relation = re.compile(r"=|\\leftarrow")
    expected = [(n + 1, latex) for n, latex in source_formulas(seed_text) if relation.search(latex)]
    assert len(expected) == 14
    assert list_equations(seed_log) == expected


def test_the_seed_log_has_front_matter_the_blog_plugin_accepts(seed_log, tmp_path):
    meta = yaml.safe_load(YAML_RE.match(seed_log).group(1))
    assert {k: str(v) for k, v in meta.items()} == {
        "date": "2021-08-10",
        "title": "[Boostcamp AI Tech] 7일차 학습정리",
        "description": "Naver Boostcamp AI Tech Level1 Day7",
        "categories": "['Boostcamp-AI-Tech']",
        "tags": "['2주차']",
    }
    config = PostConfig(str(tmp_path / "post.md"))
    config.load_dict({k: v for k, v in meta.items() if k in config})
    assert config.validate()[0] == []


def test_the_seed_keeps_its_h1_and_everything_but_the_math_delimiters(seed_text, seed_log):
    body = seed_text.split("---\n", 2)[2]
    log_body = seed_log.split("---\n", 2)[2]
    expected = SOURCE_FORMULA.sub(lambda m: f"$`{m.group(1)}`$", body)
    # the two bracketed labels that are no links are escaped (kramdown showed them as text; unescaped,
    # mkdocs-autorefs would take "[필수 과제2]" for a cross-reference); task boxes and links stay
    expected = expected.replace("### [3강]", "### \\[3강\\]").replace("[x] [필수 과제2]", "[x] \\[필수 과제2\\]")
    # lines are compared without their indentation: nested lists move to 4 spaces per level (tested below)
    assert [line.strip() for line in log_body.strip("\n").split("\n")] == [
        line.strip() for line in expected.strip("\n").split("\n")
    ]
    assert "# 부스트캠프 7일차" in log_body


def test_the_seed_itself_has_no_date_and_is_refused(fixtures):
    with pytest.raises(FrontMatterError) as err:
        convert_post(read_post(fixtures / SEED), path=SEED, stem="day07-optimization-jekyll")
    assert str(err.value) == (
        f"{SEED}:1: no date: the front matter has no 'date' and the file name does not start with YYYY-MM-DD-"
    )


class _ListDepths(HTMLParser):
    """The nesting depth (1 = top-level list) of each <li>, keyed by the start of its own text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.open: list[list[str]] = []
        self.depths: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.depth += 1
        elif tag == "li":
            self.open.append([])

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.depth -= 1
        elif tag == "li":
            text = " ".join("".join(self.open.pop()).split())
            self.depths.setdefault(text[:30], self.depth)

    def handle_data(self, data):
        if self.open:
            self.open[-1].append(data)


@pytest.mark.parametrize(
    ("item", "depth"),
    [  # read off the post's indentation: 0, 2, 4 and 6 spaces are depths 1 to 4 in kramdown
        ("8/10 (화)", 1),
        ("[x] DL Basic", 2),
        ("[x] (3강) Optimization", 3),
        ("Gradient Descent Methods", 1),
        ("(Stochastic) gradient descent", 2),
        ("$W_{t+1} \\leftarrow W_t - \\eta", 3),
        ("$\\eta$ : Learning rate", 4),
        ("$\\epsilon$ : 실제로 적용할 때, 입실론 값을 잘", 4),
    ],
)
def test_python_markdown_nests_the_seeds_lists_as_kramdown_did(seed_log, item, depth):
    body = seed_log.split("---\n", 2)[2]
    parser = _ListDepths()
    parser.feed(markdown.markdown(body, extensions=["tables"]))  # $`x`$ reads as $ + code span: fine here
    depths = {text.replace("`", ""): d for text, d in parser.depths.items()}
    found = [d for text, d in depths.items() if text.startswith(item[:20])]
    assert found[:1] == [depth], sorted(depths.items())[:10]
