r"""Block-level fixes on a converted log's Markdown: display math in blockquotes, and the excerpt separator.

* The site (and GitHub) read a ```` ```math ```` fence only at the start of a line, never after a
  ``>``. A blockquote holding display math is therefore written as an HTML blockquote whose content
  is Markdown (``<blockquote markdown>``, the ``md_in_html`` extension): the formula stays display math,
  the quote stays a quote.
* MathJax finds math in a page's raw HTML too (``<center>$x$</center>``), but Python-Markdown leaves
  an HTML block as it is: a block holding a formula gets the ``markdown`` attribute (``md_in_html``),
  so that its formulas are rendered and checked like the others.
* mkdocs-material's blog shows a post's excerpt, the part before ``<!-- more -->``, on its index,
  archive and category pages; without it, each of those pages embeds every whole post. A post that
  has its blog's own separator gets ``<!-- more -->`` in its place; any other gets one after its first
  paragraph (Jekyll's own default excerpt).
"""

from __future__ import annotations

import re

from markdown.util import BLOCK_LEVEL_ELEMENTS

from studylog.authoring.notes import Note, NoteKind
from studylog.authoring.rawhtml import HTML_START, block_tag, tag_events
from studylog.markup import code_mask, fence_opening

__all__ = ["MORE", "close_html_blocks", "drop_unused_footnotes", "insert_excerpt", "markdown_in_html", "unquote_math"]

#: mkdocs-material's excerpt separator
MORE = "<!-- more -->"

_QUOTE_LINE = re.compile(r"^(?P<indent>[ \t]*)>[ ]?(?P<rest>.*)$")
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def _is_math_fence(line: str) -> bool:
    """Whether ``line`` opens a math fence, inside blockquote marks or not (the page model's fence rule)."""
    opening = fence_opening(_QUOTE_MARKS.sub("", line))
    return opening is not None and opening.lang == "math"
