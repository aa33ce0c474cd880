"""`dockerlab new lab SLUG` and `dockerlab new quiz ID`: commented starting files that work.

The starter lab is a real, tiny lab against the engine (run a busybox container named after the
lab, then read a file out of it), so `dockerlab validate` passes on it before the instructor
changes a line; the starter quiz has one question of each type. Both carry the
`# yaml-language-server: $schema=...` line so editors complete and check them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from dockerlab import paths
from dockerlab.authoring.schema import render, schema_file

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ScaffoldError(Exception):
    """The file cannot be written (bad id, or it exists already)."""


LAB_TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A dockerlab lab: steps a learner does against a real Docker engine, each proven by a check.
# The guide and the reference of every key: docs/authoring.md in the dockerlab repository.
#
#   dockerlab lint {lab_file}
#   dockerlab trust {root}                  (a folder's commands run only once you trust it)
#   dockerlab --content {root} validate {lab_folder}
#
# `validate` runs the lab end to end: for every step the check must FAIL, then the solution
# runs and the check must PASS; at the end everything under `cleanup:` is removed.
format_version: 1
id: {slug}                     # the folder's name: labs/{slug}/lab.yaml
title: {title}
section: private-registry     # a section id of a course map (content/course.yaml)
summary: >
  Run a container in the background and copy a file out of it.
minutes: 5
requires: [engine]            # also: swarm, root, routing-mesh, docker-hub
images: ["busybox:latest"]    # every image the lab uses; prepared before setup, offline too

variables:                    # {{{{ name }}}} anywhere below; learners may change them with --var
  container: {slug}

setup: []                     # commands run once in the lab workspace before the first step

cleanup:                      # everything the lab creates: reset and validate remove exactly this
  containers: ["{{{{ container }}}}"]
  paths: [hostname.txt]       # relative to the lab workspace

steps:
  - id: run-container
    title: Run a container in the background
    goal: A container named `{{{{ container }}}}` runs `busybox`.
    instructions: |
      Start a busybox container that keeps running, then list the running containers:

      ```
      docker container run -d --name {{{{ container }}}} busybox sleep 3600
      docker container ls
      ```
    solution:                 # what `dockerlab solve` and `validate` run for the learner
      - docker container run -d --name {{{{ container }}}} busybox sleep 3600
    hints:                    # revealed one at a time: a nudge first, the command last
      - "`docker container run -d` runs a container in the background; `--name` names it."
      - "`docker container run -d --name {{{{ container }}}} busybox sleep 3600`"
    check:                    # docs/authoring.md lists every check kind
      kind: container
      name: "{{{{ container }}}}"
      state: running
      image: busybox
    diagnoses:                # shown when the learner's output matches the pattern
      - pattern: 'The container name ".*" is already in use'
        explanation: >
          A container called `{{{{ container }}}}` exists already. Remove it with
          `docker container rm -f {{{{ container }}}}` and run the command again.

  - id: read-hostname
    title: Read a file out of the container
    goal: "`hostname.txt` in your workspace holds the container's hostname."
    instructions: |
      `docker container exec` runs a command in a running container. Save the container's
      hostname (its short id) to a file in your workspace:

      ```
      docker container exec {{{{ container }}}} hostname > hostname.txt
      cat hostname.txt
      ```
    solution:
      - docker container exec {{{{ container }}}} hostname > hostname.txt
    hints:
      - "`docker container exec NAME COMMAND` runs COMMAND inside the container NAME."
      - "`docker container exec {{{{ container }}}} hostname > hostname.txt`"
    check:
      kind: file
      path: hostname.txt
      contains: "^[0-9a-f]{{12}}$"
    diagnoses:
      - pattern: "is not running"
        explanation: >
          The container has stopped. Start it again with
          `docker container start {{{{ container }}}}`.
"""

