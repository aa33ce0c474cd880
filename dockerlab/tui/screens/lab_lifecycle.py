"""The lab screen's lab: opened (loaded with the learner's overrides, set up) and reset (what it
created removed, progress forgotten, set up again) in thread workers of the group "lab-open"."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Markdown, Static

from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.screens.confirm import ConfirmScreen
from dockerlab.tui.screens.lab_commands import OutputLine

if TYPE_CHECKING:
    from textual.worker import Worker

    from dockerlab.runner.session import LabSession


class LabReady(Message, bubble=False):
    def __init__(self, session: LabSession, missing: list[str], problem: str | None) -> None:
        super().__init__()
        self.session = session
        self.missing = missing
        self.problem = problem


class LabUnavailable(Message, bubble=False):
    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why


class LabReset(Message, bubble=False):
    pass


class LabLifecycle(BaseScreen):
    """Opening and resetting; `session` is set once the lab is open."""

    # what this part reads of the lab screen
    lab_id: str
    session: LabSession | None

    if TYPE_CHECKING:
        # what it calls on the other parts of the lab screen
        def write_line(self, line: str) -> None: ...
        def _post_output(self, line: str) -> None: ...
        def reload_progress(self) -> None: ...
        def watch_files(self) -> Worker[None]: ...

    # -- opening -------------------------------------------------------------------------------
    @work(
        thread=True, exclusive=True, exit_on_error=False, group="lab-open", name="opening the lab"
    )
    def open_lab(self) -> None:
        from dockerlab.model.problems import ContentError
        from dockerlab.runner.catalog import applicable_overrides
        from dockerlab.runner.session import LabSession
        from dockerlab.runner.trust import UntrustedContent

        app = self.lab_app
        loaded = app.course.labs.get(self.lab_id) if app.course is not None else None
        if loaded is None:
            self.post_message(LabUnavailable(f"There is no lab '{self.lab_id}' here yet."))
            return
        caps = app.capabilities()
        overrides = applicable_overrides(loaded.path, app.options.overrides)
        if overrides:
            from dockerlab.model.loader import load_lab

            try:
                loaded = load_lab(loaded.path, overrides, caps)
            except ContentError as err:
                self.post_message(LabUnavailable(str(err)))
                return
        session = LabSession(loaded, engine=app.engine, capabilities=caps, progress=app.progress)
        if app.options.challenge:  # dockerlab --challenge: the labs opened start in challenge mode
            from dockerlab.progress.records import Mode, ProgressError

            with contextlib.suppress(ProgressError):  # kept for the lab when the record can be
                session.choose_mode(Mode.CHALLENGE)
        missing = session.missing_requirements()
        problem = None
        live = app.options.check_steps
        if live and not missing and not session.started:
            self.post_message(OutputLine("Setting the lab up …"))
            try:
                outcomes = session.start(on_output=self._post_output)
            except UntrustedContent as exc:
                outcomes = []
                problem = str(exc)
            except Exception as exc:  # noqa: BLE001 - shown to the learner, the lab stays usable
                outcomes = []
                problem = f"Setting the lab up failed: {exc}"
            bad = next((o for o in outcomes if not o.ok), None)
            if bad is not None:
                problem = f"The lab's setup command failed: {bad.command}"
        self.post_message(LabReady(session, missing, problem))

    @on(LabUnavailable)
    def _unavailable(self, message: LabUnavailable) -> None:
        self.query_one(Markdown).update(f"## This lab cannot open\n\n{message.why}")

    @on(LabReady)
    def _ready(self, message: LabReady) -> None:
        self.session = message.session
        lab = message.session.lab
        self.query_one("#lab-title", Static).update(f"Lab: {lab.title}")
        if message.missing:
            lacks = ", ".join(message.missing)
            self.write_line(
                f"! This lab needs what this machine lacks: {lacks} (F9 checks the machine)."
            )
        if message.problem:
            self.write_line(f"! {message.problem}")
        self.write_line(f"Ready. Commands you type below run in {message.session.workspace}")
        self.reload_progress()
        self.watch_files()

    # -- reset -----------------------------------------------------------------------------------
    def action_reset(self) -> None:
        if self.session is None:
            return
        c = self.session.lab.cleanup
        owned = [
            *c.containers,
            *c.services,
            *c.images,
            *c.volumes,
            *c.networks,
            *c.paths,
            *c.host_paths,
            *(f"login {r}" for r in c.logins),
        ]
        detail = (
            (
                "It removes what this lab created — " + ", ".join(owned) + " — and forgets "
                "your progress in it. Nothing else is touched."
            )
            if owned
            else ("It forgets your progress in this lab.")
        )
        self.app.push_screen(
            ConfirmScreen(f"Reset the lab '{self.session.lab.title}'?", detail), self._reset_answer
        )

    def _reset_answer(self, yes: bool | None) -> None:
        if yes:
            self.write_line("Resetting the lab …")
            self.reset_lab()

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="lab-open", name="resetting the lab"
    )
    def reset_lab(self) -> None:
        from dockerlab.runner.trust import UntrustedContent

        session = self.session
        assert session is not None
        try:
            report = session.cleanup()
        except UntrustedContent as exc:
            self.post_message(OutputLine(f"! {exc}"))
            return
        for line in report.removed:
            self.post_message(OutputLine(f"removed {line}"))
        for line in report.errors:
            self.post_message(OutputLine(f"! {line}"))
        if session.progress is not None:
            session.progress.reset(session.lab.id)
        outcomes = session.start(on_output=self._post_output)
        bad = next((o for o in outcomes if not o.ok), None)
        if bad is not None:
            self.post_message(OutputLine(f"! The lab's setup command failed: {bad.command}"))
        self.post_message(LabReset())

    @on(LabReset)
    def _was_reset(self) -> None:
        self.write_line("The lab is as new.")
        self.reload_progress()
