"""The closed vocabulary of a formula's verdict.

Values are the strings ``formulas.json`` and ``studylog verify --report`` have always used, so a
`Status` compares equal to its string (it is a `StrEnum`).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The verdict on one formula of a log."""

    VERIFIED = "verified"  #: the formula and its implementation agree on every draw
    MISMATCH = "mismatch"  #: they disagree (the message says where and on which inputs)
    INVALID = "invalid"  #: the formula or its binding cannot be checked (unsupported, undeclared, raised)
    MISSING = "missing"  #: an id that no implementation declares
    UNLINKED = "unlinked"  #: an equation without an id or an exemption
    EXEMPT = "exempt"  #: not computational, with a reason shown on the page
    IMPORTED = "imported"  #: imported from another blog and not yet linked: shown "not yet checked", never ✓
    PROSE = "prose"  #: inline math that states no relation (a value such as k = 5): nothing to check

    @property
    def ok(self) -> bool:
        """Whether the formula needs no attention (a build passes with it)."""
        return self in (Status.VERIFIED, Status.EXEMPT, Status.PROSE, Status.IMPORTED)

    @property
    def failed(self) -> bool:
        """Whether the formula is wrong or cannot be checked (fatal under a strict build)."""
        return not self.ok
