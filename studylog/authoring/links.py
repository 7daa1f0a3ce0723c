r"""Links, images and files of imported posts: what they point at on the old site, and where that is now.

For every link destination ``[a](…)``/``![a](…)``, reference definition ``[r]: …`` and HTML ``src``/
``href`` of a post (after its Liquid, see `liquid`):

* a link to one of the imported posts (its old URL, absolute on the old site's host or root-relative,
  or its source file) becomes a relative link to that post's log;
* a local file (``/img/…``, ``/assets/images/…``, or relative to the post's file or to the site's
  root) is copied into the docs folder at the same path below it, and linked relatively; one that is
  not in the blog is reported with the post's line and linked on the old site instead (when
  ``_config.yml`` has its ``url``);
* a root-relative link to a page of the old site that is not an imported post goes to the old site;
* anything else (other sites, ``#anchors``, ``mailto:``) is left as it is.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studylog.authoring.jekyll_site import JekyllSite, normalize_url_path
from studylog.authoring.liquid import Liquid
from studylog.authoring.notes import Note, NoteKind

__all__ = ["ImportIndex", "PostRewriter"]

_HTML_ATTR = re.compile(r"""(?P<pre>\b(?:src|href)\s*=\s*)(?P<q>["'])(?P<url>[^"']*)(?P=q)""", re.IGNORECASE)
_REFERENCE = re.compile(r"^(?P<pre>[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*)(?P<url><[^>\n]*>|\S+)")
#: ``(url "title")``: the URL may hold spaces (kramdown takes them; Typora writes them), the title is optional
_DESTINATION = re.compile(
    r"""^\((?P<sp>\s*)(?P<url><[^>\n]*>|.*?)(?P<rest>(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*)\)$""", re.DOTALL
)
_NESTED_LINK = re.compile(r"\[[^\]\n]*\]\((?P<url>[^()\s]+)\)")
_PAGE_SUFFIXES = ("", ".html", ".htm", ".md", ".markdown")
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "ftp:")


@dataclass
class ImportIndex:
    """What is known across one import: the site, the posts' old URLs and logs, and the files to copy."""

    site: JekyllSite | None
    docs_dir: Path
    site_path: str = "/"  # the path of the new site's site_url: raw HTML links need it (MkDocs leaves them alone)
    by_url: dict[str, Path] = field(default_factory=dict)  # normalized old URL path -> log
    by_name: dict[str, Path] = field(default_factory=dict)  # file name without extension -> log
    by_source: dict[Path, Path] = field(default_factory=dict)  # resolved post file -> log
    old_urls: dict[Path, str] = field(default_factory=dict)  # resolved post file -> its old URL path
    copies: dict[Path, Path] = field(default_factory=dict)  # destination in docs -> source file

    def add_post(self, source: Path, log: Path, old_url: str | None) -> None:
        """Register one post: its file, its log and (when known) its URL on the old site."""
        self.by_name[source.stem.lower()] = log
        self.by_source[source.resolve()] = log
        if old_url is not None:
            self.old_urls[source.resolve()] = old_url
            self.by_url.setdefault(normalize_url_path(old_url), log)

    def local_file(self, path: str, post: Path) -> Path | None:
        """The existing file ``path`` (decoded) names, relative to the post's folder or the site's root."""
        candidates: list[Path] = []
        clean = urllib.parse.unquote(path)
        if not clean or clean.endswith("/"):
            return None
        if clean.startswith("/"):
            if self.site is not None:
                base = self.site.baseurl
                if base and clean.startswith(base + "/"):
                    candidates.append(self.site.root / clean[len(base) + 1 :])
                candidates.append(self.site.root / clean.lstrip("/"))
        else:
            candidates.append(post.parent / clean)
            if self.site is not None:
                candidates.append(self.site.root / clean)
        for candidate in candidates:
            if candidate.is_file():
                return candidate.resolve()
        return None

    def copy_target(self, source: Path) -> Path:
        """Where a local file goes in the docs folder: its path below the site's root (else ``imported/``)."""
        root = self.site.root.resolve() if self.site is not None else None
        if root is not None and source.is_relative_to(root):
            return self.docs_dir / source.relative_to(root)
        return self.docs_dir / "imported" / source.name


def _relative(target: Path, start: Path) -> str:
    """A percent-encoded relative URL from the folder ``start`` to ``target``."""
    rel = PurePosixPath(os.path.relpath(target, start).replace(os.sep, "/"))
    return urllib.parse.quote(str(rel), safe="/-_.~()!*'")


class PostRewriter:
    """Rewrites one post's text and link destinations for its log (the writer's `Rewriter`).

    Args:
        index: the import's index.
        source: the post's file.
        log: the post's log file.
        path: the post's name, for warnings.
        notes: where the warnings go.
        raw_lines: the post's lines inside a ``{% raw %}`` block on lines of its own (no Liquid there).
    """

    def __init__(
        self,
        index: ImportIndex,
        *,
        source: Path,
        log: Path,
        path: str,
        notes: list[Note],
        raw_lines: frozenset[int] = frozenset(),
    ) -> None:
        self.index = index
        self.source = source
        self.log = log
        self.path = path
        self.notes = notes
        self.liquid = Liquid(path=path, resolve_post=self._post_link, notes=notes, raw_lines=raw_lines)

    def _post_link(self, name: str) -> str | None:
        log = self.index.by_name.get(name.lower())
        return _relative(log, self.log.parent) if log is not None else None

    def warn(self, line: int, kind: NoteKind, message: str) -> None:
        self.notes.append(Note(self.path, line, message, kind))

    # ------------------------------------------------------------------ the writer's Rewriter
    def text(self, text: str, line: int) -> str:
        """Text: Liquid, then HTML ``src``/``href`` and reference definitions."""
        text = self.liquid.process(text, line)
        if "=" in text:
            text = _HTML_ATTR.sub(
                lambda m: m.group("pre") + m.group("q") + self.url(m.group("url"), line, html=True) + m.group("q"), text
            )
        if "]:" in text and (m := _REFERENCE.match(text)):
            url = m.group("url")
            new = "<" + self.url(url[1:-1], line) + ">" if url.startswith("<") else self.url(url, line)
            text = m.group("pre") + new + text[m.end() :]
        return text

    def destination(self, destination: str, line: int) -> str:
        """A link destination ``(url "title")``: Liquid, then its URL."""
        destination = self.liquid.process(destination, line, links_in_raw=True)
        m = _DESTINATION.match(destination)
        if m is None:
            return destination
        url = m.group("url")
        if len(url) > 2 and (url[0], url[-1]) in (("(", ")"), ("[", "]")) and not _NESTED_LINK.fullmatch(url):
            self.warn(line, NoteKind.MALFORMED_LINK, f"the link's address '{url}' is wrapped in brackets: "
                      f"'{url[1:-1]}' is used")  # fmt: skip
            url = url[1:-1]
        if inner := _NESTED_LINK.fullmatch(url):
            self.warn(line, NoteKind.MALFORMED_LINK, f"the link's address '{url}' is itself a link: "
                      f"'{inner.group('url')}' is used")  # fmt: skip
            url = inner.group("url")
        if url.startswith("<"):
            new = "<" + self.url(url[1:-1], line) + ">"
        else:
            new = self.url(url, line).replace(" ", "%20")  # Python-Markdown ends a URL at a space
        return f"({m.group('sp')}{new}{m.group('rest')})"

    # ------------------------------------------------------------------ one URL
    def url(self, url: str, line: int, *, html: bool = False) -> str:
        """Where ``url`` of the post's ``line`` points in the log (see the module's rules).

        In raw HTML (``html``), which MkDocs does not rewrite, a file is linked by its path below the
        new site's address, and a post on the old site (its page's address is the blog plugin's).
        """
        if not url or url.startswith(("#", "(")) or url.lower().startswith(_SKIP_SCHEMES) or "[" in url or "]" in url:
            return url
        parts = urllib.parse.urlsplit(url)
        site = self.index.site
        on_old_site = False
        if parts.scheme or url.startswith("//"):
            if parts.scheme not in ("http", "https", "") or site is None or parts.netloc.lower() != site.host:
                return url
            on_old_site = True
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        path = parts.path
        if not path:
            return url
        log = self._post_for(path)
        if log is not None and not html:
            return _relative(log, self.log.parent) + fragment
        if log is not None:
            old = url if on_old_site else self._old_site_url(path)
            self.warn(line, NoteKind.OLD_SITE_LINK, f"'{path}' in raw HTML stays on the old site ({old or 'unknown'}): "
                      "a Markdown link [text](…) would reach the post's log")  # fmt: skip
            return old or url
        suffix = PurePosixPath(urllib.parse.unquote(path)).suffix.lower()
        if suffix not in _PAGE_SUFFIXES and (found := self.index.local_file(path, self.source)) is not None:
            target = self.index.copy_target(found)
            self.index.copies.setdefault(target, found)
            query = f"?{parts.query}" if parts.query else ""
            if html:
                rel = target.relative_to(self.index.docs_dir).as_posix()
                return self.index.site_path + urllib.parse.quote(rel, safe="/-_.~()!*'") + query + fragment
            return _relative(target, self.log.parent) + query + fragment
        if on_old_site:
            return url  # a page of the old site: the absolute link keeps working while it does
        old = self._old_site_url(path)
        if suffix not in _PAGE_SUFFIXES:
            where = f"linked on the old site: {old}" if old else "the link is left as it is"
            self.warn(line, NoteKind.MISSING_FILE, f"'{path}' is not a file of the blog: {where}")
        elif old:
            self.warn(line, NoteKind.OLD_SITE_LINK, f"'{path}' is no imported post: linked on the old site: {old}")
        else:
            self.warn(line, NoteKind.OLD_SITE_LINK, f"'{path}' is no imported post and the old site's url is unknown")
            return url
        query = f"?{parts.query}" if parts.query else ""
        return (old or path) + query + fragment

    def _post_for(self, path: str) -> Path | None:
        """The log of the imported post ``path`` names (an old URL or the post's source file)."""
        index = self.index
        clean = urllib.parse.unquote(path)
        if not clean.startswith("/"):
            source = (self.source.parent / clean).resolve()
            if source in index.by_source:
                return index.by_source[source]
            name = PurePosixPath(clean)
            if name.suffix.lower() in (".md", ".markdown") and name.stem.lower() in index.by_name:
                return index.by_name[name.stem.lower()]  # a post named by its file, from another folder
            base = index.old_urls.get(self.source.resolve(), "/")
            clean = urllib.parse.urljoin(base, clean)
        baseurl = index.site.baseurl if index.site is not None else ""
        return index.by_url.get(normalize_url_path(clean, baseurl))

    def _old_site_url(self, path: str) -> str:
        site = self.index.site
        if site is None or not site.url:
            return ""
        if not path.startswith("/"):
            base = self.index.old_urls.get(self.source.resolve(), "/")
            path = urllib.parse.urljoin(site.baseurl + base, path)
        return site.old_url(path)
