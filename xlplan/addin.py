"""``xlplan addin build|install``: the Excel add-in that puts the ribbon tab on screen.

``build`` starts from the ribbon add-in that ships inside the xlwings package
(``quickstart_addin_ribbon.xlam``) and changes two parts of the zip:

* ``customUI/customUI.xml`` becomes ``macros/ribbon.xml`` (the ICT進捗 tab);
* its settings sheet becomes ``xlplan.conf``: the interpreter, extra ``sys.path``
  entries and (optionally) the server URL. The add-in's own VBA reads these from the
  add-in only (``ThisWorkbook``), never from the workbook that is open, and starts Python
  in isolated mode (``-I``), so a workbook that arrives by email can change neither the
  interpreter nor ``sys.path``.

What ``build`` cannot change on Linux is ``xl/vbaProject.bin`` (compiled VBA): the
module that the buttons call, ``macros/XlplanRibbon.bas``, is imported once on a
Windows PC, either by ``xlplan addin build --import-vba`` (needs Excel and "Trust access
to the VBA project object model") or by hand in the VBA editor (File → Import File).
See docs/excel.md.

``install`` copies the add-in into Excel's per-user startup folder (XLSTART), a
location Excel trusts, and removes the "downloaded from the internet" mark.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ADDIN_NAME = "xlplan.xlam"
CONF_SHEET = "xlplan.conf"
SHIPPED_ADDIN = "quickstart_addin_ribbon.xlam"
SHIPPED_CONF_SHEET = "_myaddin.conf"  # the shipped add-in's (disabled) settings sheet
ROOT = Path(__file__).resolve().parent.parent


def macros_dir() -> Path:
    """macros/ of the source tree; from an installed copy, macros/ in the current folder."""
    for folder in (ROOT / "macros", Path.cwd() / "macros"):
        if (folder / "ribbon.xml").exists():
            return folder
    return ROOT / "macros"


MACROS = macros_dir()
RIBBON_XML = MACROS / "ribbon.xml"
VBA_MODULE_FILE = MACROS / "XlplanRibbon.bas"
# xlwings' VBA client for xlwings Server, imported beside our module for the server path.
REMOTE_MODULES = ("Remote.bas", "IWebAuthenticator.cls", "WebClient.cls", "WebRequest.cls",
                  "WebResponse.cls", "WebHelpers.bas")
DEFAULT_INTERPRETER_WIN = r"%LOCALAPPDATA%\xlplan\venv\Scripts\python.exe"

# Messages the VBA module shows itself (when Python cannot). The VBA source must stay
# ASCII (the VBA editor imports with the system code page), so they live in the .bas as
# hex code points, decoded by its Ja() function; a test keeps both in step.
VBA_MESSAGES: dict[str, str] = {
    "MSG_TITLE": "ICT進捗",
    "MSG_NO_BOOK": "ブックを開いてから実行してください。",
    "MSG_UNKNOWN": "このボタンには対応する処理がありません。",
    "MSG_NO_PYTHON": "Pythonが見つかりません。xlplan.xlam の設定（INTERPRETER_WIN）を事務局に確認してください。",
    "MSG_FAILED": "Pythonの実行に失敗しました。次の内容を事務局に知らせてください。",
    "MSG_CONF": "このブックには設定シート（.conf）または設定ファイルが付いているため、実行を中止しました。事務局に確認してください。",
    # 返送ファイルを取り込み (merge): the file dialog, and the server path's refusal.
    "MSG_MERGE_PICK": "取り込む返送ファイルを選んでください（複数選べます）",
    "MSG_MERGE_FILTER": "Excel ブック (*.xlsx;*.xlsm),*.xlsx;*.xlsm",
    "MSG_MERGE_SERVER": "返送ファイルの取り込みは、サーバー経由では使えません（サーバーからはこのパソコンのファイルを読めません）。"
                        "Python を入れたパソコンのアドインで実行するか、事務局のパソコンで xlplan merge を使ってください。",
}


def vba_hex(text: str) -> str:
    """'ICT進捗' → '0049 0043 0054 9032 6357' (what the .bas stores)."""
    return " ".join(f"{ord(ch):04X}" for ch in text)


def vba_message_consts() -> str:
    """The ``Private Const`` lines of XlplanRibbon.bas that hold VBA_MESSAGES."""
    return "\n".join(f'Private Const {k} As String = "{vba_hex(v)}"' for k, v in VBA_MESSAGES.items())


class AddinError(Exception):
    """``str()`` is the Japanese message with an English line."""


@dataclass
class BuildResult:
    path: Path
    settings: dict[str, str]
    notes: list[str] = field(default_factory=list)


def shipped_addin() -> Path:
    import xlwings

    path = Path(xlwings.__file__).resolve().parent / SHIPPED_ADDIN
    if not path.exists():
        raise AddinError(f"xlwings の中に {SHIPPED_ADDIN} が見つかりません。"
                         f"xlwings を入れ直してください。 (missing {path})")
    return path


def default_interpreter() -> str:
    """This Python on Windows; the documented per-user location when building elsewhere.

    A path under the builder's own %LOCALAPPDATA% is stored with the variable unexpanded,
    so that the add-in works for every user who installs Python the same way.
    """
    if not sys.platform.startswith("win"):
        return DEFAULT_INTERPRETER_WIN
    exe = sys.executable
    local = os.environ.get("LOCALAPPDATA", "")
    if local and exe.lower().startswith(local.lower().rstrip("\\") + "\\"):
        return "%LOCALAPPDATA%" + exe[len(local.rstrip("\\")):]
    return exe


def conf_sheet_xml(settings: dict[str, str]) -> bytes:
    """The add-in's settings sheet: key in column A, value in B (inline strings)."""
    rows = []
    for i, (k, v) in enumerate(settings.items(), start=1):
        rows.append(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{escape(k)}</t></is></c>'
            f'<c r="B{i}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c></row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr codeName="Sheet2"/>'
        f'<dimension ref="A1:B{max(1, len(settings))}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="24" customWidth="1"/>'
        '<col min="2" max="2" width="60" customWidth="1"/></cols>'
        f'<sheetData>{"".join(rows)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '</worksheet>').encode()


def addin_settings(interpreter: str | None = None, pythonpath: str = "",
                   server_url: str = "", auth: str = "", timeout_ms: int = 60000) -> dict[str, str]:
    """What the add-in's xlplan.conf sheet holds (read by XlplanRibbon.bas only)."""
    return {
        "INTERPRETER_WIN": interpreter or default_interpreter(),
        "PYTHONPATH": pythonpath,
        "SERVER_URL": server_url.rstrip("/"),
        "AUTH": auth,
        "TIMEOUT": str(timeout_ms),
    }


def build_addin(out: Path | str = ADDIN_NAME, *, settings: dict[str, str] | None = None,
                ribbon: Path = RIBBON_XML) -> BuildResult:
    """Write ``out``: xlwings' ribbon add-in with our ribbon XML and settings sheet."""
    out = Path(out)
    settings = settings if settings is not None else addin_settings()
    src = shipped_addin()
    if not ribbon.exists():
        raise AddinError(f"{ribbon} がありません。xlplan のフォルダー（macros フォルダーのある所）で実行してください。"
                         f" (missing {ribbon}: run this in the xlplan source folder)")
    ribbon_bytes = ribbon.read_bytes()
    from xml.etree import ElementTree as ET

    ET.fromstring(ribbon_bytes)  # refuse to ship a ribbon Excel would silently drop
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        workbook_xml = zin.read("xl/workbook.xml").decode("utf-8")
        if f'name="{SHIPPED_CONF_SHEET}"' not in workbook_xml:
            raise AddinError(f"xlwings の {SHIPPED_ADDIN} の形が想定と違います（{SHIPPED_CONF_SHEET} シートがありません）。"
                             f" (unexpected add-in layout: no {SHIPPED_CONF_SHEET} sheet)")
        workbook_xml = workbook_xml.replace(f'name="{SHIPPED_CONF_SHEET}"', f'name="{CONF_SHEET}"')
        # The shipped file remembers the folder it was saved in; nothing of ours needs it.
        workbook_xml = re.sub(r"<mc:AlternateContent.*?</mc:AlternateContent>", "", workbook_xml)
        replaced = {
            "customUI/customUI.xml": ribbon_bytes,
            "xl/workbook.xml": workbook_xml.encode("utf-8"),
            "xl/worksheets/sheet1.xml": conf_sheet_xml(settings),
        }
        missing = [n for n in replaced if n not in names]
        if missing:
            raise AddinError(f"xlwings の {SHIPPED_ADDIN} に {missing} がありません。"
                             f" (unexpected add-in layout: missing {missing})")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = replaced.get(info.filename)
                zout.writestr(info, data if data is not None else zin.read(info.filename))
        os.replace(tmp, out)
    notes = [
        "リボン（ICT進捗タブ）と設定シート xlplan.conf を書き込みました。",
        "VBAモジュール macros/XlplanRibbon.bas は、Windows で一度だけ取り込む必要があります"
        "（xlplan addin build --import-vba、または VBA エディターの「ファイルのインポート」）。",
    ]
    return BuildResult(out, settings, notes)


def import_vba(addin: Path, *, server: bool = False) -> list[str]:
    """Windows only: import macros/XlplanRibbon.bas (and the server client) into ``addin``.

    Needs Excel and "Trust access to the VBA project object model" (File → Options →
    Trust Center → Macro Settings). Replaces the shipped RibbonMyAddin module.
    """
    if not sys.platform.startswith("win"):
        raise AddinError("VBAの取り込みは Windows の Excel でだけできます。docs/excel.md の手順で取り込んでください。"
                         " (VBA import needs Excel on Windows)")
    import xlwings as xw

    done: list[str] = []
    app = xw.App(visible=False, add_book=False)
    try:
        book = app.books.open(str(Path(addin).resolve()))
        components = book.api.VBProject.VBComponents
        files = [VBA_MODULE_FILE]
        if server:
            xw_dir = Path(xw.__file__).resolve().parent / "addin"
            files += [xw_dir / m for m in REMOTE_MODULES]
        for f in files:
            with contextlib.suppress(Exception):  # not there yet
                components.Remove(components(f.stem))
            components.Import(str(f))
            done.append(f.name)
        with contextlib.suppress(Exception):
            components.Remove(components("RibbonMyAddin"))
            done.append("- RibbonMyAddin")
        book.save()
        book.close()
    finally:
        app.quit()
    return done


def xlstart_folder() -> Path | None:
    """Excel's per-user startup folder on Windows (a trusted location); None elsewhere."""
    if not sys.platform.startswith("win"):
        return None
    appdata = os.environ.get("APPDATA")
    if not appdata:
        return None
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def install_addin(src: Path | str = ADDIN_NAME, dest_dir: Path | str | None = None) -> Path:
    """Copy the add-in into XLSTART (or ``dest_dir``). Excel loads it at its next start."""
    src = Path(src)
    if not src.exists():
        raise AddinError(f"{src} がありません。先に「xlplan addin build」を実行してください。 (no such file: {src})")
    folder = Path(dest_dir) if dest_dir else xlstart_folder()
    if folder is None:
        raise AddinError(
            "この OS には Excel の XLSTART フォルダーがありません。Windows で実行するか、"
            "--dest でコピー先を指定してください。"
            " (not Windows: Excel for Windows loads add-ins from %APPDATA%\\Microsoft\\Excel\\XLSTART;"
            " nothing was installed)")
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / src.name
    try:
        shutil.copyfile(src, dest)
    except PermissionError as e:
        raise AddinError(f"{dest} に書き込めません。Excel をすべて閉じてから、もう一度実行してください。"
                         f" (cannot write {dest}: is Excel running?)") from e
    if sys.platform.startswith("win"):
        # The "downloaded from the internet" mark makes Excel block the add-in's macros.
        with contextlib.suppress(OSError):
            os.remove(str(dest) + ":Zone.Identifier")
    return dest
