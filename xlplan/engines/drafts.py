"""Writing mail drafts (``.eml``) into a folder: the file side of :mod:`xlplan.core.mail`.

Each draft is written atomically (a temporary file beside it, then a replace), so a
mail program never opens half a file; a draft of the same name is replaced. Nothing is
ever sent. Loads no openpyxl: the ribbon's 督促メールを作成 runs this too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from xlplan.core.mail import Draft, eml_bytes
from xlplan.core.texts import refuse


def prepare_folder(folder: Path | str) -> Path:
    """The folder for drafts, created when missing; a refusal when it is a file."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise refuse("mail_dir_is_file", path, name=path.name)
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_drafts(folder: Path | str, drafts: Sequence[Draft],
                 attachment: Callable[[str], bytes] | None = None) -> list[Path]:
    """Write every draft as ``folder/<draft.name>``; ``attachment(name)`` gives the bytes
    of a draft's attached file. Returns the paths written, in order."""
    out = prepare_folder(folder)
    written = []
    for d in drafts:
        data = attachment(d.attachment) if attachment is not None and d.attachment else None
        path = out / d.name
        _write_bytes(path, eml_bytes(d, data))
        written.append(path)
    return written


def _write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".xlplan-", suffix=".eml.tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the draft from others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_folder(folder: Path) -> bool:
    """Show the folder in Explorer (Windows); False where there is no such thing."""
    start = getattr(os, "startfile", None)
    if start is None:
        return False
    try:
        start(str(folder))
    except OSError:
        return False
    return True
