"""Start-up cost of each entry point, as ``python -X importtime`` totals.

    .venv/bin/python benchmarks/bench_imports.py [REPEATS]

Each case runs in a fresh interpreter with ``-X importtime``; the figure is the sum of
every module's own import time (µs, as CPython reports it), best of REPEATS runs. Each is
printed as a ratio to a bare ``import xlwings`` measured in the same run: the ribbon must
import xlwings anyway, so anything near 1× costs the user nothing extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "import xlwings (baseline)": "import xlwings",
    "xlplan --help": "from xlplan.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    "xlplan parse": "from xlplan.cli import main\nmain(['parse', '1,234件'])",
    "import xlplan.excel (ribbon)": "import xlplan.excel",
    "ribbon action loaded": "import xlplan.excel, xlplan.actions.recompute",
    "file engine (openpyxl)": "import xlplan.files, xlplan.engines.xlsx",
    "xlplan export (pandas)": "import xlplan.actions.export, pandas",
}


def import_time(code: str) -> tuple[int, int]:
    """(total µs of all modules' own import time, number of modules imported)."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    total = count = 0
    for line in res.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us = line.split(":", 1)[1].split("|")[0].strip()
        total += int(self_us)
        count += 1
    return total, count


def main(repeats: int = 5) -> None:
    best: dict[str, tuple[int, int]] = {}
    for _ in range(repeats):
        for name, code in CASES.items():
            t = import_time(code)
            if name not in best or t[0] < best[name][0]:
                best[name] = t
    base = best["import xlwings (baseline)"][0]
    print(f"import time, best of {repeats} (python -X importtime, sum of self times)")
    print(f"{'case':34} {'ms':>8} {'modules':>8} {'vs xlwings':>11}")
    for name, (us, n) in best.items():
        print(f"{name:34} {us / 1000:8.1f} {n:8d} {us / base:10.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
