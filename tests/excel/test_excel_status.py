"""回収状況 through the ribbon (issue 12), on xlwings' remote engine.

The inputs are those of tests/test_status.py (the template split by 中項目 with a
deadline; copies returned with a conflict, twice, from another template version, and
corrupt). 返送ファイルを取り込み runs on the payload xlwings' VBA client would send; its
actions are replayed onto the master as Excel would, and the 回収状況 sheet, ``_xlplan``
and the input sheets are compared cell for cell with ``xlplan merge`` on the same
inputs. 回収状況を更新 and 督促メールを作成 are compared with ``xlplan status --write``
and ``xlplan remind``.
"""

from __future__ import annotations

import email
import shutil
from datetime import datetime
from email import policy
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.excel.clients import payload, probe, replay
from tests.excel.scenario import roundtrip_json
from tests.excel.test_excel_actions import INPUT_TABS, assert_same_sheets
from tests.excel.test_excel_merge import ribbon_merge
from tests.test_merge_common import T1
from tests.test_status import CHOUNAI, KURASHI, T2, Loop, run_loop, status_rows
from xlplan import excel
from xlplan.addin import RIBBON_XML, VBA_MODULE_FILE
from xlplan.core.layout import CHANGES_SHEET, META_SHEET, STATUS_SHEET
from xlplan.core.texts import say
from xlplan.files import merge_file, remind_file, status_file
from xlplan.server import create_app

COMPARED = [*INPUT_TABS, CHANGES_SHEET, META_SHEET, STATUS_SHEET]
LATER = datetime(2021, 2, 5, 12, 0, 0)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Loop:
    return run_loop(tmp_path_factory.mktemp("status"), merge=False)


def test_ribbon_merges_give_the_same_status_as_the_cli(inputs: Loop, tmp_path: Path) -> None:
    cli = tmp_path / "cli.xlsx"
    shutil.copy2(inputs.master, cli)
    merge_file(cli, inputs.first, now=T1)
    merge_file(cli, [inputs.second], now=T2)
    got, rep, result, _ = ribbon_merge(inputs.master, inputs.first, now=T1)
    step = tmp_path / "ribbon.xlsx"
    got.save(step)
    assert "回収状況：配布 9件、回収 3件（うち一部競合 1件、取込せず 1件）" in rep.alerts[-1][0]
    got, rep, result, actions = ribbon_merge(step, [inputs.second], now=T2)
    assert result.ok
    exp = load_workbook(cli)
    assert_same_sheets(got, exp, COMPARED)
    assert got.sheetnames == exp.sheetnames
    # The rows themselves (as tests/test_status.py expects them from the inputs).
    got.save(step)
    rows = {r["配布先"]: r for r in status_rows(step)}
    assert (rows[KURASHI]["状態"], rows[KURASHI]["競合数"]) == ("一部競合", 1)
    assert (rows[CHOUNAI]["回収日時"], rows[CHOUNAI]["最終取込"], rows[CHOUNAI]["反映セル数"]) == (
        "2021-02-01 17:30:00", "2021-02-03 10:00:00", 3)
    assert sum(r["期限超過"] == "5日超過" for r in rows.values()) == 6
    # Dates and times reach Excel as text (never the client's date guess), layout by macro.
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "'2021-02-03 10:00:00" in written and "'2021-01-29" in written
    assert any(m.endswith("XlplanApplyLayout") for m in rep.macros)
    ws = got[STATUS_SHEET]
    assert ws.auto_filter.ref == load_workbook(cli)[STATUS_SHEET].auto_filter.ref


def test_the_same_file_again_writes_nothing(inputs: Loop, tmp_path: Path) -> None:
    once = tmp_path / "once.xlsx"
    shutil.copy2(inputs.master, once)
    merge_file(once, [inputs.second], now=T1)
    _, rep, _result, actions = ribbon_merge(once, [inputs.second], now=T2)
    assert [a["func"] for a in actions] == ["alert"]
    assert "回収状況" not in rep.alerts[0][0]


def _merged(inputs: Loop, tmp_path: Path) -> Path:
    master = tmp_path / "資料4.xlsx"
    shutil.copy2(inputs.master, master)
    merge_file(master, inputs.first, now=T1)
    return master


def test_refresh_button_matches_status_write(inputs: Loop, tmp_path: Path) -> None:
    master = _merged(inputs, tmp_path)
    cli = tmp_path / "cli.xlsx"
    shutil.copy2(master, cli)
    status_file(cli, write=True, now=LATER)
    wb = load_workbook(master)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    out = excel.run("status", book, probe=probe(wb), now=LATER)
    assert out.ok
    rep = replay(wb, book.json()["actions"])
    assert_same_sheets(wb, load_workbook(cli), [STATUS_SHEET, META_SHEET, *INPUT_TABS])
    text, title, mode = rep.alerts[-1]
    assert title == "ICT進捗：回収状況を更新" and mode == "critical"  # six copies are overdue
    assert text.startswith("配布 9件、回収 3件") and "（うち期限超過 6件）" in text
    assert say("status.refreshed", sheet=STATUS_SHEET) in text


