"""Parse + judge every value cell of a 10,000-indicator set, beside openpyxl's load time.

    .venv/bin/python benchmarks/bench_core.py [N]

Prints cells per second of the pure core, and the time openpyxl needs just to load the
same indicators as a workbook (measured in the same run). The core should take well
under the load time, so that it is never what makes an operation slow.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook

from benchmarks.common import best_of, synthetic_rows
from xlplan.core import dates as dates_mod
from xlplan.core import normalize as normalize_mod
from xlplan.core import parse as parse_mod
from xlplan.core.compute import compute_row
from xlplan.core.settings import Settings

VALUE_KEYS = ("baseline", "actual", "projection", "mid_target", "final_target")


def main(n: int = 10_000) -> None:
    rows = synthetic_rows(n)
    cells = sum(1 for r in rows for k in VALUE_KEYS if k in r)
    settings = Settings()

    def clear_caches() -> None:
        parse_mod._DEFAULT._parse_cached.cache_clear()  # type: ignore[attr-defined]
        for mod in (normalize_mod, dates_mod):
            for obj in vars(mod).values():
                if hasattr(obj, "cache_clear"):
                    obj.cache_clear()

    def core() -> None:
        clear_caches()
        for r in rows:
            compute_row(r["sheet"], r, settings)

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.xlsx"
        wb = Workbook()
        ws = wb.active
        keys = sorted({k for r in rows for k in r})
        ws.append(keys)
        for r in rows:
            ws.append([r.get(k, "") for k in keys])
        wb.save(path)
        t_load = best_of(lambda: load_workbook(path))
    t_core = best_of(core)
    print(f"indicators: {n:,}   value cells: {cells:,}")
    print(f"parse+judge (cold caches): {t_core:.3f} s  = {cells / t_core:,.0f} cells/s")
    print(f"openpyxl load of the same data: {t_load:.3f} s")
    print(f"ratio core / openpyxl load: {t_core / t_load:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
