r"""The light view: Material's search and blog plugins read each page without its KaTeX markup.

Server-side KaTeX writes ~5 KB of HTML and MathML per formula (~1 KB of TeX). Material's search
plugin parses every page's HTML, its blog plugin parses every post again to count its words and
converts every post's whole Markdown once more for each listing that shows its excerpt; on a year of
daily logs those parsers took three quarters of a build. This module hands them light pages instead
and leaves the written page as it was:

* **search** (``on_page_context``): just before the search plugin (priority 0) indexes a page, its
  content becomes the light view, where each formula is one run of readable text (``ρₜ = β ρₜ₋₁``)
  followed by its TeX command names (``(rho beta)``, so a search for ``\rho`` still finds it); just
  after, the full HTML is put back for the template. If anything else changed the page in between,
  the build stops with an error rather than write a page without its formulas;
* **read time** (``on_page_content``, before the blog plugin): a post's read time is Material's own
  ``readtime`` over the post without its formulas, i.e. the words a reader reads, not KaTeX's glyphs;
* **excerpts**: a post's excerpt converts only the Markdown up to the excerpt separator
  (``<!-- more -->``) and the link, footnote and abbreviation definitions after it, not the whole post.

It is a MkDocs-side optimisation only: the Markdown extension alone still writes the full page, each
formula wrapped so that a search indexer that honours ``data-search-exclude`` indexes its TeX once
(``searchable_once``). The studylog plugin adds the hooks to a build with `install`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studylog.site.mathtext import readable
from studylog.markup import code_mask

__all__ = ["NAME", "LightView", "cut_excerpt_lines", "cut_excerpts", "formulas", "install", "reading_view", "search_view",
           "without_sheet"]  # fmt: skip

NAME = "studylog/lightview"

# One rendered formula as the Markdown extension writes it (`studylog.site.render.searchable_once`):
# OPEN, the engine's HTML (kept out of search), MIDDLE, its TeX (escaped), END. Found with str.find,
# not a regular expression: a lazy pattern over KaTeX's ~5 KB per formula cost 0.2 s per 300 pages.
OPEN = "<sl-katex data-search-exclude>"
MIDDLE = '</sl-katex><span class="sl-tex" hidden>'
END = "</span>"
SHEET_OPEN, SHEET_END = '<details class="sl-sheet"', "</details>"
# what Material's search plugin strips from a page after indexing it (material/plugins/search/plugin.py)
_SEARCH_ATTRS = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")


def formulas(content: str) -> Iterator[tuple[int, int, int, str]]:
    """``(start, middle, end, escaped TeX)`` of each formula in ``content``: ``content[start:end]`` is the
    whole formula, ``content[start + len(OPEN):middle]`` the engine's HTML."""
    pos = 0
    while (start := content.find(OPEN, pos)) >= 0:
        middle = content.find(MIDDLE, start)
        end = content.find(END, middle + len(MIDDLE)) if middle >= 0 else -1
        if end < 0:
            return  # not studylog's markup after all: leave the rest alone
        yield start, middle, end + len(END), content[middle + len(MIDDLE) : end]
        pos = end + len(END)


def _replace(content: str, text: Callable[[int, int, str], str]) -> str:
    parts: list[str] = []
    pos = 0
    for start, middle, end, tex in formulas(content):
        parts += [content[pos:start], text(start, middle, tex)]
        pos = end
    parts.append(content[pos:])
    return "".join(parts)


def search_view(content: str, memo: dict[str, str] | None = None) -> str:
    r"""``content`` with each formula as readable text and its TeX command names (what search indexes).

    ``memo`` remembers each formula's text by its TeX for the build (a formula recurs across pages).

    Examples:
        >>> formula = '<sl-katex data-search-exclude><code>η</code></sl-katex><span class="sl-tex" hidden>\\eta</span>'
        >>> search_view("<p>rate " + formula + " here</p>")
        '<p>rate \\eta (eta) here</p>'
    """
    content = without_sheet(content)  # excluded from search anyway: its MathML only cost the parser time
    if OPEN not in content:
        return content
    memo = {} if memo is None else memo

    def text(start: int, middle: int, escaped: str) -> str:
        found = memo.get(escaped)
        if found is None:
            rendered = content[start + len(OPEN) : middle]
            found = memo[escaped] = html.escape(readable(rendered, html.unescape(escaped)), quote=False)
        return found

    return _replace(content, text)


