"""`--review`: every question with its right answer, each option's feedback and the explanation.

For instructors checking a quiz before learners see it (options in file order), and for learners
looking back at an attempt: given the attempt's seed and answers, the options come in the order
that attempt showed them, with the learner's answers marked.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from dockerlab.model.quiz import Question, Quiz
from dockerlab.quiz.plain import KIND_WORDS
from dockerlab.quiz.shuffle import arrange, letter

YOURS = "  <- your answer"


def _block(label: str, text: str, indent: str = "   ") -> list[str]:
    body = textwrap.indent(text.strip(), indent + "  ", lambda _line: True)
    return [f"{indent}{label}:", body]


def _answers(question: Question, seed: int | None, given: str | None) -> list[str]:
    lines: list[str] = []
    if question.type in ("single", "multiple"):
        chosen = set((given or "").split(","))
        for i, option in enumerate(arrange(question, seed)):
            mark = "RIGHT" if option.correct else "wrong"
            pin = ", pinned" if option.pinned else ""
            yours = YOURS if option.id in chosen else ""
            lines.append(
                f"   {letter(i)}) [{mark}{pin}] {option.text.strip()}  (id: {option.id}){yours}"
            )
            if option.feedback:
                lines.append(textwrap.indent(option.feedback.strip(), "        "))
    elif question.type == "true_false":
        lines.append(f"   Answer: {'true' if question.answer else 'false'}")
        sides = (("true", question.feedback_true), ("false", question.feedback_false))
        for side, feedback in sides:
            if feedback:
                lines.extend(_block(f"If answered {side}", feedback))
    else:
        lines.append(f"   Accepted: {', '.join(question.accept)}")
        if question.regex:
            lines.append(f"   Also accepted when matching: {question.regex}")
        lines.append(
            "   One typo accepted, with a spelling note."
            if question.typos
            else "   Typos are not accepted."
        )
        if question.feedback:
            lines.extend(_block("If accepted", question.feedback))
    ids = {o.id for o in question.options}
    if given is not None and not set(given.split(",")) <= ids:  # typed, or not readable
        lines.append(f"   Your answer: {given}")
    return lines


def render_review(
    quiz: Quiz,
    source: str | None = None,
    seed: int | None = None,
    given: Mapping[str, str] | None = None,
) -> str:
    """The whole quiz ready to print: options in file order, or in the order `seed` gives;
    `given` maps question ids to the answers of an attempt (as recorded) to mark them."""
    count = len(quiz.questions)
    lines = [
        f"{quiz.title} ({quiz.id}) - section {quiz.section}, {count} questions, "
        f"pass mark {quiz.pass_mark}% ({quiz.needed_to_pass()} right)",
    ]
    if source:
        lines.append(f"File: {source}")
    if quiz.summary:
        lines.append(quiz.summary.strip())
    for number, question in enumerate(quiz.questions, start=1):
        lines.append("")
        lines.append(f"{number}. {question.id} ({question.type}: {KIND_WORDS[question.type]})")
        lines.append(textwrap.indent(question.prompt.strip(), "   "))
        lines.extend(_answers(question, seed, (given or {}).get(question.id)))
        lines.extend(_block("Explanation", question.explanation))
        for n, hint in enumerate(question.hints, start=1):
            lines.extend(_block(f"Hint {n}", hint))
        if question.link:
            lines.append(f"   Taught in: {question.link}")
    return "\n".join(lines) + "\n"
