r"""Where a build spends its time: cProfile of a cold and a no-change build, summed by key function and component.

cProfile sees the main thread only: Node's time shows as the wait in ``select``, and the cache writes
of a cold build's prefetch run on a writer thread (their cost shows only as what the main thread
waits for at the end, in ``RenderCache.flush``).
"""

from __future__ import annotations

import pstats
import shutil
from pathlib import Path

from sitebench.builds import mkdocs_build
from sitebench.synthetic import make_site

KEY_FUNCTIONS = [  # (label, "module:qualname"): where a build's time can go
    ("mkdocs build (all of it)", "mkdocs.commands.build:build"),
    ("Markdown conversion (pages and blog excerpts)", "markdown.core:Markdown.convert"),
    ("  studylog preprocessor (math + examples)", "studylog.site.extension:MathPreprocessor.run"),
    ("    MathRenderer.render (memory, cache, engine)", "studylog.site.katex:MathRenderer.render"),
    ("    executed examples (markdown-exec)", "studylog.site.examples:render_example"),
    ("  studylog HTML sanitizer (postprocessor)", "studylog.site.extension:SanitizePostprocessor.run"),
    ("MathRenderer.prefetch (cache reads + one engine pass)", "studylog.site.katex:MathRenderer.prefetch"),
    ("  NodeKatex.render_many (pipelined batches)", "studylog.site.katex:NodeKatex.render_many"),
    ("  RenderCache.get (cache reads)", "studylog.site.katex:RenderCache.get"),
    ("RenderCache.flush (waiting for the cache writer)", "studylog.site.katex:RenderCache.flush"),
    ("light view for search (formulas to text)", "studylog.site.lightview:search_view"),
    ("  MathML to text (once per distinct formula)", "studylog.site.mathtext:mathml_text"),
    ("light view for read time", "studylog.site.lightview:reading_view"),
    ("material search: HTML parse of every page", "material.plugins.search.plugin:SearchIndex.add_entry_from_context"),
    ("material blog: read time (HTML parse of each post)", "material.plugins.blog.readtime:readtime"),
    ("material blog: excerpt rendering", "material.plugins.blog.structure:Excerpt.render"),
    ("Jinja templates", "jinja2.environment:Template.render"),
    ("html.parser (all callers)", "html.parser:HTMLParser.goahead"),
    ("writing files", "mkdocs.utils:write_file"),
    ("copying static files", "mkdocs.structure.files:File.copy_file"),
]


def _code_key(target: str) -> tuple[str, int, str] | None:
    """``module:qualname`` -> cProfile's ``(file, first line, name)`` key, or None if it cannot be found."""
    import importlib
    import inspect

    module, _, qualname = target.partition(":")
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        code = inspect.unwrap(obj).__code__
    except (ImportError, AttributeError):
        return None
    return code.co_filename, code.co_firstlineno, code.co_name


def _component(path: str) -> str:
    if path.startswith("~") or path.startswith("<"):
        return "builtins / C"
    parts = Path(path).parts
    if "site-packages" in parts:
        rest = parts[parts.index("site-packages") + 1 :]
        depth = 3 if rest[:2] == ("material", "plugins") else 2 if rest[0] == "mkdocs" else 1
        return "/".join(rest[: min(depth, len(rest) - 1)]) or rest[0]
    if "studylog" in parts:
        return "studylog/" + "/".join(parts[parts.index("studylog") + 1 :])
    return "stdlib " + Path(path).stem



def summarize(prof: Path, title: str, top: int = 12) -> str:
    """Key functions (cumulative), components and functions (own time) of one profile."""
    raw = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _), (_, _, _, ct, _) in raw.items())
    lines = [title, "", "key functions (cumulative seconds, share of the whole run):"]
    for label, target in KEY_FUNCTIONS:
        key = _code_key(target)
        ct = raw[key][3] if key in raw else 0.0
        if ct:
            lines.append(f"  {label:<54} {ct:7.2f} s  {ct / total:6.1%}")
    by_comp: dict[str, float] = {}
    for (f, _, _), v in raw.items():
        by_comp[_component(f)] = by_comp.get(_component(f), 0.0) + v[2]
    lines += ["", "own time by component:"]
    for comp, tt in sorted(by_comp.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {comp:<54} {tt:7.2f} s  {tt / total:6.1%}")
    lines += ["", "functions by own time:"]
    for (f, ln, fn), v in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        where = f"{_component(f)}:{ln}({fn})" if not f.startswith("~") else fn
        lines.append(f"  {where[:70]:<70} {v[2]:7.2f} s  calls {v[1]:>9,}")
    return "\n".join(lines)


def profile_builds(work: Path, size: int, engine: str = "katex") -> str:
    """cProfile a cold and then a no-change build of ``size`` logs with ``engine``."""
    root = work / f"profile-{engine}-{size}"
    make_site(root, size, engine)
    parts = []
    for kind in ("cold", "no-change"):
        prof = work / f"{engine}-{kind}.prof"
        build = mkdocs_build(root, profile=prof)
        parts.append(summarize(prof, f"cProfile of a {engine} {kind} build, N={size}: {build.seconds:.1f} s under the "
                                     f"profiler ({build.rendered} formulas rendered)."))  # fmt: skip
    shutil.rmtree(root, ignore_errors=True)
    return "\n\n".join(parts)
