"""Opening a lab for the app (loaded with the learner's overrides, set up) and resetting it (what
it created removed, progress forgotten, set up again). Both are slow: call them from a thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dockerlab.engine.client import Engine
from dockerlab.model.loader import LoadedLab
from dockerlab.runner.catalog import applicable_overrides
from dockerlab.runner.learner import forget_lab
from dockerlab.runner.session import LabSession
from dockerlab.runner.shell import OutputSink
from dockerlab.runner.trust import UntrustedContent

if TYPE_CHECKING:
    from dockerlab.progress.store import ProgressStore


@dataclass(frozen=True)
class OpenedLab:
    """The open lab's session, what the machine lacks for it, and what went wrong setting it up."""

    session: LabSession
    missing: list[str] = field(default_factory=list)
    problem: str | None = None


def open_lab(
    loaded: LoadedLab,
    *,
    engine: Engine,
    capabilities: set[str],
    progress: ProgressStore | None,
    overrides: Mapping[str, str | int],
    set_up: bool,
    on_output: OutputSink,
    challenge: bool = False,
) -> OpenedLab:
    """The session of `loaded` (reloaded with the overrides that apply to it), set up first when
    `set_up` and it was not yet; in challenge mode, kept for the lab, with `challenge` (dockerlab
    --challenge). Raises ContentError when the overrides do not fit the lab."""
    applicable = applicable_overrides(loaded.path, dict(overrides))
    if applicable:
        from dockerlab.model.loader import load_lab

        loaded = load_lab(loaded.path, applicable, capabilities)
    session = LabSession(loaded, engine=engine, capabilities=capabilities, progress=progress)
    if challenge:
        import contextlib

        from dockerlab.runner.learner import Mode, ProgressError

        # the choice is kept for the lab when the record can be written; the session is in
        # challenge mode all the same
        with contextlib.suppress(ProgressError):
            session.choose_mode(Mode.CHALLENGE)
    missing = session.missing_requirements()
    problem = None
    if set_up and not missing and not session.started:
        on_output("Setting the lab up …")
        try:
            outcomes = session.start(on_output=on_output)
        except UntrustedContent as exc:
            outcomes = []
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown to the learner, the lab stays usable
            outcomes = []
            problem = f"Setting the lab up failed: {exc}"
        bad = next((o for o in outcomes if not o.ok), None)
        if bad is not None:
            problem = f"The lab's setup command failed: {bad.command}"
    return OpenedLab(session, missing, problem)


def reset_lab(session: LabSession, on_output: OutputSink) -> bool:
    """Remove what the lab created, forget the learner's progress in it and set it up again,
    each thing done told to `on_output`. False when nothing was done (an untrusted lab)."""
    try:
        report = session.cleanup()
    except UntrustedContent as exc:
        on_output(f"! {exc}")
        return False
    for line in report.removed:
        on_output(f"removed {line}")
    for line in report.errors:
        on_output(f"! {line}")
    if session.progress is not None:
        forget_lab(session.progress, session.lab.id)
    try:
        outcomes = session.start(on_output=on_output)
    except Exception as exc:  # noqa: BLE001 - shown to the learner; the reset itself is done
        on_output(f"! Setting the lab up again failed: {exc}")
        return True
    bad = next((o for o in outcomes if not o.ok), None)
    if bad is not None:
        on_output(f"! The lab's setup command failed: {bad.command}")
    return True
