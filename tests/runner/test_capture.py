"""Captured values without an engine: names checked when the lab loads, filled into a step,
kept in the lab state and forgotten with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab.model.loader import load_lab
from dockerlab.model.problems import ContentError
from dockerlab.runner.capture import fill, waiting_for
from dockerlab.runner.state import LabState

LAB = """\
format_version: 1
id: cap
title: Cap
section: private-registry
summary: Captures.
minutes: 5
variables:
  registry_port: 5000
steps:
  - id: push
    title: Push
    instructions: Push it.
    solution: docker push 127.0.0.1:{{ registry_port }}/busybox
    hints: [one, two]
    check: {kind: image, ref: "127.0.0.1:{{ registry_port }}/busybox"}
    capture:
      {name}:
        repo_digest: "127.0.0.1:{{ registry_port }}/busybox"
  - id: delete
    title: Delete
    instructions: "Delete {{ digest }} now."
    solution: curl -X DELETE http://127.0.0.1:{{ registry_port }}/v2/busybox/manifests/{{ digest }}
    hints: [one, two]
    check:
      kind: registry
      url: "http://127.0.0.1:{{ registry_port }}"
      repository: busybox
      manifest: "{{ digest }}"
      present: false
"""


def write(tmp_path: Path, name: str = "digest") -> Path:
    path = tmp_path / "lab.yaml"
    path.write_text(LAB.replace("{name}", name))
    return path


def test_a_captured_name_is_known_and_filled_at_run_time(tmp_path: Path) -> None:
    lab = load_lab(write(tmp_path)).lab
    delete = lab.steps[1]
    assert delete.instructions == "Delete {{ digest }} now."
    assert waiting_for(delete, {"digest": "push"}) == ["digest"]
    filled = fill(delete, {"digest": "sha256:abc"})
    assert filled.instructions == "Delete sha256:abc now."
    assert filled.solution[0].run.endswith("/manifests/sha256:abc")
    assert filled.check.manifest == "sha256:abc"  # type: ignore[union-attr]
    assert waiting_for(filled, {"digest": "push"}) == []
    assert fill(lab.steps[0], {"digest": "x"}) is lab.steps[0]  # nothing to fill: the same step


def test_a_capture_named_like_a_variable_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="'registry_port' is a variable already"):
        load_lab(write(tmp_path, "registry_port"))


def test_an_unknown_name_is_still_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"unknown variable '\{\{ digest \}\}'"):
        load_lab(write(tmp_path, "dgst"))


def test_captured_values_live_in_the_lab_state(tmp_path: Path) -> None:
    state = LabState.load(tmp_path)
    state.captured["digest"] = "sha256:abc"
    state.save(tmp_path)
    assert LabState.load(tmp_path).captured == {"digest": "sha256:abc"}
    LabState.clear(tmp_path)  # what reset does
    assert LabState.load(tmp_path).captured == {}
