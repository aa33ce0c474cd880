"""Take a quiz in a plain terminal: questions printed, answers typed, feedback after each.

Two ways to answer. Line mode (`--plain`, or stdin not a terminal) reads exactly one answer per
line, so a script can pipe them in; blank lines are skipped, and a line it cannot read counts as
wrong, since there is no one to ask again. Interactive mode asks at the prompt, asks again after
an unreadable answer (a blank line too), and shows a hint on `?`.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from dockerlab.model.quiz import Option, Question, Quiz
from dockerlab.quiz.scoring import (
    Graded,
    QuizAttempt,
    grade,
    missed_questions,
    retry,
    score,
    unreadable,
)
from dockerlab.quiz.shuffle import arrange, letter

KIND_WORDS = {
    "single": "one answer",
    "multiple": "all that apply",
    "true_false": "true or false",
    "short": "type the answer",
}
TRUE_WORDS = ("true", "t")
FALSE_WORDS = ("false", "f")


@dataclass(frozen=True)
class Reply:
    """An answer line read for a question: the answer, or why it could not be read."""

    answer: str | bool | tuple[str, ...] | None = None
    error: str | None = None


def _letters_hint(count: int) -> str:
    return f"a to {letter(count - 1)}"


def read_reply(question: Question, shown: Sequence[Option], line: str) -> Reply:
    """Understand one typed answer; option letters refer to the order in `shown`."""
    text = line.strip()
    if question.type == "short":
        return Reply(answer=text) if text else Reply(error="type the answer in words")
    if question.type == "true_false":
        word = text.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return Reply(answer=word in TRUE_WORDS)
        return Reply(error="answer true or false")
    by_letter = {letter(i): o.id for i, o in enumerate(shown)}
    picks = [p.rstrip(").") for p in re.split(r"[,\s]+", text.lower()) if p]
    if question.type == "single":
        if len(picks) == 1 and picks[0] in by_letter:
            return Reply(answer=by_letter[picks[0]])
        return Reply(error=f"answer with one letter from {_letters_hint(len(shown))}")
    if picks and all(p in by_letter for p in picks):
        return Reply(answer=tuple(dict.fromkeys(by_letter[p] for p in picks)))
    return Reply(
        error=f"answer with letters from {_letters_hint(len(shown))} separated by commas, like a,c"
    )


def wrap(text: str, indent: str = "", first: str | None = None, width: int | None = None) -> str:
    """Markdown text filled to the terminal's width: paragraphs and list items are re-wrapped,
    fenced code and indented code are kept as written. `first` replaces the first indent."""
    width = width or min(shutil.get_terminal_size((88, 24)).columns, 100)
    out: list[str] = []
    para: list[str] = []
    lead = indent if first is None else first

    def flush() -> None:
        nonlocal lead
        if para:
            item = re.match(r"([-*] |\d+[.)] )", para[0])
            hang = indent + " " * len(item.group(1)) if item else indent
            out.append(
                textwrap.fill(
                    " ".join(para),
                    width,
                    initial_indent=lead,
                    subsequent_indent=hang,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
            para.clear()
            lead = indent

    fenced = False
    for line in text.strip().splitlines():
        if line.lstrip().startswith("```"):
            flush()
            fenced = not fenced
            out.append(lead + line.strip())
            lead = indent
        elif fenced or line.startswith(("    ", "\t")):
            flush()
            out.append(lead + line)
            lead = indent
        elif not line.strip():
            flush()
            out.append("")
        else:
            if re.match(r"\s*([-*] |\d+[.)] )", line):
                flush()
            para.append(line.strip())
    flush()
    return "\n".join(o.rstrip() for o in out)


def _indent(text: str, prefix: str = "  ") -> str:
    return wrap(text, prefix)


def render_question(number: int, total: int, question: Question, shown: Sequence[Option]) -> str:
    """The question as printed: a heading, the prompt, and lettered options."""
    lines = [f"Question {number} of {total} ({KIND_WORDS[question.type]})", wrap(question.prompt)]
    for i, option in enumerate(shown):
        lines.append(wrap(option.text, "     ", first=f"  {letter(i)}) "))
    return "\n".join(lines)


def _lettered(shown: Sequence[Option], ids: Iterable[str]) -> str:
    wanted = set(ids)
    return "; ".join(
        f"{letter(i)}) {o.text.strip()}" for i, o in enumerate(shown) if o.id in wanted
    )


def _right_answer(question: Question, shown: Sequence[Option]) -> str:
    if question.type in ("single", "multiple"):
        return _lettered(shown, (o.id for o in question.right_options()))
    if question.type == "true_false":
        return "true" if question.answer else "false"
    others = question.accept[1:]
    also = f" (also accepted: {', '.join(others)})" if others else ""
    return f"{question.accept[0]}{also}"


def render_result(question: Question, shown: Sequence[Option], graded: Graded) -> str:
    """What the learner reads after answering: right or wrong, feedback, note, explanation."""
    lines: list[str] = []
    if graded.correct:
        lines.append("Right.")
    else:
        lines.append(f"Wrong. The right answer: {_right_answer(question, shown)}")
    if graded.note:
        lines.append(_indent(graded.note))
    if graded.chosen:
        for i, option in enumerate(shown):
            if option.id in graded.chosen and option.feedback:
                lines.append(wrap(option.feedback, "     ", first=f"  {letter(i)}) "))
    else:
        lines.extend(_indent(f) for f in graded.feedback)
    lines.append(wrap(graded.explanation, "  ", first="  Explanation: "))
    return "\n".join(lines)


def render_summary(quiz: Quiz, attempt: QuizAttempt) -> str:
    """The closing lines, ending with `Score: X/Y`."""
    lines = []
    missed = [str(i + 1) for i, q in enumerate(quiz.questions) if q.id in attempt.missed]
    if missed:
        lines.append(f"Missed: question {', '.join(missed)}.")
    verdict = "Passed" if attempt.passed else "Not passed"
    lines.append(
        f"{verdict}: {attempt.score} of {attempt.total} right; the pass mark is "
        f"{quiz.pass_mark}% ({quiz.needed_to_pass()} right)."
    )
    lines.append(f"Score: {attempt.score}/{attempt.total}")
    return "\n".join(lines)


def _intro(quiz: Quiz, interactive: bool, seed: int | None) -> str:
    count = len(quiz.questions)
    how = (
        "Type ? for a hint."
        if interactive
        else "One answer per line: a letter (b), letters for several (a,c), true or false, "
        "or the words."
    )
    order = f"\nOptions are shuffled (--seed {seed} shows this order again)."
    if seed is None:
        order = ""
    return (
        f"{quiz.title} - {count} question{'s' if count != 1 else ''}, pass mark "
        f"{quiz.pass_mark}%.\n{how}{order}"
    )


def run_lines(
    quiz: Quiz, lines: Iterable[str], out: TextIO, seed: int | None = None
) -> QuizAttempt:
    """Line mode: one answer per line from `lines`; unreadable or missing answers count wrong.

    `seed` orders the options (`arrange`); None keeps the file's order."""
    print(_intro(quiz, interactive=False, seed=seed), file=out)
    feed = iter(lines)
    graded: list[Graded] = []
    total = len(quiz.questions)
    for number, question in enumerate(quiz.questions, start=1):
        shown = arrange(question, seed)
        print("\n" + render_question(number, total, question, shown), file=out)
        line = next((text for text in feed if text.strip()), None)  # a blank line is no answer
        if line is None:
            left = total - number + 1
            print(
                f"The input ended here: {left} question{'s' if left != 1 else ''} "
                "left unanswered, counted as wrong.",
                file=out,
            )
            break
        line = line.rstrip("\r\n")
        print(f"Your answer: {line}", file=out)
        reply = read_reply(question, shown, line)
        if reply.answer is None:
            reason = f"Could not read '{line.strip()}': {reply.error}. Counted as wrong."
            result = unreadable(question, line, reason)
        else:
            result = grade(question, reply.answer)
        graded.append(result)
        print(render_result(question, shown, result), file=out)
    attempt = score(quiz, graded)
    print("\n" + render_summary(quiz, attempt), file=out)
    return attempt


