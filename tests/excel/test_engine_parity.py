"""The same action on the same workbook gives the same result through every engine.

A corpus of workbooks — the shipped template with staff's usual edits, and the ways
people break it (merged input cells, a formula in a value cell, a hidden input sheet,
deleted rows, a renamed column, a sheet protected with a password, settings edited on
設定) — goes through each book action twice: on the file (``xlplan.files``, the CLI's
path) and through the ribbon's entry point on xlwings' remote engine (the server's
path), whose writes are replayed onto a copy of the file as the VBA client would.

Both must refuse the same workbooks with the same code, report the same findings
(code, sheet, cell, message) and leave every sheet with the same values. Nothing here
is compared with a stored answer: each engine is the other's reference, and the
template's own facts (headings, settings labels) are read from the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.excel.clients import payload, probe, replay
from tests.excel.scenario import columns, copy_of, roundtrip_json, staff_edits
from tests.excel.test_excel_actions import values
from xlplan import excel
from xlplan.core.layout import HEADER_ROW, INPUT_SHEET
from xlplan.core.texts import Refusal
from xlplan.files import check_file, recompute_file, render_file, update_file

FILE_ACTIONS: dict[str, Callable[[Path], object]] = {
    "check": check_file, "recompute": recompute_file, "render": render_file,
    "update": update_file,
}


def _setting_row(ws: Worksheet, label: str) -> int:
    return next(c.row for c in ws["A"] if c.value == label)


def merged_input(wb: Workbook) -> None:
    ws = wb[INPUT_SHEET["4-2"]]
    col = columns(ws, "4-2")["actual"]
    ws.merge_cells(start_row=HEADER_ROW + 3, start_column=col, end_row=HEADER_ROW + 4,
                   end_column=col)


def formula_in_value(wb: Workbook) -> None:
    ws = wb[INPUT_SHEET["4-2"]]
    ws.cell(HEADER_ROW + 5, columns(ws, "4-2")["projection"]).value = "=1+2"  # a formula


def hidden_input(wb: Workbook) -> None:
    wb[INPUT_SHEET["4-3"]].sheet_state = "hidden"


def deleted_rows(wb: Workbook) -> None:
    wb[INPUT_SHEET["4-1"]].delete_rows(HEADER_ROW + 2, 2)


def renamed_column(wb: Workbook) -> None:
    ws = wb[INPUT_SHEET["4-2"]]
    ws.cell(HEADER_ROW, columns(ws, "4-2")["projection"]).value = "見込み（手で変えた見出し）"


def password_input(wb: Workbook) -> None:
    wb[INPUT_SHEET["4-2"]].protection.set_password("secret")
    wb[INPUT_SHEET["4-2"]].protection.sheet = True


def password_report(wb: Workbook) -> None:
    ws = wb["資料4-2"]
    ws.protection.set_password("secret")
    ws.protection.sheet = True


def other_scheme(wb: Workbook) -> None:
    ws = wb["設定"]
    ws.cell(_setting_row(ws, "判定方式"), 2).value = "four-stage"


def relabelled_marks(wb: Workbook) -> None:
    ws = wb["設定"]
    ws.cell(_setting_row(ws, "記号：目標達成"), 2).value = "達成"
    ws.cell(_setting_row(ws, "報告年度（西暦）"), 2).value = 2021
    ws.cell(_setting_row(ws, "報告日"), 2).value = "2022/3/1"


def nothing(wb: Workbook) -> None:
    return None


CORPUS: dict[str, Callable[[Workbook], None]] = {
    "staff edits": nothing, "merged input cells": merged_input,
    "formula in a value cell": formula_in_value, "hidden input sheet": hidden_input,
    "deleted rows": deleted_rows, "renamed column": renamed_column,
    "password on an input sheet": password_input, "password on a report sheet": password_report,
    "another grading scheme": other_scheme, "relabelled marks, next year": relabelled_marks,
}


def _variant(src: Path, break_it: Callable[[Workbook], None], dest: Path) -> Path:
    copy_of(src, dest)
    staff_edits(dest, new_row=False)
    wb = load_workbook(dest)
    break_it(wb)
    wb.save(dest)
    return dest


def _by_file(path: Path, action: str) -> tuple[str | None, list[tuple[object, ...]], Workbook]:
    try:
        outcome = FILE_ACTIONS[action](path)
    except Refusal as e:
        return e.code, [], load_workbook(path)
    findings = outcome.result.findings  # type: ignore[attr-defined]
    return None, [(f.code, f.sheet, f.cell, f.message) for f in findings], load_workbook(path)


def _by_ribbon(path: Path, action: str) -> tuple[str | None, list[tuple[object, ...]], Workbook]:
    import xlwings as xw

    wb = load_workbook(path)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    outcome = excel.run(action, book, probe=probe(wb))
    replay(wb, book.json()["actions"])
    if not outcome.ok:
        return outcome.refused or f"failed: {outcome.message}", [], wb
    return None, [(f.code, f.sheet, f.cell, f.message) for f in outcome.findings], wb


def _excel_precision(rows: list[list[object]]) -> list[list[object]]:
    """Numbers as Excel keeps them (15 significant digits): the file engine's copy went
    through a saved file, whose writer keeps 16, the replayed one did not."""
    return [[float(f"{v:.15g}") if isinstance(v, float) else v for v in row] for row in rows]


@pytest.mark.slow
@pytest.mark.parametrize("action", FILE_ACTIONS)
@pytest.mark.parametrize("case", CORPUS)
def test_file_and_server_engines_agree(case: str, action: str, real_template: Path,
                                       tmp_path: Path) -> None:
    src = _variant(real_template, CORPUS[case], tmp_path / "資料4.xlsx")
    file_refused, file_findings, exp = _by_file(copy_of(src, tmp_path / "file.xlsx"), action)
    ribbon_refused, ribbon_findings, got = _by_ribbon(src, action)
    assert ribbon_refused == file_refused
    assert ribbon_findings == file_findings
    assert got.sheetnames == exp.sheetnames
    for name in exp.sheetnames:
        assert _excel_precision(values(got[name])) == _excel_precision(values(exp[name])), name


@pytest.mark.slow
def test_the_corpus_breaks_what_it_says(real_template: Path, tmp_path: Path) -> None:
    """Each broken variant is seen as broken (by its finding or refusal), so the parity
    test above compares engines on real trouble, not on copies of the template."""
    expect = {
        "merged input cells": "merged_cells", "formula in a value cell": "formula_in_input",
        "renamed column": "heading_missing", "hidden input sheet": "sheet_hidden", "password on an input sheet": "sheet_password",
        "password on a report sheet": "password_sheet",
    }
    for case, code in expect.items():
        src = _variant(real_template, CORPUS[case], tmp_path / f"{len(code)}.xlsx")
        refused, findings, _ = _by_file(src, "render" if "report" in case else "check")
        assert code == refused or code in {f[0] for f in findings}, case
