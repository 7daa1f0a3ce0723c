"""The extension on its own (Zensical, ProperDocs without the plugin, a script): it checks the whole site itself.

Hosts that run Python-Markdown extensions but not MkDocs plugins would otherwise build a green site
with no checks. Here the extension assembles the site model of the whole docs folder when the first
page renders (once per process while the logs and the code they depend on are unchanged) and, with
``strict`` on (the default), raises on any problem, so the host fails with every ``FILE:LINE``
(Zensical 0.0.73 exits 1 on an exception from an extension, at set-up or while rendering). Under a
live preview (``serve``) pages show the problems instead, and the terminal lists them.

Zensical re-renders a page only when its Markdown, the configuration or a file under ``watch:``
changes, and it reuses the pages it rendered before otherwise: a verdict on a cached page would go
stale after an edit of the code. So under Zensical every implementation package must be listed under
``watch:`` in ``mkdocs.yml``; set-up fails, saying which, when one is missing.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Markdown

from studylog.engine.verify import load_config
from studylog.errors import StudylogError
from studylog.runner.client import fingerprint
from studylog.runner.pool import Runner
from studylog.site.assemble import assemble
from studylog.site.context import RenderContext
from studylog.site.katex import MathRenderer
from studylog.site.options import SiteOptions
from studylog.site.render import Links


class CheckFailed(StudylogError):
    """The logs have problems: the host must not build the site (raised at the extension's set-up)."""


@dataclass
class _Entry:
    context: RenderContext
    docs_stamp: tuple[tuple[str, int, int], ...]
    code: dict[str, str]


_CACHE: dict[tuple[Any, ...], _Entry] = {}
_LOCK = threading.Lock()


def _stamp(folders: list[Path], suffix: str) -> tuple[tuple[str, int, int], ...]:
    """Every ``*suffix`` file under ``folders`` with its modification time and size."""
    out = []
    for top in folders:
        for folder, dirs, files in os.walk(top, followlinks=True):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(suffix):
                    st = os.stat(os.path.join(folder, name))
                    out.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _serving() -> bool:
    """Whether the host is a live preview (``zensical serve``, ``mkdocs serve``): pages then show the
    problems (marks and a banner at the top) instead of the whole build stopping."""
    return sys.argv[1:2] == ["serve"]


def _host_page(md: Markdown | None) -> tuple[str | None, str | None, dict[str, Any] | None]:
    """Zensical's rendering context (page path, page URL, configuration), if this is Zensical."""
    if md is None:
        return None, None, None
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor" and hasattr(processor, "page"):
            page = processor.page
            return getattr(page, "path", None), getattr(page, "url", None), getattr(processor, "config", None)
    return None, None, None


def _check_watch(root: Path, packages: tuple[str, ...], host_config: dict[str, Any] | None) -> None:
    if host_config is None or "watched_files" not in host_config:
        return  # not Zensical
    watched = {Path(p).resolve() for p, *_ in host_config.get("watched_files", [])}
    missing = []
    for package in packages:
        folder = (root / package.replace(".", "/")).resolve()
        if folder.is_dir() and not any(f.is_relative_to(folder) for f in watched):
            missing.append(package)
    if missing:
        raise CheckFailed(
            f"Zensical re-renders a page only when a watched file changes: add {', '.join(sorted(set(missing)))} "
            "under 'watch:' in mkdocs.yml, or a verdict would outlive an edit of the code",
            path=str(root / "mkdocs.yml"),
        )


def standalone_context(ext: Any, md: Markdown | None) -> RenderContext:
    """The render context of the extension's project, assembled (and checked) when the logs or code changed."""
    root = Path(ext.getConfig("project_root")).resolve()
    config = load_config(root)
    page_path, page_url, host_config = _host_page(md)
    _check_watch(root, config.implementations, host_config)
    cache_dir, ex_dir = ext.getConfig("cache_dir"), ext.getConfig("examples_cache_dir")
    options = SiteOptions(
        engine=ext.getConfig("engine"), verify=bool(ext.getConfig("verify")),
        cache_dir=root / cache_dir if cache_dir else None, examples_cache_dir=root / ex_dir if ex_dir else None,
    )  # fmt: skip
    key = (str(root), options.engine, options.verify, str(options.cache_dir), str(options.examples_cache_dir))
    with _LOCK:
        packages = sorted({root / p.split(".")[0] for p in config.implementations if (root / p.split(".")[0]).is_dir()})
        stamp = _stamp([config.docs_dir], ".md") + _stamp(packages, ".py")
        entry = _CACHE.get(key)
        if entry is None or entry.docs_stamp != stamp or not fingerprint(entry.code, root):
            if entry is not None:
                entry.context.renderer.close()
            runner = Runner(root, config.implementations)
            renderer = MathRenderer(options.engine, root, options.cache_dir)
            try:
                model = assemble(root, config.docs_dir, options, renderer=renderer, runner=runner)
                code = dict(runner.code_seen)
                for view in model.examples.values():
                    code.update(view.outcome.deps)
            finally:
                runner.close()
            entry = _Entry(RenderContext(model, renderer, Links(autorefs=False)), stamp, code)
            _CACHE[key] = entry
            if context_problems := entry.context.model.problems:
                # every assembly says what is wrong on the terminal; a build (not a preview) also stops
                print(f"studylog: {len(context_problems)} problem(s) in the logs:", *map(str, context_problems),
                      sep="\n", file=sys.stderr)  # fmt: skip
    context = entry.context
    if context.model.problems and ext.getConfig("strict") and not _serving():
        problems = context.model.problems
        raise CheckFailed(f"{len(problems)} problem(s) in the logs:\n" + "\n".join(map(str, problems)))
    if page_path is not None:
        src = page_path.replace(os.sep, "/")
        page = context.model.page_by_src(src)
        context.current = page.path if page is not None else None
        context.current_url = page_url
    return context
