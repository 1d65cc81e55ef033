"""The analyst's path in a real browser: JupyterLab on a copy of the built demo, the
start-here notebook run from the menu, a weight slider moved, the classes shown change."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, find_chromium
from tests.test_whatif import NOTEBOOK, analyst_copy

pytestmark = [pytest.mark.slow, pytest.mark.browser]
TOKEN = "start-here-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {seconds:.0f} s")


def test_an_analyst_runs_the_start_here_notebook_and_moves_a_weight(built: Path, tmp_path) -> None:
    executable = find_chromium()
    from playwright.sync_api import sync_playwright

    project = analyst_copy(built, tmp_path / "project")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }
    env.pop("MPLBACKEND", None)
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("jupyter")),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={project}",
            "--LabApp.news_url=",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/api/status?token={TOKEN}", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/{NOTEBOOK.as_posix()}?token={TOKEN}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=120_000)  # fmt: skip
            page.locator(".jp-Notebook").first.click()
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            # The last cell draws the analyst's own chart: when it is there, all have run.
            last = page.locator(".jp-Cell").last
            last.locator(".jp-OutputArea-output img").wait_for(timeout=300_000)
            summary = page.locator(".whatif-summary")
            summary.wait_for(timeout=60_000)
            shown = summary.inner_text()
            text = page.locator(".jp-OutputArea").all_inner_texts()
            assert not any(re.search(r"Traceback|Error:", t) for t in text), text
            assert page.locator(".jp-OutputArea-output img").count() >= 2
            # The first opportunity weight to 0: the classes shown must follow.
            slider = page.locator(".widget-hslider", has_text="copublications").first
            handle = slider.locator(".noUi-handle")
            track = slider.locator(".noUi-target")
            handle.scroll_into_view_if_needed()
            start, bar = handle.bounding_box(), track.bounding_box()
            page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
            page.mouse.down()
            page.mouse.move(bar["x"] - 20, start["y"] + start["height"] / 2, steps=10)
            page.mouse.up()
            deadline = time.monotonic() + 120
            while summary.inner_text() == shown and time.monotonic() < deadline:
                page.wait_for_timeout(500)
            assert summary.inner_text() != shown
            assert page.locator(".jp-OutputArea-output img").count() >= 2
            shots = REPO_ROOT / "reports" / "test-artifacts"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "start-here.png"), full_page=False)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
