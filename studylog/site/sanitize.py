"""Make the HTML that a log's Markdown produces inert: nothing in a log may run, navigate or fetch.

Logs are imported from other people's posts, so raw HTML in them is untrusted. This pass keeps the
HTML byte for byte except for what could act on its own when the page is viewed:

* elements that run or load things are removed with their content: ``script``, ``style``, ``iframe``,
  ``frame``, ``frameset``, ``object``, ``embed``, ``applet``, ``base``, ``meta``, ``link``, ``template``,
  ``noscript``;
* event-handler attributes (``onerror=`` …), ``srcdoc`` and style attributes that load URLs are dropped;
* URL attributes with ``javascript:``, ``vbscript:`` or ``data:`` (except images in ``<img src>``) are
  dropped;
* an image, video or audio from another host is replaced by a link to it (the site loads nothing from
  third-party hosts when it is viewed).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

DROP_WITH_CONTENT = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
                     "noscript", "noembed", "noframes"}  # fmt: skip
DROP_TAG = {"base", "meta", "link"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "background", "cite", "data", "xlink:href",
             "srcset", "ping", "longdesc", "usemap", "manifest", "codebase", "dynsrc", "lowsrc"}  # fmt: skip
LOADING_TAGS = {"img", "video", "audio", "source", "track", "input", "image"}
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpe?g|webp|svg\+xml)[;,]")
_STYLE_LOADS = re.compile(r"url\s*\(|@import|expression\s*\(|behavior\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _scheme(value: str) -> str:
    compact = _CONTROL.sub("", html.unescape(value)).lower()
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", compact)
    return m.group(1) if m else ""


def _is_remote(value: str) -> bool:
    compact = _CONTROL.sub("", value).lower()
    return compact.startswith(("http:", "https:", "//", "ftp:"))


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.skip: list[str] = []  # open elements being dropped with their content
        self.removed: list[str] = []

    # ---------------------------------------------------------------- tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "", closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "", closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], raw: str, *, closed: bool) -> None:
        if self.skip:
            if tag == self.skip[-1] and not closed:
                self.skip.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self.removed.append(f"<{tag}>")
            if not closed:
                self.skip.append(tag)
            return
        if tag in DROP_TAG:
            self.removed.append(f"<{tag}>")
            return
        kept: list[tuple[str, str | None]] = []
        changed = False
        remote: str | None = None
        for name, value in attrs:
            lname = name.lower()
            if lname.startswith("on") or lname == "srcdoc" or lname == "formaction":
                changed = True
                self.removed.append(f"{tag} {lname}=")
                continue
            if lname == "style" and value and _STYLE_LOADS.search(value):
                changed = True
                self.removed.append(f"{tag} style=")
                continue
            if value is not None and (lname in URL_ATTRS or lname.endswith(":href")):
                scheme = _scheme(value)
                if scheme in ("javascript", "vbscript", "livescript", "mocha", "file") or (
                    scheme == "data" and not (tag == "img" and lname == "src" and _SAFE_DATA_IMAGE.match(value.strip()))
                ):
                    changed = True
                    self.removed.append(f"{tag} {lname}={scheme}:")
                    continue
                if tag in LOADING_TAGS and lname in ("src", "srcset", "poster", "data") and _is_remote(value):
                    remote = value if lname != "srcset" else value.split()[0]
                    changed = True
                    continue
            kept.append((name, value))
        if remote is not None and tag in ("img", "image", "video", "audio", "source", "track", "input"):
            alt = dict(attrs).get("alt") or "external media"
            self.removed.append(f"{tag} from another host")
            self.out.append(f'<a class="sl-external-media" href="{html.escape(remote, quote=True)}">'
                            f"{html.escape(alt)} (external)</a>")  # fmt: skip
            return
        if not changed:
            self.out.append(raw)
            return
        rendered = "".join(f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in kept)
        self.out.append(f"<{tag}{rendered}{' /' if closed else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            return
        if tag in DROP_WITH_CONTENT or tag in DROP_TAG:
            return
        self.out.append(f"</{tag}>")

    # ---------------------------------------------------------------- everything else: verbatim
    def _keep(self, text: str) -> None:
        if not self.skip:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._keep(data)

    def handle_entityref(self, name: str) -> None:
        self._keep(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._keep(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._keep(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._keep(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._keep(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._keep(f"<![{data}]>")


def sanitize(fragment: str) -> tuple[str, list[str]]:
    """Return the inert version of an HTML fragment and what was removed (for reporting)."""
    parser = _Sanitizer()
    parser.feed(fragment)
    parser.close()
    rest = parser.rawdata if hasattr(parser, "rawdata") else ""
    return "".join(parser.out) + (html.escape(rest) if rest and not parser.skip else ""), parser.removed
