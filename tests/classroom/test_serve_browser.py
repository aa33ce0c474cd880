"""`dockerlab serve` end to end in headless Chromium (Debian's chromium and chromium-driver):
the page loads, the app starts in its own session folder, the course map appears; a screenshot
is saved under the test's tmp dir (its path is printed).

What the browser shows is read from the WebSocket frames the page received (Chrome's
performance log): the page draws the terminal on a canvas, so there is no text in the DOM.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import free_port, in_ci
from tests.waiting import wait_until

try:
    from selenium.webdriver.common.keys import Keys
except ImportError:  # the browser fixture skips (or fails in CI) without selenium
    Keys = None  # type: ignore[assignment,misc]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

pytestmark = pytest.mark.engine


def _need(ok: bool, message: str) -> None:
    if not ok:
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    home = tmp_path / "home"
    env = {**os.environ, "DOCKERLAB_HOME": str(home)}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockerlab", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the apps it starts go with it
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait(lambda: _answers(url) or proc.poll() is not None, 30, "the server to answer")
        assert proc.poll() is None, (tmp_path / "serve.log").read_text()
        yield url, home
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait(predicate: Callable[[], object], timeout: float, what: str) -> Any:
    return wait_until(predicate, timeout, what, every=0.25)


class Screen:
    """The text the page has received over its WebSocket, escape sequences removed."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.raw = bytearray()

    def text(self) -> str:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.webSocketFrameReceived":
                continue
            frame = message["params"]["response"]
            data = frame["payloadData"]
            self.raw += base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
        return CSI.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def wait_for(self, words: tuple[str, ...], timeout: float, what: str) -> str:
        return str(
            _wait(lambda: (t := self.text()) and all(w in t for w in words) and t, timeout, what)
        )


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    _need(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), "no chromium/chromedriver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,800",
        # nothing but this machine: any other host name does not resolve
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def _to_course_map(browser: Any, url: str) -> Screen:
    from selenium.webdriver.common.by import By

    browser.get(url)
    assert "googleapis" not in browser.page_source  # the page fetches only from this server
    screen = Screen(browser)
    screen.wait_for(("Welcome to dockerlab",), 60, "the first-run screen")
    screen.wait_for(("Press", "Enter"), 120, "the doctor's verdict")
    browser.find_element(By.ID, "terminal").click()
    _keys(browser, Keys.ENTER)
    screen.wait_for(("Next:", "Lab"), 60, "the course map")
    return screen


def _keys(browser: Any, *keys: str, ctrl: bool = False) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(browser)
    if ctrl:
        chain = chain.key_down(Keys.CONTROL)
    chain = chain.send_keys(*keys)
    if ctrl:
        chain = chain.key_up(Keys.CONTROL)
    chain.perform()


def test_the_course_map_appears_in_a_browser(
    server: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    url, home = server
    _to_course_map(browser, url)
    shot = tmp_path / "course-map.png"
    browser.save_screenshot(str(shot))
    print(f"\nscreenshot of the course map in the browser: {shot}")
    assert shot.stat().st_size > 10_000
    sessions = list((home / "sessions").iterdir())
    assert len(sessions) == 1  # this browser session's own learner data
    assert (sessions[0] / "progress.sqlite3").exists()


@pytest.fixture
def first_lab_free(engine_lock: None) -> Iterator[None]:
    """The first lab uses the name 'registry' and port 5000 (hence the lock); removed after."""
    from dockerlab.engine.doctor import port_free

    names = subprocess.run(
        ["docker", "ps", "-a", "--format", "{{.Names}}"], capture_output=True, text=True, check=True
    ).stdout.split()
    if "registry" in names or not port_free(5000):
        pytest.skip("the first lab needs port 5000 and the name 'registry', and they are taken")
    yield
    subprocess.run(
        ["docker", "container", "rm", "-f", "-v", "registry"], capture_output=True, check=False
    )


def test_a_lab_step_ticks_off_from_the_browser(
    server: tuple[str, Path], browser: Any, first_lab_free: None, tmp_path: Path
) -> None:
    url, _ = server
    screen = _to_course_map(browser, url)
    _keys(browser, "p", ctrl=True)
    screen.wait_for(("Search for commands",), 30, "the command palette")
    _keys(browser, "Run a Private")
    screen.wait_for(("Lab: Run a Private Docker Registry",), 30, "the lab in the palette")
    _keys(browser, Keys.ENTER)
    screen.wait_for(("Step 1 of", "▶ now"), 120, "the lab's first step")
    screen.wait_for(("Ready. Commands you type below run in",), 120, "the lab to be set up")
    _keys(browser, "docker container run -d -p 5000:5000 --name registry registry:2")
    _keys(browser, Keys.ENTER)
    screen.wait_for(("✓ done", "Step 1 done: Run the registry image"), 60, "the step to tick off")
    shot = tmp_path / "step-done.png"
    browser.save_screenshot(str(shot))
    print(f"\nscreenshot of the ticked-off step in the browser: {shot}")


def test_serving_beyond_this_machine_needs_a_login_in_front() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dockerlab", "serve", "--host", "0.0.0.0", "--port", "8123"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert out.returncode == 2
    assert "not listening on 0.0.0.0" in out.stderr
    assert "auth_basic" in out.stderr
    assert "proxy_pass           http://127.0.0.1:8123;" in out.stderr
    assert "--behind-login" in out.stderr
