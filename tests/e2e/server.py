"""The dashboard as users get it: `streamlit run dashboard.py` on a free local port, over a database of its own, with
an administrator account made through the command line (`python -m loaders user add`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from config import DB_ENV_VAR, REPO_ROOT

ADMIN = "admin"  # the account every App signs in with unless told otherwise
PASSWORD = "e2e-password-2026"  # of every account the tests make
START_TIMEOUT_S = 90  # a cold start on a busy two-core machine; a healthy server answers in about a second
STOP_TIMEOUT_S = 15


@dataclass
class Server:
    """A running dashboard: its address, its database and its log."""

    url: str
    db: Path
    log: Path
    process: subprocess.Popen


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(port: int) -> list[str]:
    """The command line that serves the dashboard on 127.0.0.1:`port`, headless, without usage statistics."""
    return [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",  # the code does not change during a test run
    ]  # fmt: skip


def add_account(db: Path, name: str, role: str, units: tuple[str, ...] = ()) -> None:
    """Create an account in the store of `db` through the command line, with the tests' password."""
    args = [sys.executable, "-m", "loaders", "user", "add", name, "--role", role, "--password-stdin", "--db", str(db)]
    for unit in units:
        args += ["--unit", unit]
    subprocess.run(args, cwd=REPO_ROOT, input=f"{PASSWORD}\n", text=True, check=True, capture_output=True)


def start(db: Path, log: Path) -> Server:
    """Start the dashboard over `db` (in its own process group) and wait until it reports healthy."""
    add_account(db, ADMIN, "管理员")
    port = free_port()
    env = {**os.environ, DB_ENV_VAR: str(db), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command(port), cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", db, log, process)
    try:
        wait_healthy(server)
    except BaseException:
        stop(server)
        raise
    return server


def wait_healthy(server: Server) -> None:
    """Poll /_stcore/health until the server answers; fail with its log if it exits or never answers."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.process.returncode}:\n{_tail(server.log)}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy in {START_TIMEOUT_S} s:\n{_tail(server.log)}")


def stop(server: Server) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL if it does not exit in time."""
    if server.process.poll() is not None:
        return
    _signal_group(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _signal_group(server.process.pid, signal.SIGKILL)
        server.process.wait(STOP_TIMEOUT_S)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send `sig` to the process group the server leads (it was started in a session of its own)."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _tail(log: Path, chars: int = 4000) -> str:
    """The end of the server's log, for a failure message."""
    return log.read_text(errors="replace")[-chars:] if log.is_file() else "(no log)"
