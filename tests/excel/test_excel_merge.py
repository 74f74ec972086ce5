"""返送ファイルを取り込み: the secretariat's merge from the ribbon, on xlwings' remote engine.

The master is split by 中項目 (``xlplan split --by middle``), the copies are filled in
the way staff fill them in (openpyxl, saved with a 保存者), one cell is changed on both
sides (a conflict), one copy carries a formula and a conf sheet, one file is corrupt.
The ribbon's merge runs on the payload xlwings' VBA client would send for the master;
its actions are replayed onto an openpyxl copy of the master and compared, cell for
cell, with ``xlplan merge`` (:func:`xlplan.files.merge_file`) on another copy:
the same input cells, the same 変更履歴 rows, the same ``_xlplan`` rows, the same
computed columns.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from tests.excel.clients import Replay, payload, probe, replay
from tests.excel.counting import engine_calls
from tests.excel.scenario import columns, grow, roundtrip_json
from tests.excel.test_excel_actions import INPUT_TABS, assert_same_sheets
from tests.helpers import records_of
from tests.test_merge_common import T0, T1, edit, edit_master, value_at
from xlplan import excel
from xlplan.addin import VBA_MODULE_FILE
from xlplan.core.layout import CHANGES_SHEET, HEADER_ROW, INPUT_SHEET, META_SHEET
from xlplan.core.logs import CHANGES
from xlplan.core.returns import MergeReport
from xlplan.core.texts import say
from xlplan.files import merge_file as merge_into_master
from xlplan.files import split_file as split_master
from xlplan.server import create_app

COMPARED = [*INPUT_TABS, CHANGES_SHEET, META_SHEET]


@dataclass
class Returned:
    master: Path
    files: list[Path]  # in the order they are merged
    by_id: dict[str, Path]  # row ID → the copy it was issued in


def _issue(folder: Path, template: Path, *, by: str, rows: int = 68) -> tuple[Path, dict[str, Path]]:
    master = folder / "資料4.xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template, master)
    if rows != 68:
        grow(master, rows)
    res = split_master(master, folder / "配布", by=by, now=T0)
    return master, {rid: f.path for f in res.files for rid in f.row_ids}


def _fill(src: Path, dest: Path, values: dict[tuple[str, str], object]) -> Path:
    """``edit`` for big copies: the rows are found by ID in one pass per sheet."""
    wb = load_workbook(src)
    for sheet, tab in INPUT_SHEET.items():
        ws = wb[tab]
        col = columns(ws, sheet)
        rows = {ws.cell(r, col["id"]).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
        for (rid, key), v in values.items():
            if rid in rows:
                ws.cell(rows[rid], col[key]).value = v
    wb.properties.lastModifiedBy = "山田 花子"
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


def _corrupt(src: Path, dest: Path) -> Path:
    """A copy cut off half-way (a broken e-mail attachment)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2])
    return dest


def _conf_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet("xlwings.conf")
    ws.append(["INTERPRETER_WIN", r"\\evil\share\python.exe"])


@pytest.fixture(scope="module")
def _returned_once(tmp_path_factory: pytest.TempPathFactory, real_template: Path) -> Returned:
    """The scene is built once per module (a split and four filled-in copies)."""
    return _build_returned(tmp_path_factory.mktemp("scene"), real_template)


@pytest.fixture
def returned(_returned_once: Returned, tmp_path: Path) -> Returned:
    """A private copy of the scene: tests change the master and the files freely."""
    base = _returned_once.master.parent
    shutil.copytree(base, tmp_path, dirs_exist_ok=True)

    def moved(p: Path) -> Path:
        return tmp_path / p.relative_to(base)

    return Returned(moved(_returned_once.master), [moved(f) for f in _returned_once.files],
                    {k: moved(v) for k, v in _returned_once.by_id.items()})


