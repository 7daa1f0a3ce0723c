r"""Light pages: formulas as MathML only, figures as separate SVG files, no hidden copy of the TeX.

Measured on the Day-7 log (91 display and 234 inline formulas, 8 figures), a page was 1.5 MB: 720 KB
of base64 SVG figures, 490 KB of KaTeX's HTML layout, 94 KB of KaTeX's MathML and 18 KB of hidden TeX.
This module takes the weight off in three ways:

* **MathML only** (`mathml_only`): KaTeX writes each formula twice, as HTML spans positioned with its
  own fonts and as MathML for assistive technology. Every current browser lays MathML out itself
  (Chromium since 109, Firefox, Safari), so the page keeps KaTeX's MathML, which is both what is
  seen and what a screen reader reads, and drops the HTML copy: 5–10 times fewer bytes and DOM nodes.
  KaTeX's TeX annotation goes too: nothing on the page reads it.
* **Figures as files** (`Figures`): an SVG figure that an example printed as a data URI is written to
  ``assets/figures/<content hash>.svg`` (same bytes, same name, every build: cacheable for ever) and
  the ``<img>`` points at it with ``loading="lazy"``, its size (no layout shift) and a link that opens
  it full size. Only an SVG that cannot act when opened on its own is moved: no scripts, event
  handlers, foreign objects, animations, links or references outside the file (`inert_svg`);
  anything else keeps its data URI, which an ``<img>`` never runs.
* **The formula sheet on demand** (`Sheets`): a log's formula sheet (`studylog.site.sheet`) repeats
  every numbered formula; its table moves to ``assets/sheets/<content hash>.html`` and is fetched the
  first time a reader opens the sheet (a plain link to the file where scripts do not run), so the
  page does not parse a second copy of its formulas to become ready.
* **No hidden TeX** (`strip_hidden_tex`): the ``<span class="sl-tex" hidden>`` copy of each formula
  exists for the search index, which reads the page before it is written (MkDocs' ``on_page_context``);
  the written page does not need it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FIGURES_DIR", "SHEETS_DIR", "Figures", "Sheets", "inert_svg", "mathml_only", "strip_hidden_tex", "svg_size"]

FIGURES_DIR = "assets/figures"
SHEETS_DIR = "assets/sheets"

_MATH = re.compile(r"<math\b.*</math>", re.S)
_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">[^<]*</annotation>')
_XMLNS = ' xmlns="http://www.w3.org/1998/Math/MathML"'  # implied by HTML's parser for <math>


def mathml_only(rendered: str) -> str:
    """KaTeX's output without its HTML layout: ``<span class="katex"><math …>…</math></span>``.

    The MathML loses its TeX annotation too (the search index reads the TeX beside it, and the page
    shows none) and the wrappers that then hold a single child (`_slim`). Display formulas keep KaTeX's ``katex-display`` wrapper (and ``display="block"``). Output that is
    not KaTeX's (the ``none`` engine's ``<pre>``) is returned as it is.

    >>> mathml_only('<span class="katex"><span class="katex-mathml"><math><mi>x</mi></math></span>'
    ...             '<span class="katex-html" aria-hidden="true"><span class="mord">x</span></span></span>')
    '<span class="katex"><math><mi>x</mi></math></span>'
    """
    if 'class="katex-html"' not in rendered:
        return rendered
    m = _MATH.search(rendered)
    if m is None:
        return rendered
    inner = f'<span class="katex">{_slim(_ANNOTATION.sub("", m.group(0)))}</span>'
    return f'<span class="katex-display">{inner}</span>' if rendered.startswith('<span class="katex-display">') else inner



_LEAF_IN_ROW = re.compile(r"<mrow><(mi|mn|mtext)((?: [^<>]*)?)>([^<]*)</\1></mrow>")
_UPRIGHT_WORD = re.compile(r'<mrow>((?:<mi mathvariant="normal">[^<]</mi>){2,})</mrow>')  # \mathrm{gap}


def _slim(math: str) -> str:
    r"""Fewer elements, the same layout: ``<semantics>`` left holding one child (its TeX annotation
    gone) is unwrapped, and so is an ``<mrow>`` around a single identifier, number or text; an upright
    word KaTeX writes letter by letter (``\mathrm{gap}``) becomes one ``<mi>``, upright as every
    identifier of more than one letter is."""
    if "<semantics>" in math and "<annotation" not in math:
        math = math.replace("<semantics>", "", 1).replace("</semantics>", "", 1)
    math = _UPRIGHT_WORD.sub(lambda m: "<mi>" + re.sub(r"<[^>]+>", "", m.group(1)) + "</mi>", math)
    return _LEAF_IN_ROW.sub(r"<\1\2>\3</\1>", math)


def inline_math(light: str) -> str:
    """A display formula of `mathml_only` laid out inline (compact fractions), for the formula sheet."""
    m = _MATH.search(light)
    if m is None:
        return light
    math = _ANNOTATION.sub("", m.group(0).replace(' display="block"', "", 1).replace(_XMLNS, "", 1))
    math = _TEXT_ANNOTATION.sub(r"\1", math)  # the sheet is no search text: no readable-text annotation
    return f'<span class="katex">{math}</span>'



_HIDDEN_TEX = re.compile(r'<span class="sl-tex" hidden>[^<]*</span>')
_TEXT_ANNOTATION = re.compile(r'<semantics>((?:(?!<semantics>).)*?)<annotation encoding="text/plain">[^<]*</annotation></semantics>', re.S)


def strip_hidden_tex(page_html: str) -> str:
    """The written page without what only the search index read: the hidden TeX copies and the
    readable-text annotations of the formulas (`studylog.site.mathtext.annotate`; never displayed)."""
    return _TEXT_ANNOTATION.sub(r"\1", _HIDDEN_TEX.sub("", page_html))


# ----------------------------------------------------------------------------------------- figures
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r'\ssrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"', re.I)
_FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "a", "feimage", "animate",
              "animatemotion", "animatetransform", "animatecolor", "set", "handler", "listener", "discard"}  # fmt: skip
_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")  # matplotlib's imshow
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.I)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(pt|px)?\s*$")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _no_foreign_url(value: str) -> bool:
    """Every ``url(…)`` in ``value`` points inside the document (``url(#clip)``)."""
    return value.lower().count("url(") == len(_LOCAL_URL.findall(value))


def inert_svg(svg: bytes) -> bool:
    """Whether the SVG can be served as a file: opened on its own it runs, loads and links nothing.

    >>> inert_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')
    True
    >>> inert_svg(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    False
    """
    if b"<!ENTITY" in svg or b"<?xml-stylesheet" in svg:
        return False
    try:
        root = ET.fromstring(svg)  # noqa: S314 - no entities (checked above); expat bounds the rest
    except ET.ParseError:
        return False
    if _local(root.tag) != "svg":
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) in _FORBIDDEN:
            return False
        if _local(element.tag) == "style" and ("@import" in (element.text or "").lower() or not _no_foreign_url(element.text or "")):
            return False
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on") or local in ("src", "srcset", "formaction", "action"):
                return False
            if local == "href" and not (value.startswith("#") or (_local(element.tag) == "image" and _RASTER.match(value))):
                return False
            if not _no_foreign_url(value):
                return False
    return True


def svg_size(svg: bytes) -> tuple[int, int] | None:
    """The SVG's width and height in CSS pixels (from its ``width``/``height`` in pt or px), if it says."""
    try:
        root = ET.fromstring(svg)  # noqa: S314 - only called on SVGs that passed `inert_svg`
    except ET.ParseError:
        return None
    size = []
    for key in ("width", "height"):
        m = _LENGTH.match(root.get(key, ""))
        if m is None:
            return None
        value = float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1)
        size.append(round(value))
    return size[0], size[1]


