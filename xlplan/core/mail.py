"""Mail drafts for the secretariat: the copies to send out, and reminders. Never sent.

One ``.eml`` per copy: To from the 設定 sheet's address table (配布先 → addresses),
Subject and body from the 設定 sheet's templates (or the defaults in
:mod:`xlplan.core.texts`) with the placeholders filled in, the copy attached, and the
header ``X-Unsent: 1``, with which Outlook opens the file as a draft to check and send.
Built with the standard library's :mod:`email` package: no SMTP, no credentials.

Pure: what to write (a :class:`Draft`) and the message's bytes; the engine side writes
the files (:mod:`xlplan.engines.drafts`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from email import policy
from email.message import EmailMessage

from xlplan.core.collection import Collection, CopyStatus, State
from xlplan.core.findings import Finding
from xlplan.core.layout import SETTINGS_SHEET, era_year, fiscal_year_words
from xlplan.core.merge import IssueRecord
from xlplan.core.model import RowData
from xlplan.core.settings_grid import PLACEHOLDERS, LoopSettings
from xlplan.core.split import group_values
from xlplan.core.texts import UI, finding, say

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
UNSENT_HEADER = "X-Unsent"
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,20})\}")
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")


@dataclass(frozen=True, slots=True)
class Draft:
    """One message to write: ``name`` is the ``.eml`` file's name."""

    name: str
    to: tuple[str, ...]
    subject: str
    body: str
    sender: str = ""
    attachment: str | None = None  # the attached copy's file name (its bytes come separately)


def date_words(d: date) -> str:
    """2021-01-29 → 令和3年1月29日（金）."""
    year = era_year(d.year, d)
    return say("mail.date", era=year, month=d.month, day=d.day,
               weekday=UI["mail.weekdays"][d.weekday()])


