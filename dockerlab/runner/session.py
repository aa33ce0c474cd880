"""A lab session: the workspace, setup, checking a step, running its solution, cleaning up."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from dockerlab import paths
from dockerlab.checks import CheckContext, Result, evaluate
from dockerlab.engine.client import Engine, EngineError, EngineUnavailable
from dockerlab.engine.ownership import (
    CleanupReport,
    Owned,
    cleanup,
    leftovers,
    remove_as_engine,
    swarm_active,
)
from dockerlab.model.lab import Command, Diagnosis, Lab, Step
from dockerlab.model.loader import LoadedLab
from dockerlab.model.patterns import matches
from dockerlab.progress.records import Mode, ProgressError
from dockerlab.runner import processes
from dockerlab.runner.attempt import Attempt, Counting, OnVerdict
from dockerlab.runner.capture import CaptureMissing, fill, record, waiting_for
from dockerlab.runner.shell import CommandOutcome, OutputSink, run_shell
from dockerlab.runner.state import LabState
from dockerlab.runner.trust import check_trusted, refused_check

if TYPE_CHECKING:
    from dockerlab.progress.store import ProgressStore


class LabSession:
    """One learner (or `validate`) working through one lab against one engine."""

    def __init__(
        self,
        loaded: LoadedLab,
        engine: Engine | None = None,
        *,
        workspace: Path | None = None,
        capabilities: set[str] | None = None,
        progress: ProgressStore | None = None,
    ) -> None:
        self.loaded = loaded
        self.lab: Lab = loaded.lab
        self.engine = engine or Engine()
        self.workspace = workspace or paths.workspace_for(self.lab.id)
        self._capabilities = capabilities
        self.progress = progress
        self._solved: set[str] = set()  # steps whose solution this session ran (until cleanup)
        # steps whose commands the learner was shown (guided instructions, the solution): done
        # after that, a step is recorded as guided whatever the mode is by then
        self._commands_shown: set[str] = set()
        # guided or challenge: how steps are shown, and recorded when done (the learner's
        # choice for this lab, kept in the progress record)
        self.mode = Mode.GUIDED
        if progress is not None:
            # a record that cannot be read now must not keep the lab shut: guided, then
            with contextlib.suppress(ProgressError):
                self.mode = progress.lab_mode(self.lab.id)

    # -- capabilities ---------------------------------------------------------------------
    @property
    def capabilities(self) -> set[str]:
        if self._capabilities is None:
            from dockerlab.engine.doctor import capabilities

            self._capabilities = capabilities(self.engine)
        return self._capabilities

    def missing_requirements(self) -> list[str]:
        """The capabilities this lab requires that the machine lacks."""
        return [str(c) for c in self.lab.requires if str(c) not in self.capabilities]

    # -- workspace and setup ----------------------------------------------------------------
    def context(self) -> CheckContext:
        self.workspace.mkdir(parents=True, exist_ok=True)
        return CheckContext(engine=self.engine, workspace=self.workspace)

    def env(self) -> dict[str, str]:
        """Extra environment for every command: where the workspace and the lab's files are."""
        return {
            "DOCKERLAB_WORKSPACE": str(self.workspace),
            "DOCKERLAB_LAB": self.lab.id,
            "DOCKERLAB_LAB_DIR": str(self.loaded.folder.resolve()),
        }

    @property
    def started(self) -> bool:
        """Whether setup has run to the end in this workspace (since the last cleanup)."""
        return LabState.load(self.workspace).setup_done

    def start(self, on_output: OutputSink | None = None) -> list[CommandOutcome]:
        """Create the workspace, remember the swarm state the lab found, run the setup commands."""
        self.workspace.mkdir(parents=True, exist_ok=True)
        state = LabState.load(self.workspace)
        if state.swarm_was_active is None:
            try:
                state.swarm_was_active = swarm_active(self.engine)
            except EngineUnavailable:
                state.swarm_was_active = None
            state.save(self.workspace)
        # before pulling or building anything for it
        check_trusted(self.loaded.path, self._setup_needs())
        self.ensure_images(on_output)
        outcomes = self.run_all(self.lab.setup, on_output)
        if all(o.ok for o in outcomes):
            state = LabState.load(self.workspace)
            state.setup_done = True
            state.save(self.workspace)
        return outcomes

    def _setup_needs(self) -> str:
        count = len(self.lab.setup)
        if count:
            plural = "s" if count != 1 else ""
            return f"setting the lab up runs its {count} `setup:` command{plural}"
        return "setting the lab up may pull or build the images it declares"

    def ensure_images(self, on_output: OutputSink | None = None) -> None:
        """Make the lab's declared images available (pulled, or rebuilt offline stand-ins).

        A lab may have the learner remove an image (registry-basics removes hello-world); the
        next lab that needs it gets it back here.
        """
        from dockerlab.engine.images import prepare

        def report(line: str) -> None:
            if on_output and "already here" not in line:
                on_output(line)

        prepare(
            self.engine, self.lab.images, progress=report, hub="docker-hub" in self.capabilities
        )

    # -- commands ---------------------------------------------------------------------------
    def run(self, command: Command | str, on_output: OutputSink | None = None) -> CommandOutcome:
        """Run one command in the workspace (skipped, with its note, if a capability is missing).

        Raises UntrustedContent for a lab from a folder the learner has not trusted."""
        cmd = Command(run=command) if isinstance(command, str) else command
        check_trusted(self.loaded.path, f"`{_first_line(cmd.run)}` is a shell command")
        missing = [str(c) for c in cmd.requires if str(c) not in self.capabilities]
        present = [str(c) for c in cmd.unless if str(c) in self.capabilities]
        if missing or present:
            why = f"lacks {', '.join(missing)}" if missing else f"has {', '.join(present)}"
            note = cmd.note or f"skipped: this machine {why}"
            if on_output:
                on_output(f"$ {cmd.run}\n  ({note})")
            return CommandOutcome(cmd.run, None, "", 0.0, skipped=note)
        self.workspace.mkdir(parents=True, exist_ok=True)
        if on_output:
            on_output(f"$ {cmd.run}")
        return run_shell(
            cmd.run, self.workspace, timeout=cmd.timeout, env=self.env(), on_output=on_output
        )

    def run_all(
        self, commands: Iterable[Command], on_output: OutputSink | None = None
    ) -> list[CommandOutcome]:
        """Run commands in order, stopping after the first that fails."""
        outcomes: list[CommandOutcome] = []
        for cmd in commands:
            outcome = self.run(cmd, on_output)
            outcomes.append(outcome)
            if not outcome.ok:
                break
        return outcomes

    def solve(self, step: Step, on_output: OutputSink | None = None) -> list[CommandOutcome]:
        """Run a step's reference solution (the learner asked: the step, once it passes, is
        recorded as done with help, and as guided: its commands were shown)."""
        self._solved.add(step.id)
        self._commands_shown.add(step.id)
        return self.run_all(self.filled(step).solution, on_output)

    # -- captured values ----------------------------------------------------------------------
    def captures(self) -> dict[str, str]:
        """Each name a step captures -> the id of that step."""
        return {name: s.id for s in self.lab.steps for name in s.capture}

    def filled(self, step: Step) -> Step:
        """`step` with the values earlier steps captured filled in (instructions, solution,
        check); a value not captured yet stays `{{ name }}`."""
        if not self.captures():
            return step
        return fill(step, LabState.load(self.workspace).captured)

    def instructions(self, step: Step) -> str:
        """The step's instructions as the learner reads them: with captured values filled in,
        and in challenge mode without their command blocks."""
        text = self.filled(step).instructions
        if self.mode is Mode.CHALLENGE:
            from dockerlab.model.challenge import without_commands

            return without_commands(text)
        self._commands_shown.add(step.id)
        return text

    def commands_shown(self, step: Step) -> None:
        """The learner was shown `step`'s commands (its solution): done after that, the step
        counts as guided, not as a challenge met."""
        self._commands_shown.add(step.id)

    def mode_of(self, step: Step) -> Mode:
        """The mode `step` is being done in: challenge only if its commands were never shown."""
        return Mode.GUIDED if step.id in self._commands_shown else self.mode

    def choose_mode(self, mode: Mode) -> None:
        """Work in `mode` from now on, and keep it as the learner's choice for this lab.
        Raises ProgressError when the choice cannot be kept (the session is in `mode` all the
        same)."""
        self.mode = mode
        if self.progress is not None:
            self.progress.set_lab_mode(self.lab.id, mode)

    # -- checking ---------------------------------------------------------------------------
    def attempt(
        self,
        step: Step,
        *,
        counting: Counting = Counting.ALWAYS,
        completes: bool = True,
        output: str | None = None,
        wait: bool = False,
        on_verdict: OnVerdict | None = None,
    ) -> Attempt:
        """Check `step` now (with `wait`: until it passes or the step's timeout), count the
        attempt as `counting` says, record the step done when it passed (`completes`; done with
        help when this session ran its solution; in the session's `mode`), and diagnose `output`
        (the learner's last command's) when given. `on_verdict` hears the attempt before
        anything is written."""
        result = self.wait_for(step) if wait else self._evaluate(step)
        completed = result.passed and completes
        diagnoses = None if output is None else tuple(self.diagnose(step, output) if output else ())
        done = Attempt(
            step=step,
            verdict=result,
            completed=completed,
            assisted=completed and step.id in self._solved,
            counted=counting is Counting.ALWAYS or (counting is Counting.PASS and result.passed),
            diagnoses=diagnoses,
        )
        if on_verdict is not None:
            on_verdict(done)
        if self.progress is not None:
            if done.counted:
                self.progress.record_attempt(self.lab.id, step.id, result.status.value)
            if done.completed:
                from dockerlab.progress.hashing import content_hash

                self.progress.record_step(
                    self.lab.id,
                    step.id,
                    content_hash=content_hash(step),
                    assisted=done.assisted,
                    mode=self.mode_of(step),
                )
        return done

    def peek(self, step: Step) -> Result:
        """The step's check now, nothing counted or recorded (the rehearsal's near misses, a
        benchmark); a learner's check is an `attempt`."""
        return self._evaluate(step)

    def wait_for(self, step: Step, timeout: float | None = None, interval: float = 0.25) -> Result:
        """Re-check until PASS or the step's timeout (state such as service convergence lags)."""
        deadline = time.monotonic() + (step.timeout if timeout is None else timeout)
        while True:
            result = self._evaluate(step)
            if result.passed or time.monotonic() >= deadline:
                return result
            time.sleep(interval)

    def _evaluate(self, step: Step) -> Result:
        """The check's result; a `command` check of an untrusted lab is refused (ERROR). A step
        that uses a value not captured yet FAILs, naming the step that captures it; a step
        that captures records its values when it passes."""
        step = self.filled(step)
        captures = self.captures()
        waiting = waiting_for(step, captures)
        if waiting:
            name = waiting[0]
            return Result.fail(
                f"this step uses {{{{ {name} }}}}, which step '{captures[name]}' records when its "
                "check passes: do that step first"
            )
        refused = refused_check(self.loaded.path, step.check, step.id)
        if refused:
            return Result.error(refused)
        ctx = self.context()
        result = evaluate(step.check, ctx)
        if result.passed and step.capture:
            try:
                values = record(step, ctx)
            except CaptureMissing as exc:
                return Result.fail(f"{result.message}, but the value to record is missing: {exc}")
            state = LabState.load(self.workspace)
            if any(state.captured.get(k) != v for k, v in values.items()):
                state.captured.update(values)
                state.save(self.workspace)
        return result

    def diagnose(self, step: Step, output: str) -> list[Diagnosis]:
        """The step's known mistakes whose pattern matches the learner's last output."""
        return [d for d in step.diagnoses if matches(d.pattern, output, multiline=True)]

    # -- progress ---------------------------------------------------------------------------
    def done_steps(self) -> set[str]:
        if self.progress is None:
            return set()
        return set(self.progress.completed_steps(self.lab.id))

    def current_step(self) -> Step | None:
        """The first step not done yet (None when the lab is complete)."""
        done = self.done_steps()
        return next((s for s in self.lab.steps if s.id not in done), None)

    # -- cleanup ----------------------------------------------------------------------------
    def owned(self) -> Owned:
        c = self.lab.cleanup
        return Owned(
            containers=tuple(c.containers),
            services=tuple(c.services),
            images=tuple(c.images),
            image_labels=tuple(c.image_labels),
            volumes=tuple(c.volumes),
            networks=tuple(c.networks),
            leave_swarm=c.swarm == "leave-if-created",
        )

    def _swarm_created(self) -> bool:
        return LabState.load(self.workspace).swarm_was_active is False

    def cleanup(self) -> CleanupReport:
        """Remove exactly what the lab declared: its helper processes first (a receiver could
        react to the removals), then engine resources, logins, paths.

        Raises UntrustedContent for an untrusted lab: its `cleanup:` names what gets removed."""
        check_trusted(self.loaded.path, "reset removes what the lab's `cleanup:` names")
        report = CleanupReport()
        for process in self.lab.cleanup.processes:
            try:
                pid = processes.stop(self.workspace / process.pidfile, process.command)
            except OSError as exc:
                report.errors.append(f"process {process.command}: {exc.strerror or exc}")
                continue
            if pid is not None:
                report.removed.append(f"process {process.command} (pid {pid})")
        owned = self.owned()
        if owned.leave_swarm and not self._swarm_created():
            owned = Owned(**{**owned.__dict__, "leave_swarm": False})
        engine_report = cleanup(self.engine, owned)
        report.removed += engine_report.removed
        report.errors += engine_report.errors
        for registry in self.lab.cleanup.logins:
            done = subprocess.run(
                ["docker", "logout", registry], capture_output=True, text=True, check=False
            )
            if done.returncode == 0:
                report.removed.append(f"login {registry}")
        for rel in self.lab.cleanup.paths:
            _remove(self.workspace / rel, report, f"workspace {rel}", self.engine)
        for host_path in self.lab.cleanup.host_paths:
            _remove(Path(host_path).expanduser(), report, host_path, self.engine)
        LabState.clear(self.workspace)
        self._solved.clear()
        self._commands_shown.clear()
        return report

    def leftovers(self) -> list[str]:
        """Declared resources that still exist."""
        out = leftovers(self.engine, self.owned(), self._swarm_created())
        for process in self.lab.cleanup.processes:
            pid = processes.owned_pid(self.workspace / process.pidfile, process.command)
            if pid is not None:
                out.append(f"process {process.command} (pid {pid})")
        out += [f"workspace {p}" for p in self.lab.cleanup.paths if (self.workspace / p).exists()]
        out += [p for p in self.lab.cleanup.host_paths if Path(p).expanduser().exists()]
        return out


def _remove(path: Path, report: CleanupReport, label: str, engine: Engine) -> None:
    """Remove a declared path. What the learner may not delete (a non-root learner: files a
    container wrote as root, /etc/docker/certs.d) the engine deletes, as it wrote them."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        else:
            return
        report.removed.append(label)
    except PermissionError as exc:
        try:
            remove_as_engine(engine, path)
        except (EngineError, EngineUnavailable) as why:
            report.errors.append(
                f"{label}: {exc.strerror or exc} ({why}); remove it with: sudo rm -rf {path}"
            )
        else:
            report.removed.append(label)
    except OSError as exc:
        report.errors.append(f"{label}: {exc.strerror or exc}")


def _first_line(text: str, limit: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
