"""`dockerlab serve`: the app in a web browser, with textual-serve.

Every browser session starts its own app process (textual-serve runs the command once per
WebSocket) with its own learner data: a fresh folder under $DOCKERLAB_HOME/sessions/ (see
cli/websession.py). It listens on 127.0.0.1 unless told otherwise: the app runs `docker`
commands and a shell, so whoever reaches the port controls the engine. Listening on another
address needs `--behind-login`, and the command prints how to put a login in front.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dockerlab.cli.common import EXIT_ERROR, EXIT_PASS

LOGIN_HOWTO = """\
Put it behind a login before others can reach it. For example nginx with basic auth:

    location / {{
        auth_basic           "dockerlab";
        auth_basic_user_file /etc/nginx/dockerlab.htpasswd;   # htpasswd -B -c FILE NAME
        proxy_pass           http://127.0.0.1:{port};
        proxy_http_version   1.1;
        proxy_set_header     Upgrade $http_upgrade;           # the app talks over a WebSocket
        proxy_set_header     Connection "upgrade";
        proxy_set_header     Host $host;
    }}

and run `dockerlab serve --port {port} --public-url https://YOUR.HOST` (127.0.0.1 stays the
listening address). Or let each learner tunnel: ssh -L {port}:127.0.0.1:{port} THIS-SERVER."""


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "serve",
        help="the app in a web browser (one app and its own learner data per browser session)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when a proxy stands in front (https://host)",
    )
    p.add_argument(
        "--behind-login",
        action="store_true",
        help="allow a --host other than loopback: you have put a login in front of it",
    )
    # `dockerlab --var ... --challenge serve`: the app's options, for every browser session
    p.set_defaults(handler=cmd_serve, takes_app_options=True)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def page_templates(folder: Path) -> Path:
    """textual-serve's page without its Google Fonts link: a classroom may have no internet,
    and the page should fetch nothing but this server's own files."""
    from importlib.resources import files

    page = files("textual_serve").joinpath("templates/app_index.html").read_text("utf-8")
    page = re.sub(r"<link[^>]*fonts\.googleapis\.com[^>]*>", "", page, flags=re.S)
    (folder / "app_index.html").write_text(page, encoding="utf-8")
    return folder


def session_command(
    content: list[str], variables: Sequence[str] = (), *, challenge: bool = False
) -> str:
    """The shell command textual-serve runs for each browser session; it is given this run's
    `--content` folders, `--var` values and `--challenge` (the environment it inherits holds the
    rest of the settings)."""
    words = [sys.executable, "-m", "dockerlab.cli.websession"]
    for folder in content:
        words += ["--content", str(Path(folder).resolve())]
    for item in variables:
        words += ["--var", item]
    if challenge:
        words.append("--challenge")
    return shlex.join(words)


def cmd_serve(args: argparse.Namespace) -> int:
    if not _loopback(args.host) and not args.behind_login:
        print(
            f"dockerlab serve: not listening on {args.host}: the app runs docker commands and a "
            "shell, so anyone who reaches the port controls this engine.\n"
            + LOGIN_HOWTO.format(port=args.port)
            + "\nThen add --behind-login to listen on another address anyway.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    from dockerlab.cli.common import parse_vars

    if parse_vars(args.app_vars) is None:  # a malformed --var is said now, not in each session
        return EXIT_ERROR
    try:
        from textual_serve.server import Server
    except ImportError:
        print("dockerlab serve needs textual-serve: pip install textual-serve", file=sys.stderr)
        return EXIT_ERROR
    from dockerlab.paths import data_dir

    with tempfile.TemporaryDirectory(prefix="dockerlab-serve-") as tmp:
        server = Server(
            session_command(args.content, args.app_vars, challenge=args.app_challenge),
            host=args.host,
            port=args.port,
            title="dockerlab",
            public_url=args.public_url,
            templates_path=page_templates(Path(tmp)),
        )
        print(f"dockerlab: open {server.public_url} in a browser", flush=True)
        print(f"each browser session gets its own learner data under {data_dir() / 'sessions'}")
        if _loopback(args.host):
            print("listening on this machine only.")
        print(LOGIN_HOWTO.format(port=args.port), flush=True)
        server.serve()
    return EXIT_PASS
