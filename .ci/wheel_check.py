"""CI: build the wheel, install it into a fresh virtual environment outside the checkout and
use strideload from there, as a runner who installed it would.

1. ``pip wheel`` the checkout; the wheel must hold every file of the packages (source and
   data: pages, assets, the sample history).
2. A new venv in a temporary folder; ``pip install`` the wheel (dependencies from the index).
3. From that folder: ``strideload demo --no-serve``; ``strideload dashboard`` on a free port,
   then GET ``/``, the layout, the callbacks, the stylesheet and a Dash script; and every page
   rendered by the installed app. Any failure exits non-zero (nothing is skipped).

Run with the checkout's Python: ``python .ci/wheel_check.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "analytics", "dashboard", "sample_data", "docs")
SERVER_START_S = 120
#: Not copied to the wheel's build folder: at the top, build output, environments, git and a
#: local data folder; anywhere, caches.
TOP_LEFT_OUT = {".git", ".venv", "build", "dist", "data", "strideload.egg-info"}
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache",
                                ".hypothesis")


def left_out(folder: str, names: list[str]) -> set[str]:
    top = TOP_LEFT_OUT if Path(folder) == ROOT else set()
    return CACHES(folder, names) | (top & set(names))
RENDER_PAGES = """
import dashboard, json
from dashboard.app import PAGES, create_app
from dashboard.demo import demo_today
app = create_app({data_dir!r}, today=demo_today())
with app.server.test_request_context():
    for page in PAGES:
        query = {{"activity_id": "1"}} if page.__name__.endswith(".activity") else {{}}
        text = json.dumps(page.layout(**query).to_plotly_json(), default=str)
        assert "Traceback" not in text, page.__name__
print(dashboard.__file__)
"""


def step(message: str) -> None:
    print(f"[wheel-check] {message}", flush=True)


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, command))}\n"
                         f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def expected_files() -> set[str]:
    """Every file of the packages in the checkout (compiled files aside)."""
    files = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                files.add(path.relative_to(ROOT).as_posix())
    return files


def build_wheel(out: Path, env: dict[str, str]) -> Path:
    """Build from a clean copy of the checkout (an old ``build/`` folder would leak in)."""
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=left_out)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, source,
        cwd=out, env=env)
    (wheel,) = out.glob("strideload-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = sorted(expected_files() - names)
    if missing:
        raise SystemExit(f"the wheel lacks {len(missing)} files: {missing[:20]}")
    step(f"{wheel.name}: {len(names)} files, every package file included")
    return wheel


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_for_server(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the dashboard stopped (exit code {server.returncode})")
        try:
            if get(url)[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise SystemExit(f"the dashboard did not answer at {url} within {SERVER_START_S} s")


def smoke_test_dashboard(strideload: Path, data_dir: Path, cwd: Path,
                         env: dict[str, str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (cwd / "dashboard.log").open("w")
    server = subprocess.Popen([str(strideload), "dashboard", "--data-dir", str(data_dir),
                               "--port", str(port)], cwd=cwd, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        wait_for_server(base + "/", server)
        status, index = get(base + "/")
        scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
        if status != 200 or "strideload" not in index or not scripts:
            raise SystemExit(f"GET / gave {status} without the app's page:\n{index[:2000]}")
        checks = {  # path -> a text the answer must contain
            "/_dash-layout": '"_pages_content"',
            "/_dash-dependencies": "upload-files",
            "/assets/style.css": ".nav",
            "/assets/methods.js": "scrollToAnchor",
            scripts[0]: "function",
        }
        for path, needed in checks.items():
            status, text = get(base + path)
            if status != 200 or needed not in text:
                raise SystemExit(f"GET {path} gave {status} without {needed!r}")
        step(f"dashboard answered /, {', '.join(checks)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def main() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    with tempfile.TemporaryDirectory(prefix="strideload-wheel-") as temp:
        outside = Path(temp)
        if outside.resolve().is_relative_to(ROOT):
            raise SystemExit(f"{outside} is inside the checkout")
        wheel = build_wheel(outside / "dist", env)
        venv = outside / "venv"
        run(sys.executable, "-m", "venv", venv, cwd=outside, env=env)
        bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
        step("installing the wheel and its dependencies into a fresh venv")
        run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=outside, env=env)
        strideload = bin_dir / "strideload"
        data_dir = outside / "demo-data"
        out = run(strideload, "demo", "--no-serve", "--data-dir", data_dir, cwd=outside, env=env)
        files = len(list((ROOT / "sample_data" / "files").iterdir()))
        loaded = re.search(rf"^{files} activities, \d+ pain-journal days\.$", out, re.MULTILINE)
        if not loaded:
            raise SystemExit(f"the demo did not load all {files} sample files:\n{out}")
        step(f"strideload demo --no-serve: {loaded.group(0)}")
        installed = run(bin_dir / "python", "-c", RENDER_PAGES.format(data_dir=str(data_dir)),
                        cwd=outside, env=env).strip().splitlines()[-1]
        if not Path(installed).resolve().is_relative_to(venv.resolve()):
            raise SystemExit(f"the app was imported from {installed}, not from the wheel")
        step(f"every page rendered by the installed app ({installed})")
        smoke_test_dashboard(strideload, data_dir, outside, env)
    step("ok")


if __name__ == "__main__":
    main()
