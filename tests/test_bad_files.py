"""Bad files: a one-line message saying what is wrong and what to do, exit != 0, file untouched."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import load_workbook

from tests.conftest import ROOT, run_cli
from xlplan.core.layout import META_SHEET


def _assert_refused(res: subprocess.CompletedProcess[str], path: Path, before: bytes | None,
                    *words: str) -> None:
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert path.name in lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    if before is not None:
        assert path.read_bytes() == before
    assert not (path.parent / "backup").exists()


@pytest.mark.parametrize("command", ["check", "recompute", "export"])
def test_not_an_xlsx(tmp_path: Path, command: str) -> None:
    p = tmp_path / "メモ.xlsx"
    p.write_text("これはExcelではありません", encoding="utf-8")
    before = p.read_bytes()
    _assert_refused(run_cli(command, p), p, before, "ではありません", "not an .xlsx")


def test_truncated_file(tmp_path: Path, template_path: Path) -> None:
    p = tmp_path / "途中.xlsx"
    p.write_bytes(template_path.read_bytes()[:20000])
    before = p.read_bytes()
    _assert_refused(run_cli("recompute", p), p, before, "壊れています", "corrupt")


def test_password_protected_file(tmp_path: Path, template_path: Path) -> None:
    p = tmp_path / "保護.xlsx"
    out = io.BytesIO()
    with template_path.open("rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    p.write_bytes(out.getvalue())
    before = p.read_bytes()
    _assert_refused(run_cli("check", p), p, before, "パスワード", "password")


@pytest.mark.slow
def test_old_xls_made_by_libreoffice(tmp_path: Path, template_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by tools/setup.sh"
    src = tmp_path / "古い.xlsx"
    shutil.copy2(template_path, src)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    p = tmp_path / "古い.xls"
    before = p.read_bytes()
    _assert_refused(run_cli("recompute", p), p, before, ".xls", "save as .xlsx")


def test_open_in_excel(master: Path) -> None:
    lock = master.with_name("~$" + master.name)
    lock.write_bytes(b"\x00" * 165)  # Excel's owner file
    before = master.read_bytes()
    _assert_refused(run_cli("recompute", master), master, before, "Excelで開かれています", "open in Excel")
    # check still shows what it found, then says why nothing was written.
    res = run_cli("check", master)
    _assert_refused(res, master, before, "Excelで開かれています")
    assert "延15,3728人" in res.stdout and "エラー 1件" in res.stdout


def test_different_template_version(master: Path) -> None:
    wb = load_workbook(master)
    wb[META_SHEET]["B1"] = "xlplan-template-0"
    wb.save(master)
    before = master.read_bytes()
    _assert_refused(run_cli("recompute", master), master, before, "版が違います", "template version")


def test_workbook_without_our_marker(tmp_path: Path) -> None:
    from openpyxl import Workbook

    p = tmp_path / "別の様式.xlsx"
    Workbook().save(p)
    before = p.read_bytes()
    _assert_refused(run_cli("check", p), p, before, "版が違います")


def test_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "ない.xlsx"
    res = run_cli("check", p)
    assert res.returncode == 2 and "見つかりません" in res.stderr


def test_read_only_folder(template_path: Path) -> None:
    # A folder anyone may read but nobody may write (pytest's own tmp dirs are private).
    folder = Path(tempfile.mkdtemp(prefix="xlplan-ro-"))
    master = folder / "資料4.xlsx"
    shutil.copy2(template_path, master)
    master.chmod(0o644)
    before = master.read_bytes()
    folder.chmod(0o555)
    try:
        cmd = [sys.executable, "-m", "xlplan", "recompute", str(master)]
        if os.geteuid() == 0:  # root ignores permissions: run as nobody, as staff would be
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                             env={**os.environ, "HOME": "/tmp"})
        _assert_refused(res, master, before, "読み取り専用", "read-only")
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_read_only_file(tmp_path: Path, template_path: Path) -> None:
    """A master marked read-only (Windows' attribute, chmod a-w) is never replaced, even by
    an administrator or root, who could."""
    master = tmp_path / "資料4.xlsx"
    shutil.copy2(template_path, master)
    master.chmod(0o444)
    before = master.read_bytes()
    try:
        res = run_cli("check", master)  # check writes チェック結果
        _assert_refused(res, master, before, "読み取り専用", "read-only")
        assert "エラー 1件" in res.stdout  # the findings are shown all the same
        assert not (tmp_path / "backup").exists()
        assert master.stat().st_mode & 0o777 == 0o444
    finally:
        master.chmod(0o644)
