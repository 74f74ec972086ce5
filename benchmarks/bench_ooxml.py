"""Surgical package patching vs a bare openpyxl load + save of the same file.

    .venv/bin/python benchmarks/bench_ooxml.py [N]

Writes ~500 computed cells (text, numbers, formula-looking text) into the input sheets of
the shipped template with xlplan.ooxml (read, set_cells, write) and times it against
openpyxl loading and saving the same file with no change at all; both are measured in the
same run, best of 5. With N, the same on a synthetic master of N indicators.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from benchmarks.common import best_of
from xlplan.ooxml import Package

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook" / "資料4_template.xlsx"
INPUT_SHEETS = ("4-1入力", "4-2入力", "4-3入力")
COMPUTED_COLS = range(21, 29)  # U..AB


def cells_for(pkg: Package, target: int) -> dict[str, dict[tuple[int, int], object]]:
    """About ``target`` cells over the computed columns of the input sheets."""
    out: dict[str, dict[tuple[int, int], object]] = {s: {} for s in INPUT_SHEETS}
    n = 0
    row = 4
    while n < target:
        for sheet in INPUT_SHEETS:
            for col in COMPUTED_COLS:
                k = n % 4
                out[sheet][(row, col)] = (0.5 + n / 1000 if k == 0 else
                                          "↗ 〇" if k == 1 else
                                          f"=HYPERLINK(\"x\",\"{n}\")" if k == 2 else n)
                n += 1
        row += 1
    return out


def run(src: Path, target: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        out_patch = Path(d) / "patched.xlsx"
        out_bare = Path(d) / "bare.xlsx"
        cells = cells_for(Package.read(src), target)
        count = sum(len(v) for v in cells.values())

        def patch() -> None:
            pkg = Package.read(src)
            for sheet, values in cells.items():
                pkg.set_cells(sheet, values)
            pkg.write(out_patch)

        def bare() -> None:
            wb = load_workbook(src)
            wb.save(out_bare)

        t_patch = best_of(patch, repeat=5)
        t_bare = best_of(bare, repeat=5)
        print(f"file: {src.name}  {src.stat().st_size / 1e3:,.0f} kB  cells written: {count}")
        print(f"xlplan.ooxml read + set_cells + write: {t_patch * 1000:8.1f} ms")
        print(f"bare openpyxl load + save:             {t_bare * 1000:8.1f} ms")
        print(f"ratio ooxml / bare: {t_patch / t_bare:.3f}  (openpyxl is {t_bare / t_patch:.1f}x slower)")


def main() -> None:
    run(TEMPLATE, 500)
    if len(sys.argv) > 1:
        from benchmarks.common import build_master, synthetic_rows

        n = int(sys.argv[1])
        with tempfile.TemporaryDirectory() as d:
            master = build_master(synthetic_rows(n), Path(d) / "master.xlsx")
            run(master, 500)


if __name__ == "__main__":
    main()
