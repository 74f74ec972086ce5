"""A received workbook cannot change what runs: no conf sheet, no look-alike module."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import load_workbook

from tests.excel.clients import payload, probe, replay
from tests.excel.scenario import roundtrip_json, staff_edits
from tests.excel.test_excel_actions import INPUT_TABS, assert_same_sheets
from xlplan import excel
from xlplan.addin import VBA_MODULE_FILE
from xlplan.core.layout import CHECK_SHEET
from xlplan.core.report import REPORT_NAMES

BAS = VBA_MODULE_FILE.read_text(encoding="ascii").replace("\r\n", "\n")


def vba_body(name: str) -> str:
    m = re.search(rf"^(?:Public|Private) (?:Sub|Function) {name}\(.*?^End (?:Sub|Function)",
                  BAS, re.M | re.S)
    assert m, name
    return m.group(0)


def python_command(action: str) -> list[str]:
    """The command line XlplanRunPython builds, with the add-in's PYTHONPATH left empty."""
    body = vba_body("XlplanRunPython")
    assert '""" -I -B -c " & _' in body
    first = re.search(r'"""(import sys;[^"]*)" & _', body).group(1)
    call = re.search(r'"(import xlplan\.excel; xlplan\.excel\.run\(\')" & action & "(\'\))""', body)
    code = first + call.group(1) + action + call.group(2)
    return [sys.executable, "-I", "-B", "-c", code, "", "--wb=資料4.xlsx", "--from_xl=1"]


@pytest.fixture
def downloads(tmp_path: Path) -> tuple[Path, Path]:
    """A Downloads folder with the received workbook and look-alikes of our modules."""
    folder = tmp_path / "Downloads"
    marker = tmp_path / "look-alike-ran"
    (folder / "xlplan").mkdir(parents=True)
    evil = f"import pathlib; pathlib.Path({str(marker)!r}).write_text(__name__)\n"
    (folder / "xlplan" / "__init__.py").write_text(evil, encoding="utf-8")
    (folder / "xlplan" / "excel.py").write_text(evil + "def run(a): pass\n", encoding="utf-8")
    (folder / "xlwings.py").write_text(evil, encoding="utf-8")
    (folder / "資料4.xlsx").write_bytes(b"")
    return folder, marker


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_look_alike_modules_beside_the_workbook_are_not_imported(downloads: tuple[Path, Path]) -> None:
    folder, marker = downloads
    res = _run(python_command("recompute"), folder)
    assert not marker.exists(), "a module from the workbook's folder was imported"
    # The real xlplan ran: it asked xlwings for the calling workbook (no Excel here).
    assert "xlplan/excel.py" in res.stderr and "Book" in res.stderr


def test_the_same_command_without_isolation_would_import_them(downloads: tuple[Path, Path]) -> None:
    """Shows the test above can fail: drop -I and the look-alike wins."""
    folder, marker = downloads
    cmd = [c for c in python_command("recompute") if c != "-I"]
    _run(cmd, folder)
    assert marker.exists()


def test_the_addin_pythonpath_setting_is_honoured(downloads: tuple[Path, Path], tmp_path: Path) -> None:
    """sys.path entries come from the add-in's own setting (argv[1]), and only from there."""
    folder, marker = downloads
    cmd = python_command("recompute")
    cmd[5] = str(folder)  # as if the add-in's PYTHONPATH named this folder
    _run(cmd, tmp_path)
    assert marker.exists()


def test_settings_are_read_from_the_addin_only() -> None:
    setting = vba_body("AddinSetting")
    assert "ThisWorkbook.Worksheets(CONF_SHEET)" in setting and "ActiveWorkbook" not in setting
    runner = vba_body("XlplanRunPython")
    assert "GetConfig" not in runner and not re.search(r"^\s*RunPython ", runner, re.M)
    assert 'AddinSetting("INTERPRETER_WIN")' in runner and 'AddinSetting("PYTHONPATH")' in runner
    server = vba_body("XlplanRunServer")
    assert server.index("CarriesConfig(ActiveWorkbook)") < server.index("RunServerPython ")


CONF_SHEETS = {
    "xlwings.conf": [["INTERPRETER_WIN", r"\\evil\share\python.exe"], ["PYTHONPATH", r"\\evil\share"],
                     ["ADD_WORKBOOK_TO_PYTHONPATH", True]],
    "myaddin.conf": [["INTERPRETER_WIN", r"\\evil\share\python.exe"], ["CONDA PATH", r"\\evil"]],
    "xlplan.conf": [["SERVER_URL", "http://evil.example"], ["INTERPRETER_WIN", "calc.exe"]],
}


def _press(data: dict[str, Any], action: str, probe: str | None = None) -> list[dict[str, Any]]:
    book = xw.Book(json=copy.deepcopy(data))
    book.set_mock_caller()
    if probe is None:
        excel.ENTRY_POINTS[action]()  # the RunPython entry point, as the ribbon calls it
    else:
        excel.run(action, book, probe=probe)
    return book.json()["actions"]


def test_a_conf_sheet_in_the_workbook_changes_nothing(workbook_copy: Path, tmp_path: Path) -> None:
    staff_edits(workbook_copy)
    plain = workbook_copy
    carrying = tmp_path / "with_conf.xlsx"
    wb = load_workbook(plain)
    for name, rows in CONF_SHEETS.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(carrying)
    got = load_workbook(carrying)
    exp = load_workbook(plain)
    a_got = _press(roundtrip_json(payload(got)), "update", probe(got))
    a_exp = _press(roundtrip_json(payload(exp)), "update", probe(exp))
    replay(got, a_got)
    replay(exp, a_exp)
    assert_same_sheets(got, exp, [*INPUT_TABS, CHECK_SHEET, *REPORT_NAMES])
    for name, rows in CONF_SHEETS.items():  # and the conf sheets themselves are untouched
        assert [list(r) for r in got[name].iter_rows(values_only=True)] == rows
