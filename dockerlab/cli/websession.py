"""One browser session of `dockerlab serve`: the app, with learner data of its own.

textual-serve runs this once per browser session. The session's data (progress, workspaces)
goes to a new folder, $DOCKERLAB_HOME/sessions/<time>-<id>, so learners sharing a server do not
share a record; `dockerlab progress export` inside the app saves it for the gradebook (commands
the learner runs get the session's folder as $DOCKERLAB_HOME: `Settings.environ`).
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from dockerlab import settings
    from dockerlab.paths import data_dir

    parser = argparse.ArgumentParser(prog="dockerlab-websession")
    parser.add_argument("--content", action="append", default=[], metavar="DIR")
    parser.add_argument("--var", action="append", default=[], dest="app_vars", metavar="NAME=VALUE")
    parser.add_argument("--challenge", action="store_true", dest="app_challenge")
    args = parser.parse_args(argv)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    session = data_dir() / "sessions" / name
    session.mkdir(parents=True)
    # the run's settings, as `dockerlab` chooses them; learner data and workspaces of its own
    chosen = settings.Settings.from_env().with_content(args.content).with_home(session)
    with settings.use(chosen):
        # no TTY here (textual-serve's web driver draws the app), so the app is opened directly
        from dockerlab.engine.client import Engine
        from dockerlab.tui.app import run_app

        return run_app(args, engine=Engine(timeout=10))


if __name__ == "__main__":
    sys.exit(main())
