"""Hostile or broken returns: each is reported per file with what was done, one bad file
never stops the others, and nothing but the good files' edited cells changes in the master.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.packaging.relationship import Relationship
from openpyxl.workbook.external_link.external import (
    ExternalBook,
    ExternalLink,
    ExternalSheetNames,
)
from openpyxl.workbook.workbook import Workbook

from tests.hostile.corpus import rezip
from tests.test_merge_common import (
    T1,
    addr,
    cells,
    changed_outside,
    computed_cells,
    edit,
    issued,
    layout_of,
    value_at,
)
from xlplan.cli import main
from xlplan.core.layout import INPUT_SHEET, META_SHEET
from xlplan.core.returns import FileVerdict
from xlplan.files import merge_file as merge_into_master

GOOD_EDIT = {("4-1-04", "status_text"): "正常に記入された内容"}


def _xlsm(src: Path, dest: Path) -> Path:
    """The copy saved as a macro-enabled workbook with a VBA project in it."""
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            text = data.decode()
            text = text.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            text = text.replace("<Default ", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
            return text.encode()
        return data
    return rezip(src, change, dest=dest,
                 extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake VBA project Auto_Open"})


def _with_link(wb: Workbook) -> None:
    link = ExternalLink(externalBook=ExternalBook(sheetNames=ExternalSheetNames(sheetName=["Sheet1"])))
    link.file_link = Relationship(Type="externalLinkPath", Target="file:///C:/secret/other.xlsx",
                                  TargetMode="External")
    wb._external_links.append(link)
    ws = wb[INPUT_SHEET["4-1"]]
    ws[addr(ws, "4-1", "4-1-07", "actual")] = "='[1]Sheet1'!A1"


def _hidden_sheets(wb: Workbook) -> None:
    memo = wb.create_sheet("メモ")
    memo["A1"] = "隠しデータ"
    memo.sheet_state = "hidden"
    conf = wb.create_sheet("xlwings.conf")
    conf["A1"], conf["B1"] = "Interpreter_Win", r"\\evil\share\python.exe"
    wb[INPUT_SHEET["4-1"]].sheet_state = "hidden"


def _rename_column(wb: Workbook) -> None:
    ws = wb[INPUT_SHEET["4-1"]]
    ws.cell(layout_of(ws, "4-1").header_row, layout_of(ws, "4-1").cols["actual"]).value = "実績"


def _delete_column(wb: Workbook) -> None:
    ws = wb[INPUT_SHEET["4-1"]]
    ws.delete_cols(layout_of(ws, "4-1").cols["basis"])


def _old_version(wb: Workbook) -> None:
    wb[META_SHEET]["B1"] = "xlplan-template-0"


def _drop_sheet(wb: Workbook) -> None:
    del wb[INPUT_SHEET["4-1"]]


@pytest.fixture
def scene(tmp_path: Path) -> tuple[Path, dict[str, Path], Path]:
    master, sent = issued(tmp_path)
    good = edit(sent["4-1"], tmp_path / "back" / "good.xlsx", GOOD_EDIT, by="正常 太郎")
    return master, sent, good


def _merge_one_with_good(master: Path, bad: Path):  # type: ignore[no-untyped-def]
    before, computed = cells(master), computed_cells(master)
    good = bad.parent / "good.xlsx"
    rep = merge_into_master(master, [bad, good], now=T1)
    fb, fg = rep.files
    assert fg.status == FileVerdict.MERGED and [(c.row_id, c.key) for c in fg.changes] == list(GOOD_EDIT)
    return fb, before, computed


def test_xlsm_values_are_read_macros_never_copied(scene: tuple[Path, dict[str, Path], Path]) -> None:
    master, sent, good = scene
    edited = edit(sent["4-1"], good.parent / "tmp.xlsx", {("4-1-09", "policy"): "マクロ付きで返送"})
    bad = _xlsm(edited, good.parent / "返送.xlsm")
    fb, _, _ = _merge_one_with_good(master, bad)
    assert "merge_macro" in [f.code for f in fb.findings]
    assert [(c.row_id, c.key) for c in fb.changes] == [("4-1-09", "policy")]
    names = zipfile.ZipFile(master).namelist()
    assert not any("vba" in n.lower() for n in names)
    assert master.suffix == ".xlsx"


def test_formulas_and_external_links_are_refused(scene: tuple[Path, dict[str, Path], Path]) -> None:
    master, sent, good = scene
    bad = edit(sent["4-1"], good.parent / "formula.xlsx",
               {("4-1-08", "projection"): "=1000*3", ("4-1-08", "basis"): "数式以外は取り込む"},
               also=_with_link)
    assert any(n.startswith("xl/externalLinks/") for n in zipfile.ZipFile(bad).namelist())
    old = {k: value_at(master, "4-1-08", k) for k in ("projection",)}
    old_07 = value_at(master, "4-1-07", "actual")
    fb, before, computed = _merge_one_with_good(master, bad)
    codes = [f.code for f in fb.findings]
    assert "merge_external_links" in codes
    formula = [f for f in fb.findings if f.code == "merge_formula"]
    assert sorted(f.row_id for f in formula) == ["4-1-07", "4-1-08"]
    # The column is named as staff read it, without the year: 「年度末見込値」, 「実績値」.
    by_row = {f.row_id: f.message for f in formula}
    assert "「年度末見込値」" in by_row["4-1-08"] and "「実績値」" in by_row["4-1-07"]
    assert [(c.row_id, c.key) for c in fb.changes] == [("4-1-08", "basis")]
    assert value_at(master, "4-1-08", "projection") == old["projection"]
    assert value_at(master, "4-1-07", "actual") == old_07
    wb = load_workbook(master)
    assert not wb._external_links
    allowed = [(INPUT_SHEET["4-1"], addr(wb[INPUT_SHEET["4-1"]], "4-1", rid, k))
               for rid, k in [("4-1-08", "basis"), *GOOD_EDIT]]
    assert changed_outside(before, cells(wb), allowed, computed) == {}
    assert not any(isinstance(v, str) and v.startswith("=") for k, v in cells(wb).items()
                   if k[0] in INPUT_SHEET.values())


def test_hidden_and_conf_sheets_are_reported_and_never_copied(
        scene: tuple[Path, dict[str, Path], Path]) -> None:
    master, sent, good = scene
    bad = edit(sent["4-1"], good.parent / "hidden.xlsx", {("4-1-10", "questions"): "隠しシートでも入力は読む"},
               also=_hidden_sheets)
    sheets = load_workbook(master).sheetnames
    fb, _, _ = _merge_one_with_good(master, bad)
    got = {(f.code, f.sheet) for f in fb.findings}
    assert ("merge_conf_sheet", "xlwings.conf") in got
    assert ("merge_hidden_sheet", "メモ") in got
    assert ("merge_hidden_sheet", INPUT_SHEET["4-1"]) in got
    assert [(c.row_id, c.key) for c in fb.changes] == [("4-1-10", "questions")]
    # a new sheet goes after the last visible one (before xlplan's hidden _xlplan)
    assert sheets[-1] == META_SHEET
    assert load_workbook(master).sheetnames == [*sheets[:-1], "変更履歴", META_SHEET]


SLOW = pytest.mark.slow  # the same path as the case before it; the full suite runs it


@pytest.mark.parametrize(("change", "code", "taken"), [
    (_rename_column, "merge_column_missing", [("4-1-11", "basis")]),
    pytest.param(_delete_column, "merge_column_missing", [("4-1-11", "actual")], marks=SLOW),
    pytest.param(_drop_sheet, "merge_sheet_missing", [], marks=SLOW),
    (_old_version, "merge_template_version", []),
])
def test_changed_layouts(scene: tuple[Path, dict[str, Path], Path], change: Callable[[Workbook], None],
                         code: str, taken: list[tuple[str, str]]) -> None:
    master, sent, good = scene
    edits: dict[tuple[str, str], object] = {("4-1-11", "actual"): "11件", ("4-1-11", "basis"): "根拠"}
    if change is _drop_sheet:
        edits = {}
    bad = edit(sent["4-1"], good.parent / "layout.xlsx", edits, also=None)
    bad = edit(bad, None, {}, also=change)
    fb, before, computed = _merge_one_with_good(master, bad)
    assert code in [f.code for f in fb.findings]
    assert [(c.row_id, c.key) for c in fb.changes] == taken
    allowed = [(INPUT_SHEET["4-1"], addr(load_workbook(master)[INPUT_SHEET["4-1"]], "4-1", rid, k))
               for rid, k in [*taken, *GOOD_EDIT]]
    assert changed_outside(before, cells(master), allowed, computed) == {}
    if change is _old_version:
        assert fb.status == FileVerdict.REFUSED


@pytest.mark.parametrize(("content", "suffix", "code"), [
    (lambda good: good.read_bytes()[: len(good.read_bytes()) // 2], ".xlsx", "corrupt"),
    pytest.param(lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls",
                 "old_xls", marks=SLOW),
    (lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx", "encrypted"),
    (lambda good: "担当課のメモ".encode(), ".xlsx", "not_xlsx"),
    pytest.param(lambda good: b"", ".xlsx", "not_xlsx", marks=SLOW),
    pytest.param(lambda good: _zip_without_workbook(), ".xlsx", "not_xlsx", marks=SLOW),
    (lambda good: _zip_with_broken_sheet(good), ".xlsx", "merge_unreadable"),
])
def test_broken_files_fail_alone(scene: tuple[Path, dict[str, Path], Path],
                                 content: Callable[[Path], bytes], suffix: str, code: str) -> None:
    master, _, good = scene
    bad = good.parent / f"broken{suffix}"
    bad.write_bytes(content(good))
    fb, before, computed = _merge_one_with_good(master, bad)
    assert fb.status == FileVerdict.FAILED
    assert [f.code for f in fb.findings] == [code]
    assert fb.findings[0].message and fb.findings[0].fix
    allowed = [(INPUT_SHEET["4-1"], addr(load_workbook(master)[INPUT_SHEET["4-1"]], "4-1", *k))
               for k in GOOD_EDIT]
    assert changed_outside(before, cells(master), allowed, computed) == {}


def _zip_without_workbook() -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def _zip_with_broken_sheet(good: Path) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(buf, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 3]  # valid zip, truncated XML
            zout.writestr(name, data)
    return buf.getvalue()


def test_missing_file_and_master_given_as_return(scene: tuple[Path, dict[str, Path], Path]) -> None:
    master, _, good = scene
    rep = merge_into_master(master, [good.parent / "nai.xlsx", master, good], now=T1)
    f1, f2, f3 = rep.files
    assert (f1.status, f1.findings[0].code) == (FileVerdict.FAILED, "file_missing")
    assert (f2.status, f2.findings[0].code) == (FileVerdict.REFUSED, "merge_is_master")
    assert f3.status == FileVerdict.MERGED


def test_everything_hostile_at_once_through_the_cli(scene: tuple[Path, dict[str, Path], Path],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    master, sent, good = scene
    folder = good.parent
    files = [
        _xlsm(edit(sent["4-3"], folder / "m.xlsx", {("4-3-01", "policy"): "xlsm"}), folder / "a.xlsm"),
        edit(sent["4-2"], folder / "b.xlsx", {("4-2-01", "actual"): "=A1"}, also=_with_link_42),
        edit(sent["4-2"], folder / "c.xlsx", {("4-2-02", "policy"): "隠し"}, also=_hidden_42),
        folder / "d.xlsx",
        good,
    ]
    files[3].write_bytes(b"garbage")
    before, computed = cells(master), computed_cells(master)
    assert main(["merge", str(master), *map(str, files)]) == 1
    out = capsys.readouterr().out
    for name in ("a.xlsm", "b.xlsx", "c.xlsx", "d.xlsx", "good.xlsx"):
        assert name in out
    wb = load_workbook(master)
    allowed = [
        (INPUT_SHEET["4-3"], addr(wb[INPUT_SHEET["4-3"]], "4-3", "4-3-01", "policy")),
        (INPUT_SHEET["4-2"], addr(wb[INPUT_SHEET["4-2"]], "4-2", "4-2-02", "policy")),
        (INPUT_SHEET["4-1"], addr(wb[INPUT_SHEET["4-1"]], "4-1", *next(iter(GOOD_EDIT)))),
    ]
    assert set(diff_keys := changed_outside(before, cells(wb), allowed, computed)) == set(), diff_keys
    for tab, cell in allowed:
        assert (tab, cell) in cells(wb) and cells(wb)[(tab, cell)] != before.get((tab, cell))


def _with_link_42(wb: Workbook) -> None:
    link = ExternalLink(externalBook=ExternalBook(sheetNames=ExternalSheetNames(sheetName=["S"])))
    link.file_link = Relationship(Type="externalLinkPath", Target="other.xlsx", TargetMode="External")
    wb._external_links.append(link)


def _hidden_42(wb: Workbook) -> None:
    s = wb.create_sheet("settings.conf")
    s.sheet_state = "veryHidden"
