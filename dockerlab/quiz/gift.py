"""Export a quiz as GIFT, the plain-text question format Moodle and many other LMSs import.

Each question is one block: `::id::[markdown]prompt{answers ####explanation}`. Right options
are `=`, wrong ones `~`; a `multiple` question gives its right options equal positive weights
(`~%50%`) and its wrong ones `~%-100%`, so only the exact set scores. Per-answer feedback follows
`#`; the explanation is the general feedback after `####`. The characters ~ = # { } : and the
backslash are escaped with a backslash, and newlines are written as `\\n`, as Moodle does;
control, escape and bidi characters are left out (dockerlab/quiz/export.py).

What GIFT cannot say (option ids, pinned options, hints, links, a short question's regex and
typo setting) goes in a `// dockerlab {...}` comment line above the question, which LMSs ignore
and `dockerlab quiz import` reads back, so a round trip loses nothing.
"""

from __future__ import annotations

import json
from typing import Any

from dockerlab.model.quiz import Question, Quiz
from dockerlab.model.safetext import export_text as clean

SPECIAL = "~=#{}:"
QUIZ_META = "// dockerlab-quiz "
QUESTION_META = "// dockerlab "


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped and newlines as \\n, outer space trimmed."""
    out = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    out = clean(out).replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def unescape(raw: str) -> str:
    """The text a GIFT fragment stands for: \\n is a newline, \\X is X for X in ~=#{}:\\."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt == "n":
                out.append("\n")
            elif nxt in SPECIAL or nxt == "\\":
                out.append(nxt)
            else:  # not an escape: Moodle keeps the backslash too
                out.append(ch + nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _weight(value: float) -> str:
    # Moodle's weights are percentages with at most five decimals (33.33333)
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _answer(marker: str, text: str, feedback: str | None) -> str:
    line = f"\t{marker}{escape(text)}"
    if feedback:
        line += f"#{escape(feedback)}"
    return line


def _choice_lines(question: Question) -> list[str]:
    right = question.right_options()
    lines: list[str] = []
    for option in question.options:
        if question.type == "single":
            marker = "=" if option.correct else "~"
        elif option.correct:
            marker = f"~%{_weight(100 / len(right))}%"
        else:
            marker = "~%-100%"
        lines.append(_answer(marker, option.text, option.feedback))
    return lines


def _true_false(question: Question) -> str:
    # GIFT's order is {ANSWER#feedback for a wrong answer#feedback for a right answer}
    right_fb = question.feedback_true if question.answer else question.feedback_false
    wrong_fb = question.feedback_false if question.answer else question.feedback_true
    text = "TRUE" if question.answer else "FALSE"
    if wrong_fb or right_fb:
        text += f"#{escape(wrong_fb or '')}"
    if right_fb:
        text += f"#{escape(right_fb)}"
    return text


def _metadata(question: Question) -> dict[str, Any]:
    meta: dict[str, Any] = {"type": question.type}
    if question.options:
        meta["options"] = [o.id for o in question.options]
        pinned = [o.id for o in question.options if o.pinned]
        if pinned:
            meta["pinned"] = pinned
    if question.regex is not None:
        meta["regex"] = question.regex
    if not question.typos:
        meta["typos"] = False
    if question.hints:
        meta["hints"] = question.hints
    if question.link:
        meta["link"] = question.link
    return meta


def question_to_gift(question: Question) -> str:
    """One question as a GIFT block (comment lines included), without a trailing blank line."""
    head = [
        f"// question: {question.id}  type: {question.type}",
        QUESTION_META + json.dumps(_metadata(question), ensure_ascii=True),
    ]
    title = f"::{escape(question.id)}::[markdown]{escape(question.prompt)}"
    general = f"\t####{escape(question.explanation)}"
    if question.type == "true_false":
        return "\n".join([*head, f"{title}{{{_true_false(question)}", general, "}"])
    if question.type == "short":
        body = [_answer("=", a, question.feedback) for a in question.accept]
    else:
        body = _choice_lines(question)
    return "\n".join([*head, title + "{", *body, general, "}"])


def quiz_to_gift(quiz: Quiz) -> str:
    """The whole quiz as a GIFT file: a header comment, a category, then one block a question."""
    meta = {
        "id": quiz.id,
        "title": quiz.title,
        "section": quiz.section,
        "pass_mark": quiz.pass_mark,
    }
    if quiz.summary:
        meta["summary"] = quiz.summary
    blocks = [
        "\n".join(
            [
                f"// {' '.join(clean(quiz.title).split())} ({quiz.id}), exported by dockerlab",
                QUIZ_META + json.dumps(meta, ensure_ascii=True),
            ]
        ),
        f"$CATEGORY: $course$/top/dockerlab/{quiz.id}",
        *(question_to_gift(q) for q in quiz.questions),
    ]
    return "\n\n".join(blocks) + "\n"
