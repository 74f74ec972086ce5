"""Helpers shared by the benchmark scripts: synthetic masters built from the seed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from xlplan.seed import seed_rows

_NUM = re.compile(r"\d+")


def vary(text: str, k: int) -> str:
    """Change the numbers of a cell so copy k is not the same text (defeats caches)."""
    if k == 0:
        return text
    return _NUM.sub(lambda m: str(int(m.group()) + k) if len(m.group()) < 7 else m.group(), text)


def synthetic_rows(n: int, *, varied: bool = True) -> list[dict[str, str]]:
    """``n`` indicators cycling through the seed's 68 rows, with unique IDs."""
    seed = seed_rows()
    out = []
    counters = {"4-1": 0, "4-2": 0, "4-3": 0}
    for i in range(n):
        s = dict(seed[i % len(seed)])
        k = i // len(seed) if varied else 0
        for key in ("baseline", "actual", "projection"):
            s[key] = vary(s[key], k)
        counters[s["sheet"]] += 1
        s["id"] = f"{s['sheet']}-{counters[s['sheet']]:02d}"
        out.append(s)
    return out


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def build_master(rows: list[dict[str, str]], path: Path) -> Path:
    from xlplan.engines.template import build_template

    build_template(rows).save(path)
    return path
