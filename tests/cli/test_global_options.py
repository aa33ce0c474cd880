"""Options given before the command: `--var` reaches the lab command that follows (as one after
it would; the one after wins), and is refused with a reason before a command that takes no lab
variables. No engine is needed: `show` only reads the lab."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

from tests.conftest import Cli


def test_a_var_before_show_fills_the_lab(cli: Cli) -> None:
    code, out, err = cli("--var", "bridge_host=10.1.2.3", "show", "registry-tls", "reach-by-bridge")
    assert code == 0, err
    assert "valid for both 127.0.0.1 and 10.1.2.3" in out
    assert "172.17.0.1:5000" not in out


def test_a_var_after_the_command_wins(cli: Cli) -> None:
    code, out, err = cli(
        "--var",
        "bridge_host=10.1.2.3",
        "show",
        "--var",
        "bridge_host=10.9.9.9",
        "registry-tls",
        "reach-by-bridge",
    )
    assert code == 0, err
    assert "valid for both 127.0.0.1 and 10.9.9.9" in out


def test_a_var_before_a_command_without_variables_is_refused(cli: Cli) -> None:
    code, out, err = cli("--var", "registry_port=5001", "progress", "show")
    assert code == 2
    assert "--var before `progress` sets nothing: it takes no lab variables" in err
    assert out == ""


def test_a_malformed_var_before_show_is_located(cli: Cli) -> None:
    code, _out, err = cli("--var", "oops", "show", "registry-tls")
    assert code == 2
    assert "command line: --var needs NAME=VALUE, got 'oops'" in err


def test_serve_hands_vars_and_challenge_to_each_browser_session(tmp_path: Path) -> None:
    from dockerlab.cli.serve import session_command

    words = shlex.split(
        session_command([], ["bridge_host=10.1.2.3", "registry_port=5001"], challenge=True)
    )
    assert words[1:] == [
        "-m",
        "dockerlab.cli.websession",
        "--var",
        "bridge_host=10.1.2.3",
        "--var",
        "registry_port=5001",
        "--challenge",
    ]


def test_a_browser_session_opens_the_app_with_those_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's app is built from its own command line (run_app is replaced so that no
    app is started: what is checked is what it would be given)."""
    from dockerlab.cli import websession
    from dockerlab.tui import app as tui_app

    built: list[object] = []

    def fake_run_app(args: argparse.Namespace | None = None, *, engine: object = None) -> int:
        built.append(tui_app.create_app(args, engine=engine))  # type: ignore[arg-type]
        return 0

    monkeypatch.setenv("DOCKERLAB_HOME", str(tmp_path))
    monkeypatch.setattr(tui_app, "run_app", fake_run_app)
    assert websession.main(["--var", "bridge_host=10.1.2.3", "--challenge"]) == 0
    [app] = built
    assert isinstance(app, tui_app.DockerLabApp)
    assert app.options.overrides == {"bridge_host": "10.1.2.3"}
    assert app.options.challenge is True


def test_a_malformed_var_before_serve_is_said_before_serving(cli: Cli) -> None:
    code, out, err = cli("--var", "oops", "serve")
    assert code == 2
    assert "command line: --var needs NAME=VALUE, got 'oops'" in err
    assert "open http" not in out
