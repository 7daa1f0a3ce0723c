"""The sanitizer keeps ordinary and KaTeX HTML byte for byte and makes hostile HTML inert."""

from __future__ import annotations

import pytest

from studylog.site.sanitize import sanitize

KEEP = [
    '<p>Text with <a href="../x/#eq-a.b">a link</a> &amp; <code>x &lt; y</code>.</p>',
    '<span class="katex"><span class="strut" style="height:0.8333em;vertical-align:-0.15em;"></span></span>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="400em" height="1.08em" viewBox="0 0 400000 1080" '
    'preserveAspectRatio="xMinYMin slice"><path d="M95,702 c-2.7,0,-7.17,-2.7"></path></svg>',
    '<img alt="fig" src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="https://arxiv.org/abs/1706.03762">paper</a>',
    "<!-- more --><details><summary>s</summary>x</details>",
]


@pytest.mark.parametrize("fragment", KEEP)
def test_ordinary_html_is_kept_verbatim(fragment: str) -> None:
    assert sanitize(fragment) == (fragment, [])


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [('<p>a<script>alert(1)</script>b</p>', "<p>ab</p>"),
     ("<p>a<SCRIPT src=//evil.example/x.js></SCRIPT>b</p>", "<p>ab</p>"),
     ('<img src="x" onerror="alert(1)">', '<img src="x">'),
     ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
     ('<a href=" jav&#x09;ascript:alert(1)">x</a>', "<a>x</a>"),
     ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
     ('<iframe src="https://evil.example"></iframe>ok', "ok"),
     ('<meta http-equiv="refresh" content="0;url=https://evil.example">ok', "ok"),
     ('<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>', "<svg><a>x</a></svg>"),
     ('<div style="background:url(https://evil.example/t.png)">x</div>', "<div>x</div>"),
     ('<style>@import "https://evil.example/x.css";</style>ok', "ok"),
     ('<img src="https://evil.example/t.png" alt="tracker">',
      '<a class="sl-external-media" href="https://evil.example/t.png">tracker (external)</a>'),
     ('<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">b</button></form>',
      "<form><button>b</button></form>")],
)  # fmt: skip
def test_hostile_html_is_made_inert(fragment: str, expected: str) -> None:
    clean, removed = sanitize(fragment)
    assert clean == expected
    assert removed
