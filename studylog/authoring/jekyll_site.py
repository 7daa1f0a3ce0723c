r"""The Jekyll site a post comes from: its ``_config.yml`` settings and the URL Jekyll gave each post.

The site's root is the nearest folder above the posts holding ``_config.yml``. From it the import
takes ``url`` and ``baseurl`` (to recognize links to the old site), ``permalink`` (the URL of each
post, so that links to it point at its log), ``timezone`` (the day of a post dated with an offset)
and ``excerpt_separator``. Post URLs follow Jekyll 4's ``Drops::UrlDrop`` placeholders and presets.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["JekyllSite", "find_site", "normalize_url_path", "post_url"]

_PRESETS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":(categories|title|slug|name|year|short_year|month|i_month|short_month|long_month|day|"
                          r"i_day|y_day|hour|minute|second|week|short_day|output_ext)")  # fmt: skip
_PRETTY_UNSAFE = re.compile(r"[^\w._~!$&'()+,;=@]+")
_DEFAULT_UNSAFE = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class JekyllSite:
    """What the import needs of a Jekyll site's ``_config.yml``."""

    root: Path
    url: str = ""  # scheme and host, e.g. https://me.github.io
    baseurl: str = ""  # e.g. /blog
    permalink: str = _PRESETS["date"]
    timezone: str | None = None
    excerpt_separator: str | None = None
    config: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def host(self) -> str:
        """The old site's host (lower case), or '' when ``url`` is not set."""
        return urllib.parse.urlsplit(self.url).netloc.lower()

    def old_url(self, path: str) -> str:
        """The old site's absolute URL of a root-relative ``path`` ('' when the site's url is unknown)."""
        return f"{self.url.rstrip('/')}{path}" if self.url else ""


def find_site(start: Path) -> JekyllSite | None:
    r"""The Jekyll site holding ``start`` (a post or a folder): the nearest folder upwards with ``_config.yml``.

    Returns:
        The site, or None when there is none or its ``_config.yml`` is not a YAML mapping.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     _ = (Path(tmp) / "_config.yml").write_text("url: https://me.github.io/\npermalink: pretty\n")
        ...     (Path(tmp) / "_posts").mkdir()
        ...     site = find_site(Path(tmp) / "_posts")
        ...     site.url, site.permalink
        ('https://me.github.io', '/:categories/:year/:month/:day/:title/')
    """
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        config_file = candidate / "_config.yml"
        if config_file.is_file():
            try:
                data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                return None
            if not isinstance(data, dict):
                return None
            url = str(data.get("url") or "").strip().rstrip("/")
            baseurl = "/" + str(data.get("baseurl") or "").strip().strip("/")
            permalink = str(data.get("permalink") or "date").strip()
            separator = data.get("excerpt_separator")
            return JekyllSite(
                root=candidate,
                url=url,
                baseurl="" if baseurl == "/" else baseurl,
                permalink=_PRESETS.get(permalink, permalink),
                timezone=str(data["timezone"]) if data.get("timezone") else None,
                excerpt_separator=str(separator) if separator is not None else None,
                config=data,
            )
    return None


def _slugify(text: str, *, pretty: bool, cased: bool) -> str:
    """Jekyll's ``Utils.slugify`` in its ``pretty`` or default mode."""
    slug = (_PRETTY_UNSAFE if pretty else _DEFAULT_UNSAFE).sub("-", text).strip("-")
    return slug if cased else slug.lower()


def post_url(site: JekyllSite, data: dict[str, Any], *, slug: str, date: dt.date | dt.datetime) -> str:
    r"""The URL path Jekyll gave a post (``baseurl`` not included), percent-encoded as Jekyll writes it.

    Args:
        site: the post's site.
        data: the post's front matter (``permalink``, ``categories``/``category``, ``slug``).
        slug: the post's file name without its date and extension.
        date: the post's date or datetime (in the site's time zone).

    Examples:
        >>> site = JekyllSite(Path("."), permalink=_PRESETS["pretty"])
        >>> post_url(site, {"category": "Machine Learning"}, slug="word2vec", date=dt.date(2017, 3, 8))
        '/machine%20learning/2017/03/08/word2vec/'
        >>> post_url(site, {"categories": "AI ML", "permalink": "/:year/:title.html"}, slug="x", date=dt.date(2017, 3, 8))
        '/2017/x.html'
    """
    template = str(data.get("permalink") or site.permalink)
    template = _PRESETS.get(template, template)
    raw = data.get("categories")
    categories = raw.split() if isinstance(raw, str) else [str(c) for c in raw] if isinstance(raw, list) else []
    if isinstance(data.get("category"), str):
        categories.append(data["category"])
    seen: list[str] = []
    for category in categories:
        if category.lower() not in seen:
            seen.append(category.lower())
    when = date if isinstance(date, dt.datetime) else dt.datetime(date.year, date.month, date.day)
    jekyll_slug = str(data.get("slug") or slug)
    values = {
        "categories": "/".join(seen),
        "title": _slugify(jekyll_slug, pretty=True, cased=True),
        "slug": _slugify(jekyll_slug, pretty=False, cased=False),
        "name": _slugify(slug, pretty=False, cased=False),
        "year": f"{when.year:04d}",
        "short_year": when.strftime("%y"),
        "month": f"{when.month:02d}",
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "day": f"{when.day:02d}",
        "i_day": str(when.day),
        "y_day": when.strftime("%j"),
        "hour": when.strftime("%H"),
        "minute": when.strftime("%M"),
        "second": when.strftime("%S"),
        "week": when.strftime("%V"),
        "short_day": when.strftime("%a"),
        "output_ext": ".html",
    }
    url = _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
    url = "/" + re.sub(r"/+", "/", url).lstrip("/")
    return urllib.parse.quote(url, safe="/:@!$&'()*+,;=~.-_")


def normalize_url_path(path: str, baseurl: str = "") -> str:
    r"""A URL path as links to the same page may spell it: decoded, lower case, no ``baseurl``, no
    ``index.html``, ``.html`` or trailing slash.

    Examples:
        >>> normalize_url_path("/blog/Machine%20Learning/2017/03/08/Word2Vec.html", "/blog")
        '/machine learning/2017/03/08/word2vec'
    """
    path = urllib.parse.unquote(path)
    if baseurl and (path == baseurl or path.startswith(baseurl + "/")):
        path = path[len(baseurl) :]
    path = re.sub(r"(?:/index)?\.html?$", "", path)
    path = "/" + path.strip("/")
    return path.lower()
