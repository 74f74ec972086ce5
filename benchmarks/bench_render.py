"""render on a 10,000-indicator master, as a ratio to a bare openpyxl load + save.

    .venv/bin/python benchmarks/bench_render.py [N]

Measures, in the same run and on the same file:

* bare: ``load_workbook`` + ``save`` of the master (the floor for any file operation);
* first render: the master without report sheets → 資料4-1/4-2/4-3 + 集計 written
  (sniff, load, read, recompute check, layout, write, backup, atomic save);
* re-render: the same on a master that already has its report sheets (the steady state:
  old sheets compared for hand edits, deleted and rebuilt), against a bare load + save of
  that bigger file.

Goal: ratio <= 2.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from benchmarks.common import best_of, build_master, synthetic_rows
from xlplan.files import render_file


def main(n: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        t0 = time.perf_counter()
        src = build_master(synthetic_rows(n), folder / "master.xlsx")
        print(f"built a {n:,}-indicator master in {time.perf_counter() - t0:.1f} s "
              f"({src.stat().st_size / 1e6:.1f} MB)")
        work = folder / "work" / "master.xlsx"
        work.parent.mkdir()

        def bare(path: Path) -> None:
            wb = load_workbook(path)
            wb.save(folder / "bare.xlsx")

        def render_fresh() -> None:
            shutil.copyfile(src, work)
            shutil.rmtree(work.parent / "backup", ignore_errors=True)
            out = render_file(work)
            sheets = out.data["reports"].sheets.values()
            assert sum(len(rep.rows) for rep in sheets) == n

        t_bare = best_of(lambda: bare(src))
        t_first = best_of(render_fresh)
        rendered = folder / "rendered.xlsx"
        shutil.copyfile(work, rendered)
        print(f"rendered file: {rendered.stat().st_size / 1e6:.1f} MB; pages planned: "
              + ", ".join(f"{rep.name} {rep.pages}"
                           for rep in render_file(work).data["reports"].sheets.values()))

        def render_again() -> None:
            shutil.copyfile(rendered, work)
            shutil.rmtree(work.parent / "backup", ignore_errors=True)
            render_file(work)

        t_bare2 = best_of(lambda: bare(rendered))
        t_again = best_of(render_again)
        print(f"bare openpyxl load+save of the master: {t_bare:.2f} s")
        print(f"xlplan render, first time:             {t_first:.2f} s   "
              f"ratio {t_first / t_bare:.2f}  (goal <= 2)")
        print(f"bare openpyxl load+save, rendered file: {t_bare2:.2f} s")
        print(f"xlplan render, again:                   {t_again:.2f} s   "
              f"ratio {t_again / t_bare2:.2f}  (goal <= 2)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
