"""The README's main job: check, recompute (and render) the shipped workbook into out/."""

from __future__ import annotations

import shutil
from pathlib import Path

from xlplan.book.check_sheet import summary_line
from xlplan.core.findings import Level

TEMPLATE = Path(__file__).resolve().parent.parent / "workbook" / "資料4_template.xlsx"


def run_demo(out_dir: str | Path = "out") -> int:
    from xlplan.workflow import check_file, recompute_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "資料4.xlsx"
    shutil.copy2(TEMPLATE, target)
    print(f"1/2 チェック / check: {target}")
    checked = check_file(target)
    for f in checked.findings:
        if f.level is not Level.INFO:
            print("   " + f.line())
    print("   " + summary_line(checked.findings))
    print("2/2 判定を再計算 / recompute")
    done = recompute_file(target)
    print(f"   {done.changed_cells}セル更新 / cells changed")
    print(f"結果 / result: {target.resolve()}")
    print(f"  チェック結果はシート「チェック結果」にあります。バックアップ: {out.resolve() / 'backup'}")
    return 0
