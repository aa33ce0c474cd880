"""Welcome: what the doctor finds on this machine, and the course images prepared from here
(pulled, or built as offline stand-ins) with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, ProgressBar, Static

from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from dockerlab.runner.machine import DoctorReport, Finding

WELCOME = (
    "Welcome to dockerlab. You learn container registries here by doing: every lab step runs "
    "against the real Docker engine on this machine and ticks off as soon as the engine shows "
    "it is done. First, what this machine can do:"
)
MARKS = {True: ("✓", "ok"), False: ("✗", "problem"), None: ("i", "info")}


class DoctorDone(Message, bubble=False):
    def __init__(self, report: DoctorReport) -> None:
        super().__init__()
        self.report = report


class PrepareProgress(Message, bubble=False):
    def __init__(
        self, line: str, done: int, total: int, finished: bool = False, error: str | None = None
    ) -> None:
        super().__init__()
        self.line = line
        self.done = done
        self.total = total
        self.finished = finished
        self.error = error


def render_findings(findings: list[Finding]) -> Table:
    """One row per finding: symbol and word, then what was found (and the fix), wrapped."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for f in findings:
        symbol, word = MARKS[f.ok]
        text = Text.assemble((f"{f.name}: ", "bold"), f.detail)
        if f.fix and f.ok is False:
            text.append(f"\nfix: {f.fix}", style="italic")
        table.add_row(Text(f"{symbol} {word}", style="bold" if f.ok is False else ""), text)
    return table


def missing_images(report: DoctorReport) -> list[str]:
    return [
        f.name.removeprefix("image ")
        for f in report.findings
        if f.name.startswith("image ") and f.ok is False
    ]


class FirstRunScreen(BaseScreen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "continue", "Continue", id="first_run.continue"),
        Binding("p", "prepare", "Prepare images", id="first_run.prepare"),
        Binding("r", "recheck", "Check again", id="first_run.recheck"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: DoctorReport | None = None
        self.preparing = False

    def compose(self) -> ComposeResult:
        yield Static("Welcome", id="welcome-title")
        yield Static(WELCOME, id="welcome-intro")
        # what to do next stays in sight; the findings scroll below it
        yield Static("… checking this machine (a few seconds)", id="welcome-next")
        yield ProgressBar(total=None, show_eta=False, id="prepare-bar")
        yield Static("", id="prepare-log")
        with VerticalScroll(id="welcome-body"):
            yield Static("", id="findings")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#welcome-body").focus()
        self.start_doctor()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="doctor",
        name="checking this machine",
    )
    def start_doctor(self) -> None:
        self.post_message(DoctorDone(self.lab_app.machine.doctor()))

    @on(DoctorDone)
    def _doctor_done(self, message: DoctorDone) -> None:
        self.report = message.report
        self.query_one("#findings", Static).update(render_findings(message.report.findings))
        missing = missing_images(message.report)
        if missing:
            how = (
                "pull them from Docker Hub"
                if "docker-hub" in message.report.capabilities
                else "build labelled offline stand-ins (Docker Hub is out of reach)"
            )
            nxt = (
                f"{len(missing)} course image(s) missing: {', '.join(missing)}. Press p to "
                f"{how}, or Enter to go on to the course."
            )
        elif "engine" not in message.report.capabilities:
            nxt = (
                "The labs need a Docker engine. Start it (see the fix above); the status line "
                "below shows when it answers. Press r to check again, Enter to go on."
            )
        else:
            nxt = "Everything the labs need is here. Press Enter to see the course."
        self.query_one("#welcome-next", Static).update(Text(nxt, style="bold"))
        self.refresh_bindings()

    def action_prepare(self) -> None:
        if self.report is None or self.preparing:
            return
        missing = missing_images(self.report)
        if not missing:
            self.notify("Every course image is here already.")
            return
        self.preparing = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=len(missing), progress=0)
        self.prepare(missing, "docker-hub" in self.report.capabilities)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="prepare", name="preparing images"
    )
    def prepare(self, refs: list[str], hub: bool) -> None:
        from dockerlab.runner.machine import EngineError, EngineUnavailable

        total = len(refs)
        for done, ref in enumerate(refs):
            self.post_message(PrepareProgress(f"{ref}: preparing …", done, total))

            def report(line: str, done: int = done) -> None:
                self.post_message(PrepareProgress(line, done, total))

            try:
                self.lab_app.machine.prepare(ref, hub=hub, progress=report)
            except (EngineError, EngineUnavailable) as exc:
                self.post_message(PrepareProgress(f"{ref}: {exc}", done, total, True, str(exc)))
                return
        self.post_message(PrepareProgress("All course images are here.", total, total, True))

    @on(PrepareProgress)
    def _progress(self, message: PrepareProgress) -> None:
        self.query_one(ProgressBar).update(progress=message.done)
        self.query_one("#prepare-log", Static).update(message.line)
        if message.finished:
            self.preparing = False
            if message.error:
                self.notify(message.error, title="Preparing images failed", severity="error")
            self.start_doctor()

    def action_recheck(self) -> None:
        self.query_one("#welcome-next", Static).update("… checking this machine again")
        self.start_doctor()

    def action_continue(self) -> None:
        app = self.lab_app
        app.state.welcomed = True
        app.save_state()
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prepare":
            return bool(self.report and missing_images(self.report)) or None
        return True