_MORE_LINE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$")
_LIST_ITEM = re.compile(r"^(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
_HTML_OPEN = re.compile(r"^[ \t]*<(?P<tag>blockquote|div|details|table|figure|center|p|ul|ol)\b", re.IGNORECASE)


def _quote_run(lines: list[str], i: int, indent: str) -> int:
    """The index after the blockquote whose first line is ``lines[i]`` (quote marks after ``indent``)."""
    j = i
    while j < len(lines):
        m = _QUOTE_LINE.match(lines[j])
        if m and m.group("indent") == indent:
            j += 1
        elif lines[j].strip() and j > i and lines[j - 1].strip() and fence_opening(lines[j]) is None:
            j += 1  # a lazy continuation line of the quote's paragraph
        else:
            break
    return j


def unquote_math(markdown: str) -> str:
    r"""``markdown`` with every blockquote that holds a math fence written as ``<blockquote markdown>``.

    Nested quotes are handled level by level; quotes without display math are left as they are.

    Examples:
        >>> print(unquote_math("> Theorem.\n> ```math\n> a = b\n> ```\n\n> plain quote\n"))
        <blockquote markdown>
        <BLANKLINE>
        Theorem.
        ```math
        a = b
        ```
        <BLANKLINE>
        </blockquote>
        <BLANKLINE>
        > plain quote
        <BLANKLINE>
    """
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    unquoted = [line if not _QUOTE_LINE.match(line) else "" for line in lines]  # fences outside any quote
    in_code = code_mask(unquoted)
    while i < len(lines):
        line = lines[i]
        if in_code[i]:
            out.append(line)
            i += 1
            continue
        m = _QUOTE_LINE.match(line)
        if not m:
            out.append(line)
            i += 1
            continue
        indent = m.group("indent")
        end = _quote_run(lines, i, indent)
        run = lines[i:end]
        if not any(_is_math_fence(ln) for ln in run):
            out.extend(run)
            i = end
            continue
        inner = []
        for ln in run:
            q = _QUOTE_LINE.match(ln)
            inner.append(q.group("rest") if q and q.group("indent") == indent else ln.strip())
        body = unquote_math("\n".join(inner)).split("\n")
        out += [f"{indent}<blockquote markdown>", ""]
        out += [f"{indent}{ln}" if ln.strip() else "" for ln in body]
        out += ["", f"{indent}</blockquote>"]
        i = end
    return "\n".join(out)




def _has_log_math(block: str) -> bool:
    """Whether a block holds a formula as the site reads them: inline math or a math fence."""
    return "$`" in block or any(_is_math_fence(line) for line in block.split("\n"))


def markdown_in_html(body: str) -> str:
    r"""``body`` with a ``markdown`` attribute on each raw HTML block that holds a formula.

    The block runs from its block-level opening tag at the start of a line to its closing tag (or
    the first blank line when it is never closed); blocks in fences are left alone.

    Examples:
        >>> print(markdown_in_html('<center>a $`x`$ b</center>\n\n<p align="center">\nno math\n</p>\n'))
        <center markdown>a $`x`$ b</center>
        <BLANKLINE>
        <p align="center">
        no math
        </p>
        <BLANKLINE>
    """
    lines = body.split("\n")
    in_code = code_mask(lines)
    k = 0
    while k < len(lines):
        line = lines[k]
        if in_code[k]:
            k += 1
            continue
        m = HTML_START.match(line)
        if not m or m.group("tag").lower() not in BLOCK_LEVEL_ELEMENTS or m.group("end") == "/>":
            k += 1
            continue
        tag = m.group("tag").lower()
        depth, end = 0, k
        for end in range(k, len(lines)):
            lower = lines[end].lower()
            depth += len(re.findall(rf"<{tag}\b", lower)) - lower.count(f"</{tag}")
            if depth <= 0 or (end > k and not lines[end].strip()):
                break
        block = "\n".join(lines[k : end + 1])
        if _has_log_math(block) and not re.search(r"\bmarkdown\b", m.group("attrs")):
            at = m.end("attrs")
            lines[k] = line[:at] + " markdown" + line[at:]
        k = end + 1
    return "\n".join(lines)


def close_html_blocks(body: str, *, path: str, first_line: int = 1) -> tuple[str, list[Note]]:
    r"""``body`` (a post's Markdown) with each ``<p>`` HTML block closed where a browser closes it, and a note for
    every HTML block that was not closed.

    Python-Markdown reads an HTML block from its block-level opening tag at the start of a line up to the
    tag that closes it, blank lines and Markdown included: a block never closed takes the rest of the post
    as raw HTML (its headings show as ``####`` text). Browsers, and kramdown, close an open ``<p>`` at the
    next ``<p>``: so a ``<p>`` opened inside an open one (a typo for ``</p>``) gets ``</p>`` before it, and a
    ``<p>`` still open at the end gets one at the end of its paragraph. Any other tag is only named, at its
    line (where it should close is the author's call). Lines are not added or removed but for that last case.

    Examples:
        >>> text, notes = close_html_blocks('<p class="m">\na\n<p class="m">\nb\n\n## Next', path="p.md")
        >>> print(text)
        <p class="m">
        a
        </p><p class="m">
        b
        </p>
        <BLANKLINE>
        ## Next
        >>> for note in notes:
        ...     print(note)
        p.md:3: warning: <p> opened inside the open <p> of line 1: that one closed first, as browsers do
        p.md:3: warning: <p> never closed: closed at the end of its paragraph, as browsers do
    """
    lines = body.split("\n")
    in_code = code_mask(lines)
    notes: list[Note] = []
    k = 0
    while k < len(lines):
        tag = block_tag(lines[k]) if not in_code[k] else None
        if tag is None:
            k += 1
            continue
        opened, depth, end, inserts = k, 0, k, []
        for end, t in tag_events(lines, k, tag, in_code):
            if t.group(1):
                depth -= 1
            elif tag == "p" and depth == 1:  # HTML's implied end tag: the open <p> closes first
                inserts.append((end, t.start()))
                notes.append(Note(path, first_line + end, f"<p> opened inside the open <p> of line "
                                  f"{first_line + opened}: that one closed first, as browsers do",
                                  NoteKind.UNCLOSED_HTML))  # fmt: skip
                opened = end
            else:
                depth += 1
            if depth == 0:
                break
        for row, col in reversed(inserts):
            lines[row] = lines[row][:col] + "</p>" + lines[row][col:]
        if depth > 0 and tag == "p":
            stop = next((j for j in range(opened + 1, len(lines)) if not lines[j].strip() or in_code[j]), len(lines))
            lines[stop - 1] += "\n</p>"
            notes.append(Note(path, first_line + opened, "<p> never closed: closed at the end of its paragraph, "
                              "as browsers do", NoteKind.UNCLOSED_HTML))  # fmt: skip
            end = stop - 1
        elif depth > 0:
            notes.append(Note(path, first_line + k, f"<{tag}> never closed: Python-Markdown shows the rest of the "
                              f"post as raw HTML (close it with </{tag}>)", NoteKind.UNCLOSED_HTML))  # fmt: skip
            break
        k = end + 1
    return "\n".join(lines), notes


def insert_excerpt(body: str, separator: str | None = None) -> str:
    r"""``body`` (a log without front matter) with mkdocs-material's ``<!-- more -->`` in it.

    Args:
        body: the log's Markdown body.
        separator: the blog's own excerpt separator (Jekyll's ``excerpt_separator``), replaced where it
            stands on a line of its own; None or a blank one: Jekyll's default, the first paragraph.

    Returns:
        The body unchanged if it has ``<!-- more -->`` already; else with the separator replaced, or
        ``<!-- more -->`` inserted after the first paragraph that is followed by a line at the margin
        (never inside a fence or a list), or at the end.

    Examples:
        >>> print(insert_excerpt("# Day 7\n\nWhat I learned.\nMore of it.\n\n## Notes\n\ntext\n"))
        # Day 7
        <BLANKLINE>
        What I learned.
        More of it.
        <BLANKLINE>
        <!-- more -->
        <BLANKLINE>
        ## Notes
        <BLANKLINE>
        text
        <BLANKLINE>
        >>> print(insert_excerpt("Intro\n<!--break-->\nrest\n", "<!--break-->"))
        Intro
        <!-- more -->
        rest
        <BLANKLINE>
    """
    lines = body.split("\n")
    if any(_MORE_LINE.match(line) for line in lines):
        return body
    if separator and separator.strip():
        for k, line in enumerate(lines):
            if line.strip() == separator.strip():
                return "\n".join([*lines[:k], MORE, *lines[k + 1 :]])
    in_code = code_mask(lines)
    html, depth = "", 0  # the raw HTML block open (its tag, how deep): the separator cannot go there
    seen_text = False
    for k, line in enumerate(lines):
        lower = line.lower()
        if depth:
            depth += len(re.findall(rf"<{html}\b", lower)) - lower.count(f"</{html}")
            continue
        if h := _HTML_OPEN.match(line):
            html = h.group("tag").lower()
            depth = len(re.findall(rf"<{html}\b", lower)) - lower.count(f"</{html}")
            seen_text = True
            if depth > 0:
                continue
        if in_code[k]:
            continue
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "<!--")):
            seen_text = True
        if stripped or not seen_text:
            continue
        nxt = next((ln for ln in lines[k + 1 :] if ln.strip()), None)
        if nxt is None:
            break
        if nxt[:1] not in (" ", "\t") and not _LIST_ITEM.match(nxt):
            return "\n".join([*lines[: k + 1], MORE, "", *lines[k + 1 :]])
    return body.rstrip("\n") + f"\n\n{MORE}\n"


