from __future__ import annotations

import pytest

from dockerlab.engine.refs import familiar, normalize, repository, same


@pytest.mark.parametrize(
    ("ref", "full"),
    [
        ("registry", "docker.io/library/registry:latest"),
        ("registry:2", "docker.io/library/registry:2"),
        ("docker.io/library/nginx", "docker.io/library/nginx:latest"),
        ("index.docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27"),
        ("moby/buildkit", "docker.io/moby/buildkit:latest"),
        ("127.0.0.1:5000/hello-world", "127.0.0.1:5000/hello-world:latest"),
        ("localhost/x:1", "localhost/x:1"),
        ("quay.io/coreos/etcd:v3", "quay.io/coreos/etcd:v3"),
        ("nginx@sha256:abc", "docker.io/library/nginx@sha256:abc"),
        ("127.0.0.1:5000/a/b:t", "127.0.0.1:5000/a/b:t"),
    ],
)
def test_normalize(ref: str, full: str) -> None:
    assert normalize(ref) == full


def test_same_and_familiar() -> None:
    assert same("registry", "docker.io/library/registry:latest")
    assert not same("registry:2", "registry")
    assert familiar("docker.io/library/nginx:latest") == "nginx:latest"
    assert familiar("127.0.0.1:5000/hello-world") == "127.0.0.1:5000/hello-world:latest"
    assert repository("127.0.0.1:5000/hello-world:v1") == "127.0.0.1:5000/hello-world"
