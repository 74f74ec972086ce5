"""LibreOffice as an independent reader: headless conversion with a private profile."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: list[Path], to: str, outdir: Path, *, timeout: float = 240) -> list[Path]:
    """Convert ``files`` with one LibreOffice run; the converted paths, in order.

    ``to`` is a filter string as ``--convert-to`` takes it (``xlsx``, or
    ``csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`` for one
    CSV per sheet, named ``<stem>-<sheet>.csv``). A private user profile in a temporary folder
    keeps runs independent of each other and of any desktop LibreOffice.
    """
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; run tools/setup.sh")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", to, "--outdir", str(outdir),
               *map(str, files)]
        # a session of its own, so a timeout ends soffice.bin too, not only the wrapper
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    ext = to.split(":", 1)[0]
    out = [outdir / f"{Path(f).stem}.{ext}" for f in files]
    if ext != "csv":
        missing = [p for p in out if not p.exists()]
        if missing:
            raise RuntimeError(f"LibreOffice did not convert {missing}: {stdout}\n{stderr}")
    return out


def csv_per_sheet(file: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``file`` as LibreOffice computes and shows it (UTF-8 CSV, one per sheet)."""
    import csv

    convert([file], "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            outdir)
    out: dict[str, list[list[str]]] = {}
    prefix = f"{file.stem}-"
    for p in sorted(outdir.glob(f"{file.stem}-*.csv")):
        with p.open(encoding="utf-8", newline="") as fh:
            out[p.stem[len(prefix):]] = list(csv.reader(fh))
    return out
