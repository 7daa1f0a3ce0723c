"""studylog: daily study logs whose formulas are proven against their implementations."""

from studylog.engine.binding import implements

__all__ = ["implements"]
__version__ = "0.1.0"
