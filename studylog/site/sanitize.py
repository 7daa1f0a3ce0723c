r"""Make author HTML inert: an allow-list applied by ammonia (via ``nh3``) on html5ever's HTML5 parser.

Logs are imported from other people's posts, so their raw HTML, and what their executed examples
print, is untrusted. A browser-grade parser sees exactly the elements a browser will build (comment,
CDATA, ``<noscript>`` and foreign-content tricks included), and only what the allow-list names
survives; the output is re-serialized, so it means the same in any normal HTML context.

The policy, for study notes:

* **elements**: text structure, lists, tables, ``details``/``summary``, ``figure``, code, ``kbd``,
  ``sub``/``sup``, ``abbr``, ``mark``, links, images, local ``video``/``audio``, and mkdocs-autorefs'
  ``autoref`` (`TAGS`). Everything that runs, loads, submits or changes how the page is parsed is
  removed *with its content* (`DROP_WITH_CONTENT`: ``script``, ``style``, ``iframe``, ``object``,
  ``svg``, ``math``, ``template``, ``noscript``, ``form`` …); any other element is removed and its
  text kept.
* **attributes**: the global ``id``, ``class``, ``title``, ``lang``, ``dir``, ``hidden``, ``aria-*``
  and a restricted ``style``, plus a few per element (`ATTRS`). No event handler, ``srcset``,
  ``formaction``, ``target`` or ``data-*`` attribute survives.
* **URLs** (``href``, ``src``): relative, ``http``, ``https`` or ``mailto`` (`SCHEMES`);
  ``data:image/…`` only in ``<img src>``. An image, video or audio from another host is replaced by
  a link to it (``a.sl-external-media``): the site loads nothing from third-party hosts.
* **style**: kept only when every declaration is a literal from `STYLE` (``text-align`` as
  Python-Markdown's tables write it, colours, font weight/style, sizes); otherwise the whole attribute
  is removed. There is no ``url()``, escape or comment in what is kept.
* **names studylog and the theme rely on**: ``class`` tokens ``sl-*`` (the verdict marks, formula
  boxes; only ``sl-figure`` is author content) and ``id`` values with the theme's ``__`` prefix
  (Material reads its configuration from ``#__config``) are removed; an ``autoref`` identifier keeps
  only the characters an identifier has (mkdocs-autorefs re-emits it unescaped), and an ``autoref``
  without one gets an empty one (mkdocs-autorefs would raise).
* **comments** are removed, except a block of plain words such as ``<!-- more -->`` in a page.

`sanitize` reports what it removed (for the build's note). `sanitize_markdown` applies it to a page:
the author's raw-HTML blocks are put back where Python-Markdown stashed them, so the HTML is checked
as the browser will parse it, in context, and HTML that studylog made itself (KaTeX, formula links)
is passed through untouched, by value.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import nh3
from markdown.util import HTML_PLACEHOLDER

from studylog.site.keep import protect, restore

# ---------------------------------------------------------------------------------------- the policy
TAGS = frozenset({
    "p", "div", "span", "br", "hr", "wbr", "blockquote", "pre", "code", "kbd", "samp", "var",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "small", "mark", "sub", "sup", "abbr", "dfn",
    "cite", "q", "time", "bdi", "bdo", "ruby", "rt", "rp",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "details", "summary", "figure", "figcaption",
    "a", "img", "video", "audio", "source",
    "autoref",  # mkdocs-autorefs' cross-reference, resolved into a link after the page is rendered
})  # fmt: skip
DROP_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed",
    "applet", "noembed", "noframes", "xmp", "plaintext", "title", "textarea", "select", "form",
    "svg", "math", "base", "link", "meta", "portal", "fencedframe", "dialog",
})  # fmt: skip
GLOBAL_ATTRS = frozenset({"id", "class", "title", "lang", "dir", "hidden", "style"})
ATTR_PREFIXES = ("aria-",)
ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "video": frozenset({"src", "controls", "width", "height", "loop", "muted", "playsinline"}),
    "audio": frozenset({"src", "controls", "loop", "muted"}),
    "source": frozenset({"src", "type"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "scope", "align"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "bdo": frozenset({"dir"}),
    "autoref": frozenset({"identifier", "optional", "hover", "backlink-type", "backlink-anchor"}),
}
SCHEMES = frozenset({"http", "https", "mailto"})
MEDIA = frozenset({"img", "video", "audio", "source"})
AUTHOR_SL_CLASSES = frozenset({"sl-figure", "sl-external-media"})
_NUM = r"-?\d+(?:\.\d+)?"
_LENGTH = rf"(?:0|{_NUM}(?:px|em|rem|ex|ch|%|pt|vw|vh))"
_COLOR = rf"(?:#[0-9a-f]{{3,8}}|[a-z]+|rgba?\(\s*{_NUM}%?(?:\s*,\s*{_NUM}%?){{2,3}}\s*\))"
STYLE: dict[str, str] = {
    "text-align": r"(?:left|right|center|justify|start|end)",
    "vertical-align": rf"(?:top|middle|bottom|baseline|sub|super|text-top|text-bottom|{_LENGTH})",
    "color": _COLOR,
    "background-color": _COLOR,
    "font-weight": r"(?:normal|bold|bolder|lighter|\d{3})",
    "font-style": r"(?:normal|italic|oblique)",
    "text-decoration": r"(?:none|underline|overline|line-through)",
    "width": _LENGTH,
    "height": _LENGTH,
    "max-width": _LENGTH,
}
_STYLE_DECL = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]*?)\s*", re.ASCII | re.IGNORECASE)
_STYLE_VALUE = {name: re.compile(value, re.ASCII | re.IGNORECASE) for name, value in STYLE.items()}
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpe?g|webp|avif|bmp|svg\+xml)[;,]", re.IGNORECASE)
_THEME_ID = re.compile(r"__(?!codelineno-|code_|tabbed_|span-)")  # Material's own ids: __config, __search…
_IDENTIFIER_JUNK = re.compile(r"[^\w.:#/~+\-\[\]]")  # an autoref identifier: dotted paths and anchors
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_STRIP = "".join(map(chr, range(0x21)))  # C0 controls and space, as the URL parser strips them
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
# Python-Markdown's stash placeholders and ours never belong in an attribute value.
_PLACEHOLDER = re.compile("\x02(?:wzxhzdk:\\d+|sl-(?:keep|stash):[0-9a-f]+:\\d+)\x03")
# Python-Markdown's own: in the output of `sanitize` they can only be forged (``&#2;wzxhzdk&#58;0&#3;``),
# and ``raw_html`` would replace them with the raw, uncleaned block.
_MD_PLACEHOLDER = re.compile("\x02(?:wzxhzdk|klzzwxh):\\d+\x03")
_TAG_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_COMMENTISH = re.compile(r"<[!?]|</(?![A-Za-z>])")
_SCHEME_LIKE = re.compile(r"(?<![A-Za-z0-9+.\-\t\n\r])[A-Za-z][A-Za-z0-9+.\-\t\n\r]*:")  # from a run's start only: linear
_REMOTE_MARK = "#sl-remote-"


def url_scheme(url: str) -> str:
    """The scheme a browser reads in ``url`` (lower case), or ``""`` for a relative URL."""
    compact = _TAB_NEWLINE.sub("", url.strip(_STRIP))
    m = _SCHEME.match(compact)
    return m.group(1).lower() if m else ""


def is_remote(url: str) -> bool:
    """Whether ``url`` points to another host (``data:`` and paths on this site do not)."""
    scheme = url_scheme(url)
    if scheme:
        return scheme != "data"
    compact = _TAB_NEWLINE.sub("", url.strip(_STRIP))
    return compact[:2] in ("//", "\\\\", "/\\", "\\/")


def style_is_safe(value: str) -> bool:
    """Whether every declaration of a ``style`` attribute is one of `STYLE` with a literal value."""
    for decl in value.split(";"):
        if not decl.strip():
            continue
        m = _STYLE_DECL.fullmatch(decl)
        if m is None or m.group(1).lower() not in _STYLE_VALUE or not _STYLE_VALUE[m.group(1).lower()].fullmatch(m.group(2)):
            return False
    return True


# ---------------------------------------------------------------------------------------- attributes
@dataclass
class _Attributes:
    """ammonia's attribute callback: the per-value rules, and a record of what they removed.

    The *audit* run lets every attribute name and scheme reach this callback so that it can name what
    it drops; the *enforcing* run gives ammonia the allow-list and schemes itself, and this callback
    applies the same per-value rules on top.
    """

    audit: bool
    removed: list[str] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)  # media URLs from other hosts, in document order

    def drop(self, what: str) -> None:
        self.removed.append(what)

    def __call__(self, tag: str, attr: str, value: str) -> str | None:
        if tag not in TAGS:  # an element removed as a whole (and reported so)
            return None
        if self.audit and not (attr in GLOBAL_ATTRS or attr in ATTRS.get(tag, ()) or attr.startswith(ATTR_PREFIXES)):
            return self.drop(f"{tag} {attr}=")
        if _PLACEHOLDER.search(value):
            self.drop(f"{tag} {attr}= (formula or HTML inside an attribute)")
            value = _PLACEHOLDER.sub("", value)
        if attr in ("href", "src"):
            return self._url(tag, attr, value)
        if attr == "style" and not style_is_safe(value):
            return self.drop(f"{tag} style=")
        if attr == "class":
            tokens = value.split()
            kept = [t for t in tokens if not t.startswith("sl-") or t in AUTHOR_SL_CLASSES]
            if len(kept) != len(tokens):
                self.drop(f"{tag} class=sl-…")
                return " ".join(kept)
        if attr == "id" and _THEME_ID.match(value):
            return self.drop(f"{tag} id=__…")
        if tag == "autoref" and attr in ("identifier", "backlink-anchor") and _IDENTIFIER_JUNK.search(value):
            self.drop(f"autoref {attr}= (characters outside an identifier)")
            return _IDENTIFIER_JUNK.sub("", value)
        return value

    def _url(self, tag: str, attr: str, value: str) -> str | None:
        if value.strip(_STRIP).startswith(_REMOTE_MARK):  # only this callback may write the marker
            return self.drop(f"{tag} {attr}={_REMOTE_MARK}")
        scheme = url_scheme(value)
        if scheme == "data":
            if tag == "img" and attr == "src" and _DATA_IMAGE.match(_TAB_NEWLINE.sub("", value.strip(_STRIP))):
                return value
            return self.drop(f"{tag} {attr}=data:")
        if scheme and scheme not in SCHEMES:
            return self.drop(f"{tag} {attr}={scheme}:")
        if tag in MEDIA and attr == "src" and is_remote(value):
            self.drop(f"{tag} from another host")
            self.remote.append(value)
            return f"{_REMOTE_MARK}{len(self.remote) - 1}"
        return value


def _cleaner(attributes: _Attributes, schemes: Collection[str] = SCHEMES) -> Any:
    common: dict[str, Any] = {
        "tags": set(TAGS),
        "clean_content_tags": set(DROP_WITH_CONTENT),
        "attribute_filter": attributes,
        "strip_comments": True,
        "link_rel": None,
    }
    if attributes.audit:  # every name reaches the callback, which applies the allow-list and names the rest
        return nh3.Cleaner(**common, attributes={}, generic_attribute_prefixes={""}, url_schemes=set(schemes))
    allowed = {tag: set(names) for tag, names in ATTRS.items()} | {"*": set(GLOBAL_ATTRS)}
    return nh3.Cleaner(**common, attributes=allowed, generic_attribute_prefixes=set(ATTR_PREFIXES),
                       url_schemes=set(SCHEMES) | {"data"})  # fmt: skip


# ---------------------------------------------------------------------------------------- remote media
_MEDIA_TAG = re.compile(r"<(/?)(img|video|audio|source)\b([^<>]*)>")
_MARKED_SRC = re.compile(r'\ssrc="' + re.escape(_REMOTE_MARK) + r'(\d+)"')
_ALT = re.compile(r'\salt="([^"]*)"')


# mkdocs-autorefs reads every ``<autoref`` with attributes and fails on one without an identifier
_AUTOREF_WITHOUT_ID = re.compile(r'<autoref(?=\s)(?![^>]*\sidentifier=")')


def _external_link(url: str, label: str) -> str:
    return f'<a class="sl-external-media" href="{html.escape(url, quote=True)}">{html.escape(label)} (external)</a>'


def _link_remote_media(clean: str, urls: list[str]) -> str:
    """Replace each marked image, and each video or audio with a marked source, by a link.

    ``clean`` is html5ever's serialization, where ``<`` and ``>`` occur only as tag delimiters (text and
    attribute values escape them), so these tags are found exactly; the result is cleaned once more.
    """
    spans: list[tuple[int, int, str]] = []
    players: list[list[Any]] = []  # [start, tag, url of the first remote source]
    for m in _MEDIA_TAG.finditer(clean):
        closing, tag, attrs = m.groups()
        mark = _MARKED_SRC.search(attrs)
        url = urls[int(mark.group(1))] if mark and int(mark.group(1)) < len(urls) else None
        if closing:
            if players and players[-1][1] == tag:
                start, _, found = players.pop()
                if found is not None:
                    spans.append((start, m.end(), _external_link(found, tag)))
            continue
        if tag in ("video", "audio"):
            players.append([m.start(), tag, url])
        elif url is not None and players:
            players[-1][2] = players[-1][2] or url
        elif url is not None:
            alt = _ALT.search(attrs)
            spans.append((m.start(), m.end(), _external_link(url, html.unescape(alt.group(1)) if alt else tag)))
    out: list[str] = []
    pos = 0
    for start, end, text in sorted(spans):
        if start < pos:  # inside a player that is replaced as a whole
            continue
        out += [clean[pos:start], text]
        pos = end
    out.append(clean[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------- the API
def sanitize(fragment: str, keep: Collection[str] = ()) -> tuple[str, list[str]]:
    """Return the inert version of an HTML fragment and what was removed (for reporting).

    Each value of ``keep`` (HTML that studylog made itself) found in ``fragment`` is passed through
    as it is where it stands as HTML, and removed where it stands inside an attribute or inside
    removed content. The report names every removed attribute exactly (an audit run sees them all);
    removed elements and comments are named from the tag names in the source, so one written inside
    an attribute value is named too (it over-reports, never under-reports).
    """
    if "<" not in fragment and "\x02" not in fragment:  # text alone: no element, comment or placeholder
        return fragment, []
    protected, kept, nonce = protect(fragment, keep)
    enforce = _Attributes(audit=False)
    clean = _cleaner(enforce).clean(protected)
    removed = _report(protected, clean)
    repaired = _AUTOREF_WITHOUT_ID.sub('<autoref identifier=""', clean)
    if repaired != clean:
        removed.append("autoref without identifier= (given an empty one)")
    if enforce.remote:
        repaired = _link_remote_media(repaired, enforce.remote)
    if repaired != clean:  # our own edits are cleaned too
        clean = _cleaner(_Attributes(audit=False)).clean(repaired)
    if _MD_PLACEHOLDER.search(clean):
        removed.append("Python-Markdown placeholder")
        clean = _MD_PLACEHOLDER.sub("", clean)
    return restore(clean, kept, nonce), list(dict.fromkeys(removed))


def _report(protected: str, clean: str) -> list[str]:
    names = dict.fromkeys(n.lower() for n in _TAG_NAME.findall(protected))
    removed = [f"<{name}>" for name in names if name not in TAGS]
    if _COMMENTISH.search(protected):
        removed.append("<!-- comment -->")
    schemes = {url_scheme(s) for s in _SCHEME_LIKE.findall(html.unescape(protected))}
    audit = _Attributes(audit=True)
    audited = _cleaner(audit, SCHEMES | schemes | {"data", "javascript", "vbscript"}).clean(protected)
    removed += audit.removed
    if audited != clean:  # only if the enforcing run dropped something the audit did not name
        removed.append("HTML outside the allow-list")
    return removed


def _inert_comment(block: str) -> bool:
    """A comment of plain words (``<!-- more -->``): the same comment wherever it stands."""
    return re.fullmatch(r"<!--[^<>!\-]*-->\s*", block) is not None


def sanitize_markdown(md: Any, text: str, trusted: Collection[str]) -> tuple[str, list[str]]:
    """Sanitize a Python-Markdown document before its raw-HTML stash is restored (a postprocessor's job).

    The author's stashed blocks (raw HTML, inline tags stashed one by one, ``md_in_html`` elements) are
    put back in place first, as ``raw_html`` would, so the whole page is parsed once, in context. Blocks
    in ``trusted`` (studylog's own HTML) and plain comments stay stashed for ``raw_html`` to restore;
    trusted values nested in other blocks (a docstring's formulas inside mkdocstrings' HTML) are kept
    by value.
    """
    stash = md.htmlStash
    raw = md.postprocessors["raw_html"]
    pattern = re.compile(f"<p>{HTML_PLACEHOLDER % '([0-9]+)'}</p>|{HTML_PLACEHOLDER % '([0-9]+)'}")
    nonce = secrets.token_hex(8)

    def restore(m: re.Match[str]) -> str:
        key = int(m.group(1) or m.group(2))
        if key >= stash.html_counter:
            return ""
        block = stash.rawHtmlBlocks[key]
        if isinstance(block, str) and (block in trusted or _inert_comment(block)):
            # left for raw_html, behind a marker that no input can forge
            return m.group(0).replace(HTML_PLACEHOLDER % key, f"\x02sl-stash:{nonce}:{key}\x03")
        text_ = raw.stash_to_string(block)
        if m.group(1) is not None and not raw.isblocklevel(text_):
            text_ = f"<p>{text_}</p>"
        return pattern.sub(restore, text_)

    clean, removed = sanitize(pattern.sub(restore, text), keep=trusted)
    return re.sub(f"\x02sl-stash:{nonce}:(\\d+)\x03", lambda m: HTML_PLACEHOLDER % m.group(1), clean), removed

