"""An HTML block a post never closes must not swallow the rest of the post (seen in a real blog: a
``<p class="message">`` typed where ``</p>`` was meant, after which every heading showed as ``####`` text).

The oracle is Python-Markdown itself: the post's body converted as it was shows no heading after the
typo; the imported log's body shows every heading, and the importer says what it closed, at the line.
"""

from __future__ import annotations

import re

import markdown

from studylog.authoring.convert import convert_post
from studylog.authoring.notes import NoteKind

POST = """---
title: 명사 온톨로지
date: 2017-05-16
---
#### 자연현상

<p class="message">
누기(漏氣), 독기(毒氣)
<p class="message">



물관련현상

<p class="message">
격랑(激浪), 급류(急流)
</p>

#### 인간관련현상

<p>never closed
still the same paragraph

#### 소리

<hr>

<div class="box"><div>inner</div></div>

## 끝

<div class="open">
text
"""


def _headings(body: str) -> list[str]:
    html = markdown.markdown(body, extensions=["md_in_html"])
    return re.findall(r"<h[1-6]>([^<]*)</h[1-6]>", html)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def test_a_p_opened_again_is_closed_as_browsers_do_and_the_headings_after_it_are_headings() -> None:
    assert _headings(_body(POST)) == ["자연현상"]  # as it was: the rest of the post is one raw HTML block
    post = convert_post(POST, path="post.md", stem="2017-05-16-noun")
    body = _body(post.markdown)
    assert _headings(body) == ["자연현상", "인간관련현상", "소리", "끝"]
    assert '</p><p class="message">' in body and "still the same paragraph\n</p>\n" in body
    unclosed = [(n.line, n.message.split(":")[0]) for n in post.notes if n.kind is NoteKind.UNCLOSED_HTML]
    assert unclosed == [
        (9, "<p> opened inside the open <p> of line 7"),  # the typo's own line in the post
        (15, "<p> opened inside the open <p> of line 9"),  # as a browser reads it: the typo opened a <p>
        (21, "<p> never closed"),
        (32, "<div> never closed"),  # named, not guessed: where a <div> ends is the author's call
    ]
    assert post.markdown.count("<div") == POST.count("<div")  # nothing else touched


def test_closed_blocks_and_void_elements_get_no_note() -> None:
    post = convert_post("---\ndate: 2021-08-10\n---\n<hr>\n\n<div><div>a</div>\n</div>\n\n<p>x</p>\n\n## h\n",
                        path="p.md", stem="2021-08-10-x")  # fmt: skip
    assert [n for n in post.notes if n.kind is NoteKind.UNCLOSED_HTML] == []
    assert _headings(_body(post.markdown)) == ["h"]