def reading_view(content: str) -> str:
    """``content`` without its formulas and formula sheet: the words a reader reads, for the read time."""
    content = without_sheet(content)
    return _replace(content, lambda start, middle, tex: "") if OPEN in content else content


def without_sheet(content: str) -> str:
    """``content`` without the log's formula sheet (`studylog.site.sheet`: one ``<details>``, none inside it)."""
    start = content.find(SHEET_OPEN)
    end = content.find(SHEET_END, start) if start >= 0 else -1
    return content if end < 0 else content[:start] + content[end + len(SHEET_END) :]


# ------------------------------------------------------------------------------------------- excerpts
_DEFINITION = re.compile(r"^ {0,3}\*?\[[^\]]+\]:")  # [link]: url, [^footnote]: text, *[ABBR]: text
#: what follows the separator in a cut excerpt: Material shows "Continue reading" only if something does
MORE = "<!-- studylog: the rest of this post is on its page -->"


def _definitions(lines: list[str]) -> list[str]:
    """The link, footnote and abbreviation definitions among ``lines`` (outside code fences)."""
    out: list[str] = []
    keep = False
    in_code = code_mask(lines)
    for i, line in enumerate(lines):
        if in_code[i]:
            keep = False
            continue
        if _DEFINITION.match(line):
            keep = True
        elif keep and not line.strip():
            # a blank line belongs to a footnote only when an indented continuation follows it
            following = next((x for x in lines[i + 1 :] if x.strip()), "")
            keep = following.startswith(("    ", "\t"))
        elif keep:
            keep = line.startswith((" ", "\t"))  # a definition's continuation lines are indented
        if keep:
            out.append(line)
    return out


def cut_excerpt_lines(lines: list[str], separator: str) -> list[str] | None:
    """The lines an excerpt needs: up to the first ``separator`` line outside code, a marker, and the
    definitions after it. None when no such line exists (the excerpt is then the whole post).

    Examples:
        >>> cut_excerpt_lines(["Intro [a].", "", "<!-- more -->", "", "Body.", "", "[a]: https://x.org"], "<!-- more -->")
        ['Intro [a].', '', '<!-- more -->', '', '<!-- studylog: the rest of this post is on its page -->', '', '[a]: https://x.org']
    """
    in_code = code_mask(lines)
    for i, line in enumerate(lines):
        if in_code[i]:
            continue
        if line.strip() == separator and not line.startswith(("    ", "\t")):
            return [*lines[: i + 1], "", MORE, "", *_definitions(lines[i + 1 :])]
    return None


class ExcerptCut(Preprocessor):
    """First of an excerpt's preprocessors: drop what comes after the excerpt separator."""

    def __init__(self, md: Markdown, separator: str) -> None:
        super().__init__(md)
        self.separator = separator

    def run(self, lines: list[str]) -> list[str]:
        cut = cut_excerpt_lines(lines, self.separator)
        return lines if cut is None else cut


def cut_excerpts(md: Markdown, separator: str) -> None:
    """Make the Markdown instance of a post's excerpt convert only the part before ``separator``."""
    if "studylog_excerpt_cut" not in md.preprocessors:
        md.preprocessors.register(ExcerptCut(md, separator), "studylog_excerpt_cut", 1000)


_HEADING_ID = re.compile(r"<h[1-6][^>]*?\sid=\"([^\"]+)\"")


