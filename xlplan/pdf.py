"""``xlplan pdf``: the printed 資料4-1/4-2/4-3 and 集計 as one PDF, through LibreOffice.

The master is never changed. The report sheets are regenerated in memory from the input
sheets (so the PDF shows the current marks even when nobody ran ``render``), every other
sheet is dropped from a temporary copy, and LibreOffice converts that copy headless with
a private profile (parallel runs do not collide).

Two adjustments make LibreOffice print what Excel prints:

* Fonts: where the workbook's fonts (ＭＳ Ｐゴシック, 游ゴシック) are not installed, the copy
  uses an installed Japanese font (Noto Sans CJK JP from ``fonts-noto-cjk``), so Japanese
  text, ◎○△× and ↗↘ come out in a Japanese design rather than a random fallback.
* Column widths: a width of *n* characters means *n* digit widths of the workbook's
  default font. Excel measures them with Calibri 11 (7 px = 5.25 pt); LibreOffice with
  whatever font it has. The copy sets its default font to the Japanese font and scales
  the report columns so that each column is as wide in points as in Excel; the row
  heights and page breaks planned by :mod:`xlplan.core.report` then hold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from copy import copy
from pathlib import Path

from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook

from xlplan.core.layout import FONT_REPORT
from xlplan.core.report import PT_PER_WIDTH_UNIT, REPORT_NAMES
from xlplan.core.texts import refuse

SOFFICE_ENV = "XLPLAN_SOFFICE"  # full path of soffice, when it is not on PATH
TIMEOUT = 240  # seconds; a first start with a fresh profile takes a few


# Japanese fonts in order of preference, as fontconfig names them.
JAPANESE_FONTS: tuple[str, ...] = (
    FONT_REPORT, "MS PGothic", "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic",
    "IPAPGothic", "IPAGothic", "TakaoPGothic", "VL PGothic", "Source Han Sans JP",
)
# Advance width of the digit 0 (em) of fonts used as the copy's default font.
DIGIT_EM: dict[str, float] = {
    "Noto Sans CJK JP": 0.555,
    "Noto Sans JP": 0.555,
    "Source Han Sans JP": 0.555,
    FONT_REPORT: 0.5,
    "MS PGothic": 0.5,
    "IPAexGothic": 0.5,
    "IPAPGothic": 0.5,
    "IPAGothic": 0.5,
}
CALIBRI_DIGIT_EM = 0.5068  # LibreOffice's unit when the default font stays Calibri
DEFAULT_FONT_SIZE = 11.0


def find_soffice() -> str | None:
    """The LibreOffice executable: $XLPLAN_SOFFICE, then PATH, then the usual places."""
    env = os.environ.get(SOFFICE_ENV)
    if env and Path(env).is_file():
        return env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    places = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if base:
            places.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    return next((str(p) for p in places if p.is_file()), None)


def installed_japanese_font() -> str | None:
    """The preferred Japanese font fontconfig knows, or None (no fontconfig: Windows)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return None
    try:
        out = subprocess.run([fc, ":lang=ja", "family"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    return next((f for f in JAPANESE_FONTS if f in families), None)


def report_copy(wb: Workbook, font: str | None) -> None:
    """Turn ``wb`` (report sheets already rendered) into what LibreOffice should print."""
    for ws in list(wb.worksheets):
        if ws.title not in REPORT_NAMES:
            wb.remove(ws)
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    wb._sheets.sort(key=lambda ws: REPORT_NAMES.index(ws.title))
    wb.active = 0
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == wb.worksheets[0].title
    if font is not None:
        fonts = []
        for f in wb._fonts:
            g = copy(f)
            g.name = font
            fonts.append(g)
        fonts[0] = Font(name=font, size=DEFAULT_FONT_SIZE)
        wb._fonts = IndexedList(fonts)
        digit = DIGIT_EM.get(font, 0.55)
        for ws in wb.worksheets:
            for side in (ws.oddFooter.center, ws.oddFooter.left, ws.oddFooter.right):
                if side.font:
                    side.font = f"{font},Regular"
    else:
        digit = CALIBRI_DIGIT_EM
    factor = PT_PER_WIDTH_UNIT / (DEFAULT_FONT_SIZE * digit)
    for ws in wb.worksheets:
        for dim in ws.column_dimensions.values():
            if dim.width:
                dim.width = round(dim.width * factor, 3)


def export_pdf(path: Path | str, out: Path | str | None = None, *,
               timeout: float = TIMEOUT) -> Path:
    """Write the report sheets of the workbook at ``path`` to a PDF; return its path.

    ``out`` defaults to the workbook's name with ``.pdf``. Raises a Refusal with a
    Japanese message and an install hint when LibreOffice is missing or fails.
    """
    from xlplan.actions.render import render
    from xlplan.engines.xlsx import XlsxEngine

    path = Path(path)
    target = Path(out) if out else path.with_suffix(".pdf")
    soffice = find_soffice()
    if soffice is None:
        raise refuse("libreoffice_missing", path, detail=f"soffice not on PATH nor in {SOFFICE_ENV}")
    folder = target.resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise refuse("read_only", target)
    engine = XlsxEngine(path)
    engine.apply(render(engine).plan)  # in memory only: the file is not changed
    wb = engine.workbook()
    report_copy(wb, installed_japanese_font())

    with tempfile.TemporaryDirectory(prefix="xlplan-pdf-") as tmp:
        work = Path(tmp)
        src = work / "report.xlsx"
        wb.save(src)
        profile = work / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work),
               str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False, env=_clean_env())
        except subprocess.TimeoutExpired as e:
            raise refuse("pdf_timeout", path, seconds=int(timeout)) from e
        except OSError as e:
            raise refuse("libreoffice_missing", path, detail=f"cannot start: {e}") from e
        pdf = work / "report.pdf"
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
            raise refuse("pdf_failed", path,
                         detail=f"exit {proc.returncode}: {' | '.join(tail)}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_out = tempfile.mkstemp(prefix=".xlplan-", suffix=".pdf.tmp", dir=target.parent)
        os.close(fd)
        try:
            shutil.copyfile(pdf, tmp_out)
            os.replace(tmp_out, target)
        except PermissionError as e:
            Path(tmp_out).unlink(missing_ok=True)
            raise refuse("pdf_locked", target, detail=e) from e
        except BaseException:
            Path(tmp_out).unlink(missing_ok=True)
            raise
    return target


def _clean_env() -> dict[str, str]:
    """LibreOffice's environment: ours, minus Python's (a venv confuses its own Python)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env
