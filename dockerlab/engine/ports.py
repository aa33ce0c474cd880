"""Who holds a TCP port on this machine: a container that publishes it, or a local process
(read from /proc: the listening socket's inode, then the process that has it open)."""

from __future__ import annotations

from pathlib import Path

from dockerlab.engine.client import Engine, EngineUnavailable

PROC = Path("/proc")
LISTEN = "0A"


def publishing_container(engine: Engine, port: int) -> str | None:
    """The name of a running container that publishes `port` on the host, if any."""
    try:
        containers = engine.call(lambda cl: cl.api.containers())
    except EngineUnavailable:
        return None
    for c in containers:
        for p in c.get("Ports") or []:
            if p.get("PublicPort") == port:
                return str(c["Names"][0].lstrip("/"))
    return None


def _listening_inodes(port: int, proc: Path) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if (
                len(fields) > 9
                and fields[3] == LISTEN
                and int(fields[1].rsplit(":", 1)[1], 16) == port
            ):
                inodes.add(fields[9])
    return inodes


def listening_process(port: int, proc: Path = PROC) -> str | None:
    """ "process NAME (pid N)" listening on `port`; "a process of another user" when the socket
    is there but its owner cannot be seen; None when nothing listens (or no /proc)."""
    inodes = _listening_inodes(port, proc)
    if not inodes:
        return None
    wanted = {f"socket:[{i}]" for i in inodes}
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            fds = list((pid_dir / "fd").iterdir())
        except OSError:
            continue  # gone, or another user's
        for fd in fds:
            try:
                if str(fd.readlink()) in wanted:
                    name = (pid_dir / "comm").read_text().strip()
                    return f"process {name} (pid {pid_dir.name})"
            except OSError:
                continue
    return "a process of another user"


def port_holder(engine: Engine | None, port: int) -> str | None:
    """Who holds `port`: "container 'NAME'", "process NAME (pid N)", or None."""
    if engine is not None:
        name = publishing_container(engine, port)
        if name:
            return f"container '{name}'"
    return listening_process(port)
