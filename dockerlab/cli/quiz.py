"""`dockerlab quiz`: take a section quiz in the terminal, review it, move it to and from an LMS.

    dockerlab quiz list
    dockerlab quiz ID [--plain] [--seed N]
    dockerlab quiz ID --review [--seed N | --file-order]
    dockerlab quiz export ID [--format gift|moodle-xml]
    dockerlab quiz import FILE.gift [-o OUT]

Every attempt shows the options in an order of its own (a fresh seed, kept with the attempt);
`--seed N` fixes the order. `--review` shows the options in the order of the learner's latest
attempt, with the answers given marked, or in file order when there is none (or `--file-order`).

One subparser with two positionals rather than nested subcommands: argparse cannot fall back
from `list|export|import` to "anything else is a quiz id", so the handler dispatches on the
first word, and quiz ids may not be `list`, `export` or `import` (the model refuses them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, print_problems
from dockerlab.model.safetext import safe_stdout, safe_text

if TYPE_CHECKING:
    from dockerlab.model.quiz import LoadedQuiz
    from dockerlab.progress import QuizAttempt

USAGE = """\
dockerlab quiz list
       dockerlab quiz ID [--plain] [--seed N]
       dockerlab quiz ID --review [--seed N | --file-order]
       dockerlab quiz export ID [--format gift|moodle-xml]
       dockerlab quiz import FILE.gift [-o OUT]"""

FORMATS = ("gift", "moodle-xml")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Declare `dockerlab quiz` and its forms on the main parser."""
    p = sub.add_parser(
        "quiz",
        usage=USAGE,
        help="take a section quiz in the terminal, review it, export or import it",
        description="Take a section quiz: one question at a time at a terminal; with --plain, "
        "or when stdin is not a terminal, one answer per line from stdin (a letter like b, "
        "letters like a,c, true or false, or the words). Prints feedback after each answer and "
        "ends with 'Score: X/Y'; exits 0 when the pass mark is reached, 1 otherwise.",
    )
    p.add_argument(
        "target", nargs="?", metavar="ID|list|export|import", help="a quiz id, or an action"
    )
    p.add_argument(
        "argument", nargs="?", metavar="ID|FILE", help="the quiz to export, the file to import"
    )
    p.add_argument(
        "--plain",
        dest="quiz_plain",
        action="store_true",
        help="read one answer per line from stdin (the default when stdin is not a terminal)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        metavar="N",
        help="show the options in the fixed order N gives (default: a new order each attempt)",
    )
    p.add_argument(
        "--review",
        action="store_true",
        help="print every question with its answers, in the order of your latest attempt",
    )
    p.add_argument(
        "--file-order", action="store_true", help="review: the options in the quiz file's order"
    )
    p.add_argument("--format", choices=FORMATS, help="export format (default: gift)")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="import: the quiz YAML to write ('-': stdout)"
    )
    p.add_argument("--force", action="store_true", help="import: overwrite OUT if it exists")
    p.set_defaults(handler=lambda args: dispatch(p, args))


def _seed(text: str) -> int:
    from dockerlab.quiz.shuffle import SEED_LIMIT

    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < SEED_LIMIT:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to {SEED_LIMIT - 1}")
    return value


def dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Pick the form from the first word; wrong combinations stop with a usage error (exit 2)."""
    target, argument = args.target, args.argument
    taking = ("quiz_plain", "seed", "review", "file_order")
    if target in (None, "list"):
        _only(parser, args, allowed=(), what="quiz list", extra=argument)
        return cmd_list()
    if target == "export":
        if argument is None:
            parser.error("quiz export needs a quiz id: dockerlab quiz export ID --format gift")
        _only(parser, args, allowed=("format",), what="quiz export")
        return cmd_export(argument, args.format or "gift")
    if target == "import":
        if argument is None:
            parser.error("quiz import needs a file: dockerlab quiz import FILE.gift [-o OUT]")
        _only(parser, args, allowed=("output", "force"), what="quiz import")
        return cmd_import(Path(argument), args.output, force=args.force)
    _only(parser, args, allowed=taking, what="quiz ID", extra=argument)
    if args.review:
        if args.quiz_plain:
            parser.error("--review prints the whole quiz; it takes no --plain")
        if args.file_order and args.seed is not None:
            parser.error("--file-order and --seed each choose an order; give one of them")
        return cmd_review(target, seed=args.seed, file_order=args.file_order)
    if args.file_order:
        parser.error("--file-order goes with --review; a quiz is taken in a shuffled order")
    plain = bool(args.quiz_plain or getattr(args, "plain", False))
    return cmd_take(target, plain=plain, seed=args.seed)


def _only(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    allowed: tuple[str, ...],
    what: str,
    extra: str | None = None,
) -> None:
    if extra is not None:
        parser.error(f"{what} takes no further argument ('{extra}')")
    flags = {
        "quiz_plain": ("--plain", "quiz ID"),
        "seed": ("--seed", "quiz ID"),
        "review": ("--review", "quiz ID"),
        "file_order": ("--file-order", "quiz ID --review"),
        "format": ("--format", "quiz export ID"),
        "output": ("--output", "quiz import FILE"),
        "force": ("--force", "quiz import FILE"),
    }
    for dest, (flag, home) in flags.items():
        value = getattr(args, dest)
        if dest not in allowed and value not in (None, False):
            parser.error(f"{flag} does not go with {what}; it belongs to `dockerlab {home}`")


def _load(quiz_id: str) -> LoadedQuiz | None:
    """The quiz, or None after printing why it cannot be loaded."""
    from dockerlab.model.problems import ContentError
    from dockerlab.model.quiz import QuizNotFound, find_quiz

    try:
        return find_quiz(quiz_id)
    except QuizNotFound as exc:
        print(f"dockerlab: {exc}", file=sys.stderr)
    except ContentError as err:
        print_problems(err)
    return None


def cmd_list() -> int:
    """Every quiz found, with its section and size; broken files are listed as problems."""
    from dockerlab.model.problems import ContentError
    from dockerlab.model.quiz import find_quizzes

    catalog = find_quizzes()
    if not catalog.quizzes:
        print("no quizzes found")
    width = max((len(i) for i in catalog.quizzes), default=0)
    for quiz_id, loaded in catalog.quizzes.items():
        quiz = loaded.quiz
        count = len(quiz.questions)
        print(f"{quiz_id:<{width}}  {quiz.title} ({quiz.section}, {count} questions)")
    if catalog.problems:
        print_problems(ContentError(catalog.problems))
        return EXIT_ERROR
    return EXIT_PASS


def cmd_review(quiz_id: str, *, seed: int | None, file_order: bool) -> int:
    """The whole quiz with its answers: in a given order, the file's, or the latest attempt's."""
    from dockerlab.quiz.review import render_review

    loaded = _load(quiz_id)
    if loaded is None:
        return EXIT_ERROR
    given: dict[str, str] | None = None
    if file_order:
        order = "Options in the quiz file's order."
    elif seed is not None:
        order = f"Options in the order of --seed {seed}."
    else:
        latest = _latest_attempt(quiz_id)
        if latest is None:
            order = "Options in the quiz file's order (you have not taken this quiz yet)."
        else:
            seed = latest.seed
            given = {qid: text for qid, text, _ok in latest.answers}
            when = latest.at.strftime("%Y-%m-%d %H:%M UTC")
            shown = "file order" if seed is None else f"the order it showed (--seed {seed})"
            order = f"Your attempt of {when}, options in {shown}, your answers marked."
    print(order)
    print(safe_text(render_review(loaded.quiz, str(loaded.path), seed, given)), end="")
    return EXIT_PASS


def _latest_attempt(quiz_id: str) -> QuizAttempt | None:
    """The learner's latest attempt at the quiz, or None (also when progress cannot be read)."""
    from dockerlab.progress import ProgressError, ProgressStore

    try:
        with ProgressStore() as store:
            attempts = store.quiz_attempts(quiz_id)
    except ProgressError as exc:
        print(f"dockerlab: your quiz attempts could not be read: {exc}", file=sys.stderr)
        return None
    return attempts[-1] if attempts else None


def cmd_take(quiz_id: str, *, plain: bool, seed: int | None) -> int:
    """Run the quiz: line mode when asked or when stdin is not a terminal, else interactive.
    The options come in the order `seed` gives; None picks a new seed for this attempt."""
    from dockerlab.quiz.plain import run_interactive, run_lines
    from dockerlab.quiz.shuffle import new_seed

    loaded = _load(quiz_id)
    if loaded is None:
        return EXIT_ERROR
    if seed is None:
        seed = new_seed()
    quiz = loaded.quiz
    if plain or not sys.stdin.isatty():
        attempt = run_lines(quiz, sys.stdin, safe_stdout(), seed)
    else:
        attempt = run_interactive(quiz, input, safe_stdout(), seed)
        attempt = _offer_retry(loaded, attempt, seed)
    _record(attempt, seed)
    return EXIT_PASS if attempt.passed else EXIT_FAIL


