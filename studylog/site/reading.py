"""The MkDocs hooks that make the site pleasant to read: light pages, hover previews, the home page.

Added to a build by the studylog plugin (`install`, from its ``on_config``), like the light view:

* ``on_files``: the site's script (``studylog.js``: hover previews, the formula sheet on demand);
* ``on_page_markdown``: the home page's marker becomes the latest logs, the journal and the counts
  (`studylog.site.home`), computed from the build's site model;
* ``on_post_page``: the written page loses the hidden TeX copies (search has read the page by then), its
  data-URI SVG figures become lazily loaded files and its formula sheet a file loaded when opened
  (`studylog.site.lightpage`);
* ``on_post_build``: the search index gets its field of Korean word parts (`studylog.site.searchindex`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from studylog.site.home import MARKER, home_markdown
from studylog.site.lightpage import Figures, Sheets, strip_hidden_tex
from studylog.site.searchindex import add_korean_field
from studylog.site.model import SiteModel

__all__ = ["NAME", "SCRIPT", "Reading", "install"]

NAME = "studylog/reading"
SCRIPT = Path(__file__).with_name("studylog.js")
SCRIPT_URI = f"assets/studylog/{SCRIPT.name}"


class Reading(BasePlugin):  # type: ignore[type-arg]
    """The hooks (added by `install`; no options)."""

    def __init__(self, model: Callable[[], SiteModel]) -> None:
        self.model = model
        self.figures: Figures | None = None
        self.sheets: Sheets | None = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.figures = Figures(Path(config.site_dir))
        self.sheets = Sheets(Path(config.site_dir))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        files.append(File(SCRIPT.name, str(SCRIPT.parent), config.site_dir, config.use_directory_urls, dest_uri=SCRIPT_URI))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if MARKER not in markdown:
            return markdown
        return markdown.replace(MARKER, home_markdown(self.model(), page.file.src_uri), 1)

    @event_priority(-100)  # last: after search (which reads the hidden TeX) and every other plugin
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.figures is None or self.sheets is None:
            self.on_pre_build(config=config)
        assert self.figures is not None and self.sheets is not None
        output = self.sheets.externalize(strip_hidden_tex(output), page.url, page.title or "")
        return self.figures.externalize(output, page.url)

    @event_priority(-100)  # after Material's search plugin wrote its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        add_korean_field(Path(config.site_dir) / "search" / "search_index.json")


def install(config: MkDocsConfig, model: Callable[[], SiteModel]) -> None:
    """Add the hooks to this build and the preview script to every page (from the studylog plugin)."""
    if NAME not in config.plugins:
        config.plugins[NAME] = Reading(model)
    if SCRIPT_URI not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(SCRIPT_URI)  # type: ignore[arg-type]
