"""Each ribbon action, run through its RunPython entry point on xlwings' remote engine.

The book comes from the real template (``xw.Book(json=…)`` with the payload xlwings' VBA
client would send), ``set_mock_caller`` makes ``xw.Book.caller()`` return it, and the
actions it produces are replayed onto a copy of the same file. The expected result is
the CLI's, run on the same file: the computed columns, the チェック結果 sheet and the
report values must come out the same, cell for cell.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.excel.clients import Replay, payload, probe, replay
from tests.excel.scenario import columns, copy_of, roundtrip_json, staff_edits
from tests.helpers import report_findings_of
from xlplan import excel
from xlplan.core.layout import CHECK_SHEET, HEADER_ROW, INPUT_SHEET, META_SHEET, SHEETS
from xlplan.core.meta import report_fingerprints
from xlplan.core.report import REPORT_NAMES, norm_value
from xlplan.files import check_file, recompute_file, render_file

INPUT_TABS = [INPUT_SHEET[s] for s in SHEETS]


def ribbon(path: Path, action: str) -> tuple[Workbook, Replay, excel.ButtonOutcome, list[dict[str, Any]]]:
    """Press a button: the RunPython entry point on the book the VBA client would send."""
    wb = load_workbook(path)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    result = excel.run(action, book, probe=probe(wb))
    actions = book.json()["actions"]
    return wb, replay(wb, actions), result, actions


def values(ws: Worksheet) -> list[list[object]]:
    """A sheet's values as compared: '' is empty, 3.0 is 3, no trailing blanks."""
    rows = []
    for line in ws.iter_rows(values_only=True):
        vals = [norm_value(_shown(v)) for v in line]
        while vals and vals[-1] is None:
            vals.pop()
        rows.append(vals)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _shown(v: object) -> object:
    return v


def assert_same_sheets(got: Workbook, exp: Workbook, names: list[str]) -> None:
    for name in names:
        assert name in got.sheetnames, name
        g, e = values(got[name]), values(exp[name])
        for r, (x, y) in enumerate(zip(g, e, strict=False), start=1):
            assert x == y, f"{name} row {r}"
        assert len(g) == len(e), name


@pytest.fixture
def edited(workbook_copy: Path) -> Path:
    return staff_edits(workbook_copy)


def test_recompute_matches_cli(edited: Path, tmp_path: Path) -> None:
    cli = recompute_file(copy_of(edited, tmp_path / "cli.xlsx"))
    exp = load_workbook(cli.path)
    got, rep, result, _ = ribbon(edited, "recompute")
    assert result.ok
    assert_same_sheets(got, exp, INPUT_TABS)
    assert result.changed_cells == cli.changed_cells > 0
    assert result.plan is not None and result.plan.assigned_ids == ["4-3-09"]
    for tab in INPUT_TABS:  # protected again, with the template's permissions
        assert got[tab].protection.sheet
        assert got[tab].protection.formatCells == exp[tab].protection.formatCells
    progress = [c.number_format for c in got["4-3入力"]["W"][3:]]
    assert progress == [c.number_format for c in exp["4-3入力"]["W"][3:]]
    assert "判定を再計算しました" in rep.alerts[-1][0]
    assert "新しい行にIDを付けました：4-3-09" in rep.alerts[-1][0]


def test_recompute_twice_changes_nothing(edited: Path, tmp_path: Path) -> None:
    first, _, _, _ = ribbon(edited, "recompute")
    again = tmp_path / "again.xlsx"
    first.save(again)
    _, rep, result, actions = ribbon(again, "recompute")
    assert result.changed_cells == 0
    assert [a["func"] for a in actions] == ["alert"]  # no write at all
    assert rep.alerts == [("判定は最新です（変更はありません）。", "ICT進捗：判定を再計算", "info")]


def test_check_matches_cli(edited: Path, tmp_path: Path) -> None:
    cli = check_file(copy_of(edited, tmp_path / "cli.xlsx"))
    exp = load_workbook(cli.path)
    got, rep, result, _ = ribbon(edited, "check")
    assert [(f.code, f.sheet, f.cell, f.message) for f in result.findings] == \
        [(f.code, f.sheet, f.cell, f.message) for f in cli.findings]
    assert any(f.code == "digit_grouping" for f in result.findings)
    assert_same_sheets(got, exp, [CHECK_SHEET, *INPUT_TABS])
    assert got[CHECK_SHEET]["D4"].hyperlink.location == exp[CHECK_SHEET]["D4"].hyperlink.location
    assert got.active.title == CHECK_SHEET
    text, title, mode = rep.alerts[-1]
    assert title == "ICT進捗：入力チェック" and mode == "critical"
    assert text.startswith("入力チェック：エラー ")


