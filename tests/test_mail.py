"""Mail drafts (issue 12): ``xlplan split --mail`` and ``xlplan remind``, read back by the
standard library's own parser, and the attachment opened by LibreOffice.

The expected subjects and bodies are written out here by hand from the templates the
test types into 設定 (and the calendar: 2021-01-29 and 2021-01-15 are Fridays); the
attachments are compared byte for byte with the copies split wrote; indicator names
come from the seed transcription.
"""

from __future__ import annotations

import email
import shutil
import subprocess
from datetime import datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.test_merge_common import T0, T1, edit, new_master
from tests.test_status import CHOUNAI, KURASHI, KYOSO, seed_middles
from xlplan.cli import main
from xlplan.core.mail import date_words, fill
from xlplan.core.settings_grid import ADDRESS_LABEL, loop_settings_from_grid, parse_day
from xlplan.core.texts import UI
from xlplan.files import merge_file, remind_file, split_file
from xlplan.pdf import find_soffice
from xlplan.seed import seed_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECT = "【{年度}】{配布先}：{行数}指標（期限 {期限}）{不明}"


def _settings(master: Path, *, subject: str | None = SUBJECT,
              addresses: dict[str, str] | None = None) -> None:
    """The secretariat typing into 設定: a subject template and the address table."""
    wb = load_workbook(master)
    ws = wb["設定"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    if subject is not None:
        ws.cell(rows["メール件名（配布）"], 2).value = subject
    r = rows[ADDRESS_LABEL]
    for i, (name, addr) in enumerate((addresses or {}).items(), start=1):
        ws.cell(r + i, 1).value = name
        ws.cell(r + i, 2).value = addr
    wb.save(master)


ADDRESSES = {
    CHOUNAI: "gyomu@pref.example.lg.jp; jinji@pref.example.lg.jp",
    "税務課": "zeimu@pref.example.lg.jp",  # the owner of 4-2-01 (with 県警, who has none)
    KYOSO: "kyoso-at-pref",  # not an address
}


def text_of(msg: EmailMessage) -> str:
    """The plain text body; its lines end in CRLF, as mail's do."""
    body = msg.get_body(("plain",))
    assert body is not None
    content: str = body.get_content()
    assert "\n" not in content.replace("\r\n", "")
    return content.replace("\r\n", "\n")


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("mail")
    master = new_master(folder, "資料4.xlsx")
    _settings(master, addresses=ADDRESSES)
    drafts = folder / "下書き"
    res = split_file(master, folder / "配布", by="middle", now=T0, due="2021-01-29",
                     mail_dir=drafts)
    assert len(res.drafts) == 9
    return master, folder / "配布", drafts


def test_one_draft_per_copy_with_the_copy_attached(sent: tuple[Path, Path, Path]) -> None:
    _master, copies, drafts = sent
    expected = {p.stem for p in copies.glob("*.xlsx")}
    assert len(expected) == len(seed_middles()) == 9
    assert {p.stem for p in drafts.glob("*.eml")} == expected
    for path in drafts.glob("*.eml"):
        raw = path.read_bytes()
        assert raw.isascii() and b"\r\nX-Unsent: 1\r\n" in raw  # encoded, CRLF, a draft
        assert b"filename*" in raw  # the Japanese name per RFC 2231
        msg = parse(path)
        assert msg["X-Unsent"] == "1" and msg["From"] is None
        (att,) = list(msg.iter_attachments())
        assert att.get_content_type() == XLSX
        assert att.get_filename() == path.stem + ".xlsx"
        assert att.get_content() == (copies / att.get_filename()).read_bytes()
        assert msg.get_body(("plain",)).get_content_charset() == "utf-8"


def test_subject_body_and_addresses(sent: tuple[Path, Path, Path],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    _master, _copies, drafts = sent
    msg = parse(drafts / f"資料4_{CHOUNAI}.eml")
    assert msg["Subject"] == f"【令和2年度】{CHOUNAI}：5指標（期限 令和3年1月29日（金））{{不明}}"
    assert [a.addr_spec for a in msg["To"].addresses] == ["gyomu@pref.example.lg.jp",
                                                           "jinji@pref.example.lg.jp"]
    body = text_of(msg)
    assert body.startswith(f"{CHOUNAI}\nご担当者様\n")
    assert "令和3年1月29日（金）までに" in body
    assert f"■添付ファイル：資料4_{CHOUNAI}.xlsx（5指標）" in body
    # Grouped by 中項目, without its own address: the 担当課 of its rows.
    kurashi = parse(drafts / f"資料4_{KURASHI}.eml")
    assert [a.addr_spec for a in kurashi["To"].addresses] == ["zeimu@pref.example.lg.jp"]
    # Nobody to send it to: an empty To, and a warning.
    other = parse(drafts / "資料4_ウ　知.eml")
    assert other["To"] is not None and other["To"].addresses == ()
    assert parse(drafts / f"資料4_{KYOSO}.eml")["To"].addresses == ()


@pytest.mark.slow
def test_warnings_say_what_to_fill_in(tmp_path: Path) -> None:
    master = new_master(tmp_path, "資料4.xlsx")
    _settings(master, addresses=ADDRESSES)
    res = split_file(master, tmp_path / "配布", by="middle", now=T0, due="2021-01-29",
                     mail_dir=tmp_path / "下書き")
    codes = [(f.code, f.message) for f in res.findings if f.code.startswith("mail_")]
    no_address = [m for c, m in codes if c == "mail_no_address"]
    assert len(no_address) == 7  # every 中項目 but 庁内 (its own) and 暮らし (税務課)
    assert any("ウ　知" in m for m in no_address)
    (some,) = [m for c, m in codes if c == "mail_some_addresses"]
    assert "税務課" in some and "県警" in some
    (bad,) = [m for c, m in codes if c == "mail_address_invalid"]
    assert "kyoso-at-pref" in bad
    (unknown,) = [m for c, m in codes if c == "mail_placeholder_unknown"]  # said once
    assert "{不明}" in unknown and "メール件名（配布）" in unknown
    assert {f.sheet for f in res.findings if f.code.startswith("mail_")} == {"設定"}


def test_reminders_for_the_copies_still_out(sent: tuple[Path, Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    master0, copies, _drafts = sent
    master = tmp_path / "資料4.xlsx"
    shutil.copy2(master0, master)
    back = edit(copies / f"資料4_{CHOUNAI}.xlsx", tmp_path / "返送.xlsx",
                {("4-1-01", "actual"): "1,234人"})
    merge_file(master, [back], now=T1)
    out = tmp_path / "督促"
    merged = master.read_bytes()
    assert main(["remind", str(master), "--mail", str(out), "--as-of", "2021-02-05"]) == 0
    printed = capsys.readouterr().out
    names = sorted(p.name for p in out.glob("*.eml"))
    assert names == sorted(f"督促_資料4_{g}.eml" for g in seed_middles() if g != CHOUNAI)
    assert "督促メールの下書きを8件作成しました" in printed
    msg = parse(out / f"督促_資料4_{KURASHI}.eml")
    assert msg["Subject"] == f"【再度のお願い】令和2年度ICT戦略の進捗状況調査（資料4）のご提出について（{KURASHI}）"
    assert list(msg.iter_attachments()) == []
    body = text_of(msg)
    assert "令和3年1月15日（金）にお送りした" in body and "■提出期限：令和3年1月29日（金）" in body
    rows = [r for r in seed_rows() if r["middle"].replace("\n", "").strip() == KURASHI]
    assert len(rows) == 18
    for r in rows:
        assert f"　・{r['id']} {r['indicator'].replace(chr(10), '')}" in body
    assert master.read_bytes() == merged  # remind only reads the master


def test_remind_only_overdue_and_nothing_to_do(sent: tuple[Path, Path, Path],
                                               tmp_path: Path) -> None:
    master, _copies, _drafts = sent
    before = master.read_bytes()
    late = remind_file(master, tmp_path / "a", overdue_only=True, now=datetime(2021, 2, 10))
    assert len(late.data["written"]) == 9
    early = remind_file(master, tmp_path / "b", overdue_only=True, now=datetime(2021, 1, 20))
    assert early.data["written"] == [] and UI["remind.nothing"] in early.result.lines
    assert master.read_bytes() == before


def test_placeholders_and_dates() -> None:
    assert date_words(parse_day("2021/1/29")) == "令和3年1月29日（金）"  # type: ignore[arg-type]
    assert date_words(parse_day("R1.5.1")) == "令和元年5月1日（水）"  # type: ignore[arg-type]
    assert date_words(parse_day("2019/4/30")) == "平成31年4月30日（火）"  # type: ignore[arg-type]
    text, unknown = fill("{年度}{配布先}{ 年度 }{x}{{年度}}", {"年度": "R2", "配布先": "課"})
    assert (text, unknown) == ("R2課{ 年度 }{x}{R2}", ["x"])
    # A master without the 配布と回収 rows (made before issue 12): the defaults.
    loop = loop_settings_from_grid([["設定"], ["項目", "値"]])
    assert loop.template("body") == UI["mail.body"] and loop.due is None


def test_mail_folder_that_is_a_file_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    master = new_master(tmp_path, "資料4.xlsx")
    before = master.read_bytes()
    (tmp_path / "x").write_text("")
    assert main(["split", str(master), "--out", str(tmp_path / "o"), "--mail",
                 str(tmp_path / "x")]) == 2
    assert "フォルダー" in capsys.readouterr().err and master.read_bytes() == before


@pytest.mark.slow
def test_libreoffice_opens_the_attached_copy(sent: tuple[Path, Path, Path], tmp_path: Path) -> None:
    soffice = find_soffice()
    assert soffice is not None
    _master, _copies, drafts = sent
    (att,) = list(parse(drafts / f"資料4_{CHOUNAI}.eml").iter_attachments())
    work = tmp_path / "lo"
    work.mkdir()
    src = work / att.get_filename()
    src.write_bytes(att.get_content())
    res = subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                          "--headless", "--norestore", "--convert-to",
                          "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
                          str(work), str(src)], capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr
    csv = (work / (src.stem + ".csv")).read_text(encoding="utf-8", errors="replace")
    # The first sheet (4-1入力) holds this copy's five rows.
    ids = [r["id"] for r in seed_rows() if r["middle"].replace("\n", "").strip() == CHOUNAI]
    assert ids == ["4-1-01", "4-1-02", "4-1-03", "4-1-04", "4-1-05"]
    for i in ids:
        assert i in csv
    assert "4-1-06" not in csv


def test_cli_split_with_a_deadline_and_drafts(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    master = new_master(tmp_path, "資料4.xlsx")
    drafts = tmp_path / "下書き"
    assert main(["split", str(master), "--by", "sheet", "--out", str(tmp_path / "配布"),
                 "--due", "2099/3/31", "--mail", str(drafts)]) == 0
    out = capsys.readouterr().out
    assert "提出期限：2099-03-31" in out
    assert "回収状況：配布 3件、回収 0件、未回収 3件" in out
    assert "メールの下書きを3件作成しました" in out
    assert sorted(p.name for p in drafts.iterdir()) == [
        "資料4_4-1.eml", "資料4_4-2.eml", "資料4_4-3.eml"]
    body = text_of(parse(drafts / "資料4_4-2.eml"))
    assert "■提出期限：令和81年3月31日（火）" in body and "（48指標）" in body
