"""The engine knows nothing about MkDocs or any learning topic."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_neither_mkdocs_nor_topics() -> None:
    code = (
        "import sys, studylog.engine.verify, studylog.engine.check, studylog.engine.parse, studylog.engine.scan;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'markdown', 'torch')"
        " or m.startswith(('studylog.optim', 'studylog.learning', 'studylog.regularization', 'studylog.nn', 'studylog.site')));"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", out
