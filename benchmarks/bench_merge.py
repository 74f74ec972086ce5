"""Merge 100 returned copies of the template into the master, against a bare openpyxl read.

    .venv/bin/python benchmarks/bench_merge.py [N]

Builds the real template, issues it by sheet (4-1, 4-2, 4-3: every indicator goes out),
and makes N returned copies, each edited as staff edit them (openpyxl, two cells, some
of them the same cell as another copy so conflicts happen too). Then, in the same run:

- baseline: ``openpyxl.load_workbook`` of the same N files, nothing else;
- merge: :func:`xlplan.files.merge_file` of the N files into a fresh copy of
  the master (sniffing each file, reading, three-way merge, 変更履歴, recompute, backup,
  atomic save).

Prints both times and the ratio merge / baseline. Goal: at most 2×.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from benchmarks.common import best_of
from xlplan.core.layout import INPUT_SHEET
from xlplan.core.sheetread import locate
from xlplan.engines.template import build_template
from xlplan.files import merge_file as merge_into_master
from xlplan.files import split_file as split_master

GOAL = 2.0


def make_returns(folder: Path, n: int) -> tuple[Path, list[Path]]:
    master = folder / "資料4_master.xlsx"
    build_template().save(master)
    issued = split_master(master, folder / "sent", by="sheet", now=datetime(2021, 1, 15, 9))
    copies = {f.group: f for f in issued.files}
    out = []
    for i in range(n):
        group = ("4-1", "4-2", "4-3")[i % 3]
        f = copies[group]
        wb = load_workbook(f.path)
        ws = wb[INPUT_SHEET[group]]
        lay, _ = locate(group, ws.title, list(ws.iter_rows(values_only=True)))
        assert lay is not None
        rows = len(f.row_ids)
        r = lay.header_row + 1 + (i // 3) % rows
        ws.cell(r, lay.cols["status_text"]).value = f"返送{i}：取組を進めた。"
        ws.cell(r, lay.cols["actual"]).value = f"{100 + i}件"
        wb.properties.lastModifiedBy = f"担当者{i}"
        p = folder / "back" / f"返送_{i:03d}.xlsx"
        p.parent.mkdir(exist_ok=True)
        wb.save(p)
        out.append(p)
    return master, out


def main(n: int = 100) -> float:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        t0 = time.perf_counter()
        master, files = make_returns(folder, n)
        print(f"setup: {n} returned copies in {time.perf_counter() - t0:.1f} s "
              f"({sum(p.stat().st_size for p in files) / n / 1024:.0f} KiB each)")

        def bare() -> None:
            for p in files:
                load_workbook(p)

        def bare_values() -> None:
            for p in files:
                wb = load_workbook(p, read_only=True)
                for ws in wb.worksheets:
                    for _ in ws.iter_rows(values_only=True):
                        pass
                wb.close()

        runs = []

        def merge() -> None:
            target = folder / f"run{len(runs)}" / master.name
            target.parent.mkdir()
            shutil.copy2(master, target)
            rep = merge_into_master(target, files, now=datetime(2021, 2, 1, 17))
            runs.append(rep)

        t_bare = best_of(bare)
        t_values = best_of(bare_values)
        t_merge = best_of(merge)
        rep = runs[-1]
        print(f"bare openpyxl read (load_workbook), {n} files: {t_bare:.2f} s")
        print(f"  (read-only load + every value:           {t_values:.2f} s)")
        print(f"xlplan merge of the same {n} files:       {t_merge:.2f} s "
              f"({len(rep.changes)} cells applied, {len(rep.conflicts)} conflicts, "
              f"{rep.recomputed_cells} computed cells rewritten)")
        ratio = t_merge / t_bare
        print(f"ratio merge / bare read: {ratio:.2f}x (goal <= {GOAL:.0f}x) "
              f"{'OK' if ratio <= GOAL else 'SLOWER THAN GOAL'}")
        return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
