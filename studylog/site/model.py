"""The site model: every log's page model, the rendered formulas, the verdicts and the examples' output.

It is assembled once per build, before any page renders (`studylog.site.assemble`), and everything a
page shows comes from it: the Markdown extension only looks records up. Problems are collected here,
each once, with its ``FILE:LINE``; nothing is reported while a page renders.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from studylog.engine.records import Verdict
from studylog.engine.scan import Formula, ScannedLog
from studylog.engine.status import Status
from studylog.errors import StudylogError
from studylog.markup import LogPage
from studylog.runner.protocol import ExampleOutcome
from studylog.site.options import SiteOptions


@dataclass
class PageModel:
    """One log of the docs folder."""

    path: str  # as messages name it: relative to the project root
    src_uri: str  # relative to the docs folder (MkDocs' src_uri)
    log: LogPage
    scanned: ScannedLog
    url: str | None = None  # the page's URL relative to the site root, once the host knows it
    title: str = ""

    @property
    def body_start(self) -> int:
        """Index into the log's lines of the first body line (after front matter and blank lines)."""
        lines = self.log.lines
        i = self.log.front_matter.lines
        while i < len(lines) and not lines[i].strip():
            i += 1
        return i


@dataclass
class ExampleView:
    """An example's outcome as the page shows it."""

    outcome: ExampleOutcome
    from_cache: bool = False


@dataclass
class Stats:
    """What this build did (printed in the build summary)."""

    rendered: int = 0  # formulas the engine rendered (the rest came from the cache)
    executed: int = 0  # examples run
    cached: int = 0  # examples whose output came from the cache
    seconds: float = 0.0


@dataclass
class SiteModel:
    """Everything the site's pages need to know about the logs."""

    root: Path
    docs_dir: Path
    options: SiteOptions
    pages: dict[str, PageModel] = field(default_factory=dict)  # by path
    formulas: dict[str, Formula] = field(default_factory=dict)  # by id
    verdicts: dict[tuple[str, int, str], Verdict] = field(default_factory=dict)  # by (path, line, latex)
    rendered: dict[tuple[str, bool], str] = field(default_factory=dict)  # KaTeX HTML by (tex, display)
    render_errors: dict[tuple[str, bool], str] = field(default_factory=dict)
    examples: dict[tuple[str, int], ExampleView] = field(default_factory=dict)  # by (path, fence line)
    problems: list[StudylogError] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    verified: bool = False  # verification ran (verify: true and nothing stopped it)

    # ------------------------------------------------------------------ lookups
    def page_by_src(self, src_uri: str) -> PageModel | None:
        return next((p for p in self.pages.values() if p.src_uri == src_uri), None)

    def verdict(self, formula: Formula) -> Verdict | None:
        return self.verdicts.get((formula.path, formula.line, formula.latex))

    def verdict_by_id(self, formula_id: str) -> Verdict | None:
        formula = self.formulas.get(formula_id)
        return self.verdict(formula) if formula is not None else None

    def formulas_of(self, path: str) -> list[Formula]:
        page = self.pages.get(path)
        return page.scanned.formulas if page is not None else []

    def problems_of(self, path: str) -> list[StudylogError]:
        """The problems located in the log ``path`` (what its page says at its top)."""
        return [p for p in self.problems if p.path == path]

    def failing_formulas(self) -> list[Formula]:
        """Formulas whose verdict is a failure, in site order."""
        out = []
        for page in self.pages.values():
            for f in page.scanned.formulas:
                v = self.verdict(f)
                if v is not None and v.status.failed:
                    out.append(f)
        return out

    def counts(self) -> dict[Status, int]:
        """How many formulas have each verdict (per formula: two alike on one line count twice)."""
        out: dict[Status, int] = defaultdict(int)
        for page in self.pages.values():
            for f in page.scanned.formulas:
                v = self.verdict(f)
                if v is not None:
                    out[v.status] += 1
        return dict(out)

    def page_url(self, path: str) -> str | None:
        page = self.pages.get(path)
        return page.url if page is not None else None

    def default_url(self, src_uri: str) -> str:
        """The URL MkDocs gives ``src_uri`` by default (directory URLs), for hosts that tell none."""
        stem, _ = posixpath.splitext(src_uri)
        if posixpath.basename(stem) in ("index", "README"):
            stem = posixpath.dirname(stem)
            return f"{stem}/" if stem else ""
        return f"{stem}/"
