"""Counting what an action asks of Excel, on xlwings' remote engine.

* ``actions``: the JSON actions a book queues (what the VBA client replays: one Excel
  operation each, writes only).
* ``engine calls``: every call from xlwings' API into the engine (property reads and
  writes, methods), counted by wrapping the remote engine's classes while an action
  runs. On the desktop engine each of these is (at least) one cross-process COM call,
  so this is the figure that decides RunPython's speed in real Excel.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def engine_calls() -> Iterator[Counter[str]]:
    from xlwings.pro import _xlremote as remote

    counts: Counter[str] = Counter()
    patched: list[tuple[type, str, Any]] = []
    classes = [remote.App, remote.Books, remote.Book, remote.Sheets, remote.Sheet,
               remote.Range, remote.Names, remote.Name]

    depth = [0]

    def wrap(fn: Callable[..., Any], label: str) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            # Only calls from xlwings' API into the engine count; what the engine does
            # inside one call (reading its own shape, say) is not another Excel call.
            if depth[0] == 0:
                counts[label] += 1
            depth[0] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
        return inner

    for cls in classes:
        for name, attr in list(vars(cls).items()):
            if name.startswith("_") or name in ("api", "append_json_action"):
                continue  # internal plumbing, not an Excel call on the desktop engine
            label = f"{cls.__name__}.{name}"
            if isinstance(attr, property):
                new = property(wrap(attr.fget, label) if attr.fget else None,
                               wrap(attr.fset, label + "=") if attr.fset else None)
            elif inspect.isfunction(attr) and not inspect.iscoroutinefunction(attr):
                new = wrap(attr, label)
            else:
                continue
            patched.append((cls, name, attr))
            setattr(cls, name, new)
    try:
        yield counts
    finally:
        for cls, name, attr in patched:
            setattr(cls, name, attr)
