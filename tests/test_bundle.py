"""``xlplan bundle``: the offline installation folder for Windows PCs.

The bundle is built once per session, for real (pip downloads from the package index,
through pip's cache). Expected values come from outside bundle.py: pip's own resolver
report, the wheels' file names (PEP 427/425 tags) and their METADATA, sha256 computed
here, and a literal Windows marker environment written out below.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from tests.conftest import ROOT
from xlplan.bundle import EXIT_CODES, build_bundle, install_bat, windows_only_requirements
from xlplan.cli import main

PYTHONS = ("3.11", "3.12")  # what issue 14 asks for


def windows_markers(python: str) -> dict[str, str]:
    """PEP 508 environment of 64-bit CPython on Windows 10, as ``platform`` reports it there."""
    return {
        "implementation_name": "cpython", "implementation_version": f"{python}.0",
        "os_name": "nt", "platform_machine": "AMD64", "platform_python_implementation": "CPython",
        "platform_release": "10", "platform_system": "Windows", "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0", "python_version": python, "sys_platform": "win32",
    }


def clean_pip_env() -> dict[str, str]:
    """No pip.conf, no PIP_* variables: only what the command line names is used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def pip(*args: str | Path, python: str | Path = sys.executable, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "pip", *map(str, args)], capture_output=True,
                          text=True, env=env or clean_pip_env(), cwd=cwd)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "xlplan-offline"
    build_bundle(out, pythons=PYTHONS)
    return out


def bundle_files(bundle: Path) -> dict[str, Path]:
    return {p.relative_to(bundle).as_posix(): p for p in sorted(bundle.rglob("*")) if p.is_file()}


# --- the wheelhouse ------------------------------------------------------------------------

@pytest.mark.slow
def test_every_wheel_is_windows_x64_or_pure_and_each_binary_is_there_for_each_python(bundle: Path) -> None:
    wheels = sorted((bundle / "wheels").iterdir())
    assert wheels and all(w.suffix == ".whl" for w in wheels)
    binary: dict[str, set[str]] = {}
    for whl in wheels:
        name, _version, _build, tags = parse_wheel_filename(whl.name)
        for tag in tags:
            if tag.platform == "any":
                assert tag.abi == "none", whl.name
            else:
                assert tag.platform == "win_amd64", whl.name
                assert tag.interpreter in {"cp311", "cp312"} or tag.abi == "abi3", whl.name
                binary.setdefault(name, set()).add(tag.interpreter)
    assert "pywin32" in binary
    for name, interpreters in binary.items():
        assert {"cp311", "cp312"} <= interpreters, f"{name}: a Windows wheel per Python"
    xlplan = [w for w in wheels if w.name.startswith("xlplan-")]
    assert len(xlplan) == 1 and xlplan[0].name.endswith("-py3-none-any.whl")


def _dry_run(bundle: Path, python: str, names: list[str], tmp: Path) -> dict:
    report = tmp / f"report-{python}-{len(names)}.json"
    r = pip("install", "--dry-run", "--no-index", "--find-links", bundle / "wheels",
            "--platform", "win_amd64", "--python-version", python, "--implementation", "cp",
            "--only-binary=:all:", "--target", tmp / "target", "--report", report, "--quiet",
            *names)
    assert r.returncode == 0, r.stderr
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("python", PYTHONS)
def test_resolves_offline_for_windows_with_pywin32(bundle: Path, tmp_path: Path, python: str) -> None:
    """pip resolves xlplan from the folder alone; on Windows nothing would be missing.

    pip evaluates markers for this Linux machine, so the requirements that hold on Windows
    only are read from the resolved packages' own metadata (pip's report) with Windows
    markers and named, until the set is closed — as pip on the PC would follow them.
    """
    env = windows_markers(python)
    names = ["xlplan"]
    for _round in range(4):
        report = _dry_run(bundle, python, names, tmp_path)
        got = {canonicalize_name(i["metadata"]["name"]): Version(i["metadata"]["version"])
               for i in report["install"]}
        unmet: set[str] = set()
        for item in report["install"]:
            extras = {"", *item.get("requested_extras", [])}
            for text in item["metadata"].get("requires_dist", []):
                req = Requirement(text)
                if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in extras):
                    continue
                name = canonicalize_name(req.name)
                if name not in got:
                    unmet.add(name)
                else:
                    assert req.specifier.contains(got[name], prereleases=True), (text, got[name])
        if not unmet:
            break
        names += sorted(unmet)
    assert not unmet
    assert "pywin32" in got and "xlwings" in got and "xlplan" in got
    for item in report["install"]:
        url = item["download_info"]["url"]
        assert url.startswith((bundle / "wheels").as_uri()), url
        tags = parse_wheel_filename(url.rsplit("/", 1)[1])[3]
        cp = "cp" + python.replace(".", "")
        assert any(t.platform == "any" or (t.platform == "win_amd64" and t.interpreter == cp)
                   for t in tags), url


