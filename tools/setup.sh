#!/usr/bin/env bash
# One-time set-up, safe to rerun: system packages for rendering (LibreOffice, Japanese
# fonts, poppler, LibreOffice's UNO bridge for Python) and a virtual environment in .venv
# with xlplan and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
# LibreOffice's Python bridge for the system Python: tests/addin read the add-in's VBA
# project through it, tests/ooxml build a LibreOffice-drawn fixture (text box, comment, image).
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]}; PDF and add-in tests will fail until you install them, e.g." >&2
    echo "       sudo apt-get install ${need_apt[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.xlplan-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
