"""The bundled quizzes: the course's Quiz 10 word for word, and every section covered properly."""

from __future__ import annotations

import re
from pathlib import Path

from dockerlab.model.course import COURSE_FILE, load_course
from dockerlab.model.quiz import LoadedQuiz
from dockerlab.paths import bundled_content, bundled_labs

COURSE_NOTES = Path(__file__).resolve().parents[3] / "shared" / "course-notes.txt"
SECTIONS = {
    "hub": ["container-registries", "docker-hub"],
    "private-registry": ["private-registry"],
    "secure-registry": ["secure-registry"],
    "swarm-registry": ["swarm-registry"],
    "third-party": ["third-party"],
}


def flat(text: str) -> str:
    return " ".join(text.split())


def course_quiz_10() -> str:
    text = COURSE_NOTES.read_text(encoding="utf-8")
    return flat(text[text.index("Quiz 10:") :])


def test_quiz_10_is_the_course_text_word_for_word(bundled: dict[str, LoadedQuiz]) -> None:
    quiz = bundled["container-registries"].quiz
    assert [q.type for q in quiz.questions] == ["short", "single", "true_false"]
    webhook, prevents, custom = quiz.questions
    notes = course_quiz_10() if COURSE_NOTES.exists() else None
    expected_prompts = [
        "Docker hub can configure a ______ to trigger automatic building for other services "
        "like Jenkins, TravisCI and more.",
        "What does docker prevent by default when communicating with remote registries?",
        "In order to run a container from an image from a different registry than Docker Hub, "
        "you would need to specify that registry in the settings of the Docker daemon.",
    ]
    expected_explanations = [
        "Right, this is a API URL that can trigger an event, often used in automation to "
        "trigger the building of an image on any changes.",
        "Docker won't trust a non secure registry by default. (except localhost)",
        "We don't have to change any settings to do this, we just specify an image with our "
        "custom registry, like we did with the image in the lecture 127.0.0.1:5000/hello-world",
    ]
    for question, prompt, explanation in zip(
        quiz.questions, expected_prompts, expected_explanations, strict=True
    ):
        assert flat(question.prompt) == prompt
        # the course's explanation comes first, word for word; a note on what changed may follow
        assert question.explanation.split("\n\n")[0] == explanation
        if notes is not None:
            assert prompt in notes
            assert explanation in notes
    assert webhook.accept == ["webhook", "webhooks", "web hook", "web-hook"]
    right = prevents.right_options()
    assert [o.text for o in right] == [
        "It prevents talking to any registries without HTTPS, except localhost"
    ]
    assert prevents.options.index(right[0]) == 1  # letter b in file order
    assert custom.answer is False


def test_each_section_has_its_quizzes_with_at_least_six_theory_questions(
    bundled: dict[str, LoadedQuiz],
) -> None:
    for section, quiz_ids in SECTIONS.items():
        for quiz_id in quiz_ids:
            assert bundled[quiz_id].quiz.section == section
        theory = [i for i in quiz_ids if i != "container-registries"]
        extra = [q for i in theory for q in bundled[i].quiz.questions]
        assert len(extra) >= 6, f"section {section} has {len(extra)} questions beyond Quiz 10"
    assert set(bundled) == {i for ids in SECTIONS.values() for i in ids}


def test_the_course_map_lists_exactly_these_quizzes(bundled: dict[str, LoadedQuiz]) -> None:
    course = load_course(bundled_content() / COURSE_FILE)
    for section in course.sections:
        assert section.quiz_ids == SECTIONS[section.id]


def test_all_four_question_types_are_used_in_every_section(
    bundled: dict[str, LoadedQuiz],
) -> None:
    for section, quiz_ids in SECTIONS.items():
        kinds = {q.type for i in quiz_ids for q in bundled[i].quiz.questions}
        assert kinds == {"single", "multiple", "true_false", "short"}, section


def test_every_wrong_answer_says_why_and_every_question_explains(
    bundled: dict[str, LoadedQuiz],
) -> None:
    for quiz_id, loaded in bundled.items():
        for q in loaded.quiz.questions:
            where = f"{quiz_id}/{q.id}"
            assert len(q.explanation.split()) >= 8, f"{where}: explanation too thin"
            for option in q.options:
                if not option.correct:
                    assert option.feedback, f"{where}/{option.id}: wrong option without feedback"
            if q.type == "true_false":
                wrong_side = q.feedback_false if q.answer else q.feedback_true
                assert wrong_side, f"{where}: no feedback for the wrong answer"


def test_links_point_at_pages_labs_and_steps_of_the_course(
    bundled: dict[str, LoadedQuiz],
) -> None:
    course = load_course(bundled_content() / COURSE_FILE)
    pages = {page for s in course.sections for page in s.pages}
    labs = {lab for s in course.sections for lab in s.labs}
    for quiz_id, loaded in bundled.items():
        for q in loaded.quiz.questions:
            if q.link is None:
                continue
            where = f"{quiz_id}/{q.id}: {q.link}"
            lab, _, step = q.link.partition("/")
            if not step:
                assert q.link in pages or q.link in labs, where
                continue
            assert lab in labs, where
            lab_file = bundled_labs() / lab / "lab.yaml"
            steps = re.findall(r"^  - id: (\S+)", lab_file.read_text(encoding="utf-8"), re.M)
            assert step in steps, where


def strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for v in node.values() for t in strings(v)]
    if isinstance(node, list):
        return [t for v in node for t in strings(v)]
    return []


def test_no_bundled_text_uses_braces_or_backslashes(bundled: dict[str, LoadedQuiz]) -> None:
    """GIFT readers disagree on escaped braces and backslashes; our content avoids them."""
    for quiz_id, loaded in bundled.items():
        for text in strings(loaded.quiz.model_dump()):
            assert not re.search(r"[{}\\]", text), f"{quiz_id}: {text!r}"
