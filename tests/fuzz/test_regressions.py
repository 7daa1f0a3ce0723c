"""What the fuzzer found, kept as ordinary tests: each input once gave a traceback, a hang or a wrong page."""

from __future__ import annotations

import pytest

from studylog.errors import MarkupError
from studylog.markup import escape_meta, parse_log

PATH = "docs/blog/posts/fuzz.md"
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "\n".join(
    f"{k}: &{k} [{', '.join(['*' + p] * 10)}]" for p, k in zip("abcdefg", "bcdefgh")
)


@pytest.mark.parametrize(
    ("yaml", "line", "message"),
    [("x: &a [1, *a]", 2, "'x' contains itself (a YAML alias inside its own anchor)"),
     ("title: t\na: &x {b: [*x]}", 3, "'a' contains itself"),
     (BILLION_LAUGHS, 6, "'e' expands to more than 100,000 values (YAML aliases repeated)"),
     ("x: " + "[" * 3000 + "]" * 3000, 2, "the front matter is not valid YAML")],
)  # fmt: skip
def test_front_matter_that_refers_to_itself_or_explodes_is_an_error_at_its_key(yaml: str, line: int, message: str) -> None:
    with pytest.raises(MarkupError) as caught:
        parse_log(f"---\n{yaml}\n---\n# T\n", PATH)
    assert caught.value.path == PATH and caught.value.line == line and message in caught.value.message


def test_aliases_shared_without_a_cycle_are_read_and_escaped() -> None:
    page = parse_log("---\nx: &a ['<b>', 2]\ny: [*a, *a]\n---\n", PATH)
    meta = escape_meta(dict(page.front_matter.data))
    assert meta["y"] == [[meta["x"][0], 2], [meta["x"][0], 2]] and str(meta["x"][0]) == "&lt;b&gt;"
