"""What a check found: PASS, FAIL (the engine answered; the state is not there yet) or ERROR
(could not be determined: engine unreachable, timeout). Never confuse FAIL with ERROR."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"

    @property
    def symbol(self) -> str:
        return {"pass": "✓", "fail": "✗", "error": "!"}[self.value]


@dataclass(frozen=True)
class Result:
    """A status and one sentence of what was observed against what was expected."""

    status: Status
    message: str
    children: tuple[Result, ...] = field(default=())
    # the observed-vs-expected line, when `message` is the author's sentence for the learner
    detail: str | None = None

    @property
    def passed(self) -> bool:
        return self.status is Status.PASS

    @classmethod
    def ok(cls, message: str) -> Result:
        return cls(Status.PASS, message)

    @classmethod
    def fail(cls, message: str) -> Result:
        return cls(Status.FAIL, message)

    @classmethod
    def error(cls, message: str) -> Result:
        return cls(Status.ERROR, message)

    def lines(self, indent: int = 0) -> list[str]:
        """The result and its children, one line each, for a terminal."""
        out = [f"{'  ' * indent}{self.status.symbol} {self.message}"]
        for child in self.children:
            out.extend(child.lines(indent + 1))
        return out


def combine_all(results: list[Result]) -> Status:
    """ERROR wins over FAIL (we do not know), FAIL over PASS."""
    statuses = {r.status for r in results}
    if Status.ERROR in statuses:
        return Status.ERROR
    if Status.FAIL in statuses:
        return Status.FAIL
    return Status.PASS
