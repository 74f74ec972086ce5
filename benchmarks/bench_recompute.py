"""recompute on a 10,000-indicator master, as a ratio to a bare openpyxl load + save.

    .venv/bin/python benchmarks/bench_recompute.py [N]

Goal: ratio <= 1.5.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from benchmarks.common import best_of, build_master, synthetic_rows
from tests.helpers import master_of_workbook
from xlplan.files import recompute_file


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as d:
        src = build_master(synthetic_rows(n), Path(d) / "master.xlsx")
        work = Path(d) / "work" / "master.xlsx"
        work.parent.mkdir()

        def bare() -> None:
            wb = load_workbook(src)
            wb.save(Path(d) / "bare.xlsx")

        def blank_computed() -> None:
            wb = load_workbook(src)
            m = master_of_workbook(wb)
            for s in m.inputs.values():
                col = s.layout.cols["mark"]
                ws = wb[s.tab]
                for r in s.rows:
                    ws.cell(r.row, col).value = None
            wb.save(work)

        blank_computed()
        blanked = work.read_bytes()

        def recompute() -> None:
            work.write_bytes(blanked)
            shutil.rmtree(work.parent / "backup", ignore_errors=True)
            out = recompute_file(work)
            assert out.changed_cells >= n, out.changed_cells

        t_bare = best_of(bare)
        t_rec = best_of(recompute)
        print(f"indicators: {n:,}  file: {src.stat().st_size / 1e6:.1f} MB")
        print(f"bare openpyxl load+save: {t_bare:.2f} s")
        print(f"xlplan recompute (sniff, load, read, compute, write, backup, atomic save): {t_rec:.2f} s")
        print(f"ratio recompute / bare: {t_rec / t_bare:.2f}  (goal <= 1.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
