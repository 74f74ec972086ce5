"""``xlplan addin build``: write ``xlplan.xlam`` from ``macros/`` on any OS.

The whole add-in is written here, part by part; nothing is copied from xlwings'
quickstart add-in any more. Why not patch that file: its VBA project had to be
replaced anyway (modules, project name, references), and every other part carried a
leftover (the ``_myaddin.conf`` sheet, its shared strings, the author and the folder
it was saved in, a customUI relationship type that did not match its namespace).
Writing the parts is shorter than listing what to scrub, and a new xlwings release
can no longer change the add-in behind our back. The spreadsheet parts (workbook,
settings sheet, styles, theme, document properties) are written by openpyxl, whose
files Excel opens everywhere; this module then turns that package into an add-in:

* ``xl/vbaProject.bin``: every ``.bas``/``.cls`` file of ``macros/`` plus the VBA
  client of xlwings Server that ships in the installed xlwings package (``Remote`` and
  everything it needs to compile), written by :mod:`xlplan.addin.vba_project`;
* ``customUI/customUI.xml``: ``macros/ribbon.xml``, with the relationship type that
  belongs to its namespace;
* the workbook's content type becomes that of a macro-enabled add-in.

Before anything is written, :func:`xlplan.addin.vba_check.check_project` must find
nothing: a module missing, a ribbon callback without its Sub or a call to a procedure
that is not in the project would otherwise show only when a button is pressed.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from openpyxl import Workbook

from xlplan.addin.vba_check import Finding, check_project
from xlplan.addin.vba_project import (
    WORKBOOK_BASE,
    WORKSHEET_BASE,
    VbaModule,
    vba_project_bin,
)

ADDIN_NAME = "xlplan.xlam"
PROJECT_NAME = "xlplan"
# A fixed project ID, so that the same sources build the same VBA project.
PROJECT_ID = "{6F3B2C1A-4D5E-4A7B-9C8D-0E1F2A3B4C5D}"
CONF_SHEET = "xlplan.conf"
# The settings sheet's code name, which is also the name of its document module.
CONF_CODE_NAME = "Sheet1"
ROOT = Path(__file__).resolve().parent.parent.parent


def macros_dir() -> Path:
    """macros/ of the source tree; from an installed copy, macros/ in the current folder."""
    for folder in (ROOT / "macros", Path.cwd() / "macros"):
        if (folder / "ribbon.xml").exists():
            return folder
    return ROOT / "macros"


MACROS = macros_dir()
RIBBON_XML = MACROS / "ribbon.xml"
VBA_MODULE_FILE = MACROS / "XlplanRibbon.bas"
# xlwings' VBA client for xlwings Server (xlwings/addin/ in the installed package):
# Remote.bas and what it needs to compile. Remote calls GetConfig (Config), RunPython
# and RunFrozenPython (Main), GetMacDir and CreateGuid (Utils) besides the Web* classes;
# the build's "needs-module" check recomputes this from the files on every build.
REMOTE_MODULES = ("Remote.bas", "Config.bas", "Main.bas", "Utils.bas", "WebHelpers.bas",
                  "Dictionary.cls", "IWebAuthenticator.cls", "WebClient.cls",
                  "WebRequest.cls", "WebResponse.cls")
DEFAULT_INTERPRETER_WIN = r"%LOCALAPPDATA%\xlplan\venv\Scripts\python.exe"

# The customUI namespace and the package relationship type that points at it go in
# pairs; with the other pair's type Excel ignores the ribbon without a word.
CUSTOMUI_PARTS = {
    "http://schemas.microsoft.com/office/2006/01/customui": (
        "customUI/customUI.xml",
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"),
    "http://schemas.microsoft.com/office/2009/07/customui": (
        "customUI/customUI14.xml",
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"),
}
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
VBA_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

# Messages the VBA module shows itself (when Python cannot). The VBA source must stay
# ASCII (the VBA editor imports with the system code page), so they live in the .bas as
# hex code points, decoded by its Ja() function; a test keeps both in step.
VBA_MESSAGES: dict[str, str] = {
    "MSG_TITLE": "ICT進捗",
    "MSG_NO_BOOK": "ブックを開いてから実行してください。",
    "MSG_UNKNOWN": "このボタンには対応する処理がありません。",
    "MSG_NO_PYTHON": "Pythonが見つかりません。xlplan.xlam の設定（INTERPRETER_WIN）を事務局に確認してください。",
    "MSG_FAILED": "Pythonの実行に失敗しました。次の内容を事務局に知らせてください。",
    "MSG_LOG": "記録ファイル：",
    "MSG_CONF": "このブックには設定シート（.conf）または設定ファイルが付いているため、実行を中止しました。事務局に確認してください。",
    # 返送ファイルを取り込み (merge): the file dialog, and the server path's refusal.
    "MSG_MERGE_PICK": "取り込む返送ファイルを選んでください（複数選べます）",
    "MSG_MERGE_FILTER": "Excel ブック (*.xlsx;*.xlsm),*.xlsx;*.xlsm",
    "MSG_MERGE_SERVER": "返送ファイルの取り込みは、サーバー経由では使えません（サーバーからはこのパソコンのファイルを読めません）。"
                        "Python を入れたパソコンのアドインで実行するか、事務局のパソコンで xlplan merge を使ってください。",
    # 督促メールを作成 (remind): the folder dialog, and the server path's refusal.
    "MSG_REMIND_PICK": "督促メールの下書きを保存するフォルダーを選んでください",
    "MSG_REMIND_SERVER": "督促メールの作成は、サーバー経由では使えません（サーバーからはこのパソコンのフォルダーに書き込めません）。"
                         "Python を入れたパソコンのアドインで実行するか、事務局のパソコンで xlplan remind を使ってください。",
}


def vba_hex(text: str) -> str:
    """'ICT進捗' → '0049 0043 0054 9032 6357' (what the .bas stores)."""
    return " ".join(f"{ord(ch):04X}" for ch in text)


def vba_message_consts() -> str:
    """The ``Private Const`` lines of XlplanRibbon.bas that hold VBA_MESSAGES."""
    return "\n".join(f'Private Const {k} As String = "{vba_hex(v)}"' for k, v in VBA_MESSAGES.items())


class AddinError(Exception):
    """``str()`` is one line: the Japanese message, then the English one."""


@dataclass
class BuildResult:
    path: Path
    settings: dict[str, str]
    modules: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def xlwings_addin_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent / "addin"


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


def our_module_files(macros: Path = MACROS) -> list[Path]:
    """Every module file of ``macros/``: a new ``.bas`` or ``.cls`` needs no build change."""
    return sorted(p for p in macros.iterdir() if p.suffix.lower() in (".bas", ".cls"))


def project_modules(macros: Path = MACROS) -> tuple[list[VbaModule], set[str], list[str]]:
    """The add-in's modules, the names of ours, and the files that could not be found."""
    modules = [VbaModule.document("ThisWorkbook", WORKBOOK_BASE),
               VbaModule.document(CONF_CODE_NAME, WORKSHEET_BASE)]
    ours = [VbaModule.from_file(p) for p in our_module_files(macros)]
    xw_dir = xlwings_addin_dir()
    missing = [f"xlwings/addin/{n}" for n in REMOTE_MODULES if not (xw_dir / n).exists()]
    theirs = [VbaModule.from_file(xw_dir / n) for n in REMOTE_MODULES if (xw_dir / n).exists()]
    return modules + ours + theirs, {m.name for m in ours}, missing


