"""Quiz: one question at a time, feedback with the explanation right after each answer, the
score at the end, and a retry of only the questions missed. Attempts go to the learner's record.

Each attempt shows the options in an order of its own (a new seed, recorded with the attempt so
`dockerlab quiz ID --review` shows the same order); a retry of the missed questions keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from dockerlab.model.safetext import safe_text
from dockerlab.tui.screens.base import BaseScreen
from dockerlab.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from dockerlab.model.quiz import Option as QuizOption
    from dockerlab.model.quiz import Question, Quiz
    from dockerlab.quiz.scoring import Graded, QuizAttempt

KIND_WORDS = {
    "single": "choose one, Enter answers",
    "multiple": "Space marks each that applies, Enter answers",
    "true_false": "true or false, Enter answers",
    "short": "type the answer, Enter answers",
}


class ChoiceList(OptionList):
    """Options lettered a), b) ...; for a `multiple` question Space marks ([x]) and unmarks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark", id="quiz.mark", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels: list[str] = []
        self.multiple = False
        self.marked: set[int] = set()

    def ask(self, labels: list[str], multiple: bool) -> None:
        self.labels = labels
        self.multiple = multiple
        self.marked = set()
        self.disabled = False
        self.set_options([Option(self._prompt(i), id=str(i)) for i in range(len(labels))])
        self.highlighted = 0

    def _prompt(self, index: int) -> str:
        label = escape(self.labels[index])  # content text is not markup ("[/]" would raise)
        if not self.multiple:
            return label
        return ("[x] " if index in self.marked else "[ ] ") + label

    def action_mark(self) -> None:
        if not self.multiple or self.highlighted is None:
            return
        self.marked ^= {self.highlighted}
        self.replace_option_prompt_at_index(self.highlighted, self._prompt(self.highlighted))


