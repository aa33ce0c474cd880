"""Fuzz the GIFT reader (random text, mutations of every bundled quiz's export) and the answer
matcher: a quiz or ContentError, a verdict, never a traceback; what imports also loads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerlab.model.problems import ContentError
from dockerlab.model.quiz import find_quizzes, parse_quiz
from dockerlab.quiz.export import export_quiz
from dockerlab.quiz.gift_import import read_gift
from dockerlab.quiz.matching import match_short, normalise
from dockerlab.quiz.yamlout import quiz_to_yaml
from tests.fuzz.conftest import feed
from tests.fuzz.test_loaders import MUTATIONS, mutate

GIFT_BITS = st.sampled_from(
    [
        "\n",
        "\n\n",
        "::",
        "::t::",
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        "%50%",
        "%-100%",
        "->",
        "T",
        "FALSE",
        "\\",
        "\\:",
        "\\n",
        "[markdown]",
        "[html]",
        "$CATEGORY: x",
        "// c",
        '// dockerlab {"hints": ["h"]}',
        "// dockerlab {",
        '// dockerlab-quiz {"id": "x"}',
        "\ufeff",
        "\x00",
        "\x1b[2J",
        "\u202e",
        " ",
        "a",
        "5000",
    ]
)
GIFT_TEXT = st.lists(st.one_of(GIFT_BITS, st.text(max_size=5)), max_size=60).map("".join)
EXPORTS = [export_quiz(loaded.quiz, "gift")[0] for loaded in find_quizzes().quizzes.values()]


def import_and_load(text: str) -> None:
    result = read_gift(text, "fuzz.gift")
    body = quiz_to_yaml(result.quiz)
    parse_quiz(body, f"{result.quiz.id}.quiz.yaml")  # what imports must load


@given(text=GIFT_TEXT)
def test_random_gift_imports_or_raises_content_error(text: str) -> None:
    with feed("gift text", ContentError):
        import_and_load(text)


@pytest.mark.parametrize("index", range(len(EXPORTS)))
@given(steps=MUTATIONS)
def test_mutated_exports_import_or_raise_content_error(
    index: int, steps: list[tuple[str, int, str]]
) -> None:
    with feed("gift mutation", ContentError):
        import_and_load(mutate(EXPORTS[index], steps))


ANSWER_TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            [
                "ca.crt",
                "127.0.0.1",
                ":",
                "5000",
                "-p",
                "-P",
                " ",
                ".",
                "`",
                '"',
                "webhook",
                "\u202e",
                "\t",
                "é",
                "ﬁ",
                "ß",
                "İ",
            ]
        ),
        max_size=8,
    ).map("".join),
)


@given(
    given_text=ANSWER_TEXT,
    accept=st.lists(ANSWER_TEXT, min_size=1, max_size=3),
    typos=st.booleans(),
)
def test_the_matcher_always_answers(given_text: str, accept: list[str], typos: bool) -> None:
    with feed("answer"):
        verdict = match_short(given_text, accept, None, typos=typos)
        if verdict.accepted and verdict.note is None:
            assert normalise(given_text) in {normalise(a) for a in accept}


TECHNICAL = st.from_regex(r"[a-z]{1,4}[.:/_-][a-z0-9]{1,4}(:[0-9]{2,4})?", fullmatch=True)


@given(answer=TECHNICAL, data=st.data())
def test_dropping_or_changing_a_technical_character_is_never_accepted(
    answer: str, data: st.DataObject
) -> None:
    spots = [i for i, ch in enumerate(answer) if not ch.isalpha()]
    at = data.draw(st.sampled_from(spots))
    other = data.draw(st.sampled_from([c for c in "._:/-0123456789 " if c != answer[at]]))
    for typed in (answer[:at] + answer[at + 1 :], answer[:at] + other + answer[at + 1 :]):
        with feed("near miss"):
            assert not match_short(typed, [answer]).accepted, (typed, answer)


@given(
    pattern=st.sampled_from([r"^(a+)+$", r"^(a|aa)+(b|bb)+$", r"(\w+\s?)*$", r"(x+x+)+y"]),
    text=st.text(alphabet="ab !xy", max_size=60),
)
def test_author_patterns_always_answer(pattern: str, text: str) -> None:
    with feed("pattern"):
        match_short(text, ["zzzz"], pattern)
