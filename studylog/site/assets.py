"""The files studylog adds to a site: its stylesheet, and KaTeX's CSS and fonts of the engine's version."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from studylog.errors import StudylogError
from studylog.site.katex import css_package, find_node_modules

ASSETS = "assets/studylog"
CSS = Path(__file__).with_name("studylog.css")


def stylesheets(engine: str) -> list[str]:
    """The site-relative stylesheets to link from every page.

    KaTeX's stylesheet is not linked: pages show KaTeX's MathML, which the browser lays out
    (`studylog.site.lightpage.mathml_only`), and linking it would only load a font for nothing. Its
    CSS and fonts are still copied into the site (`asset_files`) for pages that use KaTeX's HTML.
    """
    return [f"{ASSETS}/{CSS.name}"]


def asset_files(config: MkDocsConfig, root: Path, engine: str, version: str) -> list[File]:
    """studylog.css, and katex.min.css with its woff2 fonts from npm's package of ``version``.

    Raises:
        StudylogError: when npm's package is not installed.
    """
    files = [File(CSS.name, str(CSS.parent), config.site_dir, config.use_directory_urls, dest_uri=f"{ASSETS}/{CSS.name}")]
    if engine == "none":
        return files
    dist = find_node_modules(root) / css_package(engine, version) / "dist"
    if not dist.is_dir():
        raise StudylogError(f"{dist} is missing: run 'npm ci' in {root}")
    for path in [dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]:
        rel = path.relative_to(dist).as_posix()
        files.append(File(rel, str(dist), config.site_dir, config.use_directory_urls, dest_uri=f"{ASSETS}/katex/{rel}"))
    return files