def test_check_replaces_a_longer_previous_result(edited: Path) -> None:
    wb = load_workbook(edited)
    ws = wb.create_sheet(CHECK_SHEET)
    for r in range(1, 400):
        ws.cell(r, 1, "古い結果").value = "古い結果"
        ws.cell(r, 9, "メモ")
    wb.save(edited)
    got, _, result, _ = ribbon(edited, "check")
    rows = values(got[CHECK_SHEET])
    assert len(rows) == 3 + len(result.findings)
    assert all("古い結果" not in r and "メモ" not in r for r in rows)


@pytest.fixture
def rendered(workbook_copy: Path) -> Path:
    """A master as the secretariat sends it: report sheets made by ``xlplan render``."""
    render_file(workbook_copy)
    return staff_edits(workbook_copy, new_row=False)


def _layout(ws: Worksheet) -> tuple[list[str], list[int], str | None]:
    return (sorted(str(m) for m in ws.merged_cells.ranges), sorted(b.id for b in ws.row_breaks.brk),
            ws.print_area)


def test_render_matches_cli(rendered: Path, tmp_path: Path) -> None:
    cli = render_file(copy_of(rendered, tmp_path / "cli.xlsx"))
    exp = load_workbook(cli.path)
    got, rep, result, actions = ribbon(rendered, "render")
    assert result.ok, result.message
    assert "namesAdd" not in [a["func"] for a in actions]  # fingerprints are _xlplan rows
    assert_same_sheets(got, exp, [*REPORT_NAMES, *INPUT_TABS])
    for name in REPORT_NAMES[:3]:
        assert _layout(got[name]) == _layout(exp[name]), name
        heights = {r: d.height for r, d in exp[name].row_dimensions.items() if d.height}
        assert {r: got[name].row_dimensions[r].height for r in heights} == heights
    assert _fps(got) == _fps(exp)
    assert_same_sheets(got, exp, [META_SHEET])  # the same _xlplan rows, in the same places
    # The report checker of `xlplan check` sees neither hand edits nor stale sheets.
    assert report_findings_of(got) == []
    assert "様式（資料4-1 12指標" in rep.alerts[-1][0]


def test_render_creates_missing_report_sheets(workbook_copy: Path, tmp_path: Path) -> None:
    # Without a new row: `xlplan render` prints a new row's ID before recompute assigns
    # it (reported); the ribbon prints the assigned ID (test_strings_reach_excel_as_text).
    wb = load_workbook(workbook_copy)  # the shipped template comes rendered: start without
    for name in REPORT_NAMES:
        del wb[name]
    wb.save(workbook_copy)
    edited = staff_edits(workbook_copy, new_row=False)
    cli = render_file(copy_of(edited, tmp_path / "cli.xlsx"))
    exp = load_workbook(cli.path)
    got, _rep, result, _ = ribbon(edited, "render")
    assert result.ok, result.message
    assert_same_sheets(got, exp, [*REPORT_NAMES, *INPUT_TABS])
    for name in REPORT_NAMES[:3]:
        assert _layout(got[name]) == _layout(exp[name])
        assert got[name].page_setup.paperSize == exp[name].page_setup.paperSize
        assert got[name].oddFooter.center.text == exp[name].oddFooter.center.text
    assert_same_sheets(got, exp, [META_SHEET])
    assert _fps(got) == _fps(exp) and set(_fps(got)) == set(REPORT_NAMES)
    assert len(got["集計"]._charts) == len(exp["集計"]._charts) == 1


def _fps(wb: Workbook) -> dict[str, str]:
    return report_fingerprints(list(wb[META_SHEET].iter_rows(values_only=True)))


def _report_row(ws: Worksheet, rid: str) -> int:
    heads = [c.value for c in ws[3]]
    id_col = heads.index("ID") + 1
    return next(r for r in range(4, ws.max_row + 1) if ws.cell(r, id_col).value == rid)