def _build_returned(tmp_path: Path, real_template: Path) -> Returned:
    master, by_id = _issue(tmp_path, real_template, by="middle")
    back = tmp_path / "返送 フォルダー"  # spaces and Japanese in every path
    # After the copies went out, the secretariat corrects a value in the master.
    edit_master(master, {("4-2-03", "actual"): "事務局が直した値"})
    a = edit(by_id["4-2-01"], back / "資料4_ア 暮らし（返送）.xlsx", {
        ("4-2-01", "projection"): "50%",  # ◎ becomes △ once recomputed
        ("4-2-02", "status_text"): "順調に進んでいる。\n研修を2回実施。",
        ("4-2-03", "actual"): "担当課の値",  # the conflict: both sides changed it
        ("4-2-05", "questions"): "60.76%と4-3-09は文字のまま",
        ("4-2-18", "policy"): "継続する",
    }, by="山田 花子")
    b = edit(by_id["4-1-01"], back / "資料4_ア 庁内業務.xlsx", {
        ("4-1-01", "actual"): 1234,
        ("4-1-03", "basis"): "前年度の実績から推計",
        ("4-1-05", "countermeasure"): "対策を検討中",
    }, by="佐藤 次郎")
    c = edit(by_id["4-3-01"], back / "資料4_ア 共創.xlsx", {
        ("4-3-01", "actual"): "=SUM(1,2)",  # a formula in a staff cell: not taken
        ("4-3-02", "challenges"): "人材の不足",
    }, by="鈴木 三郎", also=_conf_sheet)
    d = _corrupt(by_id["4-2-19"], back / "資料4_イ 壊れたファイル.xlsx")
    return Returned(master, [a, b, c, d], by_id)


def ribbon_merge(master: Path, paths: list[Path], **kw: Any
                 ) -> tuple[Workbook, Replay, excel.ButtonOutcome, list[dict[str, Any]]]:
    """Press 返送ファイルを取り込み on the book the VBA client would send."""
    wb = load_workbook(master)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    result = excel.run("merge", book, paths, probe=probe(wb), **{"now": T1, **kw})
    actions = book.json()["actions"]
    return wb, replay(wb, actions), result, actions


def cli_merge(master: Path, paths: list[Path], dest: Path) -> tuple[Workbook, MergeReport]:
    shutil.copy2(master, dest)
    report = merge_into_master(dest, paths, now=T1)
    return load_workbook(dest), report


def test_ribbon_merge_matches_cli(returned: Returned, tmp_path: Path) -> None:
    exp, cli = cli_merge(returned.master, returned.files, tmp_path / "cli.xlsx")
    got, rep, result, actions = ribbon_merge(returned.master, returned.files)
    assert result.ok and result.merge is not None
    assert_same_sheets(got, exp, COMPARED)
    # The decisions themselves are the CLI's.
    assert [f.summary_ja() for f in result.merge.files] == [f.summary_ja() for f in cli.files]
    assert result.merge.cell_writes() == cli.cell_writes()
    assert len(cli.changes) == 8 and result.merge.recomputed_cells == cli.recomputed_cells > 0
    assert [(c.row_id, c.key) for c in result.merge.conflicts] == [("4-2-03", "actual")]
    assert value_at(got, "4-2-03", "actual") == "事務局が直した値"  # the master's value stays
    assert value_at(got, "4-2-01", "projection") == "50%"  # text stays text
    assert value_at(got, "4-1-01", "actual") == 1234
    assert value_at(got, "4-2-05", "questions") == "60.76%と4-3-09は文字のまま"
    assert value_at(got, "4-3-01", "actual") == value_at(returned.master, "4-3-01", "actual")
    # 変更履歴: one row per applied cell, with the file, 保存者 and the key merge needs.
    recs = records_of(CHANGES, got)
    assert len(recs) == 8 and {r["saved_by"] for r in recs} == {"山田 花子", "佐藤 次郎", "鈴木 三郎"}
    assert {r["at"] for r in recs} == {"2021-02-01 17:30:00"}
    assert [c.value for c in got[CHANGES_SHEET][1]] == CHANGES.headings
    # Every input sheet is protected again; nothing but the add-in's macros ran.
    for tab in INPUT_TABS:
        assert got[tab].protection.sheet
    assert rep.macros and all(m.startswith("'xlplan.xlam'!XlplanRibbon.") for m in rep.macros)
    # Strings reach Excel as text, never as numbers, dates or formulas.
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert all(v.startswith("'") for v in written if isinstance(v, str) and v)
    # The message: the CLI's summary, conflicts and findings included; shown as a warning.
    text, title, mode = rep.alerts[-1]
    assert title == "ICT進捗：返送ファイルを取り込み" and mode == "critical"
    for f in cli.files:
        assert f.summary_ja() in text
    assert "[競合] 4-2入力!" in text and "数式" in text and "読めません" in text
    assert "開いているブックに反映しました（8セル）" in text and "Ctrl+S" in text
    codes = {x.code for x in result.findings}
    assert {"merge_formula", "corrupt", "merge_conf_sheet"} <= codes


