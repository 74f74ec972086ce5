"""CLI commands of this feature (wired into xlplan.cli through add_commands)."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Register this feature's subcommands (none yet)."""
