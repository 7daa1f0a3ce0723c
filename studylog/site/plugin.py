"""The MkDocs plugin: thin hooks that hand the build to the site model and report what it found.

Each job lives in a module named for it: the model is assembled by `assemble` (rendering, the worker's
verdicts and example outputs), pages are rendered by the Markdown extension, `assets` adds KaTeX's
CSS and fonts, `journal` the calendar/week/concept pages, `backlinks` the autorefs anchors and API
back-links, `export` formulas.json, `report` the terminal's progress and summary.

Problems are logged as warnings with ``FILE:LINE`` (fatal with ``--strict``), and with ``--strict``
the build also fails by itself at the end — MkDocs counts only warnings that reach its logger, which
``-q`` silences. Under ``mkdocs serve`` the implementation packages are watched, and verdicts and
example outputs come from a worker interpreter that is replaced whenever code it loaded changes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from studylog.engine.verify import load_config
from studylog.errors import StudylogError
from studylog.markup import escape_meta
from studylog.runner.pool import Runner
from studylog.site import apidocs, assets, backlinks, journal, lightview, posts, reading, report
from studylog.site.assemble import SiteError, assemble, read_pages
from studylog.site.context import RenderContext
from studylog.site.extension import StudylogExtension
from studylog.site.headings import config_slug
from studylog.site.katex import ENGINES, MathRenderer
from studylog.site.model import PageModel, SiteModel
from studylog.site.options import SiteOptions
from studylog.site.render import Links

log = logging.getLogger("mkdocs.plugins.studylog")
_EXTENSION_NAMES = ("studylog", "studylog.site.extension")


class StudylogConfig(Config):
    engine = opt.Choice(ENGINES, default="katex")
    cache_dir = opt.Type(str, default=".studylog-cache/katex")
    examples_cache_dir = opt.Type(str, default=".studylog-cache/examples")
    cache_max_mb = opt.Type((int, float), default=256)
    verify = opt.Type(bool, default=True)
    fail_on_imported = opt.Type(bool, default=False)
    export = opt.Type(str, default="formulas.json")
    macros = opt.Type(dict, default={})
    example_timeout = opt.Type((int, float), default=60)


class StudylogPlugin(BasePlugin[StudylogConfig]):
    """``plugins: - studylog``."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.root = Path.cwd()
        self.options = SiteOptions()
        self.runner: Runner | None = None  # kept across serve rebuilds: reused only while fresh
        self.serving = False
        self.context: RenderContext | None = None
        self.extension: StudylogExtension | None = None
        self.previous_failures: set[str] | None = None
        self.journal: dict[str, str] = {}
        self.strict = False

    # ------------------------------------------------------------------ lifecycle
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None

    @event_priority(50)  # early: the extension must be in markdown_extensions before mkdocstrings copies them
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent.resolve() if config.config_file_path else Path.cwd()
        self.strict = bool(config.strict)
        m = re.match(r"(?:edit|blob)/([^/]+)/", config.edit_uri or "")
        c = self.config
        self.options = SiteOptions(
            engine=c.engine, verify=c.verify, fail_on_imported=c.fail_on_imported, macros=dict(c.macros),
            cache_dir=self.root / c.cache_dir if c.cache_dir else None,
            examples_cache_dir=self.root / c.examples_cache_dir if c.examples_cache_dir else None,
            cache_max_mb=float(c.cache_max_mb), example_timeout=float(c.example_timeout) or None,
            repo_url=config.repo_url or None, branch=m.group(1) if m else "main", autorefs="autorefs" in config.plugins,
            heading_slug=config_slug(config.mdx_configs),
        )  # fmt: skip
        project = load_config(self.root)
        if self.runner is None or self.runner.packages != project.implementations:
            if self.runner is not None:
                self.runner.close()
            self.runner = Runner(self.root, project.implementations)
        renderer = MathRenderer(self.options.engine, self.root, self.options.cache_dir, self.options.macros)
        links = Links(autorefs=self.options.autorefs, repo_url=self.options.repo_url, branch=self.options.branch)
        model = SiteModel(self.root, Path(config.docs_dir).resolve(), self.options)
        fatal = read_pages(self.root, model.docs_dir, model)  # front matter: every build stops on it, first
        for page in model.pages.values():
            if page.src_uri.startswith("blog/posts/"):  # what the blog plugin would stop on, with its line
                fatal += posts.post_problems(page.log)
        if fatal:
            raise PluginError("\n".join(str(p) for p in fatal))
        setup = ([e for e in config.markdown_extensions if not isinstance(e, StudylogExtension) and e not in _EXTENSION_NAMES],
                 dict(config.mdx_configs))  # fmt: skip
        self.context = RenderContext(model, renderer, links, md_setup=setup)
        self.extension = StudylogExtension(context=self.context)
        # `markdown_extensions: - studylog` is there for hosts without plugins (Zensical); here this
        # plugin's instance, which shares the build's model, takes its place
        config.markdown_extensions[:] = [e for e in config.markdown_extensions if e not in _EXTENSION_NAMES]
        for name in _EXTENSION_NAMES:
            config.mdx_configs.pop(name, None)
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        try:
            self.journal = self._journal(config, model)
        except StudylogError as exc:
            raise PluginError(str(exc)) from None
        lightview.install(config)  # Material's search and the blog read pages without KaTeX's markup
        reading.install(config, lambda: self._context().model)  # light pages, previews, the home page
        for sheet in reversed(assets.stylesheets(self.options.engine)):
            config.extra_css.insert(0, sheet) if "katex" in sheet else config.extra_css.append(sheet)
        return config

    def _journal(self, config: MkDocsConfig, model: SiteModel) -> dict[str, str]:
        """The calendar, week and concept pages, put in the nav under "Journal"."""
        entries = [e for p in model.pages.values() if p.src_uri.startswith("blog/posts/")
                   if (e := journal.entry_of(p.log, p.src_uri, self.options.heading_slug)) is not None]  # fmt: skip
        if not entries:
            return {}
        pages = journal.journal_pages(entries)
        if config.nav is not None:
            weeks = sorted((p for p in pages if "/week-" in p), key=lambda p: int(p.rsplit("-", 1)[1][:-3]))
            section = [{"Calendar": "journal/calendar.md"}, {"Concepts": "journal/concepts.md"},
                       *({f"Week {p.rsplit('-', 1)[1][:-3]}": p} for p in weeks)]  # fmt: skip
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and "Journal" in item)]
            config.nav.insert(min(2, len(config.nav)), {"Journal": section})
        return pages

    # ------------------------------------------------------------------ the model
    @event_priority(50)  # before the blog plugin (-50) reads its posts: the site's problems come first
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        context, runner = self._context(), self.runner
        assert runner is not None
        model = context.model
        try:
            for f in assets.asset_files(config, self.root, self.options.engine, context.renderer.version):
                files.append(f)
            built = assemble(self.root, model.docs_dir, self.options, renderer=context.renderer, runner=runner,
                             progress=report.ProgressPrinter())  # fmt: skip
        except SiteError as exc:
            raise PluginError(str(exc)) from None
        except StudylogError as exc:
            raise PluginError(str(exc)) from None
        if self.options.autorefs and "mkdocstrings" in config.plugins:
            built.problems.extend(apidocs.undocumented_implementations(built))
        context.model = built
        backlinks.set_current_context(context)
        for src_uri, content in self.journal.items():
            files.append(File.generated(config, src_uri, content=content))
        for problem in built.problems:
            log.warning(str(problem))
        return files

    @event_priority(-60)  # after the blog plugin (-50) has read its posts' front matter
    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        model = self._context().model
        for f in files.documentation_pages(inclusion=lambda _level: True):
            page = model.page_by_src(f.src_uri)
            if page is not None:
                page.url = f.url
                _check_dest(f.dest_uri, page)
            if f.page is not None and getattr(f.page, "meta", None):  # blog posts: read already
                escape_meta(f.page.meta)
        return nav

    @event_priority(100)  # first: the meta MkDocs just read is escaped before any other plugin or template
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        escape_meta(page.meta)
        context = self._context()
        model_page = context.model.page_by_src(page.file.src_uri)
        context.current = model_page.path if model_page is not None else None
        context.current_url = page.url
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        context = self._context()
        context.current = context.current_url = None
        return html

    @event_priority(0)  # before mkdocs-autorefs (-50) resolves the references of every page
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        autorefs = config.plugins.get("autorefs")
        if autorefs is not None:
            pages = {f.src_uri: f.page for f in files.documentation_pages(inclusion=lambda _level: True) if f.page}
            backlinks.register_anchors(autorefs, pages, self._context())
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        from studylog.site.export import export

        context = self._context()
        model = context.model
        if self.config.export:
            export(model, Path(config.site_dir) / self.config.export)
        for note in context.notes:
            log.info(note)
        ok, line = report.summary(model, self.previous_failures if self.serving else None)
        (log.info if ok else log.warning)(line)
        log.info(report.stats_line(model))
        self.previous_failures = report.failing_ids(model)
        self._finish()
        if self.strict and model.problems:
            shown = "\n".join(str(p) for p in model.problems[:20])
            more = f"\n… and {len(model.problems) - 20} more" if len(model.problems) > 20 else ""
            raise PluginError(f"{len(model.problems)} studylog problem(s) in strict mode:\n{shown}{more}")
        if self.serving and self.runner is not None:
            self.runner.prewarm()

    def on_build_error(self, *, error: Exception) -> None:
        self._finish()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Watch the implementation packages, studylog itself and every project file a worker loaded."""
        for folder in self._watched(config):
            server.watch(str(folder))
        return server

    # ------------------------------------------------------------------ helpers
    def _watched(self, config: MkDocsConfig) -> list[Path]:
        project = load_config(self.root)
        folders = {Path(__file__).resolve().parents[1]}
        for package in project.implementations:
            folder = self.root / package.split(".")[0]
            if folder.is_dir():
                folders.add(folder.resolve())
        if self.runner is not None:
            for rel in self.runner.code_seen:
                path = (self.root / rel).resolve()
                if not any(path.is_relative_to(f) for f in folders):
                    folders.add(path)
        return sorted(folders)

    def _finish(self) -> None:
        backlinks.set_current_context(None)
        if self.context is not None:
            self.context.renderer.close()

    def _context(self) -> RenderContext:
        if self.context is None:
            raise PluginError("studylog: the plugin's on_config did not run")
        return self.context


NAME_MAX = 255  # bytes in one file or folder name (ext4, APFS, NTFS)


def _check_dest(dest_uri: str, page: PageModel) -> None:
    """Stop the build at the front-matter line that makes a file name no file system can hold (a long title
    becomes the blog's slug), instead of MkDocs failing with a traceback when it writes the page."""
    part = next((p for p in dest_uri.split("/") if len(p.encode()) > NAME_MAX), None)
    if part is None:
        return
    fm = page.log.front_matter
    key = next((k for k in ("slug", "title") if k in fm.data), None)
    line = fm.key_line(key) if key else next(
        (i + 1 for i, text in enumerate(page.log.lines) if i >= fm.lines and text.startswith("# ")), 1
    )  # fmt: skip
    raise PluginError(str(StudylogError(
        f"the page's URL would hold a name of {len(part.encode())} bytes ({part[:30]}…); a file name may have "
        f"{NAME_MAX}: give the post a shorter title, or a 'slug:'", path=page.path, line=line,
    )))  # fmt: skip

