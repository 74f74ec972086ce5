"""Errors raised by the package patcher."""

from __future__ import annotations


class PackageError(Exception):
    """The package cannot be read or the change cannot be made safely.

    ``detail`` is one English sentence that names what and where, fit for a message to a
    person (no stack, no Python names).
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
