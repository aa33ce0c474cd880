"""Helper processes a lab starts (a webhook receiver, say): found by the pidfile they write and
stopped by cleanup, but only while that PID still runs the program the lab declared.

A pidfile can outlive its process and the PID be reused by anything else: before a signal is
sent, the process's command line must still contain the declared `command`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

STOP_TIMEOUT = 10.0


def _command_line(pid: int) -> str | None:
    """The process's command line, or None when there is no such (live) process."""
    proc = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self").exists():
        try:
            raw = proc.read_bytes()
        except OSError:
            return None
        return raw.replace(b"\0", b" ").decode(errors="replace").strip() or None  # "" = zombie
    done = subprocess.run(  # no /proc (macOS): ps
        ["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or None


def owned_pid(pidfile: Path, command: str) -> int | None:
    """The PID in `pidfile` if that process runs and its command line contains `command`."""
    try:
        pid = int(pidfile.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if pid <= 1 or pid == os.getpid():
        return None
    line = _command_line(pid)
    return pid if line is not None and command in line else None


def stop(pidfile: Path, command: str, timeout: float = STOP_TIMEOUT) -> int | None:
    """SIGTERM the declared process, SIGKILL it if it is still there after `timeout` seconds.

    Returns the PID that was stopped (None when nothing of that program ran). Raises OSError when
    the signal cannot be sent (another user's process)."""
    pid = owned_pid(pidfile, command)
    if pid is None:
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while owned_pid(pidfile, command) == pid:
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + timeout
        time.sleep(0.05)
    return pid