def _hand_edit_report(path: Path) -> None:
    """Someone "corrects" the printed report instead of the input sheet."""
    wb = load_workbook(path)
    ws = wb["資料4-2"]
    mark_col = max(c.column for c in ws[3] if c.value and str(c.value).startswith("進捗率"))
    ws.cell(_report_row(ws, "4-2-05"), mark_col).value = "○"
    wb["集計"]["A1"] = "集計（手で直したタイトル）"
    wb.save(path)


def _change_input(path: Path) -> None:
    """New figures in the input sheets after the report was made: the report is stale."""
    wb = load_workbook(path)
    ws = wb[INPUT_SHEET["4-3"]]
    col = columns(ws, "4-3")
    ws.cell(HEADER_ROW + 2, col["status_text"]).value = "新しい取組状況"
    wb.save(path)


@pytest.mark.parametrize(("change", "code"), [(_hand_edit_report, "report_edited"),
                                              (_change_input, "report_stale")])
def test_check_of_report_sheets_matches_cli(workbook_copy: Path, tmp_path: Path,
                                            change: Any, code: str) -> None:
    """The ribbon's check reads the report sheets and the fingerprints in ``_xlplan``
    and says what ``xlplan check`` says about hand edits and stale sheets."""
    render_file(workbook_copy)
    change(workbook_copy)
    cli = check_file(copy_of(workbook_copy, tmp_path / "cli.xlsx"))
    exp = load_workbook(cli.path)
    got, _, result, actions = ribbon(workbook_copy, "check")
    assert code in [f.code for f in cli.findings]
    assert [f for f in cli.findings if f.code.startswith("report_")] == \
        [replace(f, file=cli.path.name) for f in result.findings if f.code.startswith("report_")]
    assert [(f.code, f.level, f.sheet, f.cell, f.message, f.fix, f.row_id)
            for f in result.findings] == \
        [(f.code, f.level, f.sheet, f.cell, f.message, f.fix, f.row_id) for f in cli.findings]
    assert_same_sheets(got, exp, [CHECK_SHEET])
    # A check writes nothing but its sheet (the fingerprints are only read).
    assert {a["sheet_position"] for a in actions if a["func"] == "setValues"} == \
        {got.sheetnames.index(CHECK_SHEET)}


def test_update_is_recompute_check_and_render(rendered: Path, tmp_path: Path) -> None:
    path = copy_of(rendered, tmp_path / "cli.xlsx")
    recompute_file(path)
    render_file(path)
    check_file(path)  # update's check knows the report is regenerated: not "out of date"
    exp = load_workbook(path)
    got, rep, result, actions = ribbon(rendered, "update")
    assert result.ok, result.message
    assert_same_sheets(got, exp, [*INPUT_TABS, CHECK_SHEET, *REPORT_NAMES])
    assert actions[-1]["func"] == "alert" and len(rep.alerts) == 1
    text = rep.alerts[0][0]
    assert "判定を再計算しました" in text and "入力チェック：" in text and "様式（" in text


def test_wrong_template_version_is_refused_without_writing(edited: Path) -> None:
    wb = load_workbook(edited)
    wb["_xlplan"]["B1"] = "xlplan-template-0"
    wb.save(edited)
    for action in excel.BOOK_ACTIONS:  # merge: tests/excel/test_excel_merge.py
        _, rep, result, actions = ribbon(edited, action)
        assert not result.ok
        assert [a["func"] for a in actions] == ["alert"]
        text, _, mode = rep.alerts[0]
        assert mode == "critical"
        assert "テンプレートの版が違います" in text and "xlplan-template-0" in text


def test_unknown_action_says_so(edited: Path) -> None:
    book = xw.Book(json=roundtrip_json(payload(load_workbook(edited))))
    result = excel.run("delete_everything", book)
    assert not result.ok
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert "不明な操作です" in book.json()["actions"][0]["args"][0]


def test_strings_reach_excel_as_text(edited: Path) -> None:
    """IDs like 4-3-09 and values like 60.76% must not become dates or numbers in Excel."""
    _, _, _, actions = ribbon(edited, "update")
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    strings = [v for v in written if isinstance(v, str) and v]
    assert strings and all(v.startswith("'") for v in strings)
    got, _, _, _ = ribbon(edited, "update")
    assert got["4-3入力"]["A12"].value == "4-3-09"
    assert [r[-1] for r in values(got["資料4-3"]) if r and r[-1] == "4-3-09"]
