"""The MkDocs plugin: a thin layer that hands the whole-site knowledge to the Markdown extension.

Per build: index every log's formulas and verify them (the engine), serve the KaTeX CSS and fonts of
the engine's version from the site, tell the extension which page it is rendering, add back-links
from API entries to the formulas they implement, and turn every problem into a warning naming
``file:line`` (fatal under ``mkdocs build --strict``). State is rebuilt on every build, so
``mkdocs serve`` rebuilds start clean.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from pathlib import Path
from typing import Any

import markdown_exec
import yaml
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from studylog.engine.check import EXEMPT, VERIFIED
from studylog.engine.scan import front_matter_lines, markdown_files
from studylog.engine.verify import build_index, check_all, discover, load_config
from studylog.errors import StudylogError
from studylog.site.examples import ExampleCache, source_fingerprint
from studylog.site.extension import StudylogExtension
from studylog.site.journal import journal_pages, read_entry
from studylog.site import lightview
from studylog.site.katex import ENGINES, MathRenderer, css_package, find_node_modules
from studylog.site.state import PageContext, SiteOptions, SiteState, relative_url

log = logging.getLogger("mkdocs.plugins.studylog")
ASSETS = "assets/studylog"
CSS = Path(__file__).with_name("studylog.css")


class StudylogConfig(Config):
    engine = opt.Choice(ENGINES, default="katex")
    cache_dir = opt.Type(str, default=".studylog-cache/katex")
    verify = opt.Type(bool, default=True)
    export = opt.Type(str, default="formulas.json")
    macros = opt.Type(dict, default={})
    examples_cache_dir = opt.Type(str, default=".studylog-cache/examples")
    example_timeout = opt.Type((int, float), default=60)


class StudylogPlugin(BasePlugin[StudylogConfig]):
    """``plugins: - studylog``."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.state: SiteState | None = None
        self.journal: dict[str, str] = {}
        self.unsafe_meta: set[str] = set()
        self.root = Path.cwd()

    # ------------------------------------------------------------------ configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent.resolve() if config.config_file_path else Path.cwd()
        branch = "main"
        edit_uri = config.edit_uri or ""
        m = re.match(r"(?:edit|blob)/([^/]+)/", edit_uri)
        if m:
            branch = m.group(1)
        cache = (self.root / self.config.cache_dir) if self.config.cache_dir else None
        options = SiteOptions(
            engine=self.config.engine, cache_dir=cache, verify=self.config.verify,
            repo_url=config.repo_url or None, branch=branch, macros=dict(self.config.macros),
        )  # fmt: skip
        renderer = MathRenderer(options.engine, self.root, cache, options.macros)
        self.state = SiteState(options, self.root, renderer, on_problem=log.warning, on_note=log.info, pages_only=True)
        packages = sorted({name.split(".")[0] for name in load_config(self.root).implementations})
        fingerprint = source_fingerprint([self.root / p for p in packages if (self.root / p).is_dir()])
        # the Markdown set-up renders the examples' output too: a change to it must re-run them
        md_setup = json.dumps([[e for e in config.markdown_extensions if isinstance(e, str)], config.mdx_configs],
                              sort_keys=True, default=str)  # fmt: skip
        fingerprint = hashlib.sha256((fingerprint + md_setup).encode()).hexdigest()
        ex_dir = self.root / self.config.examples_cache_dir if self.config.examples_cache_dir else None
        self.state.examples = ExampleCache(ex_dir, fingerprint)
        self.state.example_timeout = float(self.config.example_timeout) or None
        config.markdown_extensions.append(StudylogExtension(state=self.state))  # type: ignore[arg-type]
        lightview.install(config)  # search and the blog read pages without KaTeX's markup
        # markdown-exec renders an example's output (a fenced block for result="text") with these
        # extensions; without them the fence would show as literal backticks
        exts = list(config.markdown_extensions)
        if not any(e in ("pymdownx.superfences", "fenced_code", "markdown.extensions.fenced_code") for e in exts):
            exts.append("fenced_code")
        markdown_exec.markdown_config.save(exts, dict(config.mdx_configs))
        self.journal = self._journal(config)
        if options.engine != "none":
            config.extra_css.insert(0, f"{ASSETS}/katex/katex.min.css")
        config.extra_css.append(f"{ASSETS}/studylog.css")
        return config

    def _journal(self, config: MkDocsConfig) -> dict[str, str]:
        """Generate the calendar, week and concept pages and put them in the nav under "Journal"."""
        docs = Path(config.docs_dir)
        entries = []
        for path in sorted((docs / "blog" / "posts").rglob("*.md")) if (docs / "blog" / "posts").is_dir() else []:
            try:
                entry = read_entry(path, docs)
            except StudylogError as exc:
                raise PluginError(str(exc)) from None
            if entry is not None:
                entries.append(entry)
        if not entries:
            return {}
        pages = journal_pages(entries)
        if config.nav is not None:
            weeks = sorted((p for p in pages if "/week-" in p), key=lambda p: int(p.rsplit("-", 1)[1][:-3]))
            section = [{"Calendar": "journal/calendar.md"}, {"Concepts": "journal/concepts.md"},
                       *({f"Week {p.rsplit('-', 1)[1][:-3]}": p} for p in weeks)]  # fmt: skip
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and "Journal" in item)]
            config.nav.insert(min(2, len(config.nav)), {"Journal": section})
        return pages

    # ------------------------------------------------------------------ files and verification
    @event_priority(-50)  # after the blog plugin has added its generated pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        state = self._state()
        self._add_assets(files, config)
        for src_uri, content in self.journal.items():
            files.append(File.generated(config, src_uri, content=content))
        docs = Path(config.docs_dir).resolve()
        state.index = build_index(markdown_files([docs]), self.root)
        state.renderer.prefetch((f.latex, f.display) for f in state.index.formulas)  # one pipelined pass
        for problem in state.index.problems:
            state.problem(str(problem), site_wide=True)
        if state.options.verify:
            config_ = load_config(self.root)
            try:
                bindings = discover(config_.implementations, self.root)
            except StudylogError as exc:
                raise PluginError(str(exc)) from None
            state.report = check_all(state.index, bindings)
            for problem in state.report.problems:
                if problem not in state.index.problems:
                    state.problem(str(problem), site_wide=True)
            for status in state.report.statuses:
                if status.status not in (VERIFIED, EXEMPT, "prose"):
                    state.problem(status.problem_line(), site_wide=True)
        return files

    @event_priority(-100)  # after the blog plugin has given posts their URLs and put them back
    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        state = self._state()
        self.unsafe_meta = set()
        for f in files.documentation_pages(inclusion=lambda _level: True):
            src = self._rel(Path(f.abs_src_path)) if f.abs_src_path else f.src_uri
            state.page_urls[src] = f.url
            state.page_titles[src] = _title_of(Path(f.abs_src_path)) if f.abs_src_path else ""
            if f.abs_src_path:
                self.unsafe_meta |= _unsafe_meta_strings(Path(f.abs_src_path))
        return nav

    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Front-matter strings (titles, descriptions) reach the theme's templates unescaped: escape them."""
        for raw in sorted(self.unsafe_meta, key=len, reverse=True):
            if raw in output:
                self._state().note(f"{page.file.src_uri}: escaped HTML in front matter: {raw[:60]}")
                output = output.replace(raw, html.escape(raw))
        return output

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        state = self._state()
        files.append(File(CSS.name, str(CSS.parent), config.site_dir, config.use_directory_urls,
                          dest_uri=f"{ASSETS}/{CSS.name}"))  # fmt: skip
        if state.options.engine == "none":
            return
        try:
            package = css_package(state.options.engine, state.renderer.version)
            dist = find_node_modules(self.root) / package / "dist"
        except StudylogError as exc:
            raise PluginError(str(exc)) from None
        if not dist.is_dir():
            raise PluginError(f"{dist} is missing: run 'npm ci' in {self.root}")
        wanted = [dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
        for path in wanted:
            rel = path.relative_to(dist).as_posix()
            files.append(File(rel, str(dist), config.site_dir, config.use_directory_urls,
                              dest_uri=f"{ASSETS}/katex/{rel}"))  # fmt: skip

    # ------------------------------------------------------------------ pages
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        state = self._state()
        src = self._rel(Path(page.file.abs_src_path)) if page.file.abs_src_path else page.file.src_uri
        state.page = PageContext(src, page.url, _line_offset(page, markdown), page.title or "")
        return markdown

    def on_page_content(self, html_: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Add, under each API entry that implements formulas, links back to those formulas."""
        state = self._state()
        state.page = None
        backlinks = state.backlinks()
        if not backlinks or "doc-heading" not in html_:
            return html_
        for impl, formulas in backlinks.items():
            pattern = re.compile(r'(<h(\d)[^>]*\bid="' + re.escape(impl) + r'"[^>]*>.*?</h\2>)', re.DOTALL)
            m = pattern.search(html_)
            if m is None:
                continue
            items = []
            for f in formulas:
                target = state.page_urls.get(f.path)
                href = (relative_url(target, page.url) if target is not None else "") + f"#eq-{f.id}"
                title = state.page_titles.get(f.path) or Path(f.path).stem
                status = state.status(f.id or "")
                mark = "✓" if status is not None and status.status == VERIFIED else "✗"
                label = f"{title} ({f.number}) {f.id}" if f.number else f"{title} {f.id}"
                items.append(f'<li><a class="sl-backlink" href="{html.escape(href)}">{html.escape(label)}</a> {mark}</li>')
            block = f'<div class="sl-backlinks"><p>Implements the formulas:</p><ul>{"".join(items)}</ul></div>'
            html_ = html_[: m.end()] + block + html_[m.end() :]
        return html_

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state = self._state()
        if self.config.export:
            state.export(Path(config.site_dir) / self.config.export)
        if state.examples is not None:
            ex = state.examples
            log.info(f"studylog: examples executed: {ex.executed}, from cache: {ex.cached}; "
                     f"formulas rendered: {state.renderer.renders}")  # fmt: skip
        state.renderer.close()
        markdown_exec.markdown_config.reset()
        self.state = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.state is not None:
            self.state.renderer.close()
            self.state = None

    # ------------------------------------------------------------------ helpers
    def _state(self) -> SiteState:
        if self.state is None:
            raise PluginError("studylog: plugin state is missing (on_config did not run)")
        return self.state

    def _rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _line_offset(page: Page, markdown: str) -> int:
    """How many source lines precede the Markdown MkDocs hands to the extension (front matter)."""
    try:
        source = Path(page.file.abs_src_path or "").read_text(encoding="utf-8")
    except OSError:
        return 0
    src_lines = source.splitlines()
    md_lines = markdown.splitlines()
    if md_lines and len(src_lines) >= len(md_lines) and src_lines[len(src_lines) - len(md_lines) :] == md_lines:
        return len(src_lines) - len(md_lines)
    return front_matter_lines(src_lines)


def _unsafe_meta_strings(path: Path) -> set[str]:
    """String values of a page's front matter that contain HTML-special characters."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        n = front_matter_lines(lines)
        meta: Any = yaml.safe_load("\n".join(lines[1 : n - 1])) if n else {}
    except (OSError, yaml.YAMLError):
        return set()
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if any(c in value for c in "<>\"'") and len(value) > 1:
                found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(meta)
    return found


def _title_of(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    n = front_matter_lines(lines)
    if n:
        try:
            meta: Any = yaml.safe_load("\n".join(lines[1 : n - 1])) or {}
        except yaml.YAMLError:
            meta = {}
        if isinstance(meta, dict) and meta.get("title"):
            return str(meta["title"])
    for line in lines[n:]:
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem
