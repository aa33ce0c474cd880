"""Messages workers post to the app and its screens (attributes down, messages up).

Workers run in threads and never touch widgets: they post one of these, and a handler on the
UI thread updates what is shown. The engine messages do not bubble: the app hands a copy to each
screen that follows the engine, and a copy bubbling back up to the app would go round forever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from dockerlab.runner.machine import EngineEvent, EngineState
    from dockerlab.tui.course_map import CourseData


class EngineStateChanged(Message, bubble=False):
    """The engine came up, went away, or what the status line shows of it changed."""

    def __init__(self, state: EngineState) -> None:
        super().__init__()
        self.state = state


class EngineActivity(Message, bubble=False):
    """One engine event (a container started, an image was pushed ...)."""

    def __init__(self, event: EngineEvent) -> None:
        super().__init__()
        self.event = event


class CourseLoaded(Message):
    """The course map, labs, quizzes and pages are loaded (after the first frame)."""

    def __init__(self, data: CourseData) -> None:
        super().__init__()
        self.data = data
