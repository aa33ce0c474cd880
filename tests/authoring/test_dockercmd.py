"""Reading `docker ...` command lines: images used and made, names created."""

from __future__ import annotations

import pytest

from dockerlab.authoring.dockercmd import docker_effects, is_local


def test_run_with_options_that_take_values_finds_the_image_and_the_name() -> None:
    effects = docker_effects(
        "docker container run -d -p 5000:5000 --name registry "
        "-v $(pwd)/registry-data:/var/lib/registry registry:2"
    )
    assert effects.uses_images == ["registry:2"]
    assert effects.containers == ["registry"]
    assert effects.volumes == []  # a bind mount, not a named volume


def test_combined_short_flags_and_equals_forms() -> None:
    effects = docker_effects("docker run -dp 8080:80 -e=X --network=labnet --rm httpd:2 httpd -f")
    assert effects.uses_images == ["httpd:2"]
    assert effects.unnamed_containers == []  # --rm removes it


def test_tag_uses_the_source_and_makes_the_target() -> None:
    effects = docker_effects(
        "docker tag hello-world 127.0.0.1:5000/hello-world && "
        "docker push 127.0.0.1:5000/hello-world"
    )
    assert effects.uses_images == ["hello-world"]
    assert effects.makes_images == ["127.0.0.1:5000/hello-world"]


def test_pulling_from_the_labs_own_registry_makes_a_local_image() -> None:
    effects = docker_effects("docker image pull 127.0.0.1:5000/hello-world")
    assert effects.uses_images == ["127.0.0.1:5000/hello-world"]
    assert effects.makes_images == ["127.0.0.1:5000/hello-world"]


@pytest.mark.parametrize(
    "script",
    [
        "echo docker run nginx",
        "docker container ls -aq --filter ancestor=hello-world | xargs -r docker container rm",
        "docker run $IMAGE",
        "# docker run nginx",
        "docker image inspect nginx",
    ],
)
def test_commands_that_use_no_image(script: str) -> None:
    assert docker_effects(script).uses_images == []


def test_service_network_volume_and_build() -> None:
    effects = docker_effects(
        "sudo docker service create --name web --replicas 2 -p 8080:80 nginx\n"
        "docker network create labnet; docker volume create data\n"
        "docker build -t mine:1 -f Dockerfile . \\\n  && docker run -v data:/x --mount "
        "type=volume,src=more,dst=/y mine:1"
    )
    assert effects.services == ["web"]
    assert effects.networks == ["labnet"]
    assert effects.volumes == ["data", "data", "more"]
    assert effects.makes_images == ["mine:1"]
    assert effects.uses_images == ["nginx", "mine:1"]


def test_commands_inside_a_substitution_are_read_too() -> None:
    effects = docker_effects('echo "$(docker run --rm busybox:1.36 hostname)"')
    assert effects.uses_images == ["busybox:1.36"]


def test_unbalanced_quotes_are_left_alone() -> None:
    assert docker_effects("docker run 'busybox").uses_images == []


def test_local_registries() -> None:
    assert is_local("127.0.0.1:5000/hello-world")
    assert is_local("localhost/x")
    assert is_local("myregistry:5000/x")
    assert not is_local("quay.io/org/image")
    assert not is_local("hello-world")
    assert not is_local("library/nginx")
