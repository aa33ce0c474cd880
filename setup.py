"""The build hook that packs the course into the wheel.

Authors edit `labs/` and `content/` at the top of the repository; a wheel carries them as
`dockerlab/course/labs` and `dockerlab/course/content`, where `dockerlab.paths` finds them with
importlib.resources. Editable installs copy nothing: they read the checkout's own folders.
The sdist carries the folders too (MANIFEST.in), so a wheel built from it has the course.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

COURSE = ("labs", "content")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithCourse(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = Path(__file__).resolve().parent
        for name in COURSE:
            target = Path(self.build_lib) / "dockerlab" / "course" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(here / name, target, ignore=JUNK)


setup(cmdclass={"build_py": BuildWithCourse})
