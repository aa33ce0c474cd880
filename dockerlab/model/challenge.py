"""Challenge mode's instructions: a step's text with its command blocks taken out.

A step in challenge mode shows its goal and explanations; the commands come back only through
the hints and the solution. What counts as a command block is decided the way the app's
Markdown view parses the text (markdown-it, CommonMark): every fenced block (``` or ~~~) whose
info string is empty or names a shell (`sh`, `bash`, `console`, ...), and every indented code
block (it has no info string to say otherwise), inside lists and quotes too. A fenced block
labelled with another language (```yaml, ```text, ```json) shows a file or an output, not a
command, and stays. Each place a block was taken from gets one short note, so the learner
knows something is to be worked out there.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# the note left where command blocks were; true in the app and on the command line alike
HIDDEN_NOTE = (
    "(challenge mode: work out the commands for this yourself — the hints lead there, "
    "the solution shows them)"
)
# info strings that say a fenced block holds commands (an empty one does too)
SHELLS = frozenset(
    {
        "sh",
        "bash",
        "shell",
        "console",
        "terminal",
        "zsh",
        "fish",
        "ksh",
        "sh-session",
        "shell-session",
        "shellsession",
        "powershell",
        "pwsh",
        "ps1",
        "bat",
        "batch",
        "cmd",
    }
)
_CONTAINER = re.compile(r"^(?: {0,3}> ?)*")  # the block quote markers a line starts with


@dataclass(frozen=True)
class CodeBlock:
    """A code block's lines in the text: `start` (0-based) up to `end` (excluded); `info` is a
    fenced block's info string ('' for none and for an indented block)."""

    start: int
    end: int
    info: str
    fenced: bool

    @property
    def language(self) -> str:
        """The info string's first word, lower case, without `{.` `}` decoration."""
        words = self.info.split()
        return words[0].strip("{}.").lower() if words else ""

    @property
    def is_command(self) -> bool:
        return not self.fenced or not self.language or self.language in SHELLS


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")  # code blocks are blocks: no inline parse


def code_blocks(markdown: str) -> list[CodeBlock]:
    """Every code block of the text, in order, as the app's Markdown view finds them."""
    blocks = []
    for token in _parser().parse(markdown):
        if token.type in ("fence", "code_block") and token.map is not None:
            start, end = token.map
            blocks.append(CodeBlock(start, end, token.info.strip(), token.type == "fence"))
    return blocks


def command_blocks(markdown: str) -> list[CodeBlock]:
    """The code blocks of the text that hold commands (see the module docstring)."""
    return [b for b in code_blocks(markdown) if b.is_command]


def without_commands(markdown: str, note: str = HIDDEN_NOTE) -> str:
    """The text with every command block replaced by `note`, once for blocks separated only by
    blank lines, as a paragraph of its own in the same list item or quote; the rest (goal,
    explanations, other code blocks) is kept word for word. Text without command blocks comes
    back unchanged."""
    blocks = command_blocks(markdown)
    if not blocks:
        return markdown
    # lines as markdown-it counts them: \r\n and \r are line ends, nothing else is (not
    # str.splitlines' \u2028, \x0c, \x85 ..., which would shift every cut after them)
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()
    out: list[str] = []
    position = 0
    for group in _runs(blocks, lines):
        first = lines[group[0].start]
        quote = _CONTAINER.match(first)
        prefix = quote.group(0) if quote else ""
        out += lines[position : group[0].start]
        if out and not _blank(out[-1]):
            out.append(prefix.rstrip())
        out.append(prefix + _lead(first[len(prefix) :], group[0].fenced) + note)
        position = group[-1].end
        if position < len(lines) and not _blank(lines[position]):
            out.append(prefix.rstrip())
    out += lines[position:]
    ending = "\n" if markdown.endswith("\n") else ""
    return "\n".join(out) + ending


def _runs(blocks: list[CodeBlock], lines: list[str]) -> list[list[CodeBlock]]:
    """Blocks grouped where only blank lines (or bare quote markers) stand between them."""
    runs: list[list[CodeBlock]] = []
    for block in blocks:
        if runs and all(_blank(line) for line in lines[runs[-1][-1].end : block.start]):
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


def _blank(line: str) -> bool:
    quote = _CONTAINER.match(line)
    return not line[quote.end() if quote else 0 :].strip()


def _lead(line: str, fenced: bool) -> str:
    """What goes before the note so it stays in the block's list item without becoming code: a
    fence's own indentation (and a list marker on its line), an indented block's indentation
    less the four spaces that made it code."""
    if fenced:
        fence = re.search(r"```|~~~", line)
        return line[: fence.start()] if fence else ""
    width = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
    return " " * max(0, width - 4)
