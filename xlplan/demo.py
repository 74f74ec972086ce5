"""The README's main job: check, recompute and render the shipped workbook into out/,
and write the PDF the meeting reads when LibreOffice is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from xlplan.core.findings import Level

TEMPLATE = Path(__file__).resolve().parent.parent / "workbook" / "資料4_template.xlsx"


def run_demo(out_dir: str | Path = "out") -> int:
    from xlplan.actions.check import summary_line
    from xlplan.files import check_file, recompute_file, render_file
    from xlplan.pdf import export_pdf, find_soffice

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "資料4.xlsx"
    shutil.copy2(TEMPLATE, target)
    print(f"1/4 チェック / check: {target}")
    checked = check_file(target)
    for f in checked.findings:
        if f.level is not Level.INFO:
            print("   " + f.line())
    print("   " + summary_line(checked.findings))
    print("2/4 判定を再計算 / recompute")
    done = recompute_file(target)
    print(f"   {done.changed_cells}セル更新 / cells changed")
    print("3/4 資料と集計を作成 / render 資料4-1・4-2・4-3・集計")
    rendered = render_file(target)
    for rep in rendered.data["reports"].sheets.values():
        print(f"   {rep.name}：{len(rep.rows)}指標、{rep.pages}ページ")
    pdf = out / "資料4.pdf"
    if find_soffice() is None:
        print("4/4 PDF：LibreOfficeがないため作成しませんでした / skipped, LibreOffice not found")
        print("   sudo apt-get install libreoffice-calc-nogui fonts-noto-cjk")
    else:
        print(f"4/4 PDF / export: {pdf}")
        export_pdf(target, pdf)
    print(f"結果 / result: {target.resolve()}")
    if pdf.exists():
        print(f"PDF: {pdf.resolve()}")
    print(f"  チェック結果はシート「チェック結果」、集計はシート「集計」にあります。"
          f"バックアップ: {out.resolve() / 'backup'}")
    return 0
