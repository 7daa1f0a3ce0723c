"""The daily-log views: a calendar with streaks, a page per bootcamp week, and a concept index.

Pure functions from the logs' front matter to Markdown pages; the MkDocs plugin adds the pages to
the build. A log may say ``week: 2`` (or carry a tag ``week 2``) and list ``concepts:``; a concept is
*introduced* by the earliest log listing it and *used* by every later one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from studylog.errors import MarkupError
from studylog.markup import LogPage
from studylog.markup.frontmatter import log_date
from studylog.site.headings import Slug, default_slug, headings, plain, section_of


@dataclass(frozen=True)
class LogEntry:
    """What the views need of one log."""

    date: dt.date
    title: str
    src: str  # path relative to docs/ (for links)
    week: int | None = None
    concepts: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)
    anchors: dict[str, str] = field(default_factory=dict, compare=False)  # concept -> section anchor


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("–", "-").replace("—", "-").split())


def concept_anchor(log: LogPage, concept: str, slug: Slug = default_slug) -> str | None:
    """The anchor of the section of ``log`` that explains ``concept``, or None (then: the whole log).

    A heading that starts with the concept's words wins (``Bagging (배깅)`` for *bagging*), then the
    first heading containing them as words, then the section of the first paragraph that mentions them.
    """
    want = _words(concept)
    if not want:
        return None
    pattern = re.compile(r"(?<![\w-])" + re.escape(want) + r"(?:s|es)?(?!\w)")  # plurals too: "batch sizes"
    sections = [h for h in headings(log, slug) if h.level >= 2]
    for h in sections:
        if pattern.match(_words(h.text)):
            return h.anchor
    for h in sections:
        if pattern.search(_words(h.text)):
            return h.anchor
    inside: set[int] = set()
    for fence in log.fences:
        inside.update(range(fence.line, fence.end_line + 1))
    for number, line in enumerate(log.lines, start=1):
        if number > log.front_matter.lines and number not in inside and pattern.search(_words(plain(line))):
            section = section_of(sections, number)
            return section.anchor if section is not None else None
    return None


def entry_of(log: LogPage, src: str, slug: Slug = default_slug) -> LogEntry | None:
    """The entry of a log's page model (None for a page that is not a dated log); ``src`` is relative to docs/.

    Raises:
        MarkupError: when ``date`` is not a date.
    """
    fm = log.front_matter
    date = log_date(fm, path=log.path)
    if date is None:
        return None
    meta = fm.data
    tags = _names(log, "tags")
    week = meta.get("week")
    if week is None:
        for tag in tags:
            m = re.fullmatch(r"week\s*(\d+)|(\d+)\s*주차", tag.strip(), re.IGNORECASE)
            if m:
                week = int(m.group(1) or m.group(2))
    if week is not None and (isinstance(week, bool) or not isinstance(week, int) or week < 0):
        raise MarkupError(f"week must be a whole number, not {week!r}", path=log.path, line=fm.key_line("week"))
    title = str(meta.get("title") or Path(src).stem)
    concepts = _names(log, "concepts")
    anchors = {c: a for c in concepts if (a := concept_anchor(log, c, slug)) is not None}
    return LogEntry(date, title, src, week, concepts, tags, anchors)


def _names(log: LogPage, key: str) -> tuple[str, ...]:
    """``tags:`` or ``concepts:``: a list of names (one name alone counts as a list of one).

    Raises:
        MarkupError: for anything else (a number, a mapping, a nested list), at the key's line.
    """
    value = log.front_matter.data.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str | int | float | dt.date) and not isinstance(v, bool)
                                              for v in items):  # fmt: skip
        raise MarkupError(f"{key} must be a list of names, not {value!r}", path=log.path,
                          line=log.front_matter.key_line(key))  # fmt: skip
    return tuple(str(v) for v in items)


def _link(entry: LogEntry, here: str) -> str:
    rel = Path(entry.src)
    depth = len(Path(here).parent.parts)
    return "../" * depth + rel.as_posix()


def _concept_link(entry: LogEntry, concept: str, here: str) -> str:
    """A link to the section of ``entry`` that explains ``concept`` (the log's top if none does)."""
    anchor = next((a for c, a in entry.anchors.items() if c.casefold() == concept.casefold()), None)
    return _link(entry, here) + (f"#{anchor}" if anchor else "")


def streaks(dates: list[dt.date], today: dt.date | None = None) -> tuple[int, int]:
    """(longest run of consecutive days with a log, the run ending at the last log)."""
    days = sorted(set(dates))
    if not days:
        return 0, 0
    longest = run = 1
    for a, b in zip(days, days[1:]):
        run = run + 1 if (b - a).days == 1 else 1
        longest = max(longest, run)
    return longest, run


def calendar_page(entries: list[LogEntry], here: str = "journal/calendar.md") -> str:
    """A month grid per month with logs, days linked to their log, and the streaks."""
    longest, current = streaks([e.date for e in entries])
    out = ["# Calendar", "", f"{len(entries)} logged day(s); longest streak {longest} day(s), "
           f"last streak {current} day(s).", ""]  # fmt: skip
    by_day: dict[dt.date, list[LogEntry]] = defaultdict(list)
    for e in entries:
        by_day[e.date].append(e)
    months = sorted({(d.year, d.month) for d in by_day}, reverse=True)
    for year, month in months:
        out += [f"## {calendar.month_name[month]} {year}", "", *month_grid(entries, year, month, here), ""]
    return "\n".join(out) + "\n"


def month_grid(entries: list[LogEntry], year: int, month: int, here: str) -> list[str]:
    """A Markdown table of one month, Monday first, each day with a log linked to it (from page ``here``)."""
    by_day: dict[dt.date, list[LogEntry]] = defaultdict(list)
    for e in entries:
        by_day[e.date].append(e)
    out = ["| Mon | Tue | Wed | Thu | Fri | Sat | Sun |", "|---|---|---|---|---|---|---|"]
    for week in calendar.Calendar().monthdayscalendar(year, month):  # day numbers: no date outside years 1-9999
        cells = []
        for number in week:
            day = dt.date(year, month, number) if number else None
            if day is None:
                cells.append(" ")
            elif day in by_day:
                e = by_day[day][0]
                cells.append(f"[**{day.day}**]({_link(e, here)} \"{e.title}\")")
            else:
                cells.append(str(day.day))
        out.append("| " + " | ".join(cells) + " |")
    return out


def week_pages(entries: list[LogEntry]) -> dict[int, str]:
    """``week number -> Markdown`` rolling up that week's days."""
    weeks: dict[int, list[LogEntry]] = defaultdict(list)
    for e in entries:
        if e.week is not None:
            weeks[e.week].append(e)
    pages = {}
    for week, days in sorted(weeks.items()):
        here = f"journal/week-{week}.md"
        lines = [f"# Week {week}", "", f"{len(days)} log(s), {min(d.date for d in days)} to {max(d.date for d in days)}.", ""]
        for e in sorted(days, key=lambda e: e.date):
            lines.append(f"- **{e.date:%a %Y-%m-%d}**: [{e.title}]({_link(e, here)})"
                         + (f" — {', '.join(e.concepts)}" if e.concepts else ""))  # fmt: skip
        pages[week] = "\n".join(lines) + "\n"
    return pages


def concept_page(entries: list[LogEntry], here: str = "journal/concepts.md") -> str:
    """Every concept: the day that introduced it, then every later day that uses it."""
    uses: dict[str, list[LogEntry]] = defaultdict(list)
    names: dict[str, str] = {}
    for e in sorted(entries, key=lambda e: (e.date, e.src)):
        for c in e.concepts:
            key = c.casefold()
            names.setdefault(key, c)
            uses[key].append(e)
    lines = ["# Concepts", "", "Each concept links to the day it was introduced, then to every later day that uses it.", ""]
    for key in sorted(uses, key=lambda k: names[k].casefold()):
        first, *later = uses[key]
        item = f"- **{names[key]}**: introduced [{first.date}]({_concept_link(first, names[key], here)})"
        if later:
            item += "; used " + ", ".join(f"[{e.date}]({_concept_link(e, names[key], here)})" for e in later)
        lines.append(item)
    return "\n".join(lines) + "\n"


def journal_pages(entries: list[LogEntry]) -> dict[str, str]:
    """All generated pages, by their path under docs/."""
    pages = {"journal/calendar.md": calendar_page(entries), "journal/concepts.md": concept_page(entries)}
    for week, text in week_pages(entries).items():
        pages[f"journal/week-{week}.md"] = text
    return pages
