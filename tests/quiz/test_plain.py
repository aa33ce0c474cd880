"""The plain-terminal runner: one answer per line, feedback after each, `Score: X/Y` at the end."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from dockerlab.model.quiz import Quiz
from dockerlab.quiz.plain import read_reply, run_interactive, run_lines, wrap
from dockerlab.quiz.review import render_review
from dockerlab.quiz.shuffle import arrange

RIGHT = ["b", "a, b", "true", "webhook"]


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output is wrapped to the terminal; pin its width so the tests read the same anywhere."""
    monkeypatch.setenv("COLUMNS", "100")


def run(sample: Quiz, lines: list[str], seed: int | None = None) -> tuple[str, int, bool]:
    out = io.StringIO()
    attempt = run_lines(sample, [f"{line}\n" for line in lines], out, seed)
    return out.getvalue(), attempt.score, attempt.passed


def test_all_right_in_file_order_scores_full_marks(sample: Quiz) -> None:
    text, score, passed = run(sample, RIGHT)
    assert (score, passed) == (4, True)
    assert text.count("\nRight.") == 4
    assert text.rstrip().endswith(
        "Passed: 4 of 4 right; the pass mark is 60% (3 right).\nScore: 4/4"
    )
    assert "  b) The registry image listens on 5000." in text  # the chosen option's feedback
    assert "  Loopback is exempt." in text
    assert "  A URL called on an event." in text


def test_a_wrong_answer_shows_the_right_one_its_feedback_and_the_explanation(sample: Quiz) -> None:
    text, score, passed = run(sample, ["a", "a,b", "true", "webhook"])
    assert (score, passed) == (3, True)
    assert "Wrong. The right answer: b) 5000" in text
    assert "  a) That is HTTP's usual port." in text
    assert "  Explanation: The registry listens on 5000 inside its container." in text
    assert "Missed: question 1." in text


def test_unreadable_lines_say_what_is_accepted_and_count_as_wrong(sample: Quiz) -> None:
    text, score, passed = run(sample, ["z", "a,x", "maybe", "?!"])
    assert (score, passed) == (0, False)
    assert "Could not read 'z': answer with one letter from a to d. Counted as wrong." in text
    assert "Could not read 'a,x': answer with letters from a to c separated by commas" in text
    assert "Could not read 'maybe': answer true or false." in text
    assert text.rstrip().endswith("Score: 0/4")


def test_blank_lines_are_not_answers_so_later_answers_do_not_shift(sample: Quiz) -> None:
    text, score, passed = run(sample, ["", "b", "   ", "\t", "a, b", "", "true", "webhook", ""])
    assert (score, passed) == (4, True)
    assert "Could not read" not in text
    assert text.count("\nRight.") == 4


def test_only_blank_lines_left_means_the_input_ended(sample: Quiz) -> None:
    text, score, _ = run(sample, ["b", "", "  "])
    assert score == 1
    assert "The input ended here: 3 questions left unanswered, counted as wrong." in text


def test_input_that_ends_early_leaves_the_rest_wrong(sample: Quiz) -> None:
    text, score, passed = run(sample, ["b"])
    assert (score, passed) == (1, False)
    assert "The input ended here: 3 questions left unanswered, counted as wrong." in text
    assert text.rstrip().endswith("Score: 1/4")


def test_with_a_seed_the_letters_follow_the_shuffled_order(sample: Quiz) -> None:
    seed = next(s for s in range(100) if arrange(sample.questions[0], s)[1].id != "p5000")
    shown = arrange(sample.questions[0], seed)
    right = "abcd"[[o.id for o in shown].index("p5000")]
    assert right != "b"
    text, score, _ = run(sample, [right, "x", "x", "x"], seed=seed)
    assert score == 1
    assert f"  {right}) 5000" in text


def test_replies_are_read_leniently_but_exactly(sample: Quiz) -> None:
    one, many, yes_no, _ = sample.questions
    shown_one, shown_many = arrange(one), arrange(many)
    assert read_reply(one, shown_one, " B) ").answer == "p5000"
    assert read_reply(one, shown_one, "b c").error == "answer with one letter from a to d"
    assert read_reply(many, shown_many, "b a,b").answer == ("quay", "hub")
    assert read_reply(yes_no, [], "F").answer is False
    assert read_reply(yes_no, [], "TRUE").answer is True


def feed(*lines: str) -> Iterator[str]:
    yield from lines


def test_interactive_mode_asks_again_and_gives_hints_on_question_mark(sample: Quiz) -> None:
    answers = feed("b", "a,b", "true", "?", "?", "wbhook")
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    out = io.StringIO()
    attempt = run_interactive(sample, ask, out)
    text = out.getvalue()
    assert attempt.score == 4
    assert "  It starts with web." in text
    assert "  No more hints for this question." in text
    assert "Spelling: it is written 'webhook' (you wrote 'wbhook')." in text
    assert len(prompts) == 6


def test_interactive_mode_re_asks_after_an_unreadable_answer(sample: Quiz) -> None:
    answers = feed("z", "b")

    def ask(prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    attempt = run_interactive(sample, ask, out)
    text = out.getvalue()
    assert "  Please answer with one letter from a to d." in text
    assert attempt.score == 1
    assert [question_id for question_id, _text, _correct in attempt.answers] == ["pick-one"]
    assert "(input ended: the questions left count as wrong)" in text
    assert text.rstrip().endswith("Score: 1/4")


def test_review_prints_every_answer_feedback_and_explanation(sample: Quiz) -> None:
    text = render_review(sample, "content/sample.quiz.yaml")
    assert text.startswith("Sample: every feature (sample) - section hub, 4 questions")
    assert "   b) [RIGHT] 5000  (id: p5000)" in text
    assert "   d) [wrong, pinned] None of these  (id: none)" in text
    assert "        An orchestrator, not a registry." in text
    assert "   Answer: true" in text
    assert "   Accepted: webhook, webhooks, web hook, web-hook" in text
    assert "   Also accepted when matching: web[ -]?hooks? url" in text
    assert text.count("   Explanation:") == 4
    assert "   Taught in: docker-hub" in text


def test_wrap_fills_prose_and_keeps_code_as_written() -> None:
    code = "docker run -d -p 5000:5000 --name registry registry:2"
    text = "A long line " * 12 + f"\n\n```bash\n{code}\n```\n- item one"
    wrapped = wrap(text, "  ", width=40)
    lines = wrapped.splitlines()
    assert all(len(line) <= 40 for line in lines if not line.startswith("  docker"))
    assert "  docker run -d -p 5000:5000 --name registry registry:2" in lines
    assert lines[-1] == "  - item one"


def test_interactive_mode_re_asks_after_a_blank_line(sample: Quiz) -> None:
    answers = feed("", "b", "   ", "a,b", "true", "", "webhook")
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    attempt = run_interactive(sample, ask, io.StringIO())
    assert attempt.score == 4
    assert len(prompts) == 7
