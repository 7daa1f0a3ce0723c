"""Re-indenting nested lists to 4 spaces per level (what Python-Markdown needs), case by case."""

from __future__ import annotations

import pytest

from studylog.authoring.lists import reindent_lists

CASES = {
    "two-space nesting": ("* a\n  * b\n    * c\n  * d\n* e", "* a\n    * b\n        * c\n    * d\n* e"),
    "four-space nesting is kept": ("* a\n    * b\n        * c", "* a\n    * b\n        * c"),
    "ordered lists nest by their text column": ("1. a\n   1. b\n10. c\n    - d", "1. a\n    1. b\n10. c\n    - d"),
    "continuation lines follow their item": (
        "* a\n  * b\n    more b\n  more a",
        "* a\n    * b\n        more b\n    more a",
    ),
    "a lazy line joins the deepest item": ("* a\n  * b\nlazy", "* a\n    * b\n        lazy"),
    "a blank line then the margin ends the list": (
        "* a\n  * b\n\ntext\n  indented",
        "* a\n    * b\n\ntext\n  indented",
    ),
    "a paragraph after a blank line stays in its item": ("* a\n\n  para\n* b", "* a\n\n    para\n* b"),
    "a heading at the margin ends the list": ("* a\n# H\n  x", "* a\n# H\n  x"),
    "a rule is not an item": ("* a\n* * *\n  x", "* a\n* * *\n  x"),
    "fenced code moves as a block, keeping its inner indentation": (
        "* a\n  * b\n    ```python\n    if x:\n        y = 1\n    ```\n  * c",
        "* a\n    * b\n        ```python\n        if x:\n            y = 1\n        ```\n    * c",
    ),
    "a fence at the margin after a blank line is outside the list": (
        "* a\n  * b\n\n```\n  code\n```",
        "* a\n    * b\n\n```\n  code\n```",
    ),
    "tabs in the indentation count as 4 columns": ("* a\n\t* b", "* a\n    * b"),
    "no list, nothing moves": ("text\n  indented\n\n    code-like", "text\n  indented\n\n    code-like"),
}


@pytest.mark.parametrize(("src", "expected"), list(CASES.values()), ids=list(CASES))
def test_reindent_lists(src, expected):
    assert reindent_lists(src) == expected


def test_reindenting_twice_changes_nothing_more():
    once = reindent_lists(CASES["two-space nesting"][0])
    assert reindent_lists(once) == once
