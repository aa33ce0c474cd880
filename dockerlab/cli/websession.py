"""One browser session of `dockerlab serve`: the app, with learner data of its own.

textual-serve runs this once per browser session. The session's data (progress, workspaces)
goes to a new folder, $DOCKERLAB_HOME/sessions/<time>-<id>, so learners sharing a server do not
share a record; `dockerlab progress export` inside the app saves it for the gradebook (commands
the learner runs get the session's folder as $DOCKERLAB_HOME: `Settings.environ`).
"""

from __future__ import annotations

import sys
import time
import uuid


def main() -> int:
    from dockerlab import settings
    from dockerlab.paths import data_dir

    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    session = data_dir() / "sessions" / name
    session.mkdir(parents=True)
    # workspaces belong to the session too
    with settings.use(settings.current().with_home(session)):
        # no TTY here (textual-serve's web driver draws the app), so the app is opened directly
        from dockerlab.engine.client import Engine
        from dockerlab.tui.app import run_app

        return run_app(engine=Engine(timeout=10))


if __name__ == "__main__":
    sys.exit(main())
