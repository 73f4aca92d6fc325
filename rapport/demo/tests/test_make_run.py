"""`make run` prints the URL only once the web server answers (scripts/run.sh, which waits with
scripts/wait_for_web.py), and says clearly what failed when it cannot.

The waiting is tested against real local HTTP servers; the whole script once end to end on a
free port (honcho, the Procfile's processes, this run's test database) and once with its port
taken, so that it must fail with a message naming the web server.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from rapport.conftest import Persona
from rapport.notifications.tests.test_fault import database_url

ROOT = Path(settings.BASE_DIR)
WAIT = ROOT / "scripts" / "wait_for_web.py"
RUN = ROOT / "scripts" / "run.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """A real HTTP server on 127.0.0.1 that answers 503 ``not_ready`` times, then ``status``."""

    def __init__(self, not_ready: int, status: int) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests += 1
                code = 503 if outer.requests <= not_ready else status
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/health/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    not_ready, status = request.param
    server = _Server(not_ready, status)
    yield server
    server.close()


def _wait(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WAIT), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("http_server", [(3, 200)], indirect=True)
def test_waits_until_the_server_answers_200(http_server: _Server) -> None:
    result = _wait(http_server.url, "--timeout", "10")
    assert result.returncode == 0, result.stderr
    assert http_server.requests == 4  # three 503s, then the 200 it waited for
    assert result.stderr == ""


@pytest.mark.parametrize("http_server", [(0, 500)], indirect=True)
def test_a_server_that_never_answers_200_times_out_naming_it(http_server: _Server) -> None:
    started = time.monotonic()
    result = _wait(http_server.url, "--timeout", "1", "--name", "the web server (port 1)")
    assert result.returncode == 1
    assert time.monotonic() - started < 10
    assert "the web server (port 1) is not answering" in result.stderr
    assert f"{http_server.url} did not answer HTTP 200 within 1 s (last: HTTP 500)" in (
        result.stderr
    )


def test_nothing_listening_and_the_processes_gone_fails_at_once() -> None:
    url = f"http://127.0.0.1:{_free_port()}/health/"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    started = time.monotonic()
    result = _wait(url, "--timeout", "60", "--pid", str(gone.pid))
    assert result.returncode == 1
    assert time.monotonic() - started < 10  # not the 60 s: waiting longer cannot help
    assert f"the processes stopped before {url} answered" in result.stderr
    assert "Connection refused" in result.stderr


# --- The whole script ----------------------------------------------------------------------


def _run_env(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "DATABASE_URL": database_url(),
        "WEB_PORT": str(port),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "1",
        "EMAIL_BACKEND": "console",
        "RUN_TIMEOUT": "60",
        # The developer's own .env (another port, another database) stays out of the test.
        "RUN_ENV_FILE": os.devnull,
    }


def _start(port: int, *, merged: bool = False) -> subprocess.Popen[str]:
    """Start scripts/run.sh; with ``merged`` its errors come in its output, in order."""
    if connection.vendor != "sqlite":
        # `make run` runs on SQLite; once per suite is enough for a test that starts the
        # Procfile's four processes.
        pytest.skip("make run is tested in the SQLite run of the suite")
    # The scheduler takes its once-a-minute lock in the database cache (rapport.settings);
    # `make run` creates that table in setup, which the test database never went through. The
    # table is named: this process's own settings use a memory cache.
    call_command("createcachetable", "rapport_cache", verbosity=0)
    # A session of its own, so that the script, honcho and its processes stop together.
    return subprocess.Popen(
        ["bash", str(RUN)],
        cwd=ROOT,
        env=_run_env(port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _lines(stream: object) -> queue.Queue[str | None]:
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.mark.django_db(transaction=True)
def test_make_run_prints_the_url_once_the_server_answers(alice: Persona) -> None:
    """With a user in the database the demo data is not created (and the demo password file
    is left alone): the script prints the staff URL, and only after the server answers."""
    port = _free_port()
    process = _start(port, merged=True)
    try:
        assert process.stdout is not None
        lines = _lines(process.stdout)
        seen: list[str] = []
        deadline = time.monotonic() + 90
        staff_line = None
        while staff_line is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            seen.append(line)
            if "Staff UI:" in line:
                staff_line = line
        if staff_line is None:
            pytest.fail("no staff URL printed:\n" + "".join(seen))
        login = f"http://127.0.0.1:{port}/accounts/login/"
        assert staff_line.split("Staff UI:")[1].strip() == login
        # Printed after the answer: the page is there the moment the line is.
        with urllib.request.urlopen(login, timeout=5) as response:
            assert response.status == 200
        # honcho started every process of the Procfile before the line came.
        started = "".join(seen)
        for name in ("web", "worker", "scheduler", "deliverer"):
            assert f"{name}.1 " in started or f"{name}.1|" in started, (name, started)
    finally:
        _stop(process)


@pytest.mark.django_db(transaction=True)
def test_make_run_names_the_web_server_when_its_port_is_taken() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = int(taken.getsockname()[1])
        process = _start(port)
        try:
            stdout, stderr = process.communicate(timeout=120)
        finally:
            _stop(process)
    assert process.returncode == 1, (stdout, stderr)
    assert f"the web server (Procfile: web, port {port}) is not answering" in stderr
    assert "Staff UI:" not in stdout