def relative(target: str, page_url: str) -> str:
    """Site-relative ``target`` as seen from the page at ``page_url`` (directory or file URL)."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    return posixpath.relpath(target, base.rstrip("/") or ".")


@dataclass
class Figures:
    """The figure files of one build, written under ``site_dir/assets/figures``."""

    site_dir: Path
    written: dict[str, int] = field(default_factory=dict)  # file name -> bytes

    def externalize(self, page_html: str, page_url: str) -> str:
        """``page_html`` with each inert data-URI SVG ``<img>`` pointing at its file (written once)."""
        if "data:image/svg+xml;base64," not in page_html:
            return page_html
        parts: list[str] = []
        pos = 0
        for m in _IMG.finditer(page_html):
            tag = m.group(0)
            src = _SRC.search(tag)
            if src is None:
                continue
            try:
                svg = base64.b64decode("".join(src.group(1).split()), validate=True)
            except (binascii.Error, ValueError):
                continue
            if not inert_svg(svg):
                continue
            name = self._write(svg)
            url = html.escape(relative(f"{FIGURES_DIR}/{name}", page_url), quote=True)
            new = tag[: src.start()] + f' src="{url}"' + tag[src.end() :]
            extra = ' loading="lazy" decoding="async"'
            size = svg_size(svg)
            if size is not None and " width=" not in tag and " height=" not in tag:
                extra += f' width="{size[0]}" height="{size[1]}"'
            new = new[:-1].rstrip("/").rstrip() + extra + ">"
            if page_html.endswith('<figure class="sl-figure">', 0, m.start()):
                new = f'<a class="sl-figure-open" href="{url}" title="Open the figure full size">{new}</a>'
            parts += [page_html[pos : m.start()], new]
            pos = m.end()
        parts.append(page_html[pos:])
        return "".join(parts)

    def _write(self, svg: bytes) -> str:
        name = hashlib.sha256(svg).hexdigest()[:20] + ".svg"
        if name not in self.written:
            path = self.site_dir / FIGURES_DIR / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != svg:
                path.write_bytes(svg)
            self.written[name] = len(svg)
        return name


_SHEET = re.compile(r'<details class="sl-sheet"[^>]*>(<summary>.*?</summary>)(.*?)</details>', re.S)
SHEET_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head><body>
{body}
</body></html>
"""


