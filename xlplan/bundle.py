"""``xlplan bundle --out DIR``: one folder that installs xlplan on Windows PCs without internet.

Staff PCs on the LGWAN side cannot reach the package index, so ``pip install .`` fails
there. On a machine that can download (any OS), :func:`build_bundle` writes a folder the
secretariat copies to each PC::

    README.txt          Japanese, for the person at the PC (UTF-8 with BOM, CRLF)
    install.bat         verify, find/install Python, venv, pip --no-index, add-in
    uninstall.bat       remove the add-in and the venv
    xlplan.xlam         the add-in (``xlplan.addin.build_addin``, or --addin FILE)
    wheels/             xlplan and every run-time dependency for Windows x64, CPython 3.11/3.12
    python/             optional: python.org installers (``python-3.12.10-amd64.exe``)
    workbook/           the master template 資料4_template.xlsx
    macros/             ribbon XML and VBA: what ``xlplan addin build`` reads, run in this folder
    msg/                the Japanese messages install.bat prints (UTF-8)
    manifest.json       every file: path, size, sha256; what was built for which Python
    SHA256SUMS          the same hashes in ``sha256sum`` format, for install.bat

Decisions worth knowing before changing this module:

* **Windows-only dependencies.** ``pip download --platform win_amd64`` resolves the
  requirements of the wheels it downloads with environment markers evaluated for the
  machine pip runs on (pypa/pip#11664), so ``pywin32; platform_system == "Windows"``
  (from xlwings) is skipped on Linux. :func:`windows_only_requirements` walks the
  installed distributions' metadata from ``xlplan`` and returns the requirements whose
  markers hold on Windows x64 for the target Python but not here; they are named on
  pip's command line. Afterwards :func:`unmet_requirements` reads the downloaded wheels'
  own metadata with Windows markers and downloads whatever is still missing (a
  Windows-only dependency of a package that is not installed here), until nothing is.
* **ASCII batch files, UTF-8 messages.** ``cmd.exe`` reads a ``.bat`` in the console code
  page and finds labels by byte offset, so the scripts are ASCII with CRLF. Japanese
  texts are files in ``msg/`` (UTF-8) printed with ``type`` after ``chcp 65001``, and the
  original code page is restored at the end: this shows correctly whatever the PC's
  code page (932 on Japanese Windows, 65001 with the "UTF-8 for worldwide language
  support" option) on the Windows 10/11 console, and keeps every text file in one
  encoding. Python 3 writes to the console as Unicode, so pip's output is unaffected.
* **Verification with certutil.** ``install.bat`` hashes every file with ``certutil
  -hashfile`` (in Windows since 7, no PowerShell execution policy involved) and reads
  only the first, ASCII token (the hash) of each SHA256SUMS line, so the Japanese file
  name never passes through ``cmd``'s decoding: every listed hash must be among the
  files of the folder, and every file under ``wheels/`` and ``python/`` (what is installed
  or run) must be listed. Nothing is installed when a check fails.
* **Offline pip.** ``pip install --no-index --find-links <folder>\\wheels --upgrade
  xlplan`` with ``PIP_CONFIG_FILE=nul``: this PC's pip.ini (an index or a proxy there)
  is not read. A rerun upgrades in place.

Every Japanese text a person at the PC reads (README.txt and the messages) is in
:data:`STAFF_TEXTS`; exit codes of the scripts are :data:`EXIT_CODES`. What building the
folder reports (errors, progress, notes) is ``BUILD_TEXTS`` in :mod:`xlplan.core.texts`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from xlplan.core.layout import TEMPLATE_FILE
from xlplan.core.texts import BUNDLE_TEXTS, build_text

BUNDLE_FORMAT = "xlplan-offline-bundle"
BUNDLE_FORMAT_VERSION = 1
DEFAULT_PYTHONS = ("3.11", "3.12")
PLATFORM = "win_amd64"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
WHEELS = "wheels"
PYTHON_DIR = "python"
MSG_DIR = "msg"
ADDIN_FILE = "xlplan.xlam"
TEMPLATE_NAME = TEMPLATE_FILE  # 資料4_template.xlsx, named in the glossary
# The python.org installer's silent, per-user options: no administrator rights (the
# launcher too: its own default is all users, which needs elevation), PATH untouched.
INSTALLER_OPTIONS = ("/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=1",
                     "InstallLauncherAllUsers=0", "Include_test=0")
INSTALLER_RE = re.compile(r"python-(3\.\d+)\.(\d+)-amd64\.exe", re.IGNORECASE)
ROOT = Path(__file__).resolve().parent.parent

# Exit codes of install.bat / uninstall.bat, by the key of their message in STAFF_TEXTS.
EXIT_CODES: dict[str, int] = {
    "verify_failed": 10,
    "verify_unavailable": 11,
    "no_python": 20,
    "python_install_failed": 21,
    "venv_failed": 30,
    "venv_remove_failed": 31,
    "pip_failed": 40,
    "excel_running": 50,
    "addin_failed": 51,
}

# Every Japanese text the person at the PC reads: README.txt ("readme") and the messages
# install.bat / uninstall.bat print (msg/<key>.txt). Placeholders are filled per bundle;
# a message whose key is in EXIT_CODES ends with its exit code.
STAFF_TEXTS = BUNDLE_TEXTS  # the staff-facing texts live in the catalogue


class BundleError(Exception):
    """``str()`` is one line: the Japanese message, then English in parentheses."""


@dataclass
class FileEntry:
    path: str  # relative, with forward slashes
    size: int
    sha256: str


@dataclass
class BundleResult:
    path: Path
    pythons: tuple[str, ...]
    files: list[FileEntry]
    windows_only: dict[str, list[str]]  # Python version -> requirements named for Windows
    python_installers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def wheels(self) -> list[str]:
        return [f.path.split("/", 1)[1] for f in self.files if f.path.startswith(WHEELS + "/")]


Progress = Callable[[str], None]


# --- markers and wheel tags -------------------------------------------------------------

def windows_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values of CPython ``python`` (e.g. "3.12") on Windows x64."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "win32",
    }


def _applies(req: Requirement, env: dict[str, str], extras: Iterable[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({**env, "extra": e}) for e in {"", *extras})


def _without_marker(req: Requirement) -> Requirement:
    plain = Requirement(str(req))
    plain.marker = None
    return plain


def windows_only_requirements(python: str, dist: str = "xlplan") -> list[Requirement]:
    """Requirements pip would follow on Windows x64 CPython ``python`` but not here.

    Walks the metadata of the installed distributions from ``dist`` through every
    requirement that applies on Windows. A requirement whose marker holds there and not
    here (``pywin32>=224; platform_system == "Windows"`` of xlwings, ``colorama`` of tqdm)
    is returned without its marker, specifiers of the same name combined. Distributions
    that are not installed here (pywin32 itself) cannot be walked; their requirements are
    checked in the downloaded wheels by :func:`unmet_requirements`.
    """
    here = {k: str(v) for k, v in default_environment().items()}
    win = windows_environment(python)
    found: dict[NormalizedName, Requirement] = {}
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    todo: list[tuple[NormalizedName, frozenset[str]]] = [(canonicalize_name(dist), frozenset())]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            texts = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in texts:
            req = Requirement(text)
            if not _applies(req, win, extras):
                continue
            key = canonicalize_name(req.name)
            if not _applies(req, here, extras):
                plain = _without_marker(req)
                if key in found:
                    found[key].specifier &= plain.specifier
                    found[key].extras |= plain.extras
                else:
                    found[key] = plain
            todo.append((key, frozenset(req.extras)))
    return [found[k] for k in sorted(found)]


def target_tags(python: str) -> set[Tag]:
    """The wheel tags CPython ``python`` on Windows x64 accepts (PEP 425)."""
    major, minor = (int(p) for p in python.split("."))
    return {*cpython_tags((major, minor), platforms=[PLATFORM]),
            *compatible_tags((major, minor), f"cp{major}{minor}", [PLATFORM])}


def wheel_requires(wheel: Path) -> list[str]:
    """Requires-Dist of a wheel, read from its ``*.dist-info/METADATA``."""
    with zipfile.ZipFile(wheel) as z:
        names = [n for n in z.namelist()
                 if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(names) != 1:
            raise BundleError(build_text("bundle.not_a_wheel", name=wheel.name, count=len(names)))
        msg = BytesParser().parsebytes(z.read(names[0]), headersonly=True)
    return list(msg.get_all("Requires-Dist") or [])


def unmet_requirements(wheels: Path, python: str, root: str = "xlplan") -> list[Requirement]:
    """Requirements (Windows markers) from ``root`` down that no wheel in ``wheels`` meets.

    Follows each requirement that applies on Windows x64 CPython ``python`` into the
    newest wheel that has an accepted tag and a matching version. Not a resolver (pip on
    the PC is one); it finds what is missing from the folder.
    """
    tags = target_tags(python)
    index: dict[NormalizedName, list[tuple[Version, Path]]] = {}
    for whl in sorted(wheels.glob("*.whl")):
        name, version, _build, wtags = parse_wheel_filename(whl.name)
        if wtags & tags:
            index.setdefault(name, []).append((version, whl))
    env = windows_environment(python)
    missing: list[Requirement] = []
    walked: set[tuple[NormalizedName, frozenset[str]]] = set()
    todo = [Requirement(root)]
    while todo:
        req = todo.pop()
        key = canonicalize_name(req.name)
        fits = [(v, p) for v, p in index.get(key, []) if req.specifier.contains(v, prereleases=True)]
        if not fits:
            if str(req) not in {str(m) for m in missing}:
                missing.append(req)
            continue
        extras = frozenset(req.extras)
        if (key, extras) in walked:
            continue
        walked.add((key, extras))
        _version, best = max(fits)
        for text in wheel_requires(best):
            sub = Requirement(text)
            if _applies(sub, env, extras):
                todo.append(_without_marker(sub))
    return missing


# --- pip ---------------------------------------------------------------------------------

def _pip(args: Sequence[str], failed: str, **fields: Any) -> None:
    """Run this Python's pip; a failure is a BundleError naming pip's last ERROR line.

    ``failed``: the key of its message in BUILD_TEXTS, filled with ``fields`` and ``detail``.
    """
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1",
           "PYTHONIOENCODING": "utf-8"}
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True,
                              text=True, encoding="utf-8", errors="replace", env=env)
    except OSError as e:
        raise BundleError(build_text("bundle.pip_not_started", error=e)) from e
    if proc.returncode == 0:
        return
    lines = [ln.strip() for ln in (proc.stderr + "\n" + proc.stdout).splitlines() if ln.strip()]
    # The first ERROR names the cause ("Could not find a version that satisfies ..."),
    # also when it comes from pip's build-dependency subprocess; later ones summarise.
    errors = [ln[ln.index("ERROR:"):] for ln in lines if "ERROR:" in ln]
    detail = (errors or lines[-1:] or [f"exit status {proc.returncode}"])[0]
    raise BundleError(build_text(failed, detail=detail, **fields))


def _build_xlplan_wheel(source: Path, dest: Path, work: Path) -> Path:
    """Build xlplan's wheel from a clean copy of the source (the tree stays untouched)."""
    stage = work / "src"
    stage.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(source / name, stage / name)
    shutil.copytree(source / "xlplan", stage / "xlplan",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _pip(["wheel", "--no-deps", "--wheel-dir", str(dest), str(stage)], "bundle.wheel_failed")
    built = sorted(dest.glob("xlplan-*.whl"))
    if len(built) != 1:
        raise BundleError(build_text("bundle.no_xlplan_wheel", built=built))
    # Everything of the package must be in the wheel (a data file missing from
    # [tool.setuptools.package-data] would break on the PC, not here).
    want = {p.relative_to(stage).as_posix() for p in (stage / "xlplan").rglob("*") if p.is_file()}
    with zipfile.ZipFile(built[0]) as z:
        have = set(z.namelist())
    if want - have:
        raise BundleError(build_text("bundle.wheel_incomplete", files=sorted(want - have)))
    return built[0]


def _download(wheels: Path, python: str, requirements: Sequence[str],
              constraints: Path | None) -> None:
    args = ["download", "--dest", str(wheels), "--only-binary=:all:", "--platform", PLATFORM,
            "--python-version", python, "--implementation", "cp", *requirements]
    if constraints is not None:
        args += ["--constraint", str(constraints)]
    _pip(args, "bundle.download_failed", python=python)


# --- the folder ----------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a bundle folder, or None when ``folder`` is not one."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == BUNDLE_FORMAT else None


def _find_source(source: Path | None) -> Path:
    candidates = [source] if source else [ROOT, Path.cwd()]
    for c in candidates:
        if c is None:
            continue
        py = c / "pyproject.toml"
        if (py.is_file() and re.search(r'^name\s*=\s*"xlplan"', py.read_text(encoding="utf-8"), re.M)
                and (c / "workbook" / TEMPLATE_NAME).is_file() and (c / "macros").is_dir()):
            return c
    where = source or Path.cwd()
    raise BundleError(build_text("bundle.no_source", where=where))


def _check_pythons(pythons: Sequence[str]) -> tuple[str, ...]:
    out = []
    for p in pythons:
        m = re.fullmatch(r"3\.(\d+)", p.strip())
        if not m or int(m.group(1)) < 11:
            raise BundleError(build_text("bundle.python_unsupported", version=p))
        out.append(p.strip())
    if not out:
        raise BundleError(build_text("bundle.no_python_version"))
    return tuple(sorted(set(out), key=lambda v: int(v.split(".")[1])))


def _check_installer(path: Path, pythons: Sequence[str]) -> str:
    """The Python version of a python.org installer file, or a BundleError."""
    m = INSTALLER_RE.fullmatch(path.name)
    if not m:
        raise BundleError(build_text("bundle.installer_name", name=path.name))
    if m.group(1) not in pythons:
        raise BundleError(build_text("bundle.installer_version", name=path.name, version=m.group(1),
                                     pythons="・".join(pythons), pythons_en=", ".join(pythons)))
    try:
        with path.open("rb") as f:
            head = f.read(2)
    except OSError as e:
        raise BundleError(build_text("bundle.unreadable", path=path, error=e)) from e
    if head != b"MZ":
        raise BundleError(build_text("bundle.not_executable", name=path.name, path=path))
    return m.group(1)


def _vba_modules_missing(addin: Path, macros: Path) -> list[str]:
    """Modules of macros/*.bas whose name is not in the add-in's VBA project.

    A VBA module is a stream of the project's compound file, named in UTF-16LE in its
    directory; finding the name is enough to tell "imported" from "never imported".
    """
    try:
        with zipfile.ZipFile(addin) as z:
            data = z.read("xl/vbaProject.bin")
    except (KeyError, zipfile.BadZipFile, OSError):
        data = b""
    return [bas.stem for bas in sorted(macros.glob("*.bas"))
            if bas.stem.encode("utf-16-le") not in data]


def _staff_venv_python() -> bool:
    """On Windows: is this the Python staff PCs use (%LOCALAPPDATA%\\xlplan\\venv)?"""
    local = os.environ.get("LOCALAPPDATA")
    if not local:
        return False
    try:
        return Path(sys.prefix).resolve() == (Path(local) / "xlplan" / "venv").resolve()
    except OSError:
        return False


INSTALLER_KEYS = ("installing_python", "python_install_failed")  # only with python/ installers


def staff_texts(pythons: Sequence[str], installers: Sequence[str], version: str,
                created: str) -> dict[str, str]:
    """STAFF_TEXTS filled in for one bundle: "readme" and one text per msg/<key>.txt.

    A message with an exit code ends with it; README.txt lists every code a script of
    this bundle can end with (21 only when there is an installer to fail).
    """
    newest = pythons[-1]
    ctx = {
        "versions": build_text("bundle.staff_or").join(reversed(pythons)),
        "installer_hint": f"python-{newest}.x-amd64.exe",
        "installers": "、".join(installers),
        "installers_line": "、".join(f"python\\{n}" for n in installers) or
                           build_text("bundle.staff_no_installer"),
        "python_line": build_text("bundle.staff_python_line") if installers else "",
        "created": created[:10],
        "version": version,
        "template": TEMPLATE_NAME,
    }
    plain = {key: text.format_map(ctx) for key, text in STAFF_TEXTS.items()
             if key != "readme" and (installers or key not in INSTALLER_KEYS)}
    codes = []
    for key, code in sorted(EXIT_CODES.items(), key=lambda kv: kv[1]):
        if key in plain:
            body = plain[key].replace("\n", "\n        ")
            codes.append(f"  {code:>3}   {body}")
    out = {key: text + (build_text("bundle.staff_exit_code", code=EXIT_CODES[key])
                        if key in EXIT_CODES else "")
           for key, text in plain.items()}
    out["readme"] = STAFF_TEXTS["readme"].format_map({**ctx, "exit_codes": "\n\n".join(codes)})
    return out


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _write_ascii_bat(path: Path, lines: Sequence[str]) -> None:
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(text.encode("ascii"))  # UnicodeEncodeError here is a bug in this module


def _py_check(pythons: Sequence[str]) -> str:
    """Python code (no % sign, no double quote) that exits 0 on CPython ``pythons`` for win-amd64."""
    starts = ", ".join(f"'{p}.'" for p in pythons)
    return ("import sys, sysconfig; sys.exit(not (sysconfig.get_platform() == 'win-amd64' "
            f"and sys.version.startswith(({starts},))))")


def install_bat(pythons: Sequence[str], installers: Sequence[str], loose_dirs: Sequence[str],
                stamp: str) -> list[str]:
    """The lines of install.bat (ASCII). ``installers``: file names in python/, newest first."""
    c = EXIT_CODES

    def fail(key: str) -> str:
        return f'(set "M={key}" & set "RC={c[key]}" & goto fail)'

    find = []
    for p in reversed(pythons):  # newest first
        xy = p.replace(".", "")
        find += [
            f'call :try_py "py" {p}',
            f'call :try_py "%LOCALAPPDATA%\\Programs\\Python\\Launcher\\py.exe" {p}',
            f'call :try_exe "%LOCALAPPDATA%\\Programs\\Python\\Python{xy}\\python.exe" {p}',
            f'call :try_exe "%ProgramFiles%\\Python{xy}\\python.exe" {p}',
        ]
    loose = " ".join(f'"%HERE%\\{d}\\*"' for d in loose_dirs)
    lines = [
        "@echo off",
        f"rem xlplan offline installer, written by \"xlplan bundle\" ({stamp}).",
        "rem ASCII with CRLF line ends on purpose: cmd.exe reads a .bat in the console code page",
        "rem and finds labels by byte offset. The Japanese texts are msg\\*.txt (UTF-8), shown",
        "rem with \"type\" after \"chcp 65001\"; the code page is restored at the end.",
        "rem Usage: install.bat [/quiet]   (/quiet: no pause at the end). Exit codes: README.txt.",
        "setlocal EnableExtensions DisableDelayedExpansion",
        'for %%D in ("%~dp0.") do set "HERE=%%~fD"',
        'set "SYS=%SystemRoot%\\System32"',
        'set "VENV=%LOCALAPPDATA%\\xlplan\\venv"',
        'set "VPY=%LOCALAPPDATA%\\xlplan\\venv\\Scripts\\python.exe"',
        'set "MSG=%HERE%\\msg"',
        'set "PAUSE=1"',
        'if /i "%~1"=="/quiet" set "PAUSE="',
        'set "RC=0"',
        'set "M="',
        'set "PY="',
        'set "HASHES="',
        "rem Offline pip: this PC's pip.ini and PIP_* settings (an index, a proxy) are not read.",
        'set "PIP_CONFIG_FILE=nul"',
        'set "PIP_NO_INPUT=1"',
        'set "PIP_DISABLE_PIP_VERSION_CHECK=1"',
        'set "PYTHONPATH="',
        'set "PYTHONHOME="',
        'set "OLDCP="',
        'for /f "tokens=2 delims=:." %%C in (\'%SYS%\\chcp.com\') do set "OLDCP=%%C"',
        'if defined OLDCP set "OLDCP=%OLDCP: =%"',
        "%SYS%\\chcp.com 65001 >nul",
        'type "%MSG%\\start.txt"',
        "echo.",
        "",
        'rem Excel keeps XLSTART\\xlplan.xlam open: nothing can be replaced while it runs.',
        '%SYS%\\tasklist.exe /fi "imagename eq EXCEL.EXE" 2>nul | %SYS%\\find.exe /i "EXCEL.EXE" >nul',
        f"if not errorlevel 1 {fail('excel_running')}",
        "",
        "rem 1. Verify: every hash of SHA256SUMS is a file here; every file of wheels and python is listed.",
        'type "%MSG%\\verify.txt"',
        "echo.",
        f'if not exist "%HERE%\\SHA256SUMS" {fail("verify_failed")}',
        'set "HASHES=%TEMP%\\xlplan-hashes-%RANDOM%%RANDOM%.txt"',
        'type nul > "%HASHES%"',
        'set "BAD="',
        'set "NOHASH="',
        f'for %%F in ("%HERE%\\*" {loose}) do call :hash "%%~fF" loose',
        f'for %%F in ("%HERE%\\{WHEELS}\\*" "%HERE%\\{PYTHON_DIR}\\*") do call :hash "%%~fF" strict',
        f"if defined NOHASH {fail('verify_unavailable')}",
        'for /f "usebackq tokens=1*" %%H in ("%HERE%\\SHA256SUMS") do call :listed %%H "%%I"',
        f"if defined BAD {fail('verify_failed')}",
        "",
        "rem 2. Python: reuse xlplan's venv when it works; else find Python (install it when missing).",
        'type "%MSG%\\python.txt"',
        "echo.",
        "call :venv_ok",
        "if not errorlevel 1 goto install",
        "call :find_python",
        "if defined PY goto make_venv",
    ]
    if installers:
        inst = installers[0]
        lines += [
            'type "%MSG%\\installing_python.txt"',
            "echo.",
            f'start "" /wait "%HERE%\\{PYTHON_DIR}\\{inst}" {" ".join(INSTALLER_OPTIONS)}',
            'set "IRC=%ERRORLEVEL%"',
            "rem 3010: installed, a restart is needed for something else.",
            'if not "%IRC%"=="0" if not "%IRC%"=="3010" echo   python installer: exit code %IRC%',
            "call :find_python",
            f"if not defined PY {fail('python_install_failed')}",
            "goto make_venv",
        ]
    else:
        lines += [f"{fail('no_python')[1:-1]}"]
    lines += [
        "",
        "rem 3. xlplan's own environment, then xlplan from the wheels of this folder only.",
        ":make_venv",
        'type "%MSG%\\venv.txt"',
        "echo.",
        'if exist "%VENV%" rmdir /s /q "%VENV%"',
        '%PY% -I -m venv "%VENV%"',
        f"if errorlevel 1 {fail('venv_failed')}",
        "call :venv_ok",
        f"if errorlevel 1 {fail('venv_failed')}",
        ":install",
        'type "%MSG%\\install.txt"',
        "echo.",
        f'"%VPY%" -I -m pip install --no-index --find-links "%HERE%\\{WHEELS}" --upgrade xlplan',
        f"if errorlevel 1 {fail('pip_failed')}",
        "rem xlplan itself always from this folder, even when its version number did not change.",
        f'"%VPY%" -I -m pip install --no-index --find-links "%HERE%\\{WHEELS}" --force-reinstall --no-deps xlplan',
        f"if errorlevel 1 {fail('pip_failed')}",
        "",
        "rem 4. The add-in into XLSTART.",
        'type "%MSG%\\addin.txt"',
        "echo.",
        f'"%VPY%" -I -m xlplan addin install "%HERE%\\{ADDIN_FILE}"',
        f"if errorlevel 1 {fail('addin_failed')}",
        "echo.",
        'type "%MSG%\\done.txt"',
        "echo.",
        'set "RC=0"',
        "goto finish",
        "",
        ":fail",
        "echo.",
        'if defined M type "%MSG%\\%M%.txt"',
        "echo.",
        "echo xlplan install.bat: exit code %RC%",
        ":finish",
        'if defined HASHES del /q "%HASHES%" 2>nul',
        "if defined PAUSE pause",
        "if defined OLDCP %SYS%\\chcp.com %OLDCP% >nul",
        "endlocal & exit /b %RC%",
        "",
        "rem ---- subroutines ------------------------------------------------------------",
        "rem :hash FILE loose|strict - append the file's SHA-256 to HASHES; strict: must be listed.",
        "rem certutil prints a title line and a status line (both with a colon) around the hash.",
        ":hash",
        'set "XH="',
        "for /f \"delims=\" %%L in ('%SYS%\\certutil.exe -hashfile \"%~1\" SHA256 2^>nul ^| "
        "%SYS%\\findstr.exe /v /c:\":\"') do if not defined XH set \"XH=%%L\"",
        "rem Names are echoed in quotes and never inside ( ) blocks: & and ) are legal in file names.",
        'if defined XH goto hashed',
        'set "NOHASH=1"',
        'echo   ?? "%~nx1"',
        "exit /b 0",
        ":hashed",
        'set "XH=%XH: =%"',
        '>>"%HASHES%" echo %XH%',
        'if /i not "%~2"=="strict" exit /b 0',
        '%SYS%\\findstr.exe /b /i /c:"%XH%  " "%HERE%\\SHA256SUMS" >nul',
        "if not errorlevel 1 exit /b 0",
        'echo   NG not listed: "%~nx1"',
        'set "BAD=1"',
        "exit /b 0",
        "",
        "rem :listed HASH NAME - the file listed with HASH must be in the folder, unchanged.",
        ":listed",
        '%SYS%\\findstr.exe /i /x /c:"%~1" "%HASHES%" >nul',
        "if not errorlevel 1 exit /b 0",
        'echo   NG missing or changed: "%~2"',
        'set "BAD=1"',
        "exit /b 0",
        "",
        "rem :venv_ok - errorlevel 0 when xlplan's venv runs a Python this folder has wheels for.",
        ":venv_ok",
        'if not exist "%VPY%" exit /b 1',
        f'"%VPY%" -I -c "{_py_check(pythons)}" <nul >nul 2>&1',
        "exit /b %ERRORLEVEL%",
        "",
        "rem :find_python - set PY to a command that starts a 64-bit CPython of this folder's versions.",
        ":find_python",
        'set "PY="',
        *find,
        "exit /b 0",
        "",
        ":try_py",
        "if defined PY exit /b 0",
        f'"%~1" -%~2 -I -c "{_py_check(["%~2"])}" <nul >nul 2>&1',
        "if errorlevel 1 exit /b 0",
        'set PY="%~1" -%~2',
        "exit /b 0",
        "",
        ":try_exe",
        "if defined PY exit /b 0",
        'if not exist "%~1" exit /b 0',
        f'"%~1" -I -c "{_py_check(["%~2"])}" <nul >nul 2>&1',
        "if errorlevel 1 exit /b 0",
        'set PY="%~1"',
        "exit /b 0",
    ]
    return lines


def uninstall_bat(stamp: str) -> list[str]:
    c = EXIT_CODES

    def fail(key: str) -> str:
        return f'(set "M={key}" & set "RC={c[key]}" & goto fail)'

    return [
        "@echo off",
        f"rem xlplan uninstaller, written by \"xlplan bundle\" ({stamp}). ASCII, CRLF; texts in msg\\.",
        "rem Removes the add-in from XLSTART and %LOCALAPPDATA%\\xlplan\\venv. Python itself stays.",
        "setlocal EnableExtensions DisableDelayedExpansion",
        'for %%D in ("%~dp0.") do set "HERE=%%~fD"',
        'set "SYS=%SystemRoot%\\System32"',
        'set "MSG=%HERE%\\msg"',
        'set "ADDIN=%APPDATA%\\Microsoft\\Excel\\XLSTART\\xlplan.xlam"',
        'set "VENV=%LOCALAPPDATA%\\xlplan\\venv"',
        'set "PAUSE=1"',
        'if /i "%~1"=="/quiet" set "PAUSE="',
        'set "RC=0"',
        'set "M="',
        'set "OLDCP="',
        'for /f "tokens=2 delims=:." %%C in (\'%SYS%\\chcp.com\') do set "OLDCP=%%C"',
        'if defined OLDCP set "OLDCP=%OLDCP: =%"',
        "%SYS%\\chcp.com 65001 >nul",
        'type "%MSG%\\uninstall_start.txt"',
        "echo.",
        '%SYS%\\tasklist.exe /fi "imagename eq EXCEL.EXE" 2>nul | %SYS%\\find.exe /i "EXCEL.EXE" >nul',
        f"if not errorlevel 1 {fail('excel_running')}",
        'if exist "%ADDIN%" del /f /q "%ADDIN%"',
        f'if exist "%ADDIN%" {fail("addin_failed")}',
        'if exist "%VENV%" rmdir /s /q "%VENV%"',
        f'if exist "%VENV%" {fail("venv_remove_failed")}',
        'rmdir "%LOCALAPPDATA%\\xlplan" 2>nul',
        'type "%MSG%\\uninstalled.txt"',
        "echo.",
        "goto finish",
        ":fail",
        "echo.",
        'if defined M type "%MSG%\\%M%.txt"',
        "echo.",
        "echo xlplan uninstall.bat: exit code %RC%",
        ":finish",
        "if defined PAUSE pause",
        "if defined OLDCP %SYS%\\chcp.com %OLDCP% >nul",
        "endlocal & exit /b %RC%",
    ]


def _write_manifest(folder: Path, meta: dict[str, Any]) -> list[FileEntry]:
    entries = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or rel in (MANIFEST, SUMS):
            continue
        size = p.stat().st_size
        if size == 0:  # certutil refuses empty files on some Windows versions
            raise BundleError(build_text("bundle.empty_file", path=rel))
        entries.append(FileEntry(rel, size, _sha256(p)))
    manifest = {"format": BUNDLE_FORMAT, "format_version": BUNDLE_FORMAT_VERSION, **meta,
                "files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in entries]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")
    (folder / SUMS).write_bytes("".join(f"{e.sha256}  {e.path}\n" for e in entries).encode("utf-8"))
    return entries


def build_bundle(out_dir: Path | str, *, pythons: Sequence[str] = DEFAULT_PYTHONS,
                 python_installers: Sequence[Path | str] = (), addin: Path | str | None = None,
                 constraints: Path | str | None = None, source: Path | str | None = None,
                 progress: Progress | None = None) -> BundleResult:
    """Write the offline installation folder ``out_dir`` (see the module docstring).

    ``out_dir`` must be missing, empty, or a previous bundle (replaced as a whole once the
    new one is complete; the Python installers in its ``python/`` are kept). Needs the
    package index (pip's own configuration, proxies included). ``addin``: a finished
    ``xlplan.xlam`` to ship instead of building one with :func:`xlplan.addin.build_addin`.
    ``constraints``: a pip constraints file (e.g. ``pip freeze`` output) to pin versions.
    Raises :class:`BundleError` with a one-line Japanese + English message.
    """
    say = progress or (lambda _msg: None)
    out = Path(out_dir).expanduser().absolute()
    pyvers = _check_pythons(pythons)
    src = _find_source(Path(source) if source else None)
    version = metadata.version("xlplan")

    previous: dict[str, Any] | None = None
    if out.exists():
        if not out.is_dir():
            raise BundleError(build_text("bundle.not_a_folder", path=out))
        if any(out.iterdir()):
            previous = read_manifest(out)
            if previous is None:
                raise BundleError(build_text("bundle.out_not_empty", path=out))

    installers: dict[str, Path] = {}  # Python version -> installer file
    if previous is not None:  # keep what the secretariat put into python/ last time
        for p in sorted((out / PYTHON_DIR).glob("*.exe")):
            installers[_check_installer(p, pyvers)] = p
    for given in python_installers:
        p = Path(given).expanduser()
        if not p.is_file():
            raise BundleError(build_text("bundle.no_such_file", path=p))
        installers[_check_installer(p, pyvers)] = p
    addin_src = Path(addin).expanduser() if addin else None
    if addin_src is not None:
        try:
            with zipfile.ZipFile(addin_src) as z:
                z.getinfo("xl/workbook.xml")
        except (OSError, KeyError, zipfile.BadZipFile) as e:
            raise BundleError(build_text("bundle.not_an_addin", path=addin_src, error=e)) from e
    elif sys.platform.startswith("win") and not _staff_venv_python():
        raise BundleError(build_text("bundle.addin_built_here", python=sys.executable))

    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix="xlplan-bundle-"))
    notes: list[str] = []
    try:
        stage.chmod(0o755)
        wheels = stage / WHEELS
        wheels.mkdir()
        say(build_text("bundle.progress_wheel"))
        xlplan_wheel = _build_xlplan_wheel(src, wheels, work)
        windows_only: dict[str, list[str]] = {}
        for py in pyvers:
            named = windows_only_requirements(py)
            say(build_text("bundle.progress_download", python=py, platform=PLATFORM,
                           named=", ".join(map(str, named)) or "-"))
            _download(wheels, py, [str(xlplan_wheel), *map(str, named)],
                      Path(constraints) if constraints else None)
            for _round in range(5):
                missing = unmet_requirements(wheels, py)
                if not missing:
                    break
                say(f"  + {', '.join(map(str, missing))}")
                _download(wheels, py, [str(m) for m in missing],
                          Path(constraints) if constraints else None)
                named += missing
            else:
                raise BundleError(build_text("bundle.wheelhouse_incomplete", python=py,
                                             names=", ".join(map(str, missing)), missing=missing))
            windows_only[py] = sorted({str(r) for r in named})
        accepted = set().union(*(target_tags(py) for py in pyvers))
        for whl in sorted(wheels.iterdir()):
            if whl.suffix != ".whl" or not parse_wheel_filename(whl.name)[3] & accepted:
                raise BundleError(build_text("bundle.not_windows_wheel", name=whl.name))

        say(build_text("bundle.progress_files"))
        if addin_src is not None:
            shutil.copyfile(addin_src, stage / ADDIN_FILE)
        else:
            from xlplan.addin import AddinError, build_addin

            try:
                built = build_addin(stage / ADDIN_FILE).path
            except AddinError as e:
                raise BundleError(str(e)) from e
            if built != stage / ADDIN_FILE:
                shutil.move(built, stage / ADDIN_FILE)
        for tmp in stage.glob(ADDIN_FILE + ".*"):
            tmp.unlink()
        missing_vba = _vba_modules_missing(stage / ADDIN_FILE, src / "macros")
        if missing_vba:
            notes.append(build_text("bundle.note_no_vba", modules=", ".join(missing_vba)))
        (stage / "workbook").mkdir()
        shutil.copyfile(src / "workbook" / TEMPLATE_NAME, stage / "workbook" / TEMPLATE_NAME)
        shutil.copytree(src / "macros", stage / "macros",
                        ignore=shutil.ignore_patterns("__pycache__", ".*"))
        if installers:
            (stage / PYTHON_DIR).mkdir()
            for p in installers.values():
                shutil.copyfile(p, stage / PYTHON_DIR / p.name)
        installer_names = [installers[v].name for v in sorted(
            installers, key=lambda v: int(v.split(".")[1]), reverse=True)]
        if not installers:
            notes.append(build_text("bundle.note_no_installer", python=pyvers[-1]))

        created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        stamp = f"xlplan {version}, {created}"
        texts = staff_texts(pyvers, installer_names, version, created)
        (stage / MSG_DIR).mkdir()
        for key, text in texts.items():
            if key == "readme":
                (stage / "README.txt").write_bytes(b"\xef\xbb\xbf" + _crlf(text).encode("utf-8"))
            else:
                (stage / MSG_DIR / f"{key}.txt").write_bytes(_crlf(text + "\n").encode("utf-8"))
        _write_ascii_bat(stage / "install.bat",
                         install_bat(pyvers, installer_names, [MSG_DIR, "workbook", "macros"], stamp))
        _write_ascii_bat(stage / "uninstall.bat", uninstall_bat(stamp))

        files = _write_manifest(stage, {
            "xlplan_version": version,
            "created": created,
            "platform": PLATFORM,
            "pythons": list(pyvers),
            "windows_only_requirements": windows_only,
            "python_installers": installer_names,
            "installer_options": list(INSTALLER_OPTIONS),
        })

        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(stage, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(stage, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return BundleResult(out, pyvers, files, windows_only, installer_names, notes)
