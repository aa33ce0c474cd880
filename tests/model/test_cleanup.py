"""What a reset removes, as the learner is asked about it: one list, the CLI's and the app's."""

from __future__ import annotations

from dockerlab.model.lab import Cleanup


def test_every_kind_of_thing_a_lab_owns_is_named() -> None:
    cleanup = Cleanup.model_validate(
        {
            "containers": ["registry"],
            "services": ["web"],
            "images": ["127.0.0.1:5000/hello"],
            "image_labels": ["org.dockerlab.lab=hello"],
            "volumes": ["data"],
            "networks": ["labnet"],
            "paths": ["certs"],
            "host_paths": ["/etc/docker/certs.d/registry.lan:5000"],
            "logins": ["registry.lan:5000"],
            "processes": [{"pidfile": "receiver.pid", "command": "receiver.py"}],
        }
    )
    assert cleanup.described() == [
        "registry",
        "web",
        "127.0.0.1:5000/hello",
        "images labelled org.dockerlab.lab=hello",
        "data",
        "labnet",
        "certs",
        "/etc/docker/certs.d/registry.lan:5000",
        "login registry.lan:5000",
        "the process 'receiver.py'",
    ]


def test_a_lab_that_owns_nothing_names_nothing() -> None:
    assert Cleanup().described() == []
