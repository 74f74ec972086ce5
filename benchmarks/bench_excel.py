"""The ribbon's all-in-one update (すべて更新) on 68 and on 10,000 indicator rows.

For each size: the Python time of the action on xlwings' remote engine (read the book,
compute, plan, queue the writes), the number of Excel operations it sends (JSON actions,
what the VBA client replays), and the number of calls from xlwings' API into the engine
(each one at least one cross-process COM call under RunPython). The baseline measured in
the same run is the CLI doing the same work on the file (recompute + check + render,
openpyxl load and save included), so the ratio says what the ribbon costs against
what the secretariat's command costs on this machine.

    .venv/bin/python benchmarks/bench_excel.py [--rows 10000] [--repeat 3]

Real Excel adds the COM bridge (milliseconds per call) and Excel's own work on the
written cells; neither exists here. docs/excel.md lists what is and is not covered.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlwings as xw  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from tests.excel.clients import payload, replay  # noqa: E402
from tests.excel.counting import engine_calls  # noqa: E402
from tests.excel.scenario import grow, roundtrip_json, staff_edits  # noqa: E402
from xlplan import excel  # noqa: E402
from xlplan.engines.template import write_template  # noqa: E402
from xlplan.files import (  # noqa: E402
    check_file,
    recompute_file,
    render_file,
)


def prepare(folder: Path, rows: int) -> Path:
    path = folder / f"master_{rows}.xlsx"
    template = ROOT / "workbook" / "資料4_template.xlsx"
    if template.exists():
        shutil.copy2(template, path)
    else:
        write_template(path)
    if rows != 68:
        grow(path, rows)
    render_file(path)  # the report sheets exist, as the secretariat sends the master
    staff_edits(path)  # then staff change figures, add a row, leave marks stale
    return path


def ribbon_once(path: Path) -> tuple[float, int, int]:
    wb = load_workbook(path)
    data = roundtrip_json(payload(wb))
    book = xw.Book(json=data)
    book.set_mock_caller()
    with engine_calls() as calls:
        t0 = time.perf_counter()
        result = excel.xl_update()
        dt = time.perf_counter() - t0
    assert result.ok, result.message
    actions = book.json()["actions"]
    replay(wb, actions)  # every action is one the VBA client can replay
    book.close()
    from xlwings.pro._xlremote import get_range_api

    get_range_api.cache_clear()
    del xw.Book._mock_caller
    return dt, len(actions), sum(calls.values())


def cli_once(path: Path, folder: Path) -> float:
    work = folder / "cli.xlsx"
    shutil.copy2(path, work)
    t0 = time.perf_counter()
    recompute_file(work)
    check_file(work)
    render_file(work)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = []
        for rows in (68, args.rows):
            path = prepare(folder, rows)
            runs = [ribbon_once(path) for _ in range(args.repeat)]
            py = statistics.median(r[0] for r in runs)
            cli = statistics.median(cli_once(path, folder) for _ in range(max(1, args.repeat - 1)))
            out.append((rows, py, runs[0][1], runs[0][2], cli))
    print("すべて更新 (update) on xlwings' remote engine; baseline: CLI recompute+check+render")
    print(f"{'rows':>7} {'python s':>9} {'actions':>8} {'engine calls':>13} {'CLI s':>8} {'python/CLI':>11}")
    for rows, py, n_actions, n_calls, cli in out:
        print(f"{rows:>7} {py:>9.3f} {n_actions:>8} {n_calls:>13} {cli:>8.3f} {py / cli:>11.2f}")
    (r0, p0, a0, c0, _), (r1, p1, a1, c1, _) = out
    print(f"rows x{r1 / r0:.0f}: python time x{p1 / p0:.1f}, actions x{a1 / a0:.2f}, "
          f"engine calls x{c1 / c0:.2f}")
    return 0 if (a0, c0) == (a1, c1) else 1


if __name__ == "__main__":
    raise SystemExit(main())