class ExcerptAnchors(Treeprocessor):
    """Point an excerpt's heading links at the ids its post's headings have.

    The blog plugin renders an excerpt with the post's title put before it as a heading whenever the post
    does not open with its ``<h1>``; ``toc`` then gives a heading of the same slug under it the id ``…_1``,
    and the excerpt's link to it (``post/#…_1``) misses. Run after ``toc`` (5) and before the blog's own
    excerpt processor (0), which turns ``#id`` into ``post/#id``; the excerpt's own ids stay unique.
    """

    def __init__(self, md: Markdown, post_ids: list[str], titled: bool) -> None:
        super().__init__(md)
        self.post_ids, self.titled = post_ids, titled

    def run(self, root: Any) -> None:
        found = [el for el in root.iter() if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]
        for el, anchor in zip(found[0 if self.titled else 1 :], self.post_ids, strict=False):
            for link in el.iter("a"):
                if link.get("href", "").startswith("#"):
                    link.set("href", f"#{anchor}")


def match_excerpt_anchors(md: Markdown, post_html: str) -> None:
    """Register `ExcerptAnchors` on a post's excerpt Markdown, with the ids of the post's rendered headings."""
    titled = post_html.lstrip().startswith("<h1")  # MkDocs takes the title from a first <h1>: nothing is put before
    md.treeprocessors.register(ExcerptAnchors(md, _HEADING_ID.findall(post_html), titled), "studylog_excerpt_ids", 3)


# --------------------------------------------------------------------------------------------- plugin
class LightView(BasePlugin):  # type: ignore[type-arg]
    """The MkDocs hooks of the light view (added to a build by `install`; it has no options)."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._blogs: dict[int, Any] | None = None  # id(post) -> the blog plugin instance that owns it
        self._held: dict[int, tuple[str, str]] = {}  # id(page) -> (full, light) while search reads it
        self._texts: dict[str, str] = {}  # escaped TeX -> its search text, for this build

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._reset()

    def _blog_of(self, page: Page, config: MkDocsConfig) -> Any | None:
        """The blog plugin whose post ``page`` is, or None (not a post, or no blog plugin)."""
        try:
            from material.plugins.blog.plugin import BlogPlugin
        except ImportError:  # pragma: no cover - mkdocs-material is a dependency
            return None
        if self._blogs is None:
            self._blogs = {id(post): plugin for plugin in config.plugins.values()
                           if isinstance(plugin, BlogPlugin) and plugin.config.enabled and hasattr(plugin, "blog")
                           for post in plugin.blog.posts}  # fmt: skip
        return self._blogs.get(id(page))

    @event_priority(50)  # before the blog plugin's (0), which would count KaTeX's glyphs as words
    def on_page_content(self, html_: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        blog = self._blog_of(page, config)
        if blog is None:
            return html_
        if blog.config.post_readtime and not page.config.readtime:  # type: ignore[attr-defined]
            from material.plugins.blog.readtime import readtime

            words_per_minute = blog.config.post_readtime_words_per_minute
            page.config.readtime = readtime(reading_view(html_), words_per_minute)  # type: ignore[attr-defined]
        excerpt = getattr(page, "excerpt", None)
        if excerpt is not None and getattr(excerpt, "md", None) is not None:
            cut_excerpts(excerpt.md, blog.config.post_excerpt_separator)
            match_excerpt_anchors(excerpt.md, html_)
        return html_

    @event_priority(1)  # just before the search plugin (0) reads page.content
    def _light(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        full = page.content
        if full and OPEN in full:
            light = search_view(full, self._texts)
            self._held[id(page)] = (full, light)
            page.content = light
        return context

    @event_priority(-1)  # just after it, before the template writes the page
    def _full(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        held = self._held.pop(id(page), None)
        if held is None:
            return context
        full, light = held
        now = page.content
        if now == light:
            page.content = full
        elif now == _SEARCH_ATTRS.sub("", light):  # the search plugin strips its attributes from the page
            page.content = _SEARCH_ATTRS.sub("", full)
        else:
            raise PluginError(
                f"{page.file.src_uri}: a plugin changed the page while the search index read its light view "
                "(studylog's formulas would be lost); run it outside on_page_context priorities -1..1"
            )
        return context

    on_page_context = CombinedEvent(_light, _full)


def install(config: MkDocsConfig) -> None:
    """Add the light view to this build's plugins (called from the studylog plugin's ``on_config``)."""
    if NAME not in config.plugins:
        config.plugins[NAME] = LightView()
