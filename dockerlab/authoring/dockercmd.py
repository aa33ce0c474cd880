"""What a lab's shell commands do with Docker: images used and made, names created.

Lint reads `docker run`, `docker pull`, `docker tag`, ... out of setup and solution commands to
find images a lab uses without declaring them, and resources it creates without declaring them
in `cleanup:`. It reads commands the way a shell splits them (quotes, `&&`, `|`, `;`, `$(...)`)
but does not run anything; whatever it cannot read with confidence it leaves alone.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

# Options of `docker run`/`create`/`service create` that take a value as the next word.
RUN_VALUE_OPTIONS = frozenset(
    {
        "-a",
        "--attach",
        "--add-host",
        "--annotation",
        "--blkio-weight",
        "--blkio-weight-device",
        "--cap-add",
        "--cap-drop",
        "--cgroup-parent",
        "--cgroupns",
        "--cidfile",
        "--cpu-period",
        "--cpu-quota",
        "--cpu-rt-period",
        "--cpu-rt-runtime",
        "-c",
        "--cpu-shares",
        "--cpus",
        "--cpuset-cpus",
        "--cpuset-mems",
        "--device",
        "--device-cgroup-rule",
        "--device-read-bps",
        "--device-read-iops",
        "--device-write-bps",
        "--device-write-iops",
        "--detach-keys",
        "--dns",
        "--dns-option",
        "--dns-search",
        "--domainname",
        "--entrypoint",
        "-e",
        "--env",
        "--env-file",
        "--expose",
        "--gpus",
        "--group-add",
        "--health-cmd",
        "--health-interval",
        "--health-retries",
        "--health-start-period",
        "--health-timeout",
        "-h",
        "--hostname",
        "--ip",
        "--ip6",
        "--ipc",
        "--isolation",
        "--kernel-memory",
        "-l",
        "--label",
        "--label-file",
        "--link",
        "--link-local-ip",
        "--log-driver",
        "--log-opt",
        "--mac-address",
        "-m",
        "--memory",
        "--memory-reservation",
        "--memory-swap",
        "--memory-swappiness",
        "--mount",
        "--name",
        "--network",
        "--net",
        "--network-alias",
        "--net-alias",
        "--oom-score-adj",
        "--pid",
        "--pids-limit",
        "--platform",
        "-p",
        "--publish",
        "--pull",
        "--restart",
        "--runtime",
        "--security-opt",
        "--shm-size",
        "--stop-signal",
        "--stop-timeout",
        "--storage-opt",
        "--sysctl",
        "--tmpfs",
        "-u",
        "--user",
        "--userns",
        "--uts",
        "-v",
        "--volume",
        "--volume-driver",
        "--volumes-from",
        "-w",
        "--workdir",
        "--ulimit",
        "--config",
        "--constraint",
        "--container-label",
        "--credential-spec",
        "--endpoint-mode",
        "--generic-resource",
        "--host",
        "--limit-cpu",
        "--limit-memory",
        "--limit-pids",
        "--max-concurrent",
        "--mode",
        "--placement-pref",
        "--replicas",
        "--replicas-max-per-node",
        "--reserve-cpu",
        "--reserve-memory",
        "--restart-condition",
        "--restart-delay",
        "--restart-max-attempts",
        "--restart-window",
        "--rollback-delay",
        "--rollback-failure-action",
        "--rollback-max-failure-ratio",
        "--rollback-monitor",
        "--rollback-order",
        "--rollback-parallelism",
        "--secret",
        "--update-delay",
        "--update-failure-action",
        "--update-max-failure-ratio",
        "--update-monitor",
        "--update-order",
        "--update-parallelism",
        "--env-add",
        "--publish-add",
        "--mount-add",
        "--label-add",
    }
)
BUILD_VALUE_OPTIONS = frozenset(
    {
        "--add-host",
        "--build-arg",
        "--build-context",
        "--cache-from",
        "--cache-to",
        "--cgroup-parent",
        "-f",
        "--file",
        "--iidfile",
        "--isolation",
        "--label",
        "--network",
        "--output",
        "-o",
        "--platform",
        "--progress",
        "--secret",
        "--ssh",
        "-t",
        "--tag",
        "--target",
        "--ulimit",
        "-m",
        "--memory",
        "--memory-swap",
        "--shm-size",
        "--cpu-shares",
        "-c",
        "--cpuset-cpus",
    }
)
COMMON_VALUE_OPTIONS = frozenset(
    {
        "--platform",
        "-f",
        "--filter",
        "--format",
        "-a",
        "--author",
        "-c",
        "--change",
        "-m",
        "--message",
        "-d",
        "--driver",
        "-o",
        "--opt",
        "--subnet",
        "--gateway",
        "--ip-range",
        "--scope",
        "--label",
    }
)
GLOBAL_VALUE_OPTIONS = frozenset(
    {
        "-H",
        "--host",
        "-c",
        "--context",
        "--config",
        "-l",
        "--log-level",
        "--tlscacert",
        "--tlscert",
        "--tlskey",
    }
)
SEPARATORS = frozenset({"!", "{", "}", "then", "do", "else"})

ALIASES = {
    ("container", "run"): "run",
    ("container", "create"): "create",
    ("image", "pull"): "pull",
    ("image", "push"): "push",
    ("image", "tag"): "tag",
    ("image", "build"): "build",
    ("buildx", "build"): "build",
    ("image", "import"): "import",
    ("container", "commit"): "commit",
    ("image", "load"): "load",
    ("service", "create"): "service create",
    ("network", "create"): "network create",
    ("volume", "create"): "volume create",
}


@dataclass
class DockerEffects:
    """What one command line does, as far as lint cares."""

    uses_images: list[str] = field(default_factory=list)
    makes_images: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    # `docker run` without --name or --rm: a container nothing will remove
    unnamed_containers: list[str] = field(default_factory=list)

    def add(self, other: DockerEffects) -> None:
        for name in (
            "uses_images",
            "makes_images",
            "containers",
            "services",
            "networks",
            "volumes",
            "unnamed_containers",
        ):
            getattr(self, name).extend(getattr(other, name))


def _logical_lines(script: str) -> list[str]:
    return script.replace("\\\n", " ").splitlines()


def _words(line: str) -> list[str] | None:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()`")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return list(lexer)
    except ValueError:  # unbalanced quotes: a heredoc body or something we cannot read
        return None


def _lift_substitutions(line: str) -> tuple[str, list[str]]:
    """The line with each `$(...)` replaced by `$SUBST` (its value is unknown), and the
    commands inside them, which run too."""
    out: list[str] = []
    inner: list[str] = []
    i = 0
    while i < len(line):
        if line.startswith("$(", i) and not line.startswith("$((", i):
            depth, j = 1, i + 2
            while j < len(line) and depth:
                depth += {"(": 1, ")": -1}.get(line[j], 0)
                j += 1
            inner.append(line[i + 2 : j - 1])
            out.append("$SUBST")
            i = j
        else:
            out.append(line[i])
            i += 1
    return "".join(out), inner


def _simple_commands(script: str) -> list[list[str]]:
    out: list[list[str]] = []
    pending = _logical_lines(script)
    while pending:
        line, inner = _lift_substitutions(pending.pop(0))
        pending.extend(inner)
        words = _words(line)
        if not words:
            continue
        current: list[str] = []
        for word in words:
            if word in SEPARATORS or set(word) <= set(";&|()`"):
                if current:
                    out.append(current)
                current = []
            else:
                current.append(word)
        if current:
            out.append(current)
    return out


# words that may stand before `docker` in a simple command: `sudo docker`, `xargs -r docker`
PREFIXES = frozenset(
    {"sudo", "time", "exec", "command", "nohup", "xargs", "env", "timeout", "if", "while", "until"}
)


def _docker_args(words: list[str]) -> list[str] | None:
    for index, word in enumerate(words):
        if word == "docker":
            return words[index + 1 :]
        if not (word in PREFIXES or "=" in word or word.startswith("-") or word.isdigit()):
            return None
    return None


def _plain(word: str) -> bool:
    """A word whose value is known without running anything."""
    return bool(word) and not word.startswith("-") and not any(c in word for c in "$`*?{}<>")


Options = dict[str, list[str]]


def _split_options(args: list[str], value_options: frozenset[str]) -> tuple[Options, list[str]]:
    """(options, positionals); stops at the first positional (what follows is the image's
    command) except for subcommands whose positionals all matter (tag, commit)."""
    options: Options = {}
    positionals: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            positionals.extend(args[i + 1 :])
            break
        if word.startswith("--") and "=" in word:
            name, value = word.split("=", 1)
            options.setdefault(name, []).append(value)
        elif word.startswith("--"):
            if word in value_options and i + 1 < len(args):
                options.setdefault(word, []).append(args[i + 1])
                i += 1
            else:
                options.setdefault(word, [])
        elif word.startswith("-") and len(word) > 1:
            # combined short flags: the last one may take a value (`-dp 5000:5000`, `-e=X`)
            letters = word[1:]
            if "=" in letters:
                letters, value = letters.split("=", 1)
                options.setdefault(f"-{letters[-1]}", []).append(value)
            elif f"-{letters[-1]}" in value_options and i + 1 < len(args):
                options.setdefault(f"-{letters[-1]}", []).append(args[i + 1])
                i += 1
            for letter in letters[:-1] if "=" in word else letters:
                options.setdefault(f"-{letter}", [])
        else:
            positionals.append(word)
        i += 1
    return options, positionals


def _first_positional(args: list[str], value_options: frozenset[str]) -> tuple[Options, str | None]:
    """Options up to the first positional word, and that word (the image of `docker run`)."""
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            image = args[i + 1] if i + 1 < len(args) else None
            return _split_options(args[:i], value_options)[0], image
        if not word.startswith("-") or word == "-":
            return _split_options(args[:i], value_options)[0], word
        takes_value = "=" not in word and (
            word in value_options if word.startswith("--") else f"-{word[-1]}" in value_options
        )
        i += 2 if takes_value else 1
    return _split_options(args, value_options)[0], None


def _named_volumes(specs: list[str]) -> list[str]:
    names = []
    for spec in specs:
        source = spec.split(":", 1)[0] if ":" in spec else ""
        if source and _plain(source) and not source.startswith(("/", ".", "~")):
            names.append(source)
    return names


def _mount_volumes(specs: list[str]) -> list[str]:
    names = []
    for spec in specs:
        parts = dict(p.split("=", 1) for p in spec.split(",") if "=" in p)
        if parts.get("type", "volume") == "volume":
            source = parts.get("source") or parts.get("src")
            if source and _plain(source):
                names.append(source)
    return names


def _docker(args: list[str]) -> DockerEffects:
    effects = DockerEffects()
    # global options before the subcommand (`docker -H ssh://x run ...`)
    while args and args[0].startswith("-"):
        args = args[2:] if args[0] in GLOBAL_VALUE_OPTIONS and "=" not in args[0] else args[1:]
    if not args:
        return effects
    sub = args[0]
    rest = args[1:]
    if len(args) > 1 and (args[0], args[1]) in ALIASES:
        sub, rest = ALIASES[(args[0], args[1])], args[2:]
    if sub in ("run", "create", "service create"):
        options, image = _first_positional(rest, RUN_VALUE_OPTIONS)
        if image and _plain(image):
            effects.uses_images.append(image)
        names = [n for n in options.get("--name", []) if _plain(n)]
        if sub != "service create" and image and "--name" not in options and "--rm" not in options:
            effects.unnamed_containers.append(image)
        (effects.services if sub == "service create" else effects.containers).extend(names)
        effects.volumes.extend(_named_volumes(options.get("-v", []) + options.get("--volume", [])))
        effects.volumes.extend(_mount_volumes(options.get("--mount", [])))
    elif sub == "pull":
        _, positionals = _split_options(rest, COMMON_VALUE_OPTIONS)
        effects.uses_images.extend(p for p in positionals[:1] if _plain(p))
        # pulling from the lab's own registry makes a local image the lab must clean up
        effects.makes_images.extend(p for p in positionals[:1] if _plain(p) and is_local(p))
    elif sub == "tag":
        _, positionals = _split_options(rest, COMMON_VALUE_OPTIONS)
        if len(positionals) >= 2:
            if _plain(positionals[0]):
                effects.uses_images.append(positionals[0])
            if _plain(positionals[1]):
                effects.makes_images.append(positionals[1])
    elif sub == "build":
        options, _ = _split_options(rest, BUILD_VALUE_OPTIONS)
        effects.makes_images.extend(
            t for t in options.get("-t", []) + options.get("--tag", []) if _plain(t)
        )
    elif sub in ("commit", "import"):
        _, positionals = _split_options(rest, COMMON_VALUE_OPTIONS)
        if len(positionals) >= 2 and _plain(positionals[1]):
            effects.makes_images.append(positionals[1])
    elif sub in ("network create", "volume create"):
        _, positionals = _split_options(rest, COMMON_VALUE_OPTIONS)
        target = effects.networks if sub == "network create" else effects.volumes
        target.extend(p for p in positionals[:1] if _plain(p))
    return effects


def is_local(ref: str) -> bool:
    """Whether an image reference names a registry on this machine (the lab's own registry,
    `127.0.0.1:5000/x`, `localhost:5000/x`, `myhost:5000/x`): the lab makes those itself."""
    first, sep, _ = ref.partition("/")
    if not sep:
        return False
    host = first.rsplit(":", 1)[0] if ":" in first else first
    return ":" in first or host == "localhost" or host.startswith("127.") or host == "[::1]"


def docker_effects(script: str) -> DockerEffects:
    """Everything the `docker ...` commands in a shell script use and make."""
    effects = DockerEffects()
    for words in _simple_commands(script):
        args = _docker_args(words)
        if args is not None:
            effects.add(_docker(args))
    return effects
