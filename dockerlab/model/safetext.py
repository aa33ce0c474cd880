"""Text from content, made safe to show on a terminal.

Content packs are shared, so a title or an instruction may carry terminal escape sequences
(colours, cursor moves, a window title, a hyperlink) or Unicode bidi overrides that make text
read differently from what it is. `safe_text` drops them, keeping newlines and tabs; the CLI's
`show`, `list` and plain quiz and the app pass content text through it. `lint` reports them.
"""

from __future__ import annotations

import re
from typing import TextIO, cast

_ESCAPES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?            # CSI: colours, cursor moves, erase
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC: window title, hyperlinks
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?       # DCS, SOS, PM, APC strings
    | \x1b[\x20-\x2f]*[\x30-\x7e]?        # any other escape
    | \x9b[0-?]*[ -/]*[@-~]?              # 8-bit CSI
    """,
    re.VERBOSE,
)
# embeddings, overrides and isolates (and the marks), which reorder what is displayed
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")


def unsafe_characters(text: str) -> list[str]:
    """The control and bidi characters in `text`, as U+XXXX, once each in order."""
    found = dict.fromkeys(f"U+{ord(ch):04X}" for ch in _UNSAFE.findall(text))
    return list(found)


def safe_text(text: str) -> str:
    """`text` without escape sequences, control characters (but newline and tab) or bidi
    controls."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub("", _ESCAPES.sub("", text))


class SafeWriter:
    """A text stream that writes everything through `safe_text` (for printing content)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(safe_text(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def safe_stdout() -> TextIO:
    """sys.stdout through `safe_text` (what the plain quiz prints to)."""
    import sys

    return cast(TextIO, SafeWriter(sys.stdout))


# what XML 1.0 cannot hold at all, besides the control characters safe_text drops
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def export_text(text: str) -> str:
    """Text as exported (GIFT, Moodle XML): no control, escape or bidi characters, nothing XML
    1.0 forbids."""
    return _NOT_XML.sub("", safe_text(text))
