"""Opening and saving workbook files safely.

Everything that can be wrong with a file before we even read a cell is detected here and
raised as a :class:`BookError` carrying a Japanese message, a fix and an English line
for the CLI. Saving is atomic (temp file in the same folder, then ``os.replace``) and a
timestamped backup is taken before the master is changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from xlplan.core.layout import META_SHEET, version_problem

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
BACKUP_DIR = "backup"


class BookError(Exception):
    """A file we cannot use as it is. ``str()`` is the one-line CLI message."""

    def __init__(self, code: str, path: Path | str, message: str, fix: str, english: str):
        self.code = code
        self.path = Path(path)
        self.message = message
        self.fix = fix
        self.english = english
        super().__init__(f"{path}: {message} {fix} ({english})")


def lock_file(path: Path) -> Path:
    """Excel's owner file for an open workbook: ``~$name.xlsx`` beside it."""
    return path.with_name("~$" + path.name)


def sniff(path: Path) -> None:
    """Raise BookError unless ``path`` looks like a readable .xlsx file."""
    if not path.exists():
        raise BookError("file_missing", path, "ファイルが見つかりません。",
                        "ファイル名と保存場所を確認してください。", "file not found")
    if path.is_dir():
        raise BookError("not_a_file", path, "フォルダーが指定されました。",
                        "Excelファイル（.xlsx）を指定してください。", "is a directory")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC):
        if suffix == ".xls":
            raise BookError("old_xls", path, "古い形式（.xls）のファイルです。",
                            "Excelで開き「名前を付けて保存」で「Excel ブック (*.xlsx)」として保存し直してください。",
                            "old .xls format; save as .xlsx")
        raise BookError("encrypted", path, "パスワードで保護（暗号化）されたファイルは読めません。",
                        "Excelで開き「ファイル→情報→ブックの保護→パスワードを使用して暗号化」でパスワードを消してから保存してください。",
                        "password-protected (encrypted) workbook")
    if not head.startswith(ZIP_MAGIC):
        raise BookError("not_xlsx", path, "Excelのファイル（.xlsx）ではありません。",
                        "資料4のExcelブック（.xlsx）を指定してください。",
                        "not an .xlsx file")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise BookError("corrupt", path, "ファイルが壊れています（途中で切れているか、破損しています）。",
                        "送り主にもう一度送ってもらうか、バックアップから戻してください。",
                        f"corrupt or truncated file: {e}") from e
    if bad is not None:
        raise BookError("corrupt", path, f"ファイルの一部（{bad}）が壊れています。",
                        "送り主にもう一度送ってもらうか、バックアップから戻してください。",
                        f"corrupt member {bad}")
    if "xl/workbook.xml" not in names:
        raise BookError("not_xlsx", path, "Excelのブックではありません（workbook.xml がありません）。",
                        "資料4のExcelブック（.xlsx）を指定してください。", "zip without xl/workbook.xml")


def check_writable(path: Path) -> None:
    """Raise BookError if we must not (or cannot) replace ``path`` now."""
    try:
        locked = lock_file(path).exists()
    except OSError:
        locked = False
    if locked:
        raise BookError("open_in_excel", path, "このファイルはExcelで開かれています。",
                        "Excelでファイルを閉じてから、もう一度実行してください。",
                        f"file is open in Excel ({lock_file(path).name} exists)")
    folder = path.parent
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BookError("read_only", path, "保存先のフォルダーまたはファイルが読み取り専用です。",
                        "書き込みできるフォルダーにコピーするか、-o で別の保存先を指定してください。",
                        "folder or file is read-only")


def open_workbook(path: Path | str, *, check_version: bool = True) -> Workbook:
    """Load an .xlsx after sniffing it; ``BookError`` for anything that is wrong."""
    path = Path(path)
    sniff(path)
    try:
        wb = load_workbook(path, rich_text=False)
    except Exception as e:  # openpyxl raises many kinds for broken parts
        raise BookError("corrupt", path, "ファイルを読み込めません（中身が壊れています）。",
                        "Excelで開けるか確かめ、開ける場合は「名前を付けて保存」し直してください。",
                        f"cannot load workbook: {type(e).__name__}: {e}") from e
    if check_version:
        check_template_version(wb, path)
    return wb


def template_version(wb: Workbook) -> str | None:
    if META_SHEET not in wb.sheetnames:
        return None
    v = wb[META_SHEET]["B1"].value
    return str(v) if v is not None else None


def check_template_version(wb: Workbook, path: Path) -> None:
    problem = version_problem(template_version(wb))
    if problem is not None:
        raise BookError("template_version", path, *problem)


def backup(path: Path, now: datetime | None = None) -> Path:
    """Copy ``path`` to ``backup/<stem>.<YYYYmmdd-HHMMSS>.xlsx`` beside it."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    dest = folder / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
    shutil.copy2(path, dest)
    return dest


def atomic_save(wb: Workbook, path: Path) -> None:
    """Save to a temp file in the same folder, then replace ``path`` in one step."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".xlplan-", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    try:
        # mkstemp makes the file private (0600); keep the master's own permissions, or
        # give a new file the usual ones, so a shared folder stays shared.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        wb.save(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def save_master(wb: Workbook, source: Path, out: Path | None = None) -> tuple[Path, Path | None]:
    """Write ``wb`` to ``out`` (default: over ``source``, after a backup).

    Returns (written path, backup path or None).
    """
    target = Path(out) if out else source
    check_writable(target)
    bak = backup(source) if target.resolve() == source.resolve() else None
    atomic_save(wb, target)
    return target, bak
