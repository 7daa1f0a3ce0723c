r"""Crawl a built site in headless Chromium: every page loads with no failed request, every internal link resolves.

Run on demand (an imported blog's check; the test suite crawls its own sites)::

    .venv/bin/python benchmarks/browser_crawl.py SITE_DIR [--base /sub/path/] [--limit N]

The site is served from 127.0.0.1 under ``--base`` (the path of its ``site_url``). Chromium visits
every ``.html`` page and records each request that fails or answers ≥ 400 (images, stylesheets,
fonts, scripts) and each request that would leave 127.0.0.1; then every distinct internal link seen
on any page is fetched, and a link with a ``#fragment`` must find that id on its target page. Prints
the counts and the first problems; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def crawl(site: Path, base: str = "/", limit: int | None = None) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "www"
        target = root / base.strip("/") if base.strip("/") else root
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(site, target)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        prefix = origin + "/" + (base.strip("/") + "/" if base.strip("/") else "")
        pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")[:limit]
        failed: list[str] = []
        foreign: list[str] = []
        links: dict[str, str] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS, headless=True)
            tab = browser.new_page()
            aborted: set[str] = set()  # cut off when the crawl moved to the next page: fetched again below
            tab.on("requestfailed", lambda r: aborted.add(r.url) if "ERR_ABORTED" in str(r.failure)
                   else failed.append(f"{r.url} ({r.failure})"))  # fmt: skip
            tab.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
            tab.on("request", lambda r: urlparse(r.url).hostname not in (None, "127.0.0.1")
                   and urlparse(r.url).scheme in ("http", "https") and foreign.append(r.url))  # fmt: skip
            for page in pages:
                url = prefix + page.relative_to(site).as_posix()
                tab.goto(url, wait_until="load")
                for href in tab.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                    if href.startswith(origin):
                        links.setdefault(href, url)
            for url in sorted(aborted):  # a request the next navigation aborted fails only if the file is not there
                if url.startswith(origin) and (status := tab.request.get(url).status) != 200:
                    failed.append(f"{status} {url} (aborted by the next page, then fetched)")
            broken: list[str] = []
            texts: dict[str, str] = {}
            for href, found_on in sorted(links.items()):
                address, fragment = urldefrag(href)
                if address not in texts:
                    response = tab.request.get(address)
                    texts[address] = response.text() if response.status == 200 else ""
                    if response.status != 200:
                        broken.append(f"{response.status} {href} (on {found_on})")
                        continue
                # as a browser finds it: the fragment as written, else percent-decoded (#tag:%EA%B3%B5… is #tag:공…)
                ids = {fragment, unquote(fragment)} if fragment else set()
                if ids and texts[address] and not any(re.search(rf'id="{re.escape(i)}"', texts[address]) for i in ids):
                    broken.append(f"no #{fragment} on {address} (on {found_on})")
            browser.close()
        httpd.shutdown()
    return {"pages": len(pages), "links": len(links), "failed": failed, "foreign": foreign, "broken": broken}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--base", default="/")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    result = crawl(args.site, args.base, args.limit)
    print(f"pages {result['pages']}, internal links {result['links']}, failed requests {len(result['failed'])}, "
          f"requests to other hosts {len(result['foreign'])}, broken links {len(result['broken'])}")  # fmt: skip
    for line in [*result["failed"], *result["foreign"], *result["broken"]][:30]:  # type: ignore[misc]
        print("  " + line)
    return 1 if result["failed"] or result["foreign"] or result["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
