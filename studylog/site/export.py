"""``formulas.json``: every formula with an id, for other tools (documented in docs/architecture.md).

Fields per formula: ``id``, ``source`` (``FILE:LINE``), ``page`` (its URL), ``number``, ``status``
(the values of `studylog.engine.status.Status`), ``implementations`` (import paths).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studylog.site.model import SiteModel


def formula_rows(model: SiteModel) -> list[dict[str, Any]]:
    rows = []
    for page in model.pages.values():
        for f in page.scanned.formulas:
            if f.id is None:
                continue
            v = model.verdict(f)
            rows.append({
                "id": f.id, "source": f.location, "page": page.url, "number": f.number,
                "status": v.status.value if v is not None else None,
                "implementations": list(dict.fromkeys(i.path for i in v.impls)) if v is not None else [],
            })  # fmt: skip
    return rows


def export(model: SiteModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(formula_rows(model), indent=1, ensure_ascii=False), encoding="utf-8")
