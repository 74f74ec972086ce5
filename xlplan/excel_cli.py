"""CLI commands of the Excel integration: ``xlplan addin build|install`` and ``xlplan serve``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def cmd_addin_build(args: argparse.Namespace) -> int:
    from xlplan.addin import AddinError, addin_settings, build_addin, import_vba, macros_dir

    settings = addin_settings(interpreter=args.interpreter, pythonpath=args.pythonpath or "",
                              server_url=args.server_url or "", auth=args.auth or "")
    try:
        res = build_addin(args.output, settings=settings,
                          macros=Path(args.macros) if args.macros else macros_dir())
    except AddinError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    print(f"アドインを作成しました / built add-in: {res.path.resolve()}")
    print("  VBA: " + ", ".join(res.modules))
    for k, v in res.settings.items():
        shown = "********" if k == "AUTH" and v else v
        print(f"  {k} = {shown}")
    if args.import_vba:
        try:
            done = import_vba(res.path)
        except AddinError as e:
            print(f"xlplan: {e}", file=sys.stderr)
            return 2
        print("VBAを取り込み直しました / re-imported VBA: " + ", ".join(done))
    for note in res.notes:
        print("  " + note)
    return 0


def cmd_addin_install(args: argparse.Namespace) -> int:
    from xlplan.addin import AddinError, install_addin

    try:
        dest = install_addin(args.file, args.dest)
    except AddinError as e:
        print(f"xlplan: {e}", file=sys.stderr)
        return 2
    print(f"アドインを入れました / installed: {dest}")
    print("Excel を起動し直すと「ICT進捗」タブが表示されます。 / Restart Excel to see the ICT進捗 tab.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from xlplan.server import serve

    print(f"xlplan server: http://{args.host}:{args.port}/xlplan  (Ctrl+C で終了 / to stop)")
    serve(args.host, args.port)
    return 0


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``addin build``, ``addin install`` and ``serve``."""
    from xlplan.addin import ADDIN_NAME

    a = sub.add_parser("addin", help="build or install the Excel add-in (ribbon tab ICT進捗)")
    asub = a.add_subparsers(dest="addin_command", required=True, metavar="ADDIN_COMMAND")

    b = asub.add_parser("build", help="write xlplan.xlam (ribbon, settings, VBA) from macros/, on any OS")
    b.add_argument("-o", "--output", default=ADDIN_NAME, help=f"default: {ADDIN_NAME}")
    b.add_argument("--interpreter",
                   help="python.exe the buttons start (default: this Python on Windows, "
                        r"%%LOCALAPPDATA%%\xlplan\venv\Scripts\python.exe elsewhere)")
    b.add_argument("--pythonpath", help="extra sys.path entries, separated by ';'")
    b.add_argument("--server-url", help="use xlwings Server at this URL instead of a local Python")
    b.add_argument("--auth", help="Authorization value the server expects (XLPLAN_SERVER_TOKEN)")
    b.add_argument("--macros", help="folder with ribbon.xml and the .bas/.cls modules "
                                    "(default: macros/ of the xlplan folder)")
    b.add_argument("--import-vba", action="store_true",
                   help="Windows with Excel: also re-import the modules through Excel (not needed)")
    b.set_defaults(func=cmd_addin_build)

    i = asub.add_parser("install", help="copy the add-in into Excel's XLSTART folder as xlplan.xlam")
    i.add_argument("file", nargs="?", default=ADDIN_NAME, help=f"default: {ADDIN_NAME}")
    i.add_argument("--dest", help="copy here instead of XLSTART")
    i.set_defaults(func=cmd_addin_install)

    s = sub.add_parser("serve", help="run the ribbon actions as an xlwings Server (fallback)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)
