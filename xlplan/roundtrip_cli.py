"""CLI commands of the email round trip: ``split``, ``merge``, ``rollover``.

Each is one call into :mod:`xlplan.roundtrip`; this module only parses arguments and
prints (Japanese for the secretariat, English alongside for scripts).

Exit status of ``merge``: 0 when every file was read and merged without a conflict or
an error; 1 when any file has conflicts, errors or could not be read (the rest are
still merged); 2 when the master itself cannot be used (from :func:`xlplan.cli.main`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def cmd_split(args: argparse.Namespace) -> int:
    from xlplan.roundtrip import GROUP_WORDS, split_master

    res = split_master(args.master, args.out, by=args.by, include_unassigned=args.unassigned)
    for f in res.findings:
        print(f.line())
    print(f"{GROUP_WORDS[res.by]}ごとに{len(res.files)}ファイルを配布用に作成しました / "
          f"wrote {len(res.files)} copies by {res.by} (issue time {res.issued_at}):")
    for issued in res.files:
        print(f"  {issued.path}  {len(issued.row_ids)}行  ({', '.join(issued.row_ids)})")
    if res.unassigned:
        print(f"配布していない行 / rows not issued ({GROUP_WORDS[res.by]}が空欄 / no {res.by}): "
              f"{len(res.unassigned)}")
    print(f"マスターに配布記録を書き込みました / recorded the issue in the master: {res.master}")
    if res.backup:
        print(f"バックアップ / backup: {res.backup}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from xlplan.roundtrip import merge_into_master, merge_summary_ja

    files = [Path(p) for p in args.returned]

    def progress(seq: Iterable[Path]) -> Iterable[Path]:
        items = list(seq)
        bar: Iterable[Path] = tqdm(items, desc="取り込み / merging", unit="file", file=sys.stderr,
                                   disable=len(items) <= 1, leave=False)
        return bar

    rep = merge_into_master(args.master, files, dry_run=args.dry_run, report_path=args.report,
                            progress=progress)
    if args.verbose or args.dry_run:
        for f in rep.files:
            for c in f.changes:
                print(f"  {'would apply' if args.dry_run else 'applied'} {f.name} → {c.tab}!{c.master_cell} "
                      f"{c.row_id} {c.key}: {c.old_text!r} → {c.new_text!r}")
    print(merge_summary_ja(rep))
    for f in rep.files:
        print(f"  {f.name}: {f.summary_en()}")
    return 0 if rep.ok else 1


def cmd_rollover(args: argparse.Namespace) -> int:
    from xlplan.roundtrip import rollover_master

    res = rollover_master(args.master, args.to, args.output, targets=args.targets,
                          overwrite=args.force)
    for f in res.findings:
        print(f.line())
    print(f"{res.from_year}年度から{res.to_year}年度のマスターを作成しました / rolled "
          f"{res.from_year} → {res.to_year}: {res.path}")
    print(f"  過去実績に{res.archived}行を記録 / archived {res.archived} rows; "
          f"入力欄{res.cleared_cells}セルを消去 / cleared {res.cleared_cells} cells")
    for e in res.target_changes:
        print(f"  目標変更 / target change [{e['state']}] {e['id']} {e['target']}: "
              f"{e['old']} → {e['new']}（{e['reason']}）")
    print(f"  元のマスターは変更していません / {res.source} is unchanged")
    return 0


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Register split, merge and rollover."""
    from xlplan.roundtrip import GROUP_KEYS

    s = sub.add_parser("split", help="write one copy of the master per owner (or other group) to send out")
    s.add_argument("master")
    s.add_argument("--by", choices=GROUP_KEYS, default="owner",
                   help="group rows by this column (default: owner = 担当課)")
    s.add_argument("--out", required=True, help="folder for the copies")
    s.add_argument("--unassigned", action="store_true",
                   help="also issue rows with a blank group column, as one copy named 未設定")
    s.set_defaults(func=cmd_split)

    m = sub.add_parser("merge", help="take returned copies back into the master (three-way)")
    m.add_argument("master")
    m.add_argument("returned", nargs="+", help="returned copies, merged in this order")
    m.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    m.add_argument("--report", help="also write what was (or would be) done as a workbook")
    m.add_argument("-v", "--verbose", action="store_true", help="list every applied cell")
    m.set_defaults(func=cmd_merge)

    r = sub.add_parser("rollover", help="create next year's master from this year's")
    r.add_argument("master")
    r.add_argument("--to", type=int, required=True, help="the new reporting year, e.g. 2021")
    r.add_argument("-o", "--output", required=True, help="the new master's file name")
    r.add_argument("--targets", help="target changes (CSV or xlsx: ID, 目標, 変更後, 理由, 日付)")
    r.add_argument("--force", action="store_true", help="replace the output file if it exists")
    r.set_defaults(func=cmd_rollover)