def _key(name: str) -> str:
    """How a 配布先 is matched with the address table: width and spaces do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def fill(template: str, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """``template`` with ``{年度}`` … replaced; unknown ``{…}`` stay as typed (returned)."""
    unknown: list[str] = []

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return values[name]
        if name not in unknown:
            unknown.append(name)
        return m.group(0)

    return _PLACEHOLDER.sub(sub, template), unknown


class _Writer:
    """Drafts for several copies, with the findings each kind of problem gives once."""

    def __init__(self, loop: LoopSettings, fiscal_year: int) -> None:
        self.loop = loop
        self.year = fiscal_year_words(fiscal_year)
        self.book = {_key(k): v for k, v in loop.address_book().items()}
        self.findings: list[Finding] = []
        self._said: set[tuple[str, ...]] = set()

    def _once(self, key: tuple[str, ...], f: Finding) -> None:
        if key not in self._said:
            self._said.add(key)
            self.findings.append(f)

    def _valid(self, group: str, addresses: Sequence[str], row: int) -> list[str]:
        out = []
        for a in addresses:
            if _ADDRESS.match(a):
                out.append(a)
            else:
                self._once(("invalid", a), finding(
                    "mail_address_invalid", sheet=SETTINGS_SHEET, cell=f"B{row}", group=group,
                    address=a))
        return out

    def recipients(self, issue: IssueRecord, rows: Mapping[str, RowData], draft: str
                   ) -> tuple[str, ...]:
        """The addresses for one copy: its 配布先's, or (for a copy grouped by anything but
        担当課) the addresses of the 担当課 of its rows."""
        entry = self.book.get(_key(issue.group))
        if entry is not None:
            valid = tuple(self._valid(issue.group, entry[0], entry[1]))
            if not valid:
                self.findings.append(finding("mail_no_address", sheet=SETTINGS_SHEET,
                                             group=issue.group, draft=draft))
            return valid
        owners: list[str] = []
        if issue.group_by != "owner":
            for rid in issue.row_ids:
                row = rows.get(rid)
                for o in group_values(row, "owner") if row is not None else ():
                    if o not in owners:
                        owners.append(o)
        found = [o for o in owners if _key(o) in self.book]
        missing = [o for o in owners if _key(o) not in self.book]
        out: list[str] = []
        for o in found:
            addrs, where = self.book[_key(o)]
            out += [a for a in self._valid(o, addrs, where) if a not in out]
        if not out:
            self.findings.append(finding("mail_no_address", sheet=SETTINGS_SHEET,
                                         group=issue.group, draft=draft))
        elif missing:
            self.findings.append(finding(
                "mail_some_addresses", sheet=SETTINGS_SHEET, group=issue.group, draft=draft,
                found="・".join(found), missing="・".join(missing)))
        return tuple(out)

    def text(self, key: str, values: Mapping[str, str]) -> str:
        text, unknown = fill(self.loop.template(key), values)
        label = self.loop.label_of(key)
        for name in unknown:
            self._once(("placeholder", label, name), finding(
                "mail_placeholder_unknown", sheet=SETTINGS_SHEET, label=label, name=name,
                names="、".join("{" + k + "}" for k in PLACEHOLDERS)))
        return text

    def values(self, issue: IssueRecord, due: date | None, rows: Mapping[str, RowData]
               ) -> dict[str, str]:
        issued = _issue_day(issue.issued_at)
        names = []
        for rid in issue.row_ids:
            row = rows.get(rid)
            name = row.text("indicator").replace("\n", "") if row is not None else ""
            names.append(say("mail.indicator_line", id=rid, name=name).rstrip())
        values = (
            self.year, issue.group,
            date_words(due) if due is not None else say("mail.no_due"),
            str(len(issue.row_ids)), issue.file,
            date_words(issued) if issued is not None else issue.issued_at,
            "\n".join(names),
        )
        return dict(zip(PLACEHOLDERS, values, strict=True))  # 年度, 配布先, 期限, …

    def draft(self, name: str, issue: IssueRecord, due: date | None,
              rows: Mapping[str, RowData], *, remind: bool, attach: bool) -> Draft:
        values = self.values(issue, due, rows)
        prefix = "remind_" if remind else ""
        subject = re.sub(r"\s*[\r\n]+\s*", " ", self.text(prefix + "subject", values)).strip()
        body = self.text(prefix + "body", values)
        return Draft(name, self.recipients(issue, rows, name), subject, body,
                     self.loop.sender, issue.file if attach else None)


def _issue_day(issued_at: str) -> date | None:
    try:
        return date.fromisoformat(issued_at[:10])
    except ValueError:
        return None


def _stem(file: str) -> str:
    return file[:-5] if file.lower().endswith(".xlsx") else file


def issue_drafts(issues: Sequence[IssueRecord], rows: Mapping[str, RowData],
                 loop: LoopSettings, fiscal_year: int) -> tuple[list[Draft], list[Finding]]:
    """One draft per copy just issued, the copy attached (``<copy>.eml``)."""
    w = _Writer(loop, fiscal_year)
    drafts = [w.draft(_stem(i.file) + ".eml", i, date.fromisoformat(i.due) if i.due else None,
                      rows, remind=False, attach=True) for i in issues]
    return drafts, w.findings


def to_remind(col: Collection, *, overdue_only: bool = False) -> list[CopyStatus]:
    """The copies still out (未回収), or only those past their deadline."""
    return [c for c in col.copies if c.state is State.OUTSTANDING and c.known
            and (c.overdue or not overdue_only)]


def remind_drafts(col: Collection, rows: Mapping[str, RowData], loop: LoopSettings,
                  fiscal_year: int, *, overdue_only: bool = False
                  ) -> tuple[list[Draft], list[Finding]]:
    """One reminder per copy still out (``督促_<copy>.eml``), listing its indicators and
    the deadline; nothing attached (the department has the copy)."""
    w = _Writer(loop, fiscal_year)
    drafts = [w.draft(say("remind.file_name", stem=_stem(c.issue.file)), c.issue, c.due, rows,
                      remind=True, attach=False)
              for c in to_remind(col, overdue_only=overdue_only)]
    return drafts, w.findings


def eml_bytes(draft: Draft, attachment: bytes | None = None) -> bytes:
    """The draft as an RFC 5322 message (CRLF line ends): UTF-8 text in base64, the
    Japanese subject as RFC 2047 encoded words, the attachment's name per RFC 2231."""
    msg = EmailMessage(policy=policy.SMTP)
    if draft.sender:
        msg["From"] = draft.sender
    msg["To"] = ", ".join(draft.to)
    msg["Subject"] = draft.subject
    msg[UNSENT_HEADER] = "1"
    msg.set_content(draft.body, charset="utf-8", cte="base64")
    if draft.attachment is not None and attachment is not None:
        msg.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                           filename=draft.attachment)
    return msg.as_bytes()


__all__ = ["Draft", "date_words", "eml_bytes", "fill", "issue_drafts",
           "remind_drafts", "to_remind"]