def check_addin(macros: Path = MACROS, ribbon: Path | None = None) -> list[Finding]:
    """What would make the add-in incomplete: the build refuses to write it then."""
    ribbon = ribbon or macros / "ribbon.xml"
    modules, ours, missing = project_modules(macros)
    findings = [Finding("missing", f, "module file not found") for f in missing]
    if not ours:
        findings.append(Finding("missing", str(macros), "no .bas or .cls file"))
    xw_dir = xlwings_addin_dir()
    unshipped = [VbaModule.from_file(p) for p in sorted(xw_dir.glob("*.bas"))]
    return findings + check_project(modules, ours=ours, ribbon_xml=ribbon.read_bytes(),
                                    unshipped=unshipped)


def customui_part(ribbon_bytes: bytes) -> tuple[str, str]:
    """(part name, relationship type) for the ribbon XML's namespace."""
    root = ET.fromstring(ribbon_bytes)  # refuse to ship a ribbon Excel would silently drop
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if root.tag.rsplit("}", 1)[-1] != "customUI" or ns not in CUSTOMUI_PARTS:
        raise AddinError(f"リボンの XML の名前空間が不明です（{ns or 'なし'}）。"
                         f" (unknown customUI namespace: {ns!r})")
    return CUSTOMUI_PARTS[ns]