# --- manifest, scripts, texts ------------------------------------------------------------------

@pytest.mark.slow
def test_manifest_and_sha256sums_match_the_files(bundle: Path) -> None:
    files = bundle_files(bundle)
    manifest = json.loads(files.pop("manifest.json").read_text(encoding="utf-8"))
    sums = files.pop("SHA256SUMS").read_bytes().decode("utf-8")
    exp = {rel: (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
           for rel, p in files.items()}
    got = {f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]}
    assert got == exp
    assert dict(line.split("  ", 1)[::-1] for line in sums.splitlines()) == \
        {rel: sha for rel, (_size, sha) in exp.items()}
    assert manifest["pythons"] == list(PYTHONS) and manifest["platform"] == "win_amd64"
    assert all(size > 0 for size, _sha in exp.values())  # certutil cannot hash empty files


def _bat_problems(data: bytes) -> list[str]:
    problems = []
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        return [f"not ASCII: {e}"]
    if re.search(r"(?<!\r)\n", text) or re.search(r"\r(?!\n)", text) or not text.endswith("\r\n"):
        problems.append("line ends are not all CRLF")
    lines = [ln.strip() for ln in text.split("\r\n")]
    code = [ln for ln in lines if ln and not ln.lower().startswith("rem ")]
    labels = {ln[1:].lower() for ln in code if ln.startswith(":")}
    for ln in code:
        for target in re.findall(r"(?:goto|call) :?(\w+)", ln, re.I):
            if target.lower() not in labels and target.lower() != "eof":
                problems.append(f"no label {target}: {ln}")
    return problems


def _blinter_errors(bat: Path) -> str:
    """Blinter (a batch-file linter, not ours): "" when it finds no error-level issue
    (unbalanced parentheses, GOTO/CALL without a label, bad syntax)."""
    r = subprocess.run([sys.executable, "-m", "blinter", bat, "--fail-on", "error"],
                       capture_output=True, text=True, encoding="utf-8", errors="replace")
    return "" if r.returncode == 0 else r.stdout + r.stderr


@pytest.mark.slow
@pytest.mark.parametrize("script", ["install.bat", "uninstall.bat"])
def test_scripts_are_ascii_crlf_and_well_wired(bundle: Path, script: str) -> None:
    data = (bundle / script).read_bytes()
    assert _bat_problems(data) == []
    assert _blinter_errors(bundle / script) == ""
    text = data.decode("ascii")
    lines = [ln for ln in text.split("\r\n") if not ln.strip().lower().startswith("rem ")]
    for msg in re.findall(r'type "%MSG%\\(\w+)\.txt"', text):
        assert (bundle / "msg" / f"{msg}.txt").is_file(), msg
    for key in re.findall(r'set "M=(\w+)"', text):
        assert (bundle / "msg" / f"{key}.txt").is_file(), key
    readme = (bundle / "README.txt").read_text(encoding="utf-8-sig")
    for rc in re.findall(r'set "RC=(\d+)"', text):
        if rc != "0":
            assert re.search(rf"^\s*{rc}\s", readme, re.M), f"exit code {rc} not in README.txt"
    if script == "install.bat":
        pip_calls = [ln for ln in lines if re.search(r"\bpip(\.exe)?\b(?!_)", ln, re.I)
                     and not re.search(r'set "PIP_', ln, re.I)]
        assert pip_calls, "install.bat installs with pip"
        for ln in pip_calls:
            assert " install " in ln and "--no-index" in ln and '--find-links "%HERE%\\wheels"' in ln, ln
        assert '"%VPY%" -I -m xlplan addin install "%HERE%\\xlplan.xlam"' in text
        assert "certutil.exe -hashfile" in text and "SHA256SUMS" in text
        first_pip = text.index("-m pip")
        assert text.index("call :hash") < text.index("if defined BAD") < first_pip, "verify first"
        assert "py\" 3.12" in text and "py\" 3.11" in text
        assert text.index("py\" 3.12") < text.index("py\" 3.11"), "newest Python first"
    else:
        assert "XLSTART\\xlplan.xlam" in text and "rmdir /s /q \"%VENV%\"" in text
        assert 'set "VENV=%LOCALAPPDATA%\\xlplan\\venv"' in text


