"""`dockerlab list | show | check | solve | reset | validate`: labs from a plain terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, parse_vars, print_problems
from dockerlab.model.safetext import safe_text

if TYPE_CHECKING:
    from dockerlab.checks.result import Result
    from dockerlab.model.lab import Lab, Step
    from dockerlab.runner.attempt import Attempt
    from dockerlab.runner.rehearsal import LabReport
    from dockerlab.runner.session import LabSession


def _lab_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a lab variable, e.g. --var registry_port=5001",
    )
    p.add_argument("--workspace", type=Path, help="run in this folder instead of the default")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("list", help="labs by section")
    p.set_defaults(handler=cmd_list)

    for name, handler, text in (
        ("show", cmd_show, "print a step's goal and instructions"),
        ("check", cmd_check, "check your work: exit 0 pass, 1 fail, 2 error"),
        ("solve", cmd_solve, "run the reference solution (recorded as assisted)"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("lab")
        p.add_argument("step", nargs="?")
        _lab_args(p)
        p.set_defaults(handler=handler)
        if name == "show":
            _mode_args(p)
        if name == "check":
            p.add_argument(
                "--why",
                action="store_true",
                help="with STEP: the check's full detail and which diagnoses match the output "
                "of what you ran (piped in, or --output FILE)",
            )
            p.add_argument(
                "--output",
                metavar="FILE",
                help="with --why: the output to diagnose, from FILE ('-' for standard input)",
            )

    p = sub.add_parser("reset", help="remove what the lab created and forget its progress")
    p.add_argument("lab")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.add_argument("--keep-progress", action="store_true", help="clean up but keep progress")
    _lab_args(p)
    p.set_defaults(handler=cmd_reset)

    p = sub.add_parser("validate", help="instructor's end-to-end test of labs (fail→solve→pass)")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="lab ids, lab folders or lab.yaml files (default: all)",
    )
    p.add_argument(
        "--near-misses",
        action="store_true",
        help="also try each step's near_misses: mistakes must fail, other ways must pass",
    )
    _lab_args(p)
    p.set_defaults(handler=cmd_validate)


def _mode_args(p: argparse.ArgumentParser) -> None:
    """`show --challenge | --guided`: the learner's mode for the lab, kept from then on."""
    modes = p.add_mutually_exclusive_group()
    modes.add_argument(
        "--challenge",
        dest="mode",
        action="store_const",
        const="challenge",
        help="challenge mode for this lab from now on: steps show their goal and explanations "
        "but no commands (the hints and the solution still have them); checks record it",
    )
    modes.add_argument(
        "--guided",
        dest="mode",
        action="store_const",
        const="guided",
        help="guided mode for this lab from now on: steps show their commands",
    )
    p.add_argument(
        "--hint",
        action="store_true",
        help="the step's next hint (one more each time, as F2 in the app), after those shown",
    )


def open_session(args: argparse.Namespace, *, with_progress: bool = True) -> LabSession | None:
    """The session for args.lab, or None after printing why it cannot be opened."""
    from dockerlab.model.problems import ContentError
    from dockerlab.runner.catalog import resolve
    from dockerlab.runner.session import LabSession

    overrides = parse_vars(args.var)
    if overrides is None:
        return None
    try:
        loaded = resolve(args.lab, overrides)
    except ContentError as err:
        print_problems(err)
        return None
    except KeyError as err:
        print(f"dockerlab: {err.args[0]}", file=sys.stderr)
        return None
    progress = None
    if with_progress:
        from dockerlab.progress import ProgressError
        from dockerlab.progress.store import ProgressStore

        try:
            progress = ProgressStore()
        except ProgressError as exc:
            print(f"dockerlab: your progress record cannot be opened: {exc}", file=sys.stderr)
            return None
    return LabSession(loaded, workspace=args.workspace, progress=progress)


def cmd_list(args: argparse.Namespace) -> int:
    """Labs by section, in the course map's order and under its titles, as the app shows them;
    labs no section lists come last, under the app's heading for them."""
    from dockerlab import paths
    from dockerlab.model.course import UNLISTED_TITLE, load_course
    from dockerlab.model.problems import ContentError
    from dockerlab.runner.catalog import load_catalog

    catalog = load_catalog()
    if not catalog.labs and not catalog.problems:
        from dockerlab.runner.catalog import lab_dirs

        where = ", ".join(str(d) for d in lab_dirs())
        print(f"dockerlab: no labs found (looked in {where})", file=sys.stderr)
        return EXIT_ERROR
    problems = list(catalog.problems)
    sections: list[tuple[str, list[str]]] = []
    try:
        sections = [(s.title, list(s.labs)) for s in load_course(paths.bundled_content()).sections]
    except ContentError as err:
        problems += err.problems
    listed = {lab_id for _, ids in sections for lab_id in ids}
    sections.append((UNLISTED_TITLE, [i for i in catalog.labs if i not in listed]))
    for title, ids in sections:
        labs = [catalog.labs[i].lab for i in ids if i in catalog.labs]
        if not labs:
            continue
        print(safe_text(title))
        for lab in labs:
            print(f"  {lab.id:<20} {safe_text(lab.title)} ({lab.minutes} min)")
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_ERROR if problems else EXIT_PASS


