"""What every screen shares: the engine status line and one place that shows worker failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from dockerlab.tui.host import AppHost


class BaseScreen(Screen[Any]):
    """Workers here run with exit_on_error=False; their errors end up in one notification."""

    @property
    def lab_app(self) -> AppHost:
        """The app, as screens see it (tui/host.py): screens never import the app."""
        return cast("AppHost", self.app)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{event.worker.name or 'a background task'} failed: {error}",
                title="Something went wrong",
                severity="error",
                timeout=10,
                markup=False,  # the error's own text, brackets and all
            )