@dataclass
class Sheets:
    """The formula sheets of one build, written under ``site_dir/assets/sheets``."""

    site_dir: Path
    written: dict[str, int] = field(default_factory=dict)

    def externalize(self, page_html: str, page_url: str, title: str = "") -> str:
        """``page_html`` with its formula sheet's table in a file, loaded when the sheet is opened."""
        m = _SHEET.search(page_html)
        if m is None:
            return page_html
        back = relative(page_url or ".", SHEETS_DIR + "/") if page_url else "../../"
        back = back if back.endswith("/") or not page_url.endswith("/") else back + "/"
        body = m.group(2).replace('href="#', f'href="{html.escape(back, quote=True)}#')
        data = SHEET_PAGE.format(title=html.escape(f"Formula sheet — {title}" if title else "Formula sheet"), body=body)
        raw = data.encode("utf-8")
        name = hashlib.sha256(raw).hexdigest()[:20] + ".html"
        if name not in self.written:
            path = self.site_dir / SHEETS_DIR / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != raw:
                path.write_bytes(raw)
            self.written[name] = len(raw)
        url = html.escape(relative(f"{SHEETS_DIR}/{name}", page_url), quote=True)
        stub = (f'<details class="sl-sheet" data-src="{url}">{m.group(1)}<p class="sl-sheet-load">'
                f'<a href="{url}">Open the formula sheet</a></p></details>')  # fmt: skip
        return page_html[: m.start()] + stub + page_html[m.end() :]
