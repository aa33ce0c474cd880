"""The wheel carries the course: built from the sdist as a packager would, installed into a new
virtualenv in a temporary folder far from the checkout, and run there as a learner would after
`pipx install` — the labs, pages and quizzes all there, and a lab validated on the real engine.

The new virtualenv gets dockerlab from the wheel only; its dependencies (textual, docker, ...)
come from the test environment's site-packages through a path file, so the test does not
download them again. That folder holds no `dockerlab` of its own (the editable install's hook
is not run from a path added that way): the test asserts the module ran from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerlab import paths
from dockerlab.engine import Engine

REPO = Path(__file__).resolve().parents[2]
LABS = sorted(p.parent.name for p in (REPO / "labs").glob("*/lab.yaml"))
QUIZZES = sorted(p.name.removesuffix(".quiz.yaml") for p in (REPO / "content").glob("*.quiz.yaml"))
PAGES = sorted(p.name for p in (REPO / "content").glob("*.md"))


@dataclass(frozen=True)
class Installed:
    sdist: Path
    wheel: Path
    venv: Path
    home: Path  # a folder far from the checkout, the learner's current directory

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["DOCKERLAB_HOME"] = str(self.home / "data")
        return subprocess.run(
            [str(self.venv / "bin" / "dockerlab"), *args],
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _build(out: Path) -> tuple[Path, Path]:
    """The sdist from the checkout, then the wheel from the sdist (what pip does from PyPI)."""
    code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
    made = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    sdist = out / made.stdout.strip().splitlines()[-1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(sdist)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    (wheel,) = out.glob("dockerlab-*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("far-from-the-checkout")
    assert REPO not in root.parents
    sdist, wheel = _build(root / "dist")
    venv = root / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    new_site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_path('purelib'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # the dependencies: the test environment's site-packages, after the venv's own
    (new_site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    home = root / "learner"
    home.mkdir()
    yield Installed(sdist, wheel, venv, home)
    shutil.rmtree(root, ignore_errors=True)


def test_the_sdist_carries_the_course(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {f"labs/{lab}/lab.yaml" for lab in LABS} <= names
    assert {f"content/{page}" for page in PAGES} <= names
    assert {f"content/{quiz}.quiz.yaml" for quiz in QUIZZES} <= names
    assert {"content/course.yaml", "setup.py", "dockerlab/schemas/lab.schema.json"} <= names


def test_the_wheel_carries_the_course(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    course = "dockerlab/course"
    assert {f"{course}/labs/{lab}/lab.yaml" for lab in LABS} <= names
    assert {f"{course}/content/{page}" for page in PAGES} <= names
    assert {f"{course}/content/{quiz}.quiz.yaml" for quiz in QUIZZES} <= names
    assert {f"{course}/content/course.yaml", "dockerlab/schemas/lab.schema.json"} <= names
    assert not [n for n in names if n.startswith(("labs/", "content/", "tests/"))]


def test_the_installed_program_runs_from_the_wheel_and_trusts_its_course(
    installed: Installed,
) -> None:
    code = (
        "import dockerlab; from dockerlab import paths; from dockerlab.runner import trust; "
        "print(dockerlab.__file__); print(paths.bundled_labs()); print(paths.bundled_content()); "
        "print(trust.is_trusted(paths.bundled_labs() / 'registry-basics' / 'lab.yaml'))"
    )
    done = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", code],
        cwd=installed.home,
        capture_output=True,
        text=True,
        check=True,
    )
    module, labs, content, trusted = done.stdout.splitlines()
    venv = installed.venv.resolve()
    for where in (module, labs, content):
        assert venv in Path(where).resolve().parents, where
    assert Path(labs).name == "labs"
    assert trusted == "True"


def test_the_course_is_all_there_outside_the_checkout(installed: Installed) -> None:
    listed = installed.run("list")
    assert listed.returncode == 0, listed.stderr
    labs = sorted(line.split()[0] for line in listed.stdout.splitlines() if line.startswith("  "))
    assert labs == LABS
    assert len(labs) == 8  # the seven registry labs and hub-automation

    quizzes = installed.run("quiz", "list")
    assert quizzes.returncode == 0, quizzes.stderr
    assert sorted(line.split()[0] for line in quizzes.stdout.splitlines()) == QUIZZES
    assert len(QUIZZES) == 6

    shown = installed.run("show", "registry-basics")
    assert shown.returncode == 0, shown.stderr
    assert "Run a Private Docker Registry — step 1/7" in shown.stdout
    assert str(installed.home / "data" / "workspaces" / "registry-basics") in shown.stdout


@pytest.mark.engine
@pytest.mark.slow
@pytest.mark.usefixtures("engine_lock")
def test_a_lab_validates_from_the_wheel(installed: Installed, course_images: Engine) -> None:
    done = installed.run("validate", "registry-basics")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registry-basics: PASSED" in done.stdout


def test_the_checkout_reads_its_own_folders() -> None:
    """The editable install these tests run from: authors' edits show at once."""
    if REPO not in Path(paths.__file__).resolve().parents:
        pytest.skip("dockerlab is not imported from this checkout")
    assert paths.bundled_labs() == REPO / "labs"
    assert paths.bundled_content() == REPO / "content"