def test_merging_the_same_files_twice_changes_nothing(returned: Returned, tmp_path: Path) -> None:
    first, _, result, _ = ribbon_merge(returned.master, returned.files)
    assert result.merge is not None and result.merge.changes
    again = tmp_path / "again.xlsx"
    first.save(again)
    got, rep, result, actions = ribbon_merge(again, returned.files)
    assert result.merge is not None and result.merge.changes == []
    assert result.changed_cells == 0
    assert [a["func"] for a in actions] == ["alert"]  # no write at all
    assert "マスターに反映する変更はありません" in rep.alerts[0][0]
    seen = {x.file for x in result.findings if x.code == "merge_seen_before"}
    assert seen == {p.name for p in returned.files[:3]}
    assert_same_sheets(got, load_workbook(again), COMPARED)


@pytest.mark.slow
def test_call_count_does_not_grow_with_rows(tmp_path: Path, real_template: Path) -> None:
    def scenario(folder: Path, rows: int) -> tuple[Path, list[Path]]:
        master, by_id = _issue(folder, real_template, by="sheet", rows=rows)
        ids = {s: sorted(i for i in by_id if i.startswith(s + "-")) for s in INPUT_SHEET}
        first = {s: v[0] for s, v in ids.items()}
        last = {s: v[-1] for s, v in ids.items()}
        _fill(master, master, {(first["4-2"], "actual"): "事務局の値"})
        back = folder / "返送"
        files = [_fill(by_id[first[s]], back / f"{s}.xlsx", {
            (first[s], "actual"): "担当課の値",  # 4-2: a conflict
            (first[s], "status_text"): f"{s}の取組状況",
            (last[s], "policy"): "継続する",
            (last[s], "projection"): "12件",
        } | ({(first[s], "basis"): "=A1"} if s == "4-3" else {})) for s in INPUT_SHEET]
        files.append(_corrupt(files[0], back / "壊れた.xlsx"))
        return master, files

    def measure(master: Path, files: list[Path]) -> tuple[list[dict[str, Any]], int, excel.ButtonOutcome]:
        book = xw.Book(json=roundtrip_json(payload(load_workbook(master))))
        book.set_mock_caller()
        with engine_calls() as calls:
            result = excel.xl_merge(paths=files, now=T1)
        return copy.deepcopy(book.json()["actions"]), sum(calls.values()), result

    small = scenario(tmp_path / "small", 68)
    big = scenario(tmp_path / "big", 2_000)
    actions_s, calls_s, res_s = measure(*small)
    actions_b, calls_b, res_b = measure(*big)
    assert res_s.merge is not None and res_b.merge is not None
    assert len(res_s.merge.changes) == len(res_b.merge.changes) == 11
    assert len(res_s.merge.conflicts) == len(res_b.merge.conflicts) == 1
    assert [a["func"] for a in actions_b] == [a["func"] for a in actions_s]
    assert calls_b == calls_s
    assert len([a for a in actions_s if a["func"] == "setValues"]) <= 12
    # One block carries a staff column from the first to the last row of a big sheet.
    assert max(a["row_count"] or 0 for a in actions_b if a["func"] == "setValues") > 1_000
    replay(load_workbook(small[0]), actions_s)  # as the VBA client would, without error