def _print_result(label: str, result: Result) -> None:
    lines = result.lines()
    print(f"{result.status.symbol} {label}: {result.message}")
    for extra in lines[1:]:
        print(f"   {extra}")


def _exit_for(result: Result) -> int:
    return {"pass": EXIT_PASS, "fail": EXIT_FAIL, "error": EXIT_ERROR}[result.status.value]


def _ensure_started(session: LabSession) -> bool:
    if session.started:
        return True
    outcomes = session.start(on_output=print)
    bad = next((o for o in outcomes if not o.ok), None)
    if bad is not None:
        print(f"! setup command failed: {bad.command}\n{bad.output}", file=sys.stderr)
        return False
    return True


def _named_step(lab: Lab, name: str) -> Step | None:
    """The step called `name`, or None after saying which steps there are."""
    from dockerlab.model.problems import did_you_mean

    try:
        return lab.step(name)
    except KeyError:
        hint = did_you_mean(name, [s.id for s in lab.steps])
        extra = f" (did you mean '{hint}'?)" if hint else ""
        steps = ", ".join(s.id for s in lab.steps)
        print(
            f"dockerlab: lab '{lab.id}' has no step '{name}'{extra}; steps: {steps}",
            file=sys.stderr,
        )
        return None


def cmd_show(args: argparse.Namespace) -> int:
    from dockerlab.progress.records import Mode

    session = open_session(args)
    if session is None:
        return EXIT_ERROR
    lab = session.lab
    if args.mode is not None:
        session.choose_mode(Mode(args.mode))
    if args.step and _named_step(lab, args.step) is None:
        return EXIT_ERROR
    step = lab.step(args.step) if args.step else session.current_step()
    if step is None:
        done = f"{lab.title}: every step is done. `dockerlab reset {lab.id}` starts it again."
        print(safe_text(done))
        return EXIT_PASS
    index = lab.steps.index(step) + 1
    print(safe_text(f"{lab.title} — step {index}/{len(lab.steps)}: {step.title}"))
    if step.goal:
        print(safe_text(f"Goal: {step.goal}"))
    if args.hint:
        return _show_hints(session, args, step)
    print(f"(commands run in {session.workspace})\n")
    print(safe_text(session.instructions(step).strip()))
    print(f"\nCheck your work: {_command_for(session, args, 'check', lab.id, step.id)}")
    if session.mode is Mode.CHALLENGE:
        words = {
            "a hint": ("show", "--hint", lab.id, step.id),
            "the solution, run for you": ("solve", lab.id, step.id),
            "the commands shown again": ("show", "--guided", lab.id, step.id),
        }
        print("Challenge mode: work out the commands yourself. Stuck?")
        for what, command in words.items():
            print(f"  {what + ':':<27} {_command_for(session, args, *command)}")
    return EXIT_PASS


def _show_hints(session: LabSession, args: argparse.Namespace, step: Step) -> int:
    """The hints shown before and one more (recorded, as the app's F2 does); the solution
    after the last."""
    lab = session.lab
    solve = _command_for(session, args, "solve", lab.id, step.id)
    if not step.hints:
        print(f"This step has no hints. The solution, run for you: {solve}")
        return EXIT_PASS
    progress = session.progress
    seen = progress.hints_revealed(lab.id, step.id) if progress is not None else 0
    shown = min(seen + 1, len(step.hints))
    if progress is not None and seen < len(step.hints):
        progress.record_hint(lab.id, step.id, shown - 1)
    for number, hint in enumerate(step.hints[:shown], start=1):
        print(safe_text(f"Hint {number} of {len(step.hints)}: {hint}"))
    if shown == len(step.hints):
        print(f"That was the last hint. The solution, run for you: {solve}")
    return EXIT_PASS