def test_refresh_through_the_server(inputs: Loop, tmp_path: Path) -> None:
    """回収状況を更新 needs nothing but the workbook: the server path runs it too."""
    master = _merged(inputs, tmp_path)
    wb = load_workbook(master)
    res = TestClient(create_app()).post("/xlplan/status", json=roundtrip_json(payload(wb)),
                                        headers={"X-Xlplan-Probe": probe(wb)})
    assert res.status_code == 200
    replay(wb, res.json()["actions"])
    rows = [r for r in wb[STATUS_SHEET].iter_rows(min_row=5, values_only=True) if any(r)]
    assert len(rows) == 9


def _desktop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, folder: Path) -> None:
    """As the add-in starts Python: the chosen folder in a UTF-16 list file."""
    listing = tmp_path / "xlplan-remind-20210205-120000.txt"
    listing.write_bytes(f"{folder}\r\n".encode("utf-16"))
    monkeypatch.setattr(excel, "is_remote", lambda book: False)
    monkeypatch.setattr("sys.argv", ["-c", "", "--wb=資料4.xlsx", "--from_xl=1",
                                     f"{excel.PATHS_ARG}{listing}"])


def _mail(path: Path) -> tuple[Any, ...]:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = msg.get_body(("plain",))
    assert body is not None
    return (msg["To"], msg["Subject"], msg["X-Unsent"], body.get_content())


def test_remind_button_writes_the_drafts_remind_writes(inputs: Loop, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    master = _merged(inputs, tmp_path)
    cli = remind_file(master, tmp_path / "cli", now=LATER)
    folder = tmp_path / "督促 フォルダー"
    _desktop(monkeypatch, tmp_path, folder)
    opened: list[Path] = []
    monkeypatch.setattr("xlplan.engines.drafts.open_folder", lambda p: opened.append(p) or True)
    wb = load_workbook(master)
    before = load_workbook(master)
    book = xw.Book(json=roundtrip_json(payload(wb)))
    out = excel.run("remind", book, probe=probe(wb), now=LATER)
    assert out.ok
    rep = replay(wb, book.json()["actions"])
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]  # the workbook is untouched
    assert_same_sheets(wb, before, wb.sheetnames)
    names = sorted(p.name for p in folder.glob("*.eml"))
    assert names == sorted(p.name for p in cli.data["written"]) and len(names) == 6
    for name in names:
        assert _mail(folder / name) == _mail(tmp_path / "cli" / name)
    assert opened == [folder]
    text = rep.alerts[-1][0]
    assert "督促メールの下書きを6件作成しました" in text and str(folder) in text


def test_remind_on_the_server_and_without_a_folder(inputs: Loop, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    wb = load_workbook(inputs.master)
    res = TestClient(create_app()).post("/xlplan/remind", json=roundtrip_json(payload(wb)))
    actions = res.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0] == say("ribbon.remind_on_server")
    monkeypatch.setattr(excel, "is_remote", lambda book: False)
    monkeypatch.setattr("sys.argv", ["-c", "", "--wb=資料4.xlsx", "--from_xl=1"])
    book = xw.Book(json=roundtrip_json(payload(wb)))
    out = excel.run("remind", book)
    assert not out.ok and out.message == say("ribbon.remind_no_folder")


def test_the_secretariat_group_and_its_vba() -> None:
    from xml.etree import ElementTree as ET

    ns = {"c": "http://schemas.microsoft.com/office/2006/01/customui"}
    groups = ET.parse(RIBBON_XML).getroot().findall(".//c:group", ns)
    (sec,) = [g for g in groups if g.get("label") == "事務局"]
    assert [(b.get("tag"), b.get("label")) for b in sec.findall("c:button", ns)] == [
        ("merge", "返送ファイルを取り込み"), ("status", "回収状況を更新"), ("remind", "督促メールを作成")]
    bas = VBA_MODULE_FILE.read_text(encoding="ascii").replace("\r\n", "\n")
    body = bas[bas.index("Private Sub XlplanRemind()"):]
    body = body[:body.index("End Sub")]
    assert "Application.FileDialog(FOLDER_PICKER)" in body
    assert "If dlg.Show <> DIALOG_OK Then Exit Sub" in body  # cancelled: nothing happens
    assert "CreateTextFile(listFile, True, True)" in body  # the folder in a list file
    assert 'XlplanRunPython "remind", listFile' in body
    assert "Private Const FOLDER_PICKER As Long = 4" in bas


def test_a_return_with_nothing_to_take_is_recorded_from_the_ribbon(inputs: Loop,
                                                                   tmp_path: Path) -> None:
    from tests.test_merge_common import edit

    back = edit(inputs.copies[KURASHI], tmp_path / "そのまま.xlsx", {}, by="山田 花子")
    got, rep, result, _actions = ribbon_merge(inputs.master, [back], now=T1)
    assert result.merge is not None and result.merge.changes == []
    text = rep.alerts[-1][0]
    assert say("merge.nothing") not in text
    assert say("ribbon.merge_recorded", sheet=STATUS_SHEET) in text
    cli = tmp_path / "cli.xlsx"
    shutil.copy2(inputs.master, cli)
    merge_file(cli, [back], now=T1)
    exp = load_workbook(cli)
    assert CHANGES_SHEET not in got.sheetnames and CHANGES_SHEET not in exp.sheetnames
    assert_same_sheets(got, exp, [n for n in COMPARED if n != CHANGES_SHEET])
