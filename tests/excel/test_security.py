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


def windows_argv(cmdline: str) -> list[str]:
    """Split a command line as the Microsoft C runtime does for a program's argv
    (documented rules: 2n backslashes before a quote give n and toggle quoting;
    2n+1 give n and a literal quote; other backslashes are literal)."""
    args: list[str] = []
    cur, in_quotes, have, i = "", False, False, 0
    while i < len(cmdline):
        ch = cmdline[i]
        if ch == "\\":
            n = len(cmdline[i:]) - len(cmdline[i:].lstrip("\\"))
            if cmdline[i + n:i + n + 1] == '"':
                cur += "\\" * (n // 2)
                if n % 2:
                    cur += '"'
                    i += n + 1
                else:
                    i += n
                have = True
                continue
            cur += "\\" * n
            i += n
            have = True
            continue
        if ch == '"':
            in_quotes = not in_quotes
            have = True
        elif ch in " \t" and not in_quotes:
            if have:
                args.append(cur)
            cur, have = "", False
        else:
            cur += ch
            have = True
        i += 1
    if have:
        args.append(cur)
    return args


def vba_command_line(values: dict[str, str]) -> str:
    """The string XlplanRunPython's ``cmd = ...`` builds, evaluated from the VBA text:
    string literals as VBA reads them, every other operand looked up in ``values``."""
    expr = re.search(r"^\s*cmd = (.*?)\n\s*exitCode = ", vba_body("XlplanRunPython"),
                     re.M | re.S).group(1)
    expr = re.sub(r" _\n\s*", " ", expr)
    out = []
    for token in re.finditer(r'"((?:[^"]|"")*)"|([^&"]+)', expr):
        literal, other = token.groups()
        if literal is not None:
            out.append(literal.replace('""', '"'))
        elif other.strip():
            out.append(values[other.strip()])  # an operand this test does not know fails
    return "".join(out)


def test_a_pythonpath_ending_in_a_backslash_keeps_the_arguments_apart() -> None:
    values = {
        "ParentFolder(interpreter)": r"C:\xlplan\venv\Scripts",
        "interpreter": r"C:\xlplan\venv\Scripts\python.exe",
        "action": "recompute", "pyPath": "C:\\xlplan\\src\\;D:\\lib\\",
        "ActiveWorkbook.Name": "資料4.xlsx", "Application.Path": r"C:\Office",
        "Application.Name": "EXCEL.EXE", "Application.Hwnd": "1234", "extra": "",
        "logFile": r"C:\Temp\xlplan.log",
    }
    line = vba_command_line(values)
    # cmd.exe runs what follows "&&"; the redirection of stderr is cmd.exe's, not an argument.
    program = line.split(" && ", 1)[1].rsplit(" 2> ", 1)[0]
    argv = windows_argv(program)
    assert argv[1:4] == ["-I", "-B", "-c"]
    assert argv[5].split(";")[:2] == ["C:\\xlplan\\src\\", "D:\\lib\\"]  # each entry intact
    assert argv[6:] == ["--wb=資料4.xlsx", "--from_xl=1", r"--app=C:\Office\EXCEL.EXE",
                        "--hwnd=1234"]
    # What Python makes of argv[1] (the code of -c puts these on sys.path):
    code = argv[4].split("; import xlplan")[0]
    scope: dict[str, Any] = {}
    exec(code.replace("import sys; sys.path[0:0] = ", "got = ").replace("sys.argv", "argv"),
         {"argv": argv[4:]}, scope)
    assert scope["got"] == ["C:\\xlplan\\src\\", "D:\\lib\\"]