def test_dry_run_writes_nothing(returned: Returned) -> None:
    _, rep, result, actions = ribbon_merge(returned.master, returned.files, dry_run=True)
    assert result.merge is not None and len(result.merge.changes) == 8
    assert [a["func"] for a in actions] == ["alert"]
    assert rep.alerts[0][0].startswith("【試行（マスターは変更していません）】")


def test_no_files_chosen_and_the_server_say_so(returned: Returned, monkeypatch: pytest.MonkeyPatch) -> None:
    # Server mode (the remote engine, no paths): the files are out of the server's reach.
    book = xw.Book(json=roundtrip_json(payload(load_workbook(returned.master))))
    result = excel.run("merge", book)
    assert not result.ok and result.message == say("ribbon.merge_on_server")
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    # Desktop (played here by the remote engine): no --xlplan-paths, nothing chosen.
    monkeypatch.setattr(excel, "is_remote", lambda book: False)
    monkeypatch.setattr("sys.argv", ["-c", "", "--wb=資料4.xlsx", "--from_xl=1"])
    book = xw.Book(json=roundtrip_json(payload(load_workbook(returned.master))))
    result = excel.run("merge", book)
    assert not result.ok and result.message == say("ribbon.merge_no_files")
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]


def test_the_server_endpoint_refuses_merge_with_a_message(returned: Returned) -> None:
    res = TestClient(create_app()).post(
        "/xlplan/merge", json=roundtrip_json(payload(load_workbook(returned.master))))
    assert res.status_code == 200
    actions = res.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0] == say("ribbon.merge_on_server") and "xlplan merge" in say("ribbon.merge_on_server")