def _command_for(session: LabSession, args: argparse.Namespace, *words: str) -> str:
    """A dockerlab command line that reaches this same lab: with the --content folder it came
    from and the --var values given, quoted for the shell."""
    import shlex

    from dockerlab import paths

    argv = ["dockerlab"]
    lab_file = session.loaded.path.resolve()
    for folder in paths.extra_content_dirs():
        if folder.resolve() in lab_file.parents:
            argv += ["--content", str(folder)]
            break
    argv += list(words)
    for item in args.var:
        argv += ["--var", item]
    return shlex.join(argv)


def cmd_check(args: argparse.Namespace) -> int:
    session = open_session(args)
    if session is None:
        return EXIT_ERROR
    lab = session.lab
    if args.step:
        step = _named_step(lab, args.step)
        if step is None:
            return EXIT_ERROR
        # the output to diagnose is read first: a piped command has ended when it is checked
        output = _read_output(args.output) if args.why and step.diagnoses else None
        attempt = session.attempt(step, output=output)
        _print_result(f"{step.id}: {step.title}", attempt.verdict)
        if args.why:
            _print_why(session, attempt)
        return _exit_for(attempt.verdict)
    if not _ensure_started(session):
        return EXIT_ERROR
    print(f"{lab.title}")
    done = session.done_steps()
    last: Result | None = None
    records = session.progress.completed_steps(lab.id) if session.progress else {}
    for step in lab.steps:
        if step.id in done:
            how = "done with the solution run for you" if records[step.id].assisted else "done"
            print(f"✓ {step.id}: {step.title} ({how})")
            continue
        attempt = session.attempt(step)
        _print_result(f"{step.id}: {step.title}", attempt.verdict)
        if not attempt.passed:
            if step.hints and attempt.status.value == "fail":
                print(f"   hint: {step.hints[0]}")
            print(f"   instructions: {_command_for(session, args, 'show', lab.id, step.id)}")
            return _exit_for(attempt.verdict)
        last = attempt.verdict
    if last is None:
        final = lab.steps[-1]
        last = session.attempt(final, completes=False).verdict  # done already: counted only
        _print_result(f"final state ({final.id})", last)
        if not last.passed:
            return _exit_for(last)
    print(f"All {len(lab.steps)} steps of '{lab.id}' are done.")
    return EXIT_PASS


def _read_output(source: str | None) -> str | None:
    """The output to diagnose: a file, '-' or a pipe for standard input; None when there is none."""
    if source and source != "-":
        try:
            return Path(source).read_text(encoding="utf-8", errors="replace")[-1_000_000:]
        except OSError as exc:
            print(f"dockerlab: cannot read {source}: {exc.strerror}", file=sys.stderr)
            return None
    if source == "-" or not sys.stdin.isatty():
        text = sys.stdin.read(1_000_000)
        return text if text.strip() else None  # nothing piped in: say how to give it
    return None


def _print_why(session: LabSession, attempt: Attempt) -> None:
    """What an author (or a curious learner) needs to see: the raw check detail and which of
    the step's diagnoses the output of the last command matches."""
    lab, step, result = session.lab, attempt.step, attempt.verdict
    if result.detail:
        print(f"   observed: {result.detail}")
    for line in result.lines()[1:]:
        print(f"   detail: {line}")
    if not step.diagnoses:
        print(f"Step '{step.id}' has no diagnoses.")
        return
    if attempt.diagnoses is None:
        print(
            f"Step '{step.id}' has {len(step.diagnoses)} diagnoses; to see which matches, give "
            f"the output of what you ran: COMMAND 2>&1 | dockerlab check {lab.id} {step.id} --why"
        )
        return
    found = attempt.diagnoses
    if not found:
        print(f"No diagnosis of step '{step.id}' matches this output. Patterns tried:")
        for d in step.diagnoses:
            print(f"   {d.pattern}")
        return
    for d in found:
        print(f"Diagnosis (pattern {d.pattern!r}):")
        print("   " + d.explanation.strip().replace("\n", "\n   "))


def cmd_solve(args: argparse.Namespace) -> int:
    from dockerlab.runner.attempt import Counting

    session = open_session(args)
    if session is None:
        return EXIT_ERROR
    lab = session.lab
    named = _named_step(lab, args.step) if args.step else None
    if args.step and named is None:
        return EXIT_ERROR
    if not _ensure_started(session):
        return EXIT_ERROR
    if named is not None:
        steps = [named]
    else:
        done = session.done_steps()
        steps = [s for s in lab.steps if s.id not in done]
    for step in steps:
        print(f"— {step.id}: {step.title}")
        outcomes = session.solve(step, on_output=lambda line: print(f"  {line}"))
        bad = next((o for o in outcomes if not o.ok), None)
        if bad is not None:
            print(f"✗ the solution command failed: {bad.command}", file=sys.stderr)
            return EXIT_FAIL
        # the state the solution made, waited for; done with help (this session solved it)
        attempt = session.attempt(step, wait=True, counting=Counting.NEVER)
        _print_result(f"{step.id}", attempt.verdict)
        if not attempt.passed:
            return _exit_for(attempt.verdict)
    return EXIT_PASS


