"""Regenerate the golden files after an intended change of the printed report.

    .venv/bin/python -m tests.golden.update          # tests/golden/report_sheets.json
    .venv/bin/python -m tests.golden.update --pdf    # also tests/reference/report_page1.png

Review the diff (``git diff tests/golden``) before committing: every change in it is a
change of what the advisory meeting will read. The PNG needs LibreOffice and poppler.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.golden.dump import (
    GOLDEN,
    REFERENCE_DPI,
    REFERENCE_PNG,
    dump_workbook,
    rendered_template,
)


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.golden.update")
    ap.add_argument("--pdf", action="store_true", help="also regenerate the reference PNG")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = rendered_template(Path(tmp))
        data = dump_workbook(path)
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
        print(f"wrote {GOLDEN}")
        if args.pdf:
            from xlplan.pdf import export_pdf

            pdf = export_pdf(path, Path(tmp) / "report.pdf")
            prefix = Path(tmp) / "page"
            subprocess.run(["pdftoppm", "-r", str(REFERENCE_DPI), "-gray", "-png", "-f", "1",
                            "-l", "1", "-singlefile", str(pdf), str(prefix)], check=True)
            REFERENCE_PNG.parent.mkdir(exist_ok=True)
            shutil.copyfile(prefix.with_suffix(".png"), REFERENCE_PNG)
            print(f"wrote {REFERENCE_PNG}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
