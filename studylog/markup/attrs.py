r"""Attributes in braces: a formula's ``{#id exempt="reason" imported}`` and a fence's options.

A formula's braces follow markdown-katex's fence or inline span: ```` ```math {#adam.m} ```` and
$`x`${#id}. These attributes exist, and anything else in the braces is an error naming it:

* ``#id`` — lower-case letters, digits, ``.``, ``_``, ``-``; unique across the site;
* ``exempt="reason"`` — not computational; the reason is shown on the page;
* ``imported`` — brought over by ``studylog import`` and not yet linked: shown "not yet checked";
* ``same="id"`` — the formula restates the formula ``id`` (e.g. on a later day's page): it is checked
  by that formula's implementation, in its place, and needs no binding of its own;
* ``title="name"`` — a one-line name for the formula (its row in the log's formula sheet); without
  it the sheet names the formula after the section it stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studylog.errors import MarkupError

ID_RE = r"[a-z][a-z0-9_.-]*"
_BRACES = re.compile(r"^\{(?P<body>[^{}]*)\}\s*$")
_ATTR = re.compile(r'\s*(?:#(?P<id>[^\s"=}]+)|(?P<key>[A-Za-z_][\w-]*)(?:="(?P<value>[^"]*)")?)\s*')
_OPTION = re.compile(r'([A-Za-z_][\w-]*)(?:="([^"]*)")?')
#: braces right after inline math are the formula's attributes only when they look like attributes, so
#: that prose such as $`x`${a, b} keeps its braces
INLINE_ATTRS = re.compile(r'\{(?=\s*(?:#|exempt\s*=|same\s*=|imported\s*[\s}]))(?P<body>[^{}\n]*)\}')


@dataclass(frozen=True)
class FormulaAttrs:
    """What the braces after a formula say."""

    id: str | None = None
    exempt: str | None = None
    imported: bool = False
    same: str | None = None  # the id of the formula this one restates
    title: str | None = None  # a one-line name (the formula sheet's)


NO_ATTRS = FormulaAttrs()


def parse_formula_attrs(text: str, *, path: str, line: int) -> FormulaAttrs:
    """Parse ``{#id exempt="reason" imported}`` (empty text: no attributes).

    Raises:
        MarkupError: for anything else in the braces, located at ``path:line``.

    >>> parse_formula_attrs('{#adam.m}', path="x.md", line=3)
    FormulaAttrs(id='adam.m', exempt=None, imported=False, same=None, title=None)
    """
    if not text.strip():
        return NO_ATTRS
    m = _BRACES.match(text.strip())
    if not m:
        raise MarkupError(f"cannot read the formula attributes {text.strip()!r}: expected {{#id}}", path=path, line=line)
    body = m.group("body")
    formula_id = exempt = same = title = None
    imported = False
    pos = 0
    while pos < len(body):
        am = _ATTR.match(body, pos)
        if not am or am.end() == pos:
            raise MarkupError(f"cannot read the formula attributes {{{body}}}", path=path, line=line)
        pos = am.end()
        key, value = am.group("key"), am.group("value")
        if am.group("id") is not None:
            if not re.fullmatch(ID_RE, am.group("id")):
                raise MarkupError(f"bad formula id {am.group('id')!r}: use lower-case letters, digits, '.', '_', '-'",
                                  path=path, line=line)  # fmt: skip
            formula_id = am.group("id")
        elif key == "exempt" and value is not None:
            exempt = value.strip()
            if not exempt:
                raise MarkupError('exempt="" needs a reason', path=path, line=line)
        elif key == "imported" and value is None:
            imported = True
        elif key == "same" and value is not None:
            if not re.fullmatch(ID_RE, value.strip()):
                raise MarkupError(f"same={value!r} must name a formula id", path=path, line=line)
            same = value.strip()
        elif key == "title" and value is not None:
            title = " ".join(value.split())
            if not title:
                raise MarkupError('title="" needs a name', path=path, line=line)
        else:
            raise MarkupError(f"unknown formula attribute {key!r} "
                              "(known: #id, exempt=\"reason\", imported, same=\"id\", title=\"name\")",
                              path=path, line=line)  # fmt: skip
    if imported and formula_id is not None:
        raise MarkupError(f"formula {formula_id!r} has an id and is marked imported: drop 'imported' once you link it",
                          path=path, line=line)  # fmt: skip
    if imported and exempt is not None:
        raise MarkupError("a formula is either imported (not yet checked) or exempt, not both", path=path, line=line)
    if same is not None and (exempt is not None or imported):
        raise MarkupError(f"same={same!r} restates a checked formula: it cannot be exempt or imported", path=path, line=line)
    return FormulaAttrs(formula_id, exempt, imported, same, title)


def parse_options(info: str) -> dict[str, str]:
    """A fence's options, markdown-exec style: ``exec="on" result="text"`` (bare words map to "").

    >>> parse_options('exec="on" result="text" expect')
    {'exec': 'on', 'result': 'text', 'expect': ''}
    """
    return {m.group(1): m.group(2) if m.group(2) is not None else "" for m in _OPTION.finditer(info)}
