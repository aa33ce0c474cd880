"""Read a GIFT file into a quiz, following Moodle's own reading of the format.

Questions are blocks separated by blank lines, or, where a file leaves those out, by a line that
starts another question (a `::title::`, a comment or its own `{answers}`) after the last one's
answers closed; a leading byte-order mark is ignored. `//` lines are comments (a
`// dockerlab {...}` comment, written by our export, restores what GIFT cannot hold).
Supported: multiple choice (one `=` → `single`; only `~` with weights → `multiple`), true/false
and short answer. Essay, numerical, matching and description blocks are skipped with a warning.
Syntax errors are problems at file:line:column; nothing is half-imported.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dockerlab.model.problems import ContentError, Problem
from dockerlab.model.quiz import Question, Quiz
from dockerlab.quiz.gift import QUESTION_META, QUIZ_META, unescape
from dockerlab.quiz.shuffle import letter

NO_EXPLANATION = "(The imported GIFT file gave no general feedback for this question.)"
# a section quiz has a dozen questions; a thousand is a question bank to split
MAX_QUESTIONS = 1000
WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")


@dataclass
class GiftImport:
    """A quiz read from GIFT, and the warnings about what could not come along."""

    quiz: Quiz
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Block:
    """One question's lines: the text with comments removed, and where each line started."""

    file: str
    body: str
    starts: list[tuple[int, int]]  # (offset in body, line number in the file)
    comments: list[str]

    def at(self, offset: int) -> tuple[int, int]:
        line, base = self.starts[0][1], 0
        for start, number in self.starts:
            if start <= offset:
                line, base = number, start
        return line, offset - base + 1

    def problem(self, offset: int, message: str, severity: str = "error") -> Problem:
        line, column = self.at(offset)
        return Problem(self.file, line, column, message, severity=severity)


def _braces(line: str, inside: bool) -> tuple[bool, bool]:
    """(inside an answer set after `line`, whether `line` closed one), skipping escapes."""
    closed = False
    i = 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "{" and not inside:
            inside = True
        elif line[i] == "}" and inside:
            inside, closed = False, True
        i += 1
    return inside, closed


def _starts_question(line: str) -> bool:
    """A line that can only begin another question: a title, a comment, or its own answers."""
    text = line.strip()
    return text.startswith(("::", "//", "$CATEGORY:")) or _find(text, "{") != -1


def _groups(text: str) -> Iterator[list[tuple[int, str]]]:
    """Numbered lines of each question: blocks between blank lines, and within a block a new
    question wherever a line starts one after the answers of the last one have closed."""
    lines: list[tuple[int, str]] = []
    inside = answered = False
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if not line.strip():
            if lines:
                yield lines
            lines, inside, answered = [], False, False
            continue
        if answered and not inside and _starts_question(line):
            yield lines
            lines, answered = [], False
        lines.append((number, line))
        if not line.strip().startswith("//"):
            inside, closed = _braces(line, inside)
            answered = answered or closed


def _blocks(text: str, file: str) -> list[_Block]:
    blocks: list[_Block] = []
    for lines in _groups(text.removeprefix("\ufeff")):
        body, starts, comments = "", [], []
        for n, raw in lines:
            if raw.strip().startswith("//"):
                comments.append(raw.strip())
                continue
            starts.append((len(body), n))
            body += raw + "\n"
        if starts:
            blocks.append(_Block(file, body.rstrip("\n"), starts, comments))
        else:
            blocks.append(_Block(file, "", [(0, lines[0][0])], comments))
    return blocks


@functools.lru_cache(maxsize=32)  # a question's text is searched for several markers, often
def _positions(text: str, target: str) -> tuple[int, ...]:
    """Offsets of every unescaped occurrence of `target` (a backslash escapes the next char)."""
    found: list[int] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(target, i):
            found.append(i)
            i += len(target)
        else:
            i += 1
    return tuple(found)


def _find(text: str, target: str, start: int = 0) -> int:
    """The offset of the first unescaped `target` at or after `start`, or -1."""
    return next((i for i in _positions(text, target) if i >= start), -1)


def _rfind(text: str, target: str) -> int:
    found = _positions(text, target)
    return found[-1] if found else -1


def _split(text: str, markers: str) -> list[tuple[int, str, str]]:
    """Split answers at unescaped markers: (offset, marker, raw text after it)."""
    cuts = sorted(i for m in markers for i in _positions(text, m))
    if not cuts:
        return []
    ends = [*cuts[1:], len(text)]
    return [(at, text[at], text[at + 1 : end]) for at, end in zip(cuts, ends, strict=True)]


def _text_and_feedback(raw: str) -> tuple[str, str | None]:
    cut = _find(raw, "#")
    if cut == -1:
        return unescape(raw.strip()), None
    return unescape(raw[:cut].strip()), unescape(raw[cut + 1 :].strip()) or None