def cmd_reset(args: argparse.Namespace) -> int:
    session = open_session(args)
    if session is None:
        return EXIT_ERROR
    lab = session.lab
    owned = lab.cleanup.described()
    if not args.yes and sys.stdin.isatty():
        what = ", ".join(owned) or "nothing"
        extra = "" if args.keep_progress else " and forget your progress in it"
        answer = input(f"Reset '{lab.id}': remove {what}{extra}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return EXIT_PASS
    report = session.cleanup()
    for item in report.removed:
        print(f"removed {item}")
    for err in report.errors:
        print(f"! {err}", file=sys.stderr)
    if not args.keep_progress and session.progress is not None:
        session.progress.reset(lab.id)
        print(f"forgot progress in '{lab.id}'")
    return EXIT_ERROR if report.errors else EXIT_PASS


def _lab_folder(path: Path, lab_dirs: list[Path]) -> Path:
    """A path as given, or, when it is no file and names a lab folder of the course, that."""
    if path.exists() or len(path.parts) != 1:
        return path
    return next((d / path for d in lab_dirs if (d / path).is_dir()), path)


def cmd_validate(args: argparse.Namespace) -> int:
    from dockerlab.model.loader import find_lab_files, load_lab
    from dockerlab.model.problems import ContentError
    from dockerlab.runner.catalog import lab_dirs
    from dockerlab.runner.rehearsal import rehearse
    from dockerlab.runner.session import LabSession
    from dockerlab.runner.trust import check_trusted

    # no paths: the bundled course plus every --content pack; a lab id names its folder there
    files = find_lab_files([_lab_folder(p, lab_dirs()) for p in args.paths] or lab_dirs())
    if not files:
        print("dockerlab: no lab.yaml found in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return EXIT_ERROR
    from dockerlab.runner.catalog import applicable_overrides, machine_capabilities

    overrides = parse_vars(args.var)
    if overrides is None:
        return EXIT_ERROR
    from dockerlab.runner.catalog import undeclared_overrides

    unknown = undeclared_overrides(overrides, files)
    if unknown:
        print_problems(ContentError(unknown))
        return EXIT_ERROR
    caps = machine_capabilities()
    reports: list[LabReport] = []
    failed = False
    for file in files:
        try:
            loaded = load_lab(file, applicable_overrides(file, overrides), caps)
        except ContentError as err:
            print_problems(err)
            failed = True
            continue
        print(f"Validating {loaded.lab.id} ({file})")
        check_trusted(file, "validate runs the lab's setup, every solution and its cleanup")
        workspace = args.workspace / loaded.lab.id if args.workspace else None
        session = LabSession(loaded, workspace=workspace)
        report = rehearse(session, say=print, near_misses=args.near_misses)
        reports.append(report)
        print_report(report)
        failed = failed or not report.ok
    if len(reports) > 1:
        passed = sum(r.ok for r in reports)
        print(f"\n{passed}/{len(reports)} labs passed validation")
    return EXIT_FAIL if failed else EXIT_PASS


def print_report(report: LabReport) -> None:
    print(f"\n  {'step':<22} {'before':<8} {'solution':<9} {'after':<7} {'time':>6}")
    for s in report.steps:
        before = (
            "waived" if s.before_waived else (s.before.status.value.upper() if s.before else "-")
        )
        sol = "-" if not s.solution else ("ok" if all(o.ok for o in s.solution) else "FAILED")
        after = s.after.status.value.upper() if s.after else "-"
        print(f"  {s.step_id:<22} {before:<8} {sol:<9} {after:<7} {s.seconds:>5.1f}s")
        if s.problem:
            print("    ✗ " + s.problem.replace("\n", "\n      "))
        for n in s.near_misses:
            mark = "✓" if n.ok else "✗"
            print(f"    {mark} near miss '{n.name}' must {n.expect}: {n.problem or 'it does'}")
    if report.problem:
        print(f"  ✗ {report.problem}")
    if report.cleanup:
        for err in report.cleanup.errors:
            print(f"  ✗ cleanup: {err}")
    if report.leftovers:
        print(f"  ✗ left behind after cleanup: {', '.join(report.leftovers)}")
    else:
        print("  cleanup: nothing the lab declared remains")
    verdict = "PASSED" if report.ok else "FAILED"
    print(f"  {report.lab_id}: {verdict} in {report.seconds:.1f}s")