def _offer_retry(loaded: LoadedQuiz, attempt: QuizAttempt, seed: int | None) -> QuizAttempt:
    """At a terminal, offer to ask the missed questions again until all are right or declined."""
    from dockerlab.quiz.plain import run_interactive

    while attempt.missed:
        count = len(attempt.missed)
        try:
            again = input(
                f"\nTry the {count} missed question{'s' if count != 1 else ''} again? [y/N] "
            )
        except EOFError:
            break
        if again.strip().lower() not in ("y", "yes"):
            break
        attempt = run_interactive(loaded.quiz, input, safe_stdout(), seed, previous=attempt)
    return attempt


def _record(attempt: QuizAttempt, seed: int) -> None:
    """Keep the attempt in the learner's progress; a failure is reported, never fatal."""
    from dockerlab.runner.learner import ProgressError, open_record, save_quiz_attempt

    try:
        with open_record() as store:
            save_quiz_attempt(store, attempt, seed)
    except ProgressError as exc:
        print(f"dockerlab: your quiz result was not saved: {exc}", file=sys.stderr)


def cmd_export(quiz_id: str, fmt: str) -> int:
    from dockerlab.quiz.export import export_quiz

    loaded = _load(quiz_id)
    if loaded is None:
        return EXIT_ERROR
    text, warnings = export_quiz(loaded.quiz, fmt)
    sys.stdout.write(text)
    for warning in warnings:
        print(f"dockerlab: warning: {warning}", file=sys.stderr)
    return EXIT_PASS


def cmd_import(source: Path, output: str | None, *, force: bool) -> int:
    """Read a GIFT file and write a quiz YAML that loads; problems name file:line:column."""
    from dockerlab.model.problems import ContentError
    from dockerlab.model.quiz import QUIZ_SUFFIX
    from dockerlab.model.yamlsource import MAX_FILE_BYTES, read_text, size_problem
    from dockerlab.quiz.gift_import import read_gift, slug
    from dockerlab.quiz.yamlout import quiz_to_yaml

    text, unreadable = read_text(source)
    if text is None:
        print(f"dockerlab: {unreadable[0]}", file=sys.stderr)
        return EXIT_ERROR
    wanted = None
    if output and output != "-" and output.endswith(QUIZ_SUFFIX):
        # the loader requires the id to match the file name, so the name decides
        wanted = Path(output).name.removesuffix(QUIZ_SUFFIX)
        if slug(wanted) != wanted:
            print(
                f"dockerlab: {output}: a quiz file is named <id>{QUIZ_SUFFIX} with an id of "
                "lower-case letters, digits and dashes",
                file=sys.stderr,
            )
            return EXIT_ERROR
    try:
        result = read_gift(text, str(source), quiz_id=wanted)
    except ContentError as err:
        print_problems(err)
        return EXIT_ERROR
    for warning in result.warnings:
        print(f"{warning} (warning)", file=sys.stderr)
    target = Path(output) if output and output != "-" else Path(result.quiz.id + QUIZ_SUFFIX)
    body = quiz_to_yaml(
        result.quiz,
        comment=f"Imported from {source.name} by `dockerlab quiz import`.\n"
        "Check `section:` and each question's explanation before learners see it.",
    )
    if size_problem(str(target), len(body.encode("utf-8"))):
        print(
            f"dockerlab: {source}: the quiz would be {len(body.encode('utf-8')):,} bytes of YAML; "
            f"a content file may be at most {MAX_FILE_BYTES:,}: split the GIFT file",
            file=sys.stderr,
        )
        return EXIT_FAIL
    if output == "-":
        sys.stdout.write(body)
        return EXIT_PASS
    if target.exists() and not force:
        print(
            f"dockerlab: {target} exists; choose another with -o OUT or pass --force",
            file=sys.stderr,
        )
        return EXIT_ERROR
    target.write_text(body, encoding="utf-8")
    print(f"wrote {target} ({len(result.quiz.questions)} questions)")
    return EXIT_PASS
