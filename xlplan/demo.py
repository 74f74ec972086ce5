"""The README's main job: check, recompute and render the shipped workbook into out/,
and write the PDF the meeting reads when LibreOffice is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from xlplan.core.findings import Level
from xlplan.core.layout import DEMO_FILE, DEMO_PDF, TEMPLATE_FILE
from xlplan.core.texts import say

TEMPLATE = Path(__file__).resolve().parent.parent / "workbook" / TEMPLATE_FILE


def run_demo(out_dir: str | Path = "out") -> int:
    from xlplan.actions.check import summary_line
    from xlplan.files import check_file, recompute_file, render_file
    from xlplan.pdf import export_pdf, find_soffice

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / DEMO_FILE
    shutil.copy2(TEMPLATE, target)
    print(say("demo.check", path=target))
    checked = check_file(target)
    for f in checked.findings:
        if f.level is not Level.INFO:
            print("   " + f.line())
    print("   " + summary_line(checked.findings))
    print(say("demo.recompute"))
    done = recompute_file(target)
    print(say("demo.changed", cells=done.changed_cells))
    print(say("demo.render"))
    rendered = render_file(target)
    for rep in rendered.data["reports"].sheets.values():
        print(say("demo.sheet", name=rep.name, rows=len(rep.rows), pages=rep.pages))
    pdf = out / DEMO_PDF
    if find_soffice() is None:
        print(say("demo.no_pdf"))
        print("   sudo apt-get install libreoffice-calc-nogui fonts-noto-cjk")
    else:
        print(say("demo.pdf", path=pdf))
        export_pdf(target, pdf)
    print(say("demo.result", path=target.resolve()))
    if pdf.exists():
        print(f"PDF: {pdf.resolve()}")
    print(say("demo.where", backup=out.resolve() / "backup"))
    return 0