def _workbook_package(settings: dict[str, str]) -> bytes:
    """The spreadsheet parts, written by openpyxl: one sheet, xlplan.conf."""
    wb = Workbook()
    wb.code_name = "ThisWorkbook"
    wb.properties.creator = "xlplan"
    ws = wb.active
    ws.title = CONF_SHEET
    ws.sheet_properties.codeName = CONF_CODE_NAME
    for row, (key, value) in enumerate(settings.items(), start=1):
        for col, text in ((1, key), (2, value)):
            if text:  # an empty setting is an empty cell
                cell = ws.cell(row, col, text)
                cell.data_type = "s"  # a value starting with "=" stays text, never a formula
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _insert_before(xml: bytes, closing: bytes, element: str) -> bytes:
    if closing not in xml:
        raise AddinError(f"openpyxl の出力の形が想定と違います。 (unexpected package part: no {closing!r})")
    return xml.replace(closing, element.encode() + closing, 1)


def build_addin(out: Path | str = ADDIN_NAME, *, settings: dict[str, str] | None = None,
                ribbon: Path | None = None, macros: Path = MACROS) -> BuildResult:
    """Write ``out``: the complete add-in, checked first (:class:`AddinError` if not)."""
    out = Path(out)
    ribbon = ribbon or macros / "ribbon.xml"
    settings = settings if settings is not None else addin_settings()
    if not ribbon.exists():
        raise AddinError(f"{ribbon} がありません。xlplan のフォルダー（macros フォルダーのある所）で実行してください。"
                         f" (missing {ribbon}: run this in the xlplan source folder)")
    ribbon_bytes = ribbon.read_bytes()
    ui_part, ui_rel = customui_part(ribbon_bytes)
    findings = check_addin(macros, ribbon)
    if findings:
        first = findings[0]
        more = f" (+{len(findings) - 1})" if len(findings) > 1 else ""
        raise AddinError(f"アドインが不完全になるため作成しませんでした：{first.where}。"
                         f" (incomplete add-in, nothing written: {first}{more})")
    modules, _, _ = project_modules(macros)
    vba = vba_project_bin(PROJECT_NAME, modules, project_id=PROJECT_ID)
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(_workbook_package(settings))) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    types = parts["[Content_Types].xml"]
    sheet_type = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    if sheet_type not in types:
        raise AddinError("openpyxl の出力の形が想定と違います。 (unexpected content types)")
    types = types.replace(sheet_type, ADDIN_CONTENT_TYPE.encode())
    types = _insert_before(types, b"</Types>", f'<Override PartName="/xl/vbaProject.bin" '
                                               f'ContentType="{VBA_CONTENT_TYPE}"/>')
    parts["[Content_Types].xml"] = types
    parts["xl/_rels/workbook.xml.rels"] = _insert_before(
        parts["xl/_rels/workbook.xml.rels"], b"</Relationships>",
        f'<Relationship Id="rIdVba" Type="{VBA_REL_TYPE}" Target="vbaProject.bin"/>')
    parts["_rels/.rels"] = _insert_before(
        parts["_rels/.rels"], b"</Relationships>",
        f'<Relationship Id="rIdRibbon" Type="{ui_rel}" Target="{ui_part}"/>')
    parts[ui_part] = ribbon_bytes
    parts["xl/vbaProject.bin"] = vba
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    os.replace(tmp, out)
    notes = ["リボン（ICT進捗タブ）、設定シート xlplan.conf と VBA モジュールを書き込みました。"
             "Windows での取り込み作業は要りません。"]
    return BuildResult(out, settings, [m.name for m in modules], notes)