class QuizScreen(BaseScreen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Course", id="quiz.back"),
        Binding("ctrl+n", "next", "Next question", id="quiz.next"),
        Binding("ctrl+g", "hint", "Hint", id="quiz.hint"),
        Binding("ctrl+r", "retry_missed", "Retry missed", id="quiz.retry_missed"),
    ]

    def __init__(self, quiz_id: str) -> None:
        super().__init__()
        self.quiz_id = quiz_id
        self.quiz: Quiz | None = None
        self.asking: list[Question] = []
        self.index = 0
        self.shown: list[QuizOption] = []
        self.graded: dict[str, Graded] = {}
        self.answered = False
        self.hints_shown = 0
        self.attempt: QuizAttempt | None = None
        self.finished = False
        self.seed: int | None = None  # the option order of the current attempt (None: file order)

    def compose(self) -> ComposeResult:
        yield Static("Quiz", id="quiz-title")
        with VerticalScroll(id="quiz-body"):
            yield Markdown("", id="question")
            yield ChoiceList(id="choices")
            yield Input(placeholder="your answer, then Enter", id="answer")
            yield Static("", id="quiz-feedback")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        course = self.lab_app.course
        loaded = course.quizzes.get(self.quiz_id) if course is not None else None
        if loaded is None:
            self.query_one("#question", Markdown).update(f"There is no quiz '{self.quiz_id}' yet.")
            self.query_one(ChoiceList).display = False
            self.query_one("#answer", Input).display = False
            return
        self.quiz = loaded.quiz
        self.seed = self._attempt_seed()
        self.start(list(loaded.quiz.questions))

    def _attempt_seed(self) -> int | None:
        from dockerlab.quiz.shuffle import new_seed

        options = self.lab_app.options
        if options.quiz_file_order:
            return None
        return options.quiz_seed if options.quiz_seed is not None else new_seed()

    # -- asking ---------------------------------------------------------------------------------
    def start(self, questions: list[Question]) -> None:
        self.asking = questions
        self.index = 0
        self.finished = False
        self.ask()

    def ask(self) -> None:
        from dockerlab.quiz import arrange, letter

        assert self.quiz is not None
        question = self.asking[self.index]
        self.answered = False
        self.hints_shown = 0
        retry = " (retrying the ones missed)" if len(self.asking) < len(self.quiz.questions) else ""
        self.query_one("#quiz-title", Static).update(
            Text(
                safe_text(
                    f"Quiz · {self.quiz.title} — question {self.index + 1} of {len(self.asking)}"
                    + retry
                )
            )
        )
        self.query_one("#question", Markdown).update(
            safe_text(f"{question.prompt.strip()}\n\n*({KIND_WORDS[question.type]})*")
        )
        self.query_one("#quiz-feedback", Static).update("")
        choices = self.query_one(ChoiceList)
        answer = self.query_one("#answer", Input)
        if question.type == "short":
            choices.display = False
            answer.display = True
            answer.disabled = False
            answer.value = ""
            answer.focus()
            return
        answer.display = False
        choices.display = True
        if question.type == "true_false":
            self.shown = []
            choices.ask(["True", "False"], multiple=False)
        else:
            self.shown = arrange(question, self.seed)
            choices.ask(
                [safe_text(f"{letter(i)}) {o.text.strip()}") for i, o in enumerate(self.shown)],
                multiple=question.type == "multiple",
            )
        choices.focus()
        self.query_one("#quiz-body", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.answered:
            self.action_next()
            return
        if self.finished or self.quiz is None:
            return
        question = self.asking[self.index]
        choices = self.query_one(ChoiceList)
        picked = int(event.option.id or 0)
        if question.type == "true_false":
            self.answer(question, picked == 0)
        elif question.type == "single":
            self.answer(question, self.shown[picked].id)
        else:
            marked = choices.marked or {picked}
            self.answer(question, [self.shown[i].id for i in sorted(marked)])

    @on(Input.Submitted, "#answer")
    def _typed(self, event: Input.Submitted) -> None:
        if self.answered:
            self.action_next()
            return
        if not event.value.strip() or self.quiz is None:
            return
        self.answer(self.asking[self.index], event.value)

    def answer(self, question: Question, given: str | bool | list[str]) -> None:
        from dockerlab.quiz import grade

        graded = grade(question, given)
        self.graded[question.id] = graded
        self.answered = True
        self.query_one("#quiz-feedback", Static).update(self._feedback(question, graded))
        self.query_one(ChoiceList).disabled = False
        self.query_one("#quiz-body", VerticalScroll).scroll_end(animate=False)

    def _feedback(self, question: Question, graded: Graded) -> Text:
        from dockerlab.quiz import letter

        text = Text()
        if graded.correct:
            text.append("✓ Right.", style="bold")
        else:
            text.append("✗ Wrong.", style="bold")
            right = graded.right_answer
            if self.shown and question.type in ("single", "multiple"):
                right = "; ".join(
                    f"{letter(i)}) {o.text.strip()}" for i, o in enumerate(self.shown) if o.correct
                )
            text.append(safe_text(f" The right answer: {right}"))
        if graded.note:
            text.append(f"\n{graded.note}", style="italic")
        for feedback in graded.feedback:
            text.append(safe_text(f"\n{feedback.strip()}"))
        text.append("\nExplanation: ", style="bold")
        text.append(safe_text(graded.explanation.strip()))
        if question.link and not graded.correct:
            text.append(f"\nWhere this is taught: {question.link}", style="italic")
        last = self.index + 1 >= len(self.asking)
        text.append("\n\nEnter: " + ("see the score" if last else "next question"), style="dim")
        return text

    def action_next(self) -> None:
        if self.finished or not self.answered:
            return
        if self.index + 1 < len(self.asking):
            self.index += 1
            self.ask()
        else:
            self.finish()

    def action_hint(self) -> None:
        if self.finished or not self.asking:
            return
        question = self.asking[self.index]
        if self.hints_shown >= len(question.hints):
            self.notify("No more hints for this question.")
            return
        self.notify(
            safe_text(question.hints[self.hints_shown]), title="Hint", timeout=10, markup=False
        )
        self.hints_shown += 1

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> None:
        from dockerlab.quiz import retry, score

        assert self.quiz is not None
        answers = [self.graded[q.id] for q in self.asking if q.id in self.graded]
        if self.attempt is not None and len(self.asking) < len(self.quiz.questions):
            self.attempt = retry(self.quiz, self.attempt, answers)
        else:
            self.attempt = score(self.quiz, answers)
        self.finished = True
        self.save(self.attempt)
        attempt = self.attempt
        verdict = "✓ Passed" if attempt.passed else "✗ Not passed yet"
        missed = [q for q in self.quiz.questions if q.id in attempt.missed]
        lines = [
            f"## {verdict}: {attempt.score} of {attempt.total} right",
            f"The pass mark is {self.quiz.pass_mark}% ({self.quiz.needed_to_pass()} right).",
        ]
        if missed:
            lines.append("\nMissed:")
            lines += [f"- {q.prompt.strip().splitlines()[0][:70]}" for q in missed]
            lines.append("\nCtrl+R asks only those again; Escape goes back to the course.")
        else:
            lines.append("\nEvery question right. Escape goes back to the course.")
        self.query_one("#quiz-title", Static).update(
            f"Quiz · {self.quiz.title} — score {attempt.score}/{attempt.total}"
        )
        self.query_one("#question", Markdown).update("\n".join(lines))
        self.query_one(ChoiceList).display = False
        self.query_one("#answer", Input).display = False
        self.query_one("#quiz-feedback", Static).update("")
        self.refresh_bindings()

    def save(self, attempt: QuizAttempt) -> None:
        progress = self.lab_app.progress
        if progress is None:
            return
        from dockerlab.runner.learner import save_quiz_attempt

        seed = self.seed
        self.run_worker(
            lambda: save_quiz_attempt(progress, attempt, seed),
            thread=True,
            group="progress",
            exit_on_error=False,
            name="saving the quiz",
        )

    def action_retry_missed(self) -> None:
        if not self.finished or self.attempt is None or self.quiz is None:
            return
        from dockerlab.quiz import missed_questions

        again = missed_questions(self.quiz, self.attempt)
        if not again:
            self.notify("Nothing missed: every question was right.")
            return
        self.start(again)
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_missed":
            return True if self.finished and self.attempt and self.attempt.missed else None
        if action in ("next", "hint"):
            return None if self.finished else True
        return True
