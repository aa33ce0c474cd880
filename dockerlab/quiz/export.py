"""`dockerlab quiz export`: a quiz as GIFT or Moodle XML, and what the target cannot carry.

Text is exported without control characters, escape sequences or bidi controls (`safe_text`;
XML 1.0 forbids most control characters outright, so a prompt holding one would make the file
unreadable). What the format has no place for is said in warnings, question by question: a
short answer's pattern (only dockerlab reads it: answers that only the pattern accepts are marked
wrong by the LMS), the one-typo allowance, hints and links in GIFT (kept in a `// dockerlab`
comment for `quiz import`, not shown by the LMS), a single pinned option in Moodle XML.
"""

from __future__ import annotations

from dockerlab.model.quiz import Question, Quiz
from dockerlab.model.safetext import export_text

FORMATS = ("gift", "moodle-xml")
TARGET = {"gift": "GIFT", "moodle-xml": "Moodle XML"}
clean = export_text  # text as exported: no control, escape or bidi characters


def _texts(question: Question) -> list[str]:
    texts = [question.prompt, question.explanation, *question.accept, *question.hints]
    texts += [t for t in (question.feedback, question.feedback_true, question.feedback_false) if t]
    for option in question.options:
        texts += [option.text, *([option.feedback] if option.feedback else [])]
    return texts


def _question_warnings(question: Question, fmt: str) -> list[str]:
    target = TARGET[fmt]
    said: list[str] = []
    if question.regex is not None:
        kept = " (kept in a dockerlab comment for `quiz import`)" if fmt == "gift" else ""
        said.append(
            f"its pattern `{question.regex}` cannot be carried{kept}: the LMS accepts only the "
            f"listed answers ({', '.join(question.accept)})"
        )
    if question.type == "short" and question.typos:
        said.append("dockerlab accepts one typo in a word; the LMS compares answers exactly")
    if fmt == "gift" and question.hints:
        said.append(
            f"{target} has no hints: the {len(question.hints)} hint(s) are kept in a dockerlab "
            "comment only"
        )
    if fmt == "gift" and question.link:
        said.append(f"{target} has no link to the teaching page; it is kept in a comment only")
    if fmt == "moodle-xml" and any(o.pinned for o in question.options):
        said.append("Moodle cannot pin one option: shuffling is off for the whole question")
    if any(clean(text) != text for text in _texts(question)):
        said.append("control, escape or bidi characters in its text were left out")
    return [f"question '{question.id}': {what}" for what in said]


def export_warnings(quiz: Quiz, fmt: str) -> list[str]:
    """What `fmt` cannot carry of this quiz, one line per question and thing."""
    return [w for q in quiz.questions for w in _question_warnings(q, fmt)]


def export_quiz(quiz: Quiz, fmt: str) -> tuple[str, list[str]]:
    """(the exported text, warnings about what did not come along)."""
    from dockerlab.quiz.gift import quiz_to_gift
    from dockerlab.quiz.moodle import quiz_to_moodle_xml

    text = quiz_to_gift(quiz) if fmt == "gift" else quiz_to_moodle_xml(quiz)
    return text, export_warnings(quiz, fmt)
