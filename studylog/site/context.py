"""What the Markdown extension renders from: the site model, how links are written, the current page.

Under MkDocs the plugin builds one `RenderContext` per build and tells it which page renders; used on
its own (Zensical, ProperDocs without the plugin, a script) the extension builds it itself
(`studylog.site.standalone`). Either way a page is found in the model by its lines, not re-read.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from studylog.engine.records import Verdict
from studylog.engine.scan import Formula
from studylog.site.katex import MathRenderer
from studylog.site.model import PageModel, SiteModel
from studylog.site.render import Links


def normalized(line: str, tab_length: int = 4) -> str:
    """A line as Python-Markdown hands it to preprocessors (its stash markers STX and ETX removed, tabs
    expanded, blank lines emptied)."""
    line = line.replace("\x02", "").replace("\x03", "").expandtabs(tab_length)
    return "" if not line.strip() else line


@dataclass
class RenderContext:
    """One build's rendering knowledge."""

    model: SiteModel
    renderer: MathRenderer
    links: Links
    md_setup: tuple[list[Any], dict[str, Any]] | None = None  # the host's Markdown extensions (for example output)
    current: str | None = None  # path of the page being rendered, when the host says
    current_url: str | None = None
    trusted: dict[str, None] = field(default_factory=dict)  # HTML studylog made or cleaned, by value, in order
    notes: list[str] = field(default_factory=list)
    formatted: dict[tuple[str, int], str] = field(default_factory=dict)  # example HTML of this build
    _inline: dict[str, dict[tuple[int, int], Formula]] = field(default_factory=dict)
    _by_first_line: dict[str, list[PageModel]] | None = None

    # ------------------------------------------------------------------ finding the page
    def locate(self, lines: list[str]) -> tuple[PageModel, int] | None:
        """The page whose body these Markdown lines are (whole, or a leading part such as an excerpt),
        with the index of the log's line the first of them is."""
        given = [normalized(x) for x in lines]
        while given and not given[-1]:
            given.pop()
        lead = next(k for k, g in enumerate(given + ["-"]) if g)  # blank lines a host left at the top
        if lead == len(given):
            return None
        hinted = self.model.pages.get(self.current or "")
        if hinted is not None and (start := self._match(hinted, given, lead)) is not None:
            return hinted, start
        for page in self._candidates(given[lead]):
            if page is not hinted and (start := self._match(page, given, lead)) is not None:
                return page, start
        return None

    def _candidates(self, first: str) -> list[PageModel]:
        if self._by_first_line is None:
            self._by_first_line = {}
            for page in self.model.pages.values():
                lines = page.log.lines
                for start in body_starts(page):
                    pages = self._by_first_line.setdefault(normalized(lines[start]), [])
                    if page not in pages:
                        pages.append(page)
        return self._by_first_line.get(first, [])

    @staticmethod
    def _match(page: PageModel, given: list[str], lead: int) -> int | None:
        """The index of the log's line ``given[0]`` is, when ``given[lead:]`` starts where a body may start."""
        src = page.log.lines
        for start in body_starts(page):
            first = start - lead
            if first >= 0 and first + len(given) <= len(src) and all(
                normalized(src[first + k]) == g for k, g in enumerate(given)
            ):
                return first
        return None

    # ------------------------------------------------------------------ records of a page
    def inline_formula(self, page: PageModel, line: int, start: int) -> Formula | None:
        table = self._inline.get(page.path)
        if table is None:
            inline = [f for f in page.scanned.formulas if not f.display]
            table = {(s.line, s.start): f for s, f in zip(page.log.inline, inline, strict=True)}
            self._inline[page.path] = table
        return table.get((line, start))

    def verdict(self, formula: Formula) -> Verdict | None:
        return self.model.verdict(formula)

    def formula_href(self, formula: Formula, here: PageModel | None) -> str:
        """A plain link to a formula from the page rendering now (when no autorefs resolves links)."""
        anchor = f"#eq-{formula.id}"
        target = self.model.pages.get(formula.path)
        if target is None or (here is not None and here.path == target.path):
            return anchor
        target_url = target.url if target.url is not None else self.model.default_url(target.src_uri)
        here_url = self.current_url if self.current_url is not None else (
            here.url if here is not None and here.url is not None else self.model.default_url(here.src_uri) if here else ""
        )  # fmt: skip
        return relative_url(target_url, here_url) + anchor

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def body_starts(page: PageModel) -> list[int]:
    """Where a host may say the body of a log starts, most likely first (indices into its lines).

    After the front matter, as studylog reads it; at the top, for a host that keeps a front matter it
    does not take for one (MkDocs, when the YAML is empty or not a mapping); and after each leading
    ``key: value`` line of the first paragraph, which MkDocs takes for MultiMarkdown metadata when the
    log has no ``---`` block. Only the given lines matching the log from there decide.
    """
    lines = page.log.lines
    starts = [page.body_start, 0]
    i = page.body_start
    while i < len(lines) and lines[i].strip():
        i += 1
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        starts.append(j)
    return [s for k, s in enumerate(starts) if s < len(lines) and s not in starts[:k]]


def relative_url(target: str, here: str) -> str:
    """``target`` page URL relative to the page URL ``here`` (both site-relative, directory style)."""
    base = posixpath.dirname(here) if not here.endswith("/") and here else here.rstrip("/")
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
