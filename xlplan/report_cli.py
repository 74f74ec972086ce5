"""CLI commands of the printed report: ``xlplan render`` and ``xlplan pdf``.

Thin shells over :func:`xlplan.render.render_file` and :func:`xlplan.pdf.export_pdf`;
a :class:`~xlplan.book.io.BookError` is printed by ``xlplan.cli.main``.
"""

from __future__ import annotations

import argparse
from typing import Any


def cmd_render(args: argparse.Namespace) -> int:
    from xlplan.render import render_file

    out = render_file(args.file, out=args.output)
    for f in out.findings:
        print(f.line())
    pages = "、".join(f"{name} {n}ページ（{out.indicators[name]}指標）"
                      for name, n in out.pages.items())
    print(f"資料と集計を作成しました / rendered report sheets: {pages}")
    if out.changed_cells:
        print(f"判定を再計算しました（{out.changed_cells}セル更新）/ recomputed "
              f"{out.changed_cells} cells first")
    print(f"保存先 / saved: {out.path}")
    if out.backup:
        print(f"バックアップ / backup: {out.backup}")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from xlplan.pdf import export_pdf

    path = export_pdf(args.file, args.output)
    print(f"PDFを作成しました（資料4-1・4-2・4-3・集計）/ wrote PDF: {path}")
    return 0


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    r = sub.add_parser(
        "render",
        help="regenerate 資料4-1/4-2/4-3 and 集計 from the input sheets (backup + atomic replace)")
    r.add_argument("file")
    r.add_argument("-o", "--output", help="write the result here instead of in place")
    r.set_defaults(func=cmd_render)

    p = sub.add_parser(
        "pdf", help="export the report sheets (and 集計) to PDF through LibreOffice; "
                    "the workbook is not changed")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="PDF file (default: the workbook's name with .pdf)")
    p.set_defaults(func=cmd_pdf)
