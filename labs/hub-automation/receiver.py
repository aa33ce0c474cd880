#!/usr/bin/env python3
"""A webhook receiver standing in for Jenkins: it logs every registry event it is sent and,
for the pushes you name, runs a job (the "repository link" of the hub-automation lab).

    python3 receiver.py --port 5080 --log events.jsonl --pidfile receiver.pid \
        --on-push base=./rebuild-app.sh

- Every event the registry POSTs (an envelope `{"events": [...]}`) is appended to the log
  as it came, one JSON object per line.
- `--on-push REPOSITORY[:TAG]=COMMAND`: after the push of a manifest of that repository (and
  tag; any tag when left out), COMMAND runs with /bin/sh in the current folder, one job at a
  time, with $REPOSITORY, $TAG and $DIGEST set. Its output goes to this program's output; its
  exit code goes to the log as `{"job": {...}}`.
- The pidfile holds this program's process id while it runs (dockerlab stops the receiver by
  it); SIGTERM or Ctrl-C stop it and remove the pidfile.

Python's standard library only; it listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
MAX_BODY = 10 * 1024 * 1024
BIND_WAIT = 5.0


class Receiver:
    """The log, the jobs to run on pushes, and the worker that runs them one at a time."""

    def __init__(self, log: Path, rules: list[tuple[str, str | None, str]]) -> None:
        self.log = log
        self.rules = rules
        self.jobs: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        self.lock = threading.Lock()
        threading.Thread(target=self._work, daemon=True).start()

    def write(self, record: dict[str, Any]) -> None:
        with self.lock, self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, sort_keys=True) + "\n")

    def received(self, body: Any) -> int:
        """Log each event of an envelope; queue the jobs its manifest pushes trigger."""
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list):
            self.write({"received": body})
            return 0
        for event in events:
            self.write(event)
            if not isinstance(event, dict):
                continue
            target = event.get("target")
            if not isinstance(target, dict):
                continue
            if target.get("tag"):
                name = f"{target.get('repository')}:{target.get('tag')}"
                print(f"receiver: {event.get('action')} {name} {target.get('digest')}", flush=True)
            if event.get("action") != "push" or target.get("mediaType") not in MANIFEST_TYPES:
                continue
            for repository, tag, command in self.rules:
                if target.get("repository") == repository and tag in (None, target.get("tag")):
                    self.jobs.put((command, target))
        return len(events)

    def _work(self) -> None:
        while True:
            command, target = self.jobs.get()
            trigger = f"{target.get('repository')}:{target.get('tag')}"
            print(f"receiver: {trigger} was pushed: running {command}", flush=True)
            env = {
                **os.environ,
                "REPOSITORY": str(target.get("repository", "")),
                "TAG": str(target.get("tag", "")),
                "DIGEST": str(target.get("digest", "")),
            }
            started = time.monotonic()
            code = subprocess.call(["/bin/sh", "-c", command], env=env, stdin=subprocess.DEVNULL)
            seconds = round(time.monotonic() - started, 1)
            print(f"receiver: {command} exited with {code} after {seconds} s", flush=True)
            self.write(
                {
                    "job": {
                        "command": command,
                        "trigger": trigger,
                        "digest": target.get("digest"),
                        "exit_code": code,
                        "seconds": seconds,
                    }
                }
            )


def handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(min(length, MAX_BODY))
            try:
                count = receiver.received(json.loads(raw or b"null"))
            except ValueError:
                self.answer(400, "expected a JSON body\n")
                return
            self.answer(200, f"received {count} events\n")

        def do_GET(self) -> None:
            self.answer(200, f"receiver: POST registry notifications here; log: {receiver.log}\n")

        def answer(self, status: int, text: str) -> None:
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # every event is in the log; the tagged ones are printed

    return Handler


def rule(text: str) -> tuple[str, str | None, str]:
    """`base=./rebuild.sh` or `base:latest=./rebuild.sh`."""
    name, sep, command = text.partition("=")
    if not sep or not name or not command:
        raise argparse.ArgumentTypeError(f"'{text}' is not REPOSITORY[:TAG]=COMMAND")
    repository, _, tag = name.partition(":")
    return repository, tag or None, command


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=5080)
    parser.add_argument("--log", type=Path, default=Path("events.jsonl"))
    parser.add_argument("--pidfile", type=Path, default=Path("receiver.pid"))
    parser.add_argument("--on-push", type=rule, action="append", default=[], metavar="RULE")
    args = parser.parse_args()
    receiver = Receiver(args.log.resolve(), args.on_push)
    deadline = time.monotonic() + BIND_WAIT
    while True:  # a receiver just stopped may hold the port for a moment
        try:
            server = HTTPServer(("127.0.0.1", args.port), handler(receiver))
            break
        except OSError as exc:
            if time.monotonic() >= deadline:
                print(f"receiver: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}")
                return 1
            time.sleep(0.2)
    pidfile = args.pidfile.resolve()
    pidfile.write_text(f"{os.getpid()}\n")
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    jobs = ", ".join(f"{r}{':' + t if t else ''} -> {c}" for r, t, c in args.on_push) or "none"
    print(f"receiver: listening on http://127.0.0.1:{args.port}/, log {args.log}, jobs: {jobs}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pidfile.unlink(missing_ok=True)
    print("receiver: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
