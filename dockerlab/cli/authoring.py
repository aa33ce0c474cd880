"""`dockerlab authoring` subcommands (placeholder: registers nothing yet)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Declare this group's subcommands on the main parser."""
