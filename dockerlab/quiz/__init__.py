"""Quizzes: answer matching, scoring, option order, GIFT and Moodle XML. Pure functions.

What a quiz screen needs, in order of use:

    catalog = find_quizzes()                  # every quiz, plus problems of broken files
    loaded = find_quiz("container-registries")
    shown = arrange(question, seed)           # options in display order (seed=None: file order)
    graded = grade(question, answer)          # answer: option id(s), a bool, or the text typed
    attempt = score(loaded.quiz, answers)     # -> QuizAttempt: score, total, passed, missed
    again = missed_questions(loaded.quiz, attempt)
    attempt = retry(loaded.quiz, attempt, regraded)

`QuizAttempt` (from `dockerlab.progress.records`) is what the learner's progress record keeps:
the store takes the attempt `score` returns as it is.
"""

from dockerlab.model.quiz import (
    LoadedQuiz,
    Option,
    Question,
    Quiz,
    QuizCatalog,
    QuizNotFound,
    find_quiz,
    find_quizzes,
    load_quiz,
)
from dockerlab.quiz.matching import ShortMatch, match_short, normalise
from dockerlab.quiz.scoring import (
    Graded,
    QuizAttempt,
    grade,
    missed_questions,
    retry,
    right_answer_text,
    score,
    unreadable,
)
from dockerlab.quiz.shuffle import arrange, letter

__all__ = [
    "Graded",
    "LoadedQuiz",
    "Option",
    "Question",
    "Quiz",
    "QuizAttempt",
    "QuizCatalog",
    "QuizNotFound",
    "ShortMatch",
    "arrange",
    "find_quiz",
    "find_quizzes",
    "grade",
    "letter",
    "load_quiz",
    "match_short",
    "missed_questions",
    "normalise",
    "retry",
    "right_answer_text",
    "score",
    "unreadable",
]
