"""Shared test set-up: an isolated Airflow home, a migrated database on demand, a local site.

The environment lines come first, before anything can import airflow: Airflow reads its
configuration on import and would otherwise create (and use) ~/airflow. Airflow itself
is imported only inside the `airflow_db` fixture, so tests that do not ask for it pay
nothing for it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_AIRFLOW_HOME = tempfile.mkdtemp(prefix="cleaner-test-airflow-")
atexit.register(shutil.rmtree, _AIRFLOW_HOME, ignore_errors=True)
os.environ["AIRFLOW_HOME"] = _AIRFLOW_HOME
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{_AIRFLOW_HOME}/airflow.db"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parents[1] / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__PARALLELISM"] = "4"  # 2 cores: the default 32 forks ~140 MB each
os.environ["CLEANER_TASK_RETRIES"] = "0"  # dag.test waits out retry_delay: no retries in tests

import http.server  # noqa: E402  (after the environment, on purpose)
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from urllib.parse import parse_qs, urlsplit  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated Airflow metadata database (SQLite in the temporary AIRFLOW_HOME)."""
    from airflow.utils.db import initdb

    initdb()


# -- a local site for fetching tests ---------------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html><head><title>{title}</title><meta charset="utf-8"></head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/about">About</a></nav>
<article>
<h1>{title}</h1>
<p>{lead} The council met on Tuesday evening to discuss the proposal in detail, and
members of the public were invited to put their questions to the planning committee.</p>
<p>After a long debate that ran well past the scheduled close, the members voted seven to
four in favour, with two abstentions, and the chair promised a full written report.</p>
<p>Residents who spoke at the meeting said they welcomed the decision but asked that the
works be finished before the winter, when the road is most heavily used by buses.</p>
</article>
<footer>Copyright 2025 Example Gazette. All rights reserved.</footer>
</body></html>
"""

ROBOTS = "User-agent: *\nDisallow: /private/\n"

#: The slow route answers after this long; tests use a timeout well below it.
SLOW_S = 1.5


def article(title: str, lead: str) -> bytes:
    return ARTICLE.format(title=title, lead=lead).encode("utf-8")


class LocalSite:
    """What the local server serves, and a log of (path, monotonic arrival time)."""

    def __init__(self) -> None:
        self.log: list[tuple[str, float]] = []
        self.flaky_hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[float]:
        with self.lock:
            return [t for p, t in self.log if p == path]

    def route(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        with self.lock:
            self.log.append((parts.path, time.monotonic()))
        routes: dict[str, Callable[[], None]] = {
            "/robots.txt": lambda: _send(handler, 200, ROBOTS.encode(), "text/plain"),
            "/a.html": lambda: _send(handler, 200, article("Bridge works approved", "A.")),
            "/b.html": lambda: _send(handler, 200, article("Library opening hours", "B.")),
            "/c.html": lambda: _send(handler, 200, article("New bus timetable", "C.")),
            "/private/secret.html": lambda: _send(handler, 200, article("Secret", "S.")),
            "/missing.html": lambda: _send(handler, 404, b"not here", "text/plain"),
            "/redirect": lambda: _redirect(handler, "/c.html"),
            "/loop1": lambda: _redirect(handler, "/loop2"),
            "/loop2": lambda: _redirect(handler, "/loop1"),
            "/slow": lambda: self._slow(handler),
            "/big": lambda: _send(handler, 200, b"<p>" + b"x" * 200_000 + b"</p>"),
            "/flaky": lambda: self._flaky(handler, parse_qs(parts.query)),
            "/busy": lambda: _send(handler, 503, b"busy", "text/plain", {"Retry-After": "3600"}),
        }
        routes.get(parts.path, lambda: _send(handler, 404, b"no route", "text/plain"))()

    def _slow(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(SLOW_S)
        _send(handler, 200, article("Too late", "L."))

    def _flaky(self, handler: http.server.BaseHTTPRequestHandler, query: dict) -> None:
        """503 for the first `fail` requests of each `key`, then the page."""
        key, fail = query.get("key", [""])[0], int(query.get("fail", ["1"])[0])
        with self.lock:
            self.flaky_hits[key] = self.flaky_hits.get(key, 0) + 1
            hit = self.flaky_hits[key]
        if hit <= fail:
            _send(handler, 503, b"try again", "text/plain", {"Retry-After": "0"})
        else:
            _send(handler, 200, article("Recovered page", f"Key {key}."))


def _send(
    handler: http.server.BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test): nothing to answer


def _redirect(handler: http.server.BaseHTTPRequestHandler, location: str) -> None:
    _send(handler, 302, b"", "text/plain", {"Location": location})


@pytest.fixture(scope="session")
def local_site() -> Iterator[LocalSite]:
    """A threaded HTTP server on 127.0.0.1 (ephemeral port) serving `LocalSite` routes."""
    site = LocalSite()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet; `site.log` has what the tests need

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
