r"""The text of a new, empty log: front matter and the usual sections of a day."""

from __future__ import annotations

import datetime as dt

from studylog.authoring.frontmatter import LogMeta, render_front_matter

__all__ = ["SECTIONS", "default_title", "new_log_text"]

#: the sections of a day, in order (Korean in parentheses: readers search in Korean)
SECTIONS = (
    "Today's schedule (오늘 일정)",
    "Lecture notes (강의 내용 정리)",
    "Assignment (과제 수행 과정)",
    "Peer session (피어 세션)",
    "Retrospective (학습 회고)",
)

_HINTS = {
    SECTIONS[0]: "- [ ] …",
    SECTIONS[1]: (
        "<!-- Display formulas go in a math fence with an id ({#topic.name}); inline formulas between a dollar"
        " and a backtick on each side (a plain dollar pair is not math). -->"
    ),
}


def default_title(date: dt.date) -> str:
    r"""The title of a log nobody named: ``Study log YYYY-MM-DD``.

    Examples:
        >>> import datetime
        >>> default_title(datetime.date(2021, 8, 10))
        'Study log 2021-08-10'
    """
    return f"Study log {date.isoformat()}"


def new_log_text(meta: LogMeta) -> str:
    r"""The Markdown of a new log: ``meta`` as front matter, a summary line, ``<!-- more -->`` and the sections.

    Args:
        meta: the log's front matter.

    Returns:
        The file's text, ending with a newline.

    Examples:
        >>> import datetime
        >>> text = new_log_text(LogMeta(datetime.date(2021, 8, 10), "Day 7"))
        >>> [line for line in text.splitlines() if line.startswith("## ")][:2]
        ["## Today's schedule (오늘 일정)", '## Lecture notes (강의 내용 정리)']
    """
    parts = [render_front_matter(meta), "One line on what this day was about.\n\n<!-- more -->\n"]
    for section in SECTIONS:
        hint = _HINTS.get(section)
        parts.append(f"## {section}\n" + (f"\n{hint}\n" if hint else ""))
    return "\n".join(parts)
