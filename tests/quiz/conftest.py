"""Fixtures for the quiz tests: the bundled quizzes, and a small quiz using every feature."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dockerlab.model.quiz import LoadedQuiz, Quiz, find_quizzes, parse_quiz
from dockerlab.paths import bundled_content

SAMPLE = """\
format_version: 1
id: sample
title: "Sample: every feature"
section: hub
pass_mark: 60
questions:
  - id: pick-one
    type: single
    prompt: Which port does the registry listen on?
    options:
      - {id: p80, text: "80", feedback: "That is HTTP's usual port."}
      - {id: p5000, text: "5000", correct: true, feedback: "The registry image listens on 5000."}
      - {id: p443, text: "443", feedback: "That is HTTPS's usual port."}
      - {id: none, text: None of these, pinned: true, feedback: "One of them is right."}
    explanation: The registry listens on 5000 inside its container.
  - id: pick-many
    type: multiple
    prompt: Which are registries?
    options:
      - {id: hub, text: Docker Hub, correct: true, feedback: "The default one."}
      - {id: quay, text: Quay.io, correct: true, feedback: "Red Hat's."}
      - {id: swarm, text: Swarm, feedback: "An orchestrator, not a registry."}
    explanation: Hub and Quay store images; Swarm runs them.
  - id: yes-no
    type: true_false
    prompt: "Docker talks to 127.0.0.1:5000 over plain HTTP."
    answer: true
    feedback_true: "Loopback is exempt."
    feedback_false: "127.0.0.0/8 is the exception."
    explanation: Registries on 127.0.0.0/8 need no TLS.
  - id: fill-in
    type: short
    prompt: "Docker Hub calls a ______ on every push."
    accept: [webhook, webhooks, web hook, web-hook]
    regex: "web[ -]?hooks? url"
    feedback: "A URL called on an event."
    explanation: A webhook is an HTTP POST to your URL.
    hints: [It starts with web.]
    link: docker-hub
"""

# a quiz with five mistakes; tests name their lines and columns
BROKEN = """\
id: broken
title: Broken
section: hub
pass_mark: high
questions:
  - id: q1
    type: singel
    prompt: Which?
    explanation: Because.
  - id: q2
    type: single
    prompt: Which?
    explenation: Because.
    options:
      - id: a
        text: A
        correct: true
        feedbak: Why.
      - id: b
        text: B
"""


def write_quiz(folder: Path, text: str, name: str = "sample") -> Path:
    path = folder / f"{name}.quiz.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def sample() -> Quiz:
    return parse_quiz(SAMPLE, "sample.quiz.yaml")


@pytest.fixture(scope="session")
def bundled() -> dict[str, LoadedQuiz]:
    catalog = find_quizzes([bundled_content()])
    assert not catalog.problems, "\n".join(str(p) for p in catalog.problems)
    return catalog.quizzes