_FOOTNOTE_DEFINITION = re.compile(r"^[ ]{0,3}\[\^(?P<label>[^\]\n]+)\]:")


def drop_unused_footnotes(body: str) -> tuple[str, list[str]]:
    r"""``body`` with each footnote definition nothing refers to written as plain text, and their labels.

    kramdown shows no footnote that is never referenced; Python-Markdown shows it with a link back to
    a reference that does not exist (a broken anchor). Its text (and any formula in it) is kept, as
    a paragraph starting ``[^label]:`` in plain text.

    Examples:
        >>> drop_unused_footnotes("a[^1]\n\n[^1]: used\n[^2]: unused\n\nend\n")
        ('a[^1]\n\n[^1]: used\n\n\\[^2\\]: unused\n\nend\n', ['2'])
    """
    lines = body.split("\n")
    labels = {m.group("label") for line in lines if (m := _FOOTNOTE_DEFINITION.match(line))}
    unused = [
        label
        for label in sorted(labels)
        if not any(f"[^{label}]" in line and not _FOOTNOTE_DEFINITION.match(line) for line in lines)
        and not any(f"[^{label}]" in line[m.end() :] for line in lines if (m := _FOOTNOTE_DEFINITION.match(line)))
    ]
    if not unused:
        return body, []
    out: list[str] = []
    for line in lines:
        m = _FOOTNOTE_DEFINITION.match(line)
        if m and m.group("label") in unused:
            if out and out[-1].strip():
                out.append("")  # a paragraph of its own, not the end of the previous definition
            line = line[: m.start()] + f"\\[^{m.group('label')}\\]:" + line[m.end() :]
        out.append(line)
    return "\n".join(out), unused
