"""Paths and other writers (issue 13): outputs that would overwrite an input or a file we
did not write, symbolic links, two writers at once, another program saving meanwhile,
consoles that cannot show every character, readers that close the pipe, odd file names.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import ROOT
from tests.hostile.harness import backups, cli, one_line, scene, snap
from xlplan.core.layout import CHECK_SHEET


def _refused(run, path: Path, before: bytes, *words: str) -> str:  # type: ignore[no-untyped-def]
    assert run.code == 2, (run.argv, run.out, run.err)
    line = one_line(run)
    for w in words:
        assert w in line, (w, line)
    assert path.read_bytes() == before
    return line


def test_merge_report_naming_the_master_or_a_return_is_refused_even_in_a_dry_run(
        tmp_path: Path) -> None:
    master, back = scene(tmp_path)
    m0, b0 = master.read_bytes(), back.read_bytes()
    for target in (master, back):
        run = cli("merge", master, back, "--dry-run", "--report", target)
        _refused(run, target, target.read_bytes(), target.name, "-o（--report）")
        assert master.read_bytes() == m0 and back.read_bytes() == b0
    assert not backups(tmp_path)


def test_output_over_an_existing_workbook_needs_force_and_is_backed_up(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    other = tmp_path / "別のブック.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "だれかの表"
    wb.save(other)
    before = other.read_bytes()
    for command in ("check", "recompute", "render", "update"):
        _refused(cli(command, master, "-o", other), other, before, "既にあります", "--force")
    run = cli("render", master, "-o", other, "--force")
    assert run.code == 0, run.err
    saved = list((tmp_path / "backup").glob("別のブック.*.xlsx"))
    assert len(saved) == 1 and saved[0].read_bytes() == before
    assert "資料4-1" in load_workbook(other).sheetnames


def test_output_naming_the_input_is_refused(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    before = master.read_bytes()
    _refused(cli("recompute", master, "-o", master, "--force"), master, before, "同じ")
    _refused(cli("rollover", master, "--to", "2021", "-o", master, "--force"), master, before)


def test_split_over_returned_copies_refuses_and_records_no_issue(tmp_path: Path) -> None:
    master, back = scene(tmp_path)
    first = cli("split", master, "--by", "sheet", "--out", tmp_path / "out")
    assert first.code == 0, first.err
    copies = {p: p.read_bytes() for p in (tmp_path / "out").glob("*.xlsx")}
    returned = next(iter(copies))
    returned.write_bytes(back.read_bytes())  # a copy came back into the same folder
    copies[returned] = returned.read_bytes()
    before = master.read_bytes()
    _refused(cli("split", master, "--by", "sheet", "--out", tmp_path / "out"), master, before,
             "既にあります")
    assert {p: p.read_bytes() for p in copies} == copies


def test_symbolic_link_updates_its_target(tmp_path: Path) -> None:
    master, back = scene(tmp_path)
    real = tmp_path / "共有" / "資料4.xlsx"
    real.parent.mkdir()
    master.rename(real)
    link = tmp_path / "リンク.xlsx"
    link.symlink_to(real)
    for argv in (["check", link], ["render", link], ["merge", link, back]):
        before = real.read_bytes()
        run = cli(*argv)
        assert run.code in (0, 1), run.err
        assert link.is_symlink() and os.path.realpath(link) == str(real)
        assert real.read_bytes() != before
    assert CHECK_SHEET in load_workbook(real).sheetnames


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    from xlplan.engines.xlsx import LOCK_STALE_SECONDS, MasterLock, lock_path

    master, back = scene(tmp_path)
    before = master.read_bytes()
    with MasterLock(master):
        for argv in (["recompute", master], ["merge", master, back], ["render", master],
                     ["split", master, "--out", tmp_path / "out"]):
            line = _refused(cli(*argv), master, before, "使用中")
            assert "pid" in line
        # reading is not writing: check --no-write and export go ahead
        assert cli("check", master, "--no-write").code == 1
        assert cli("export", master).code == 0
    assert not lock_path(master).exists()
    # A lock left behind by a crashed run is taken over once it is stale.
    with MasterLock(master):
        old = time.time() - LOCK_STALE_SECONDS - 60
        os.utime(lock_path(master), (old, old))
        assert cli("recompute", master).code == 0


def test_another_program_saving_meanwhile_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xlplan import files
    from xlplan.actions import recompute as recompute_action

    master, _ = scene(tmp_path)
    wb = load_workbook(master)
    wb["4-2入力"]["N4"] = "別のプログラムが保存した値"
    theirs = tmp_path / "theirs.xlsx"
    wb.save(theirs)
    real = recompute_action.recompute

    def recompute_while_someone_saves(engine):  # type: ignore[no-untyped-def]
        result = real(engine)
        master.write_bytes(theirs.read_bytes())  # Excel (or a colleague's script) saves now
        return result

    monkeypatch.setattr(files.recompute_action, "recompute", recompute_while_someone_saves)
    # a change to make, so that recompute has something to save
    wb = load_workbook(master)
    wb["4-2入力"]["K4"] = "50%"
    wb.save(master)
    run = cli("recompute", master)
    assert run.code == 2 and "別のプログラム" in one_line(run), run.err
    assert master.read_bytes() == theirs.read_bytes()
    assert not backups(tmp_path)


def _xlplan(*args: str | Path, env: dict[str, str] | None = None,
            shell: str | None = None) -> subprocess.CompletedProcess[bytes]:
    base = {**os.environ, **(env or {})}
    if shell is not None:
        return subprocess.run(shell, shell=True, executable="/bin/bash", capture_output=True,
                              cwd=ROOT, env=base)
    return subprocess.run([sys.executable, "-m", "xlplan", *map(str, args)],
                          capture_output=True, cwd=ROOT, env=base)


@pytest.mark.slow
def test_a_cp932_console_never_crashes(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    for args in (["check", master, "--no-write"], ["export", master], ["export", master, "--csv"],
                 ["judge", "--sheet", "4-2", "--baseline", "10", "--actual", "12",
                  "--final", "20"]):
        res = _xlplan(*args, env={"PYTHONIOENCODING": "cp932"})
        assert res.returncode in (0, 1), res.stderr.decode("cp932", "replace")
        assert b"Traceback" not in res.stderr
        res.stdout.decode("cp932")  # what the console shows is valid cp932
    utf8 = _xlplan("judge", "--sheet", "4-2", "--baseline", "10", "--actual", "12", "--final",
                   "20", env={"PYTHONIOENCODING": "cp932", "XLPLAN_UTF8": "1"})
    assert "↗".encode() in utf8.stdout


@pytest.mark.slow
def test_a_reader_that_closes_the_pipe_keeps_the_exit_status(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    for cmd, status in ((f"check '{master}'", 1), (f"export '{master}'", 0)):
        res = _xlplan(shell=f"'{sys.executable}' -m xlplan {cmd} | true; "
                            "echo \"status=${PIPESTATUS[0]}\" >&2")
        err = res.stderr.decode()
        assert f"status={status}" in err, err
        assert "Broken pipe" not in err and "Traceback" not in err and "Exception" not in err
    assert CHECK_SHEET in load_workbook(master).sheetnames  # check saved its sheet


def test_a_file_named_like_an_option(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    weird = tmp_path / "-o.xlsx"
    master.rename(weird)
    res = subprocess.run([sys.executable, "-m", "xlplan", "check", "-o.xlsx"],
                         capture_output=True, text=True, cwd=tmp_path)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode == 2 and len(lines) == 1, res.stderr
    assert "./-o.xlsx" in lines[0] and "usage:" not in res.stderr
    for argv in (["check", "./-o.xlsx"], ["check", "--", "-o.xlsx"]):
        ok = subprocess.run([sys.executable, "-m", "xlplan", *argv], capture_output=True,
                            text=True, cwd=tmp_path)
        assert ok.returncode == 1, ok.stderr
    # A usage error with no file named like an option does not get the hint.
    plain = cli("judge", "--baseline", "1")
    assert plain.code == 2 and "--sheet" in one_line(plain) and "./-o.xlsx" not in plain.err
    # A value starting with a minus is told to come after --, and then it is read.
    minus = cli("parse", "-5.0%")
    assert minus.code == 2 and "-- -5%" in one_line(minus) and "./-o.xlsx" not in minus.err
    assert cli("parse", "--", "-5.0%").code == 0


def test_a_file_name_with_a_line_break_gives_one_line(tmp_path: Path) -> None:
    master, _ = scene(tmp_path)
    odd = tmp_path / "資料4\n改行.xlsx"
    master.rename(odd)
    odd.write_bytes(b"not a workbook")
    run = cli("check", odd)
    assert run.code == 2 and "資料4 改行.xlsx" in one_line(run)
    for line in cli("check", tmp_path / "ない\nファイル.xlsx").lines():
        assert "ない ファイル.xlsx" in line


def test_merge_summary_separates_the_sheet_from_the_message(tmp_path: Path) -> None:
    from tests.test_merge_common import edit

    master, back = scene(tmp_path)

    def hide(wb):  # type: ignore[no-untyped-def]
        ws = wb.create_sheet("メモ")
        ws["A1"] = "x"
        ws.sheet_state = "hidden"

    edit(back, None, {}, also=hide)
    run = cli("merge", master, back)
    line = next(ln for ln in run.out.splitlines() if "メモ" in ln and "[警告]" in ln)
    assert re.search(r"\] メモ 非表示", line), line


def test_spare_rows_are_unlocked_in_typed_columns_and_locked_in_computed_ones(
        tmp_path: Path) -> None:
    """docs/workbook.md: the typed columns are unlocked, including 200 spare rows below
    the table; the computed columns are locked. Checked on the template and after the
    commands have written it."""
    from openpyxl.utils import get_column_letter

    from xlplan.core.layout import INPUT_SHEET, SHEETS, Kind, columns_for

    master, _ = scene(tmp_path)
    assert cli("update", master).code in (0, 1)
    for path in (ROOT / "workbook" / "資料4_template.xlsx", master):
        wb = load_workbook(path)
        for sheet in SHEETS:
            ws = wb[INPUT_SHEET[sheet]]
            assert ws.protection.sheet
            last = ws.max_row
            for j, col in enumerate(columns_for(sheet), start=1):
                for r in (last + 1, last + 100, last + 199):
                    cell = ws._cells.get((r, j))
                    if cell is not None and cell.has_style:
                        locked = cell.protection.locked
                    else:
                        dim = ws.column_dimensions[get_column_letter(j)]
                        locked = dim.protection.locked if dim.style_id else True
                    assert locked is (col.kind is Kind.COMPUTED), (path.name, sheet, col.key, r)


def test_other_writers_see_a_consistent_file_after_a_refusal(tmp_path: Path) -> None:
    """A refused command leaves neither a temporary file nor a lock behind."""
    master, _ = scene(tmp_path)
    (tmp_path / ("~$" + master.name)).write_bytes(b"\0" * 165)  # open in Excel
    before = master.read_bytes()
    _refused(cli("recompute", master), master, before, "Excel")
    leftovers = [p.name for p in tmp_path.iterdir()
                 if p.name.startswith((".xlplan-", ".~", ".~xlplan-lock"))]
    assert leftovers == []
    assert snap(master).data == before


def test_a_folder_named_like_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "資料4.xlsx"
    folder.mkdir()
    for argv in (["check", folder], ["recompute", folder], ["render", folder],
                 ["update", folder], ["export", folder], ["merge", folder, folder],
                 ["split", folder, "--out", tmp_path / "o"],
                 ["rollover", folder, "--to", "2021", "-o", tmp_path / "n.xlsx"]):
        run = cli(*argv)
        assert run.code == 2 and "フォルダー" in one_line(run), (argv, run.err)
    assert list(folder.iterdir()) == [] and not (tmp_path / "n.xlsx").exists()


def test_a_bug_ends_in_one_line_and_a_log_and_the_master_is_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The top-level guard: an exception nobody foresaw (here a fault injected into the
    file engine in the middle of writing) is one line on stderr, exit 3 (not 1, which
    means "check found errors"), the traceback in a log file, and the master as it was."""
    from xlplan.engines.xlsx import XlsxEngine

    master, back = scene(tmp_path)
    before = master.read_bytes()

    def broken(self: XlsxEngine, plan: object) -> None:
        raise ZeroDivisionError("injected fault")

    monkeypatch.setattr(XlsxEngine, "_apply", broken)
    run = cli("merge", master, back)
    assert run.code == 3, (run.out, run.err)
    line = one_line(run)
    assert "予期しないエラー" in line and "ZeroDivisionError" in line
    assert "Traceback" not in run.err
    log = Path(re.search(r"(\S+xlplan-error-\S+?\.log)", line).group(1))  # type: ignore[union-attr]
    try:
        text = log.read_text(encoding="utf-8")
        assert "Traceback" in text and "injected fault" in text and "_apply" not in line
    finally:
        log.unlink()
    assert master.read_bytes() == before
    assert not backups(tmp_path)
