"""Errors of ``studylog new`` and ``studylog import``.

Each carries the file and, where one applies, the 1-based line it is about, so that the command can
print ``FILE:LINE: message`` and carry on with the next post.
"""

from __future__ import annotations

from studylog.errors import StudylogError

__all__ = [
    "AuthoringError",
    "ConversionError",
    "FormulaCountError",
    "FrontMatterError",
    "LogExistsError",
    "UnbalancedMathError",
]


class AuthoringError(StudylogError):
    """Root of the errors raised while creating or importing a log."""


class LogExistsError(AuthoringError):
    """The log to be written already exists (``new`` never overwrites; ``import`` only with ``--force``)."""


class ConversionError(AuthoringError):
    """A Jekyll post cannot be converted into a log."""


class FrontMatterError(ConversionError):
    """The post's YAML front matter is missing a date, cannot be parsed, or holds a value of the wrong type."""


class UnbalancedMathError(ConversionError):
    """A ``$`` or ``$$`` opens a formula that is never closed."""


class FormulaCountError(ConversionError):
    """The converted log does not hold exactly the formulas found in the post (a converter bug: nothing is written)."""