def test_paths_from_the_addin_list_file(returned: Returned, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The desktop path: the list file VBA's FileSystemObject writes (UTF-16 with BOM),
    named by --xlplan-paths= after the code; the merge is the same as with paths given."""
    hostile = tmp_path / "x'); import os; os.system('calc') #.xlsx"  # a name, never code
    names = [*reversed(returned.files), hostile]
    listing = tmp_path / "xlplan-merge-20210201-173000.txt"
    listing.write_bytes("\r\n".join(str(p) for p in names).encode("utf-16") + "\r\n".encode("utf-16-le"))
    argv = ["-c", "", "--wb=資料4.xlsx", "--from_xl=1", "--app=EXCEL.EXE", "--hwnd=1",
            f"{excel.PATHS_ARG}{listing}"]
    got = excel.paths_from_argv(argv)
    assert got == sorted(names, key=lambda p: str(p).casefold())  # sorted: the dialog's order is arbitrary
    listing.write_text("\n".join(str(p) for p in names) + "\n", encoding="utf-8")
    assert excel.paths_from_argv(argv) == got
    assert excel.paths_from_argv(argv[:-1]) == []

    monkeypatch.setattr(excel, "is_remote", lambda book: False)  # as on the desktop engine
    monkeypatch.setattr("sys.argv", argv)
    wb = load_workbook(returned.master)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    result = excel.run("merge", book, now=T1)
    assert result.merge is not None
    assert [f.path for f in result.merge.files] == got
    assert "file_missing" in {x.code for x in result.findings}  # the odd name is just a missing file
    replay(wb, book.json()["actions"])
    exp, _ = cli_merge(returned.master, got, tmp_path / "cli.xlsx")
    assert_same_sheets(wb, exp, COMPARED)


def test_the_vba_hands_over_a_list_file_not_names() -> None:
    bas = VBA_MODULE_FILE.read_text(encoding="ascii").replace("\r\n", "\n")
    assert "Application.GetOpenFilename(FileFilter:=Ja(MSG_MERGE_FILTER)" in bas
    assert "MultiSelect:=True)" in bas and "If Not IsArray(files) Then Exit Sub" in bas
    assert "CreateTextFile(listFile, True, True)" in bas  # Unicode
    assert f'" {excel.PATHS_ARG}""" & listFile' in bas
    code = bas[bas.index('"""import sys;'):bas.index("--wb=")]
    assert "listFile" not in code and "extra" not in code  # never part of the Python code
    assert '" & extra & " 2> ' in bas


def test_wrong_template_version_is_refused_without_writing(returned: Returned) -> None:
    wb = load_workbook(returned.master)
    wb[META_SHEET]["B1"] = "xlplan-template-0"
    wb.save(returned.master)
    _, rep, result, actions = ribbon_merge(returned.master, returned.files)
    assert not result.ok and [a["func"] for a in actions] == ["alert"]
    assert "テンプレートの版が違います" in rep.alerts[0][0]


def test_master_without_ids_is_refused(returned: Returned) -> None:
    wb = load_workbook(returned.master)
    ws = wb[INPUT_SHEET["4-2"]]
    ws["A5"] = None
    wb.save(returned.master)
    _, rep, result, actions = ribbon_merge(returned.master, returned.files)
    assert not result.ok and [a["func"] for a in actions] == ["alert"]
    assert "IDのない行があります" in rep.alerts[0][0] and "「判定を再計算」" in rep.alerts[0][0]


def test_the_saved_master_itself_is_known() -> None:
    from xlplan.engines.excel import local_path

    assert local_path(r"C:\Users\山田\Documents\資料4.xlsx") is not None
    assert local_path(r"\\server\share\資料4.xlsx") is not None
    assert local_path("https://example.sharepoint.com/資料4.xlsx") is None
    assert local_path("資料4.xlsx") is None


def test_the_button_is_in_the_secretariat_group() -> None:
    from xml.etree import ElementTree as ET

    from xlplan.addin import RIBBON_XML

    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    groups = ET.parse(RIBBON_XML).getroot().findall(".//c:group", ns)
    secretariat = [g for g in groups if g.get("label") == "事務局"]
    assert len(secretariat) == 1
    # Issue 12 added 回収状況を更新 and 督促メールを作成 after it (tests/excel/test_excel_status.py).
    button = secretariat[0].findall("c:button", ns)[0]
    assert button.get("tag") == "merge" and button.get("label") == excel.ACTIONS["merge"]
    assert button.get("imageMso") and button.get("onAction") == "XlplanRibbon.XlplanRun"
    assert all(b.get("tag") != "merge" for g in groups if g is not secretariat[0]
               for b in g.findall("c:button", ns))


def test_a_long_summary_is_cut() -> None:
    text = "\n".join(f"行{i}" for i in range(100))
    cut = excel._clip(text)
    assert cut.count("\n") == excel.MESSAGE_LINES - 1
    assert cut.endswith("で一覧にできます）") and "ほか61行" in cut
    assert excel._clip("短い") == "短い"


def _swap_columns(path: Path, sheet: str, a: int, b: int) -> None:
    """The secretariat rearranged the 変更履歴 table (columns are found by heading)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for r in range(1, ws.max_row + 1):
        x, y = ws.cell(r, a), ws.cell(r, b)
        x.value, y.value = y.value, x.value
    wb.save(path)


def test_a_second_merge_appends_below_the_first(returned: Returned, tmp_path: Path) -> None:
    first, second = returned.files[:1], returned.files[1:3]
    cli = tmp_path / "cli.xlsx"
    shutil.copy2(returned.master, cli)
    merge_into_master(cli, first, now=T0.replace(day=20))
    got, _, _, _ = ribbon_merge(returned.master, first, now=T0.replace(day=20))
    step = tmp_path / "ribbon.xlsx"
    got.save(step)
    for path in (cli, step):
        _swap_columns(path, CHANGES_SHEET, 2, 3)
    merge_into_master(cli, second, now=T1)
    got, _, result, _ = ribbon_merge(step, second)
    assert result.merge is not None and len(result.merge.changes) == 4
    exp = load_workbook(cli)
    assert_same_sheets(got, exp, COMPARED)
    assert len(records_of(CHANGES, got)) == 8
