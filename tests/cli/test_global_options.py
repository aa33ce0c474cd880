"""Options given before the command: `--var` reaches the lab command that follows (as one after
it would; the one after wins), and is refused with a reason before a command that takes no lab
variables. No engine is needed: `show` only reads the lab."""

from __future__ import annotations

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
