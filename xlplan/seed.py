"""The one transcription of the FY2020 report (``xlplan/data/seed_fy2020.toml``).

The template workbook is built from it, and the tests read the printed marks from it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

SEED_FILE = "seed_fy2020.toml"


@cache
def _load() -> dict[str, Any]:
    text = resources.files("xlplan.data").joinpath(SEED_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def seed_rows() -> list[dict[str, str]]:
    """Every indicator of the seed, in printed order, as a fresh list of dicts."""
    return [dict(r) for r in _load()["row"]]


def seed_manual() -> dict[str, str]:
    """The manual judgements of the seed: start of the indicator's text → the reason."""
    return {str(k): str(v) for k, v in _load().get("manual", {}).items()}


def seed_meta() -> dict[str, Any]:
    return dict(_load()["meta"])