def test_install_bat_with_an_installer_runs_it_silently_for_this_user(tmp_path: Path) -> None:
    """The branch the session bundle (no python.org installer downloaded) does not have."""
    lines = install_bat(["3.11", "3.12"], ["python-3.12.10-amd64.exe"], ["msg"], "test")
    data = ("\r\n".join(lines) + "\r\n").encode("ascii")
    assert _bat_problems(data) == []
    (tmp_path / "install.bat").write_bytes(data)
    assert _blinter_errors(tmp_path / "install.bat") == ""
    run = next(ln for ln in lines if "python-3.12.10-amd64.exe" in ln)
    assert run.startswith('start "" /wait "%HERE%\\python\\python-3.12.10-amd64.exe"')
    for option in ("/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=1",
                   "InstallLauncherAllUsers=0"):
        assert f" {option}" in run
    text = "\r\n".join(lines)
    assert text.index("call :find_python") < text.index(run) < text.rindex("call :find_python")


def _sheet_rows(xlsx: Path) -> list[list[str]]:
    """Every row of every worksheet as text (inline and shared strings), read from the XML."""
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(xlsx) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
                      for si in root.findall("m:si", ns)]
        rows = []
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)):
            for row in ET.fromstring(z.read(name)).iter(f"{{{ns['m']}}}row"):
                cells = []
                for c in row.findall("m:c", ns):
                    v = c.find("m:v", ns)
                    if c.get("t") == "inlineStr":
                        cells.append("".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t")))
                    elif c.get("t") == "s" and v is not None:
                        cells.append(shared[int(v.text or 0)])
                    else:
                        cells.append(v.text or "" if v is not None else "")
                rows.append(cells)
    return rows


@pytest.mark.slow
def test_the_add_in_starts_the_python_install_bat_installs(bundle: Path) -> None:
    """The add-in's INTERPRETER_WIN setting is the venv install.bat creates."""
    settings = {r[0]: r[1] for r in _sheet_rows(bundle / "xlplan.xlam") if len(r) >= 2}
    bat = (bundle / "install.bat").read_bytes().decode("ascii")
    venv_python = re.search(r'^set "VPY=(.+)"\r$', bat, re.M)
    assert venv_python is not None
    assert settings["INTERPRETER_WIN"] == venv_python.group(1) == \
        "%LOCALAPPDATA%\\xlplan\\venv\\Scripts\\python.exe"


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.mark.slow
def test_readme_txt_is_japanese_utf8_and_names_files_that_exist(bundle: Path) -> None:
    data = (bundle / "README.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "BOM: Notepad of older Windows 10 reads it as UTF-8"
    text = data.decode("utf-8-sig")
    assert len(JAPANESE.findall(text)) > 300
    assert not re.search(r"(?<!\r)\n", text)
    names = set(re.findall(r"[\w\-.]+\.(?:bat|xlam|xlsx|txt|json|exe)\b", text))
    names = {n for n in names if ".x-" not in n}  # python-3.12.x-amd64.exe: what to ask for
    present = {p.name for p in bundle.rglob("*")}
    assert {"install.bat", "uninstall.bat", "xlplan.xlam", "資料4_template.xlsx"} <= names
    assert names - present == set()
    for folder in ("wheels", "workbook", "macros", "msg"):
        assert re.search(rf"^  {folder}\s", text, re.M) and (bundle / folder).is_dir()
    assert "ICT進捗" in text and "SHA256SUMS" in text


@pytest.mark.slow
def test_messages_are_utf8_japanese_with_crlf(bundle: Path) -> None:
    msgs = sorted((bundle / "msg").glob("*.txt"))
    assert msgs
    for m in msgs:
        data = m.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), "type would print the BOM"
        text = data.decode("utf-8")
        assert JAPANESE.search(text) and text.endswith("\r\n") and not re.search(r"(?<!\r)\n", text)


def test_every_exit_code_is_documented_in_docs() -> None:
    docs = (ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    section = docs[docs.index("## インターネットにつながらないPCへの導入"):]
    for key, code in EXIT_CODES.items():
        assert re.search(rf"^\| {code} \|", section, re.M), f"{key} ({code}) not in docs/excel.md"


# --- what the installed xlplan needs, offline on this machine ------------------------------

@pytest.mark.slow
def test_pure_parts_install_offline_into_a_fresh_linux_venv(bundle: Path, tmp_path: Path) -> None:
    """Smoke test: the wheelhouse is complete for everything but the Windows binaries.

    The bundle's binary wheels (numpy, pandas, xlwings, pywin32) are for Windows. Their
    Linux counterparts come from a second ``pip download`` for this platform (network,
    pip's cache), pinned to the versions in the bundle, into a separate folder used only
    by this test, from which every pure wheel is deleted: so each pure package can only
    come from the bundle.
    """
    py = f"cp{sys.version_info.major}{sys.version_info.minor}"
    pins = []
    for whl in (bundle / "wheels").iterdir():
        name, version, _b, tags = parse_wheel_filename(whl.name)
        if any(t.interpreter == py for t in tags):
            pins.append(f"{name}=={version}")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    linux = tmp_path / "linux-binaries"
    xlplan_wheel = next((bundle / "wheels").glob("xlplan-*.whl"))
    r = pip("download", "--only-binary=:all:", "--dest", linux, "-c", constraints, xlplan_wheel,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert r.returncode == 0, r.stderr
    for whl in linux.iterdir():
        if all(t.platform == "any" for t in parse_wheel_filename(whl.name)[3]):
            whl.unlink()
    assert sorted(parse_wheel_filename(w.name)[0] for w in linux.iterdir()), "some binaries"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    vpy = venv / "bin" / "python"
    report = tmp_path / "install.json"
    r = pip("install", "--no-index", "--find-links", bundle / "wheels", "--find-links", linux,
            "--report", report, "xlplan", python=vpy)
    assert r.returncode == 0, r.stderr
    installed = json.loads(report.read_text(encoding="utf-8"))["install"]
    assert {canonicalize_name(i["metadata"]["name"]) for i in installed} >= {
        "xlplan", "openpyxl", "xlwings", "pandas", "numpy", "tqdm", "python-dateutil"}
    for item in installed:
        url = item["download_info"]["url"]
        pure = all(t.platform == "any" for t in parse_wheel_filename(url.rsplit("/", 1)[1])[3])
        assert url.startswith((bundle / "wheels" if pure else linux).as_uri()), url

    work = tmp_path / "elsewhere"  # not the source tree: the installed copy must suffice
    work.mkdir()
    where = subprocess.run([vpy, "-I", "-c", "import xlplan; print(xlplan.__file__)"],
                           capture_output=True, text=True, cwd=work, check=True).stdout
    assert where.startswith(str(venv)), where
    xl = venv / "bin" / "xlplan"
    r = subprocess.run([xl, "--help"], capture_output=True, text=True, cwd=work)
    assert r.returncode == 0 and "bundle" in r.stdout, r.stderr
    book = work / "資料4.xlsx"
    shutil.copyfile(bundle / "workbook" / "資料4_template.xlsx", book)
    r = subprocess.run([xl, "check", book, "--no-write"], capture_output=True, text=True, cwd=work)
    assert r.returncode in (0, 1) and "件" in r.stdout and "Traceback" not in r.stderr, r.stderr
    r = subprocess.run([xl, "render", book], capture_output=True, text=True, cwd=work)
    assert r.returncode == 0, r.stderr
    # xlplan addin build, run in the bundle folder, reads its macros/ (as the docs say).
    r = subprocess.run([xl, "addin", "build", "-o", work / "rebuilt.xlam"], capture_output=True,
                       text=True, cwd=bundle)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(work / "rebuilt.xlam") as z:
        assert z.read("customUI/customUI.xml") == (bundle / "macros" / "ribbon.xml").read_bytes()


# --- the Windows-only requirements, and the ways a build is refused -----------------------------

def test_windows_only_requirements_name_pywin32_from_installed_metadata() -> None:
    for python in PYTHONS:
        reqs = windows_only_requirements(python)
        names = {canonicalize_name(r.name) for r in reqs}
        assert {"pywin32", "colorama"} <= names  # xlwings' and tqdm's Windows-only requirements
        assert all(r.marker is None for r in reqs)
        xlwings_pywin32 = next(Requirement(t) for t in metadata.requires("xlwings") or []
                               if Requirement(t).name == "pywin32")
        pywin32 = next(r for r in reqs if r.name == "pywin32")
        assert pywin32.specifier == xlwings_pywin32.specifier


def test_cli_refuses_a_folder_that_is_not_empty_and_not_a_bundle(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "memo.txt").write_text("keep me", encoding="utf-8")
    assert main(["bundle", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and JAPANESE.search(err) and "not empty" in err
    assert [p.name for p in out.iterdir()] == ["memo.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["documents"]  # no half-built folder beside it


@pytest.mark.parametrize("args, english", [
    (["--python", "3.10"], "unsupported Python version"),
    (["--python-installer", "{tmp}/python-3.14.0-amd64.exe"], "installer for Python 3.14"),
    (["--python-installer", "{tmp}/python-setup.exe"], "not a python.org 64-bit installer"),
    (["--addin", "{tmp}/memo.txt"], "not an add-in"),
])
def test_cli_refuses_bad_options_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               args: list[str], english: str) -> None:
    for name in ("python-3.14.0-amd64.exe", "python-setup.exe", "memo.txt"):
        (tmp_path / name).write_bytes(b"MZ" + b"\0" * 64)
    argv = ["bundle", "--out", str(tmp_path / "out"), *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and JAPANESE.search(err) and english in err
    assert not (tmp_path / "out").exists()


def test_no_network_ends_in_one_line_and_exit_2(tmp_path: Path) -> None:
    """A real pip whose only index is a closed port: what an offline PC gets."""
    env = clean_pip_env()
    env.update({"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0",
                "PIP_TIMEOUT": "2", "PIP_NO_CACHE_DIR": "1"})
    out = tmp_path / "bundle"
    r = subprocess.run([sys.executable, "-m", "xlplan", "bundle", "--out", out], capture_output=True,
                       text=True, env=env, cwd=ROOT)
    assert r.returncode == 2, r.stdout + r.stderr
    err = r.stderr.strip()
    assert "Traceback" not in err and "\n" not in err and "インターネット" in err and "pip failed" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_rebuild_replaces_a_previous_bundle_and_keeps_its_installer(bundle: Path, tmp_path: Path) -> None:
    prev = tmp_path / "xlplan-offline"
    shutil.copytree(bundle, prev)
    (prev / "python").mkdir()
    # The secretariat drops the python.org installer into python/ and builds again. (A
    # stand-in file: the name and the "MZ" of a Windows executable are all that is checked.)
    (prev / "python" / "python-3.12.10-amd64.exe").write_bytes(b"MZ" + b"\0" * 1000)
    (prev / "stale.txt").write_text("from the old bundle", encoding="utf-8")
    build_bundle(prev, pythons=PYTHONS)
    files = bundle_files(prev)
    assert "stale.txt" not in files and "python/python-3.12.10-amd64.exe" in files
    manifest = json.loads((prev / "manifest.json").read_text(encoding="utf-8"))
    assert "python/python-3.12.10-amd64.exe" in {f["path"] for f in manifest["files"]}
    bat = (prev / "install.bat").read_text(encoding="ascii")
    assert 'start "" /wait "%HERE%\\python\\python-3.12.10-amd64.exe" /quiet' in bat
    assert "python\\python-3.12.10-amd64.exe" in (prev / "README.txt").read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == ["xlplan-offline"]