def ask_question(
    question: Question,
    shown: Sequence[Option],
    ask: Callable[[str], str],
    out: TextIO,
) -> Graded:
    """Interactive mode for one question: re-asks until readable; `?` shows the next hint.

    Raises EOFError when input ends (as `input()` does), so the caller can stop.
    """
    hints = list(question.hints)
    while True:
        line = ask("Your answer: ")
        if line.strip() == "?":
            print(_indent(hints.pop(0) if hints else "No more hints for this question."), file=out)
            continue
        reply = read_reply(question, shown, line)
        if reply.answer is not None:
            return grade(question, reply.answer)
        print(_indent(f"Please {reply.error}."), file=out)


def run_interactive(
    quiz: Quiz,
    ask: Callable[[str], str],
    out: TextIO,
    seed: int | None = None,
    previous: QuizAttempt | None = None,
) -> QuizAttempt:
    """Interactive mode: every question, or with `previous` only the ones it missed.

    The attempt returned always covers the whole quiz (a retry keeps the earlier right
    answers). Stops early, counting the rest as wrong, if input ends.
    """
    todo = quiz.questions if previous is None else missed_questions(quiz, previous)
    if previous is None:
        print(_intro(quiz, interactive=True, seed=seed), file=out)
    else:
        count = len(todo)
        print(
            f"Again: the {count} question{'s' if count != 1 else ''} you missed. "
            "Type ? for a hint.",
            file=out,
        )
    graded: list[Graded] = []
    for number, question in enumerate(todo, start=1):
        shown = arrange(question, seed)
        print("\n" + render_question(number, len(todo), question, shown), file=out)
        try:
            result = ask_question(question, shown, ask, out)
        except EOFError:
            print("\n(input ended: the questions left count as wrong)", file=out)
            break
        graded.append(result)
        print(render_result(question, shown, result), file=out)
    attempt = score(quiz, graded) if previous is None else retry(quiz, previous, graded)
    print("\n" + render_summary(quiz, attempt), file=out)
    return attempt
