"""The trust store: a content folder's commands run only once trusted, pinned to its content."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.checks.result import Status
from dockerlab.engine import Engine
from dockerlab.model.loader import load_lab
from dockerlab.runner import trust
from dockerlab.runner.session import LabSession
from dockerlab.runner.trust import UntrustedContent
from tests.conftest import GOOD_LAB, Cli, write_lab


def _session(lab_file: Path, tmp_path: Path) -> LabSession:
    # an Engine that is never asked: these tests stop before anything reaches the engine
    return LabSession(
        load_lab(lab_file),
        Engine(base_url="unix:///nonexistent.sock"),
        workspace=tmp_path / "ws",
        capabilities={"engine"},
    )


def test_the_bundled_course_is_always_trusted() -> None:
    assert trust.is_trusted(paths.bundled_labs() / "registry-basics" / "lab.yaml")
    assert trust.is_bundled(paths.bundled_content() / "course.yaml")


def test_a_new_folder_is_untrusted_and_the_message_says_what_to_run(tmp_path: Path) -> None:
    lab = write_lab(tmp_path / "pack", GOOD_LAB)
    with pytest.raises(UntrustedContent) as caught:
        trust.check_trusted(lab)
    folder = (tmp_path / "pack").resolve()
    assert str(caught.value) == (
        f"labs from {folder} are not trusted yet: read them, then run `dockerlab trust {folder}`"
    )


def test_trust_is_pinned_to_the_content_and_a_change_untrusts_it(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    lab = write_lab(pack, GOOD_LAB)
    entry = trust.trust(pack)
    assert entry.status == "trusted"
    assert trust.is_trusted(lab)
    lab.write_text(lab.read_text() + "# an edit\n")
    with pytest.raises(UntrustedContent, match="have changed since you trusted them") as caught:
        trust.check_trusted(lab)
    assert caught.value.changed
    assert [e.status for e in trust.trusted_folders()] == ["changed"]
    trust.trust(pack)
    assert trust.is_trusted(lab)


def test_a_new_or_removed_file_changes_the_digest_but_caches_do_not(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    write_lab(pack, GOOD_LAB)
    before = trust.content_digest(pack)
    (pack / ".git").mkdir()
    (pack / ".git" / "HEAD").write_text("ref: main")
    (pack / "labs" / "__pycache__").mkdir()
    (pack / "labs" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert trust.content_digest(pack) == before
    (pack / "labs" / "tiny" / "setup.sh").write_text("echo hi\n")
    added = trust.content_digest(pack)
    assert added != before
    (pack / "labs" / "tiny" / "setup.sh").unlink()
    assert trust.content_digest(pack) == before


def test_revoke_and_list(tmp_path: Path, cli: Cli) -> None:
    pack = tmp_path / "pack"
    write_lab(pack, GOOD_LAB)
    code, out, _ = cli("trust", str(pack))
    assert code == 0
    assert "labs/tiny/lab.yaml: 1 setup/solution command(s)" in out
    code, out, _ = cli("trust", "--list")
    assert f"{pack.resolve()}: trusted" in out
    assert "bundled course: always trusted" in out
    code, out, _ = cli("trust", "--revoke", str(pack))
    assert code == 0
    assert "no longer trusted" in out
    assert not trust.is_trusted(pack / "labs" / "tiny" / "lab.yaml")
    code, _, err = cli("trust", "--revoke", str(pack))
    assert code == 2
    assert "was not trusted" in err


def test_trusting_a_missing_folder_is_an_error(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("trust", str(tmp_path / "nope"))
    assert code == 2
    assert "is not a folder" in err


def test_session_refuses_commands_and_cleanup_of_an_untrusted_lab(tmp_path: Path) -> None:
    session = _session(write_lab(tmp_path / "pack", GOOD_LAB), tmp_path)
    with pytest.raises(UntrustedContent):
        session.run("echo should-not-run > ran.txt")
    with pytest.raises(UntrustedContent):
        session.solve(session.lab.steps[0])
    with pytest.raises(UntrustedContent):
        session.cleanup()
    assert not (tmp_path / "ws" / "ran.txt").exists()


def test_session_runs_commands_once_the_folder_is_trusted(tmp_path: Path) -> None:
    session = _session(write_lab(tmp_path / "pack", GOOD_LAB), tmp_path)
    trust.trust(tmp_path / "pack")
    outcome = session.run("echo ran > ran.txt")
    assert outcome.ok
    assert (tmp_path / "ws" / "ran.txt").read_text() == "ran\n"


def test_checks_run_for_untrusted_labs_but_command_checks_are_refused(tmp_path: Path) -> None:
    lab = write_lab(
        tmp_path / "pack",
        GOOD_LAB.replace(
            """      check:
          kind: container
          name: "{{ box }}"
""",
            """      check:
          kind: all
          checks:
            - kind: file
              path: ran.txt
              exists: false
            - kind: command
              run: touch ran.txt
""",
        ),
    )
    session = _session(lab, tmp_path)
    result = session.attempt(session.lab.steps[0]).verdict
    assert result.status is Status.ERROR
    assert (
        "the check of step 'run-box' runs a shell command (a `command` check), and labs from"
        in result.message
    )
    assert not (tmp_path / "ws" / "ran.txt").exists()
    file_only = write_lab(
        tmp_path / "other",
        GOOD_LAB.replace(
            """      check:
          kind: container
          name: "{{ box }}"
""",
            """      check:
          kind: file
          path: ran.txt
          exists: false
""",
        ),
    )
    assert _session(file_only, tmp_path).attempt(load_lab(file_only).lab.steps[0]).passed
    trust.trust(tmp_path / "pack")
    assert session.attempt(session.lab.steps[0]).verdict.passed
    assert (tmp_path / "ws" / "ran.txt").exists()  # trusted: the command check ran


def test_dockerlabs_own_data_inside_a_trusted_folder_does_not_change_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack"
    lab = write_lab(pack, GOOD_LAB)
    monkeypatch.setenv("DOCKERLAB_HOME", str(pack / ".local-data"))
    monkeypatch.setenv("DOCKERLAB_WORKSPACES", str(pack / "workspaces"))
    trust.trust(pack)  # writes trust.json inside the folder it trusts
    (pack / "workspaces" / "tiny").mkdir(parents=True)
    (pack / "workspaces" / "tiny" / "made.txt").write_text("x")
    assert trust.is_trusted(lab)