def _meta(
    comments: list[str], prefix: str, block: _Block, warnings: list[Problem]
) -> dict[str, Any]:
    """The JSON object in a `// dockerlab ...` comment (our export writes it), else {}."""
    for comment in comments:
        if not comment.startswith(prefix):
            continue
        try:
            found = json.loads(comment[len(prefix) :])
        except json.JSONDecodeError as exc:
            found = f"not JSON ({exc})"
        if isinstance(found, dict):
            return found
        warnings.append(
            block.problem(
                0, f"ignored a dockerlab comment that is not a JSON object: {found}", "warning"
            )
        )
    return {}


def slug(text: str) -> str:
    """A lower-case id made of letters, digits and dashes ("" when nothing is left)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:60].strip("-")


class _Reader:
    """Reads one block into the keys of a Question (or a problem)."""

    def __init__(self, block: _Block, meta: dict[str, Any], warnings: list[Problem]) -> None:
        self.block, self.meta, self.warnings = block, meta, warnings

    def warn(self, offset: int, message: str) -> None:
        self.warnings.append(self.block.problem(offset, message, "warning"))

    def fail(self, offset: int, message: str) -> ContentError:
        return ContentError([self.block.problem(offset, message)])

    def option_ids(self, count: int) -> list[str]:
        ids = self.meta.get("options")
        if isinstance(ids, list) and len(ids) == count and all(isinstance(i, str) for i in ids):
            return ids
        return [letter(i) for i in range(count)]

    def choices(self, answers: str, base: int) -> dict[str, Any]:
        items = _split(answers, "~=")
        if answers[: items[0][0]].strip():
            raise self.fail(base, "text before the first answer: each answer starts with = or ~")
        single = any(marker == "=" for _, marker, _ in items)
        pins = self.meta.get("pinned")
        ids, pinned = self.option_ids(len(items)), set(pins) if isinstance(pins, list) else set()
        options = []
        for (at, marker, raw), oid in zip(items, ids, strict=True):
            weight = 100.0 if marker == "=" else 0.0
            found = WEIGHT.match(raw.lstrip())
            if found:
                weight, raw = float(found.group(1)), raw.lstrip()[found.end() :]
            if single and marker == "~" and weight > 0:
                self.warn(base + at, "partial credit is not supported: this option counts as wrong")
            text, feedback = _text_and_feedback(raw)
            correct = marker == "=" if single else weight > 0
            option = {"id": oid, "text": text, "correct": correct, "feedback": feedback}
            options.append(option | ({"pinned": True} if oid in pinned else {}))
        rights = [at for at, marker, _ in items if marker == "="]
        if len(rights) > 1:
            raise self.fail(
                base + rights[1],
                "several `=` answers: a single-choice question has "
                "one right answer; for several, mark them ~%50% (weights adding up "
                "to 100)",
            )
        return {"type": "single" if single else "multiple", "options": options}

    def true_false(self, answers: str) -> dict[str, Any]:
        # at most three parts, like Moodle: the answer, then wrong and right feedback
        cuts = _positions(answers, "#")[:2]
        bounds = [-1, *cuts, len(answers)]
        parts = [answers[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]
        value = parts[0].strip() in ("T", "TRUE")
        wrong = unescape(parts[1].strip()) if len(parts) > 1 else ""
        right = unescape(parts[2].strip()) if len(parts) > 2 else ""
        return {
            "type": "true_false",
            "answer": value,
            "feedback_true": (right if value else wrong) or None,
            "feedback_false": (wrong if value else right) or None,
        }

    def short(self, answers: str, base: int) -> dict[str, Any]:
        accept: list[str] = []
        feedbacks: list[str] = []
        items = _split(answers, "=")
        if not items or answers[: items[0][0]].strip():
            raise self.fail(base, "text before the first answer: each answer starts with = or ~")
        for at, _, raw in items:
            found = WEIGHT.match(raw.lstrip())
            if found:
                raw = raw.lstrip()[found.end() :]
                if float(found.group(1)) != 100:
                    self.warn(base + at, "partial credit is not supported: answer skipped")
                    continue
            text, feedback = _text_and_feedback(raw)
            if text == "*":
                self.warn(base + at, "the * wildcard answer is not supported: skipped")
                continue
            accept.append(text)
            if feedback:
                feedbacks.append(feedback)
        if len(set(feedbacks)) > 1:
            self.warn(base, "answers have different feedback; dockerlab keeps the first for all")
        data: dict[str, Any] = {"type": "short", "accept": accept}
        data["feedback"] = feedbacks[0] if feedbacks else None
        if "regex" in self.meta:
            data["regex"] = self.meta["regex"]
        if self.meta.get("typos") is False:
            data["typos"] = False
        return data

    def read(self, number: int) -> dict[str, Any] | None:
        body = self.block.body
        pos, title = 0, ""
        if body.startswith("::"):
            end = _find(body, "::", 2)
            if end == -1:
                raise self.fail(0, "the title has no closing `::` (escape a literal colon as \\:)")
            title, pos = unescape(body[2:end].strip()), end + 2
        start = _find(body, "{", pos)
        if start == -1:
            self.warn(pos, "a block without {answers} is a description, not a question: skipped")
            return None
        end = _find(body, "}", start)
        if end == -1:
            raise self.fail(start, "the answers have no closing } (escape a literal brace as \\})")
        prompt = body[pos:start].strip()
        after = body[end + 1 :].strip()
        if after:  # Moodle's missing-word form: the answers stand for a blank in the text
            prompt = f"{prompt} _____ {after}"
        fmt = re.match(r"\[(html|moodle|plain|markdown)\]", prompt)
        if fmt:
            prompt = prompt[fmt.end() :]
            if fmt.group(1) == "html":
                self.warn(pos, "HTML question text is kept as is; the app shows it as Markdown")
        answers = body[start + 1 : end]
        general = _rfind(answers, "####")
        explanation = unescape(answers[general + 4 :].strip()) if general != -1 else ""
        if general != -1:
            answers = answers[:general]
        base = start + 1 + (len(answers) - len(answers.lstrip()))
        answers = answers.strip()
        kind = self.kind(answers, base)
        if kind is None:
            return None
        data = (
            self.choices(answers, base)
            if kind == "choice"
            else self.true_false(answers)
            if kind == "true_false"
            else self.short(answers, base)
        )
        if not explanation:
            self.warn(start, "no general feedback (####): the explanation says so; write one")
        qid = slug(title) or f"q{number}"
        data |= {"id": qid, "prompt": unescape(prompt.strip()) or title or qid}
        data["explanation"] = explanation or NO_EXPLANATION
        data["hints"] = self.meta.get("hints", [])
        data["link"] = self.meta.get("link")
        return data

    def kind(self, answers: str, base: int) -> str | None:
        if not answers:
            self.warn(base, "essay questions ({}) are not supported: skipped")
            return None
        if answers.startswith("#"):
            self.warn(base, "numerical questions ({#...}) are not supported: skipped")
            return None
        if _find(answers, "~") != -1:
            return "choice"
        if _find(answers, "=") != -1 and _find(answers, "->") != -1:
            self.warn(base, "matching questions (=a -> b) are not supported: skipped")
            return None
        head = answers[: _find(answers, "#")] if _find(answers, "#") != -1 else answers
        return "true_false" if head.strip() in ("T", "TRUE", "F", "FALSE") else "short"


def _question(data: dict[str, Any], block: _Block) -> Question:
    clean = {k: v for k, v in data.items() if v is not None}
    try:
        return Question.model_validate(clean)
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise ContentError([block.problem(0, f"question '{data['id']}': {messages}")]) from exc


def read_gift(text: str, file: str, quiz_id: str | None = None) -> GiftImport:
    """Read GIFT text into a quiz; raises ContentError listing every problem found.

    The quiz id is `quiz_id`, else the one in a dockerlab header comment, else the file name.
    """
    warnings: list[Problem] = []
    problems: list[Problem] = []
    header: dict[str, Any] = {}
    questions: list[Question] = []
    seen: set[str] = set()
    for block in _blocks(text, file):
        if not block.body or block.body.startswith("$CATEGORY:"):
            header = header or _meta(block.comments, QUIZ_META, block, warnings)
            continue
        if len(questions) >= MAX_QUESTIONS:
            problems.append(
                block.problem(
                    0,
                    f"more than {MAX_QUESTIONS:,} questions: a quiz holds at most "
                    f"{MAX_QUESTIONS:,}; split the file (one quiz per section)",
                )
            )
            break
        meta = _meta(block.comments, QUESTION_META, block, warnings)
        try:
            data = _Reader(block, meta, warnings).read(len(questions) + 1)
            if data is None:
                continue
            base, n = data["id"], 2
            while data["id"] in seen:
                data["id"], n = f"{base}-{n}", n + 1
            seen.add(data["id"])
            questions.append(_question(data, block))
        except ContentError as err:
            problems.extend(err.problems)
    if not questions and not problems:
        problems.append(
            Problem(
                file,
                1,
                1,
                "no questions found: GIFT questions look like `::id::Question text{=right ~wrong}`",
            )
        )
    if problems:
        raise ContentError(problems)
    name = file.rsplit("/", 1)[-1].removesuffix(".gift").removesuffix(".txt")
    qid = quiz_id or slug(str(header.get("id", ""))) or slug(name) or "imported"
    try:
        quiz = Quiz(
            id=qid,
            title=str(header.get("title") or f"Imported quiz {qid}"),
            section=slug(str(header.get("section", ""))) or "imported",
            summary=header.get("summary"),
            pass_mark=header.get("pass_mark", 70),
            questions=questions,
        )
    except ValidationError as exc:
        messages = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise ContentError([Problem(file, 1, 1, f"the quiz header: {messages}")]) from exc
    if "section" not in header:
        warnings.append(
            Problem(
                file,
                1,
                1,
                "set `section:` to the course section this quiz belongs to (it says `imported`)",
                severity="warning",
            )
        )
    return GiftImport(quiz=quiz, warnings=warnings)