QUIZ_TEMPLATE = """\
# yaml-language-server: $schema={schema}
#
# A dockerlab quiz: one question of each type to start from. docs/authoring.md describes every
# key; `dockerlab lint {quiz_file}` checks the file, `dockerlab quiz {quiz_id} --review` shows it.
format_version: 1
id: {quiz_id}                  # the file's name: content/{quiz_id}.quiz.yaml
title: {title}
section: my-section           # the course map section this quiz ends
pass_mark: 70                 # percent of questions right to pass
questions:
  - id: registry-port         # stable: learners' answers are recorded by it
    type: single              # one right option
    prompt: On which port does the `registry:2` image listen inside its container?
    options:
      - id: port-5000
        text: "5000"
        correct: true
        feedback: The registry serves its HTTP API on port 5000.
      - id: port-443
        text: "443"
        feedback: >-
          Not inside the container: 443 is where you might publish it once it serves HTTPS.
    explanation: >-
      `docker run -d -p 5000:5000 registry:2` publishes the container's port 5000 on the host.

  - id: image-name-parts
    type: multiple            # several right options; the learner picks all of them
    prompt: Which parts can an image reference like `127.0.0.1:5000/hello-world:latest` hold?
    options:
      - id: registry-host
        text: The registry's host and port
        correct: true
        feedback: "`127.0.0.1:5000` says where the image is pushed and pulled."
      - id: tag
        text: A tag
        correct: true
        feedback: "`latest` is the tag."
      - id: password
        text: A password
        feedback: Credentials never go in an image name; `docker login` stores them.
    explanation: An image reference is `[host[:port]/]path[:tag][@digest]`.

  - id: localhost-https
    type: true_false
    prompt: Docker pushes to a registry on 127.0.0.1 without HTTPS.
    answer: true
    feedback_true: Registries on 127.0.0.0/8 are exempt from the HTTPS rule.
    feedback_false: It does; only registries outside 127.0.0.0/8 need HTTPS.
    explanation: Docker insists on HTTPS except for registries on localhost.

  - id: push-command
    type: short               # fill in the blank; case, spaces and one typo are forgiven
    prompt: Which `docker` subcommand sends an image to a registry?
    accept: [push, docker push]
    explanation: "`docker push 127.0.0.1:5000/hello-world` sends the image named in it."
"""


def _title(slug: str, prefix: str = "") -> str:
    """A quoted YAML string: the id in words."""
    return json.dumps(prefix + slug.replace("-", " ").capitalize())


def _check_id(value: str, what: str) -> None:
    if not SLUG.match(value):
        raise ScaffoldError(
            f"'{value}' is not a valid {what}: use lowercase letters, digits and dashes, "
            "starting with a letter or digit (like 'registry-mirror')"
        )


def _schema_ref(target: Path, kind: str, root: Path) -> str:
    """The `$schema` path for a new file: dockerlab's own schema when the file is inside the
    dockerlab repository, else a copy in the content folder's `schemas/` (written if missing)."""
    bundled = schema_file(kind)
    target = target.resolve()
    if paths.REPO_ROOT in target.parents and bundled.is_file():
        return os.path.relpath(bundled, target.parent)
    local = root.resolve() / "schemas" / f"{kind}.schema.json"
    if not local.exists():
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_text(render(kind), encoding="utf-8")
    return os.path.relpath(local, target.parent)


def _write(target: Path, text: str, force: bool) -> Path:
    if target.exists() and not force:
        raise ScaffoldError(f"{target} exists already (use --force to overwrite it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def new_lab(slug: str, root: Path, *, force: bool = False) -> Path:
    """Write `<root>/labs/<slug>/lab.yaml`; returns its path."""
    _check_id(slug, "lab id")
    target = root / "labs" / slug / "lab.yaml"
    text = LAB_TEMPLATE.format(
        schema=_schema_ref(target, "lab", root),
        slug=slug,
        title=_title(slug),
        lab_file=_shown(target),
        lab_folder=_shown(target.parent),
        root=_shown(root),
    )
    return _write(target, text, force)


def new_quiz(quiz_id: str, root: Path, *, force: bool = False) -> Path:
    """Write `<root>/content/<id>.quiz.yaml`; returns its path."""
    _check_id(quiz_id, "quiz id")
    from dockerlab.model.quiz import RESERVED_IDS

    if quiz_id in RESERVED_IDS:
        raise ScaffoldError(f"'{quiz_id}' is a `dockerlab quiz` subcommand; choose another id")
    target = root / "content" / f"{quiz_id}.quiz.yaml"
    text = QUIZ_TEMPLATE.format(
        schema=_schema_ref(target, "quiz", root),
        quiz_id=quiz_id,
        title=_title(quiz_id, "Quiz: "),
        quiz_file=_shown(target),
    )
    return _write(target, text, force)
