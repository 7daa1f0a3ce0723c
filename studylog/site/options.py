"""The options of the site integration: ``plugins: - studylog: …`` in ``mkdocs.yml``, or the extension's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studylog.site.headings import Slug, default_slug


@dataclass(frozen=True, kw_only=True)
class SiteOptions:
    """How the site renders and checks the logs (paths are absolute)."""

    engine: str = "katex"  # katex | markdown-katex | none
    cache_dir: Path | None = None  # rendered formulas
    examples_cache_dir: Path | None = None  # executed examples' output
    cache_max_mb: float = 256.0  # each cache keeps its most recently used entries under this size
    verify: bool = True
    example_timeout: float | None = 60.0
    fail_on_imported: bool = False  # imported formulas not yet linked fail a strict build
    repo_url: str | None = None
    branch: str = "main"
    macros: dict[str, str] = field(default_factory=dict)
    autorefs: bool = False  # links are <autoref> elements resolved by mkdocs-autorefs (MkDocs); else plain hrefs
    heading_slug: Slug = default_slug  # toc's slugify and separator as mkdocs.yml configures them
