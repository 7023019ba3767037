"""The polite fetcher against a real HTTP server on 127.0.0.1 (see `local_site` in conftest).

Every test allows 127.0.0.1 explicitly, except the one that checks it is refused by default.
"""

from __future__ import annotations

import gzip
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from cleaner.errors import FetchError
from cleaner.fetch import Fetcher, FetchPolicy

#: Fast enough for a test, slow enough that scheduling jitter cannot fake a pass.
TEST_POLICY = FetchPolicy(
    timeout_s=0.5,
    max_retries=0,
    min_delay_s=0.0,
    backoff_s=0.05,
    allow_hosts=frozenset({"127.0.0.1"}),
)


def fetch_error(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert info.value.source == url
    return info.value.reason


def test_fetch_returns_page_with_headers(local_site):
    page = Fetcher(TEST_POLICY).fetch(local_site.url("/a.html"))
    assert b"Bridge works approved" in page.data
    assert page.source == page.url == local_site.url("/a.html")
    assert page.headers["Content-Type"].startswith("text/html")


def test_redirect_is_followed_and_final_url_kept(local_site):
    got = Fetcher(TEST_POLICY).get(local_site.url("/redirect"))
    assert got.page.url == local_site.url("/c.html")
    assert got.page.source == local_site.url("/redirect")
    assert got.redirects == [local_site.url("/c.html")]
    assert got.record()["final_url"] == local_site.url("/c.html")
    assert got.record()["status"] == 200


def test_redirect_loop_is_refused(local_site):
    assert "redirect loop" in fetch_error(Fetcher(TEST_POLICY), local_site.url("/loop1"))


def test_too_many_redirects(local_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_redirects=0))
    assert "more than 0 redirects" in fetch_error(fetcher, local_site.url("/redirect"))


def test_http_error_status(local_site):
    assert (
        fetch_error(Fetcher(TEST_POLICY), local_site.url("/missing.html")) == "HTTP 404 Not Found"
    )


def test_timeout(local_site):
    started = time.monotonic()
    reason = fetch_error(Fetcher(TEST_POLICY), local_site.url("/slow"))
    assert reason == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.4  # gave up at the timeout, not at the answer


def test_5xx_is_retried_until_success(local_site):
    url = local_site.url("/flaky?key=retry-ok&fail=2")
    page = Fetcher(replace(TEST_POLICY, max_retries=2)).fetch(url)
    assert b"Recovered page" in page.data
    assert local_site.flaky_hits["retry-ok"] == 3


def test_5xx_gives_up_after_retries(local_site):
    url = local_site.url("/flaky?key=retry-fail&fail=5")
    reason = fetch_error(Fetcher(replace(TEST_POLICY, max_retries=1)), url)
    assert reason == "HTTP 503 Service Unavailable after 2 attempts"
    assert local_site.flaky_hits["retry-fail"] == 2


def test_backoff_spaces_the_retries(local_site):
    """urllib3's curve: the first retry at once (not asserted: under load "at once" can
    take a while), the second after 2 * backoff_s."""
    backoff = 0.2
    fetcher = Fetcher(replace(TEST_POLICY, max_retries=2, backoff_s=backoff))
    fetch_error(fetcher, local_site.url("/flaky?key=backoff&fail=5"))
    _, second, third = local_site.hits("/flaky")[-3:]
    assert third - second >= 2 * backoff - 0.01


def test_retry_after_is_obeyed(hostile_site):
    started = time.monotonic()
    page = Fetcher(replace(TEST_POLICY, max_retries=1)).fetch(hostile_site + "/retry-after")
    assert page.data == HTML
    assert time.monotonic() - started >= 1.0  # the server asked for 1 s; backoff alone is 0


def test_retry_after_over_the_cap_gives_up_at_once(local_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_retries=3, max_retry_after_s=5))
    started = time.monotonic()
    reason = fetch_error(fetcher, local_site.url("/busy"))
    assert "asked to wait 3600 s" in reason
    assert time.monotonic() - started < 1.0


def test_size_cap(local_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_bytes=100_000))
    assert "over the limit of 100000 bytes" in fetch_error(fetcher, local_site.url("/big"))


def test_robots_disallow_and_robots_fetched_once(local_site):
    before = len(local_site.hits("/robots.txt"))
    fetcher = Fetcher(TEST_POLICY)
    reason = fetch_error(fetcher, local_site.url("/private/secret.html"))
    assert reason.startswith("disallowed by robots.txt")
    fetcher.fetch(local_site.url("/a.html"))
    assert len(local_site.hits("/robots.txt")) == before + 1
    assert not local_site.hits("/private/secret.html")


def test_robots_can_be_ignored_when_told(local_site):
    fetcher = Fetcher(replace(TEST_POLICY, respect_robots=False))
    assert b"Secret" in fetcher.fetch(local_site.url("/private/secret.html")).data


def test_private_address_refused_without_allow_list(local_site):
    fetcher = Fetcher(replace(TEST_POLICY, allow_hosts=frozenset()))
    reason = fetch_error(fetcher, local_site.url("/a.html"))
    assert "non-public address 127.0.0.1" in reason
    assert "refused" in fetch_error(
        fetcher, local_site.url("/a.html").replace("127.0.0.1", "localhost")
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http:///nohost"])
def test_only_http_urls_with_hosts(url):
    reason = fetch_error(Fetcher(TEST_POLICY), url)
    assert "scheme" in reason or "no host" in reason


def test_per_host_delay(local_site):
    min_delay = 0.3
    fetcher = Fetcher(replace(TEST_POLICY, min_delay_s=min_delay))
    fetcher.fetch(local_site.url("/b.html"))
    fetcher.fetch(local_site.url("/c.html"))
    b_at, c_at = local_site.hits("/b.html")[-1], local_site.hits("/c.html")[-1]
    assert c_at - b_at >= min_delay - 0.01  # 10 ms for the server's own clock reading


# --- a hostile server: trickles, bombs, wrong types, odd encodings ----------------------
#
# Its own server (conftest's `local_site` serves well-behaved pages): every route here
# misbehaves in one way. It has no robots.txt (404), which RFC 9309 reads as "allow all".

#: The trickle route sends one byte this often; the fetcher's deadline is TEST_POLICY's 0.5 s.
TRICKLE_EVERY_S = 0.1

#: Bytes the trickle route would send in all: at TRICKLE_EVERY_S that takes 4 s, far past
#: the deadline, while no single read waits longer than the 0.5 s socket timeout.
TRICKLE_BYTES = 40

#: Zeros in the gzip bomb: 50 MB inflate from about 50 KB on the wire.
BOMB_BYTES = 50_000_000

HTML = b"<html><body><p>Plain and well-behaved.</p></body></html>"


def _answer(handler, status, body, headers) -> None:
    try:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the fetcher gave up first, as it should


def _trickle(handler, with_length: bool) -> None:
    """Headers at once, then the body one byte at a time."""
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if with_length:
            handler.send_header("Content-Length", str(TRICKLE_BYTES))
        handler.end_headers()
        for _ in range(TRICKLE_BYTES):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(TRICKLE_EVERY_S)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def _trickle_headers(handler) -> None:
    """The status line, then one header line at a time, slowly."""
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(TRICKLE_BYTES):
            handler.wfile.write(f"X-Slow-{i}: y\r\n".encode())
            handler.wfile.flush()
            time.sleep(TRICKLE_EVERY_S)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def _no_length(handler, body: bytes) -> None:
    """A body delimited by closing the connection, so no Content-Length gives its size."""
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass
    handler.close_connection = True


def hostile_routes(base: str) -> dict[str, Callable[[Any], None]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    bomb = gzip.compress(b"\0" * BOMB_BYTES, compresslevel=9)
    small_gzip = gzip.compress(HTML)
    port = base.rsplit(":", 1)[1]
    retry_after_hits = iter(range(1_000_000))
    return {
        "/retry-after": lambda h: (
            _answer(h, 503, b"", {"Retry-After": "1", "Content-Length": "0"})
            if next(retry_after_hits) % 2 == 0
            else _answer(h, 200, HTML, {**html, "Content-Length": str(len(HTML))})
        ),
        "/trickle": lambda h: _trickle(h, with_length=True),
        "/trickle-nolength": lambda h: _trickle(h, with_length=False),
        "/trickle-headers": _trickle_headers,
        "/big-nolength": lambda h: _no_length(h, b"<p>" + b"y" * 300_000 + b"</p>"),
        "/gzip-bomb": lambda h: _answer(
            h, 200, bomb, {**html, "Content-Encoding": "gzip", "Content-Length": str(len(bomb))}
        ),
        "/gzip-page": lambda h: _answer(
            h,
            200,
            small_gzip,
            {**html, "Content-Encoding": "gzip", "Content-Length": str(len(small_gzip))},
        ),
        "/gzip-truncated": lambda h: _answer(
            h, 200, small_gzip[:20], {**html, "Content-Encoding": "gzip", "Content-Length": "20"}
        ),
        "/gzip-garbage": lambda h: _answer(
            h, 200, b"not gzip at all", {**html, "Content-Encoding": "gzip"}
        ),
        "/brotli": lambda h: _answer(h, 200, b"\x1b\x03", {**html, "Content-Encoding": "br"}),
        "/image": lambda h: _answer(h, 200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"}),
        "/octet": lambda h: _answer(
            h, 200, b"\0\1\2", {"Content-Type": "application/octet-stream"}
        ),
        "/pdf": lambda h: _answer(h, 200, b"%PDF-1.7", {"Content-Type": "application/pdf"}),
        "/xhtml": lambda h: _answer(
            h, 200, HTML, {"Content-Type": "application/xhtml+xml; charset=utf-8"}
        ),
        "/plain": lambda h: _answer(h, 200, b"Just text.", {"Content-Type": "TEXT/PLAIN"}),
        "/untyped": lambda h: _answer(h, 200, HTML, {}),
        "/redirect-to-image": lambda h: _answer(h, 302, b"", {"Location": "/image"}),
        "/to-localhost": lambda h: _answer(
            h, 302, b"", {"Location": f"http://localhost:{port}/xhtml"}
        ),
        "/to-metadata": lambda h: _answer(
            h, 302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}
        ),
        "/to-file": lambda h: _answer(h, 302, b"", {"Location": "file:///etc/passwd"}),
        "/error-gzip-bomb": lambda h: _answer(
            h, 503, bomb, {**html, "Content-Encoding": "gzip", "Content-Length": str(len(bomb))}
        ),
    }


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[str]:
    """A threaded HTTP server on 127.0.0.1 serving `hostile_routes`; yields its base URL."""
    routes: dict[str, Callable[[Any], None]] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            route = routes.get(path)
            if route is None:
                _answer(self, 404, b"", {"Content-Length": "0"})
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes.update(hostile_routes(base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


#: The deadline may be overshot by thread scheduling and the socket shutdown, not by more.
DEADLINE_SLACK_S = 0.5


@pytest.mark.parametrize("route", ["/trickle", "/trickle-nolength", "/trickle-headers"])
def test_trickling_server_is_cut_off_at_the_total_deadline(hostile_site, route):
    started = time.monotonic()
    reason = fetch_error(Fetcher(TEST_POLICY), hostile_site + route)
    elapsed = time.monotonic() - started
    assert reason == "timed out after 0.5 s"
    assert elapsed < TEST_POLICY.timeout_s + DEADLINE_SLACK_S  # not 4 s of trickle


def test_trickle_is_retried_each_attempt_under_its_own_deadline(hostile_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_retries=1))
    started = time.monotonic()
    assert fetch_error(fetcher, hostile_site + "/trickle") == (
        "timed out after 0.5 s after 2 attempts"
    )
    assert time.monotonic() - started < 2 * TEST_POLICY.timeout_s + 2 * DEADLINE_SLACK_S


def test_size_cap_holds_without_content_length(hostile_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_bytes=100_000))
    reason = fetch_error(fetcher, hostile_site + "/big-nolength")
    assert reason == "body is over the limit of 100000 bytes"


def test_gzip_bomb_is_refused_by_decompressed_size(hostile_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_bytes=1_000_000))
    started = time.monotonic()
    reason = fetch_error(fetcher, hostile_site + "/gzip-bomb")
    assert reason == "decompressed body is over the limit of 1000000 bytes"
    assert time.monotonic() - started < 1.0  # stopped at the cap, did not inflate 50 MB


def test_gzip_sent_although_identity_was_asked_is_decoded(hostile_site):
    got = Fetcher(TEST_POLICY).get(hostile_site + "/gzip-page")
    assert got.page.data == HTML
    assert "Content-Encoding" not in got.page.headers  # the stored body is decoded
    assert "Content-Length" not in got.page.headers
    assert got.record()["bytes"] == len(HTML)


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("/gzip-truncated", "body sent as gzip is truncated"),
        ("/gzip-garbage", "body sent as gzip does not decompress"),
        ("/brotli", "unsupported Content-Encoding 'br' (we asked for identity)"),
    ],
)
def test_bad_or_unknown_encodings_are_refused_with_their_name(hostile_site, route, reason):
    assert fetch_error(Fetcher(TEST_POLICY), hostile_site + route).startswith(reason)


def test_error_status_body_is_not_decompressed(hostile_site):
    fetcher = Fetcher(replace(TEST_POLICY, max_bytes=1_000_000))
    reason = fetch_error(fetcher, hostile_site + "/error-gzip-bomb")
    assert reason == "HTTP 503 Service Unavailable"


@pytest.mark.parametrize(
    ("route", "media"),
    [
        ("/image", "image/png"),
        ("/octet", "application/octet-stream"),
        ("/pdf", "application/pdf"),
        ("/redirect-to-image", "image/png"),
    ],
)
def test_wrong_content_type_names_url_and_type(hostile_site, route, media):
    url = hostile_site + route
    with pytest.raises(FetchError) as info:
        Fetcher(TEST_POLICY).fetch(url)
    assert info.value.source == url
    assert info.value.reason == (
        f"unsupported content type {media!r} "
        "(accepted: application/xhtml+xml, text/html, text/plain)"
    )
    assert url in str(info.value) and media in str(info.value)


@pytest.mark.parametrize("route", ["/xhtml", "/plain", "/untyped"])
def test_accepted_content_types(hostile_site, route):
    assert Fetcher(TEST_POLICY).fetch(hostile_site + route).data


def test_accepted_types_are_a_policy_field(hostile_site):
    fetcher = Fetcher(replace(TEST_POLICY, accept_types=frozenset({"text/html"})))
    assert "'text/plain'" in fetch_error(fetcher, hostile_site + "/plain")


def test_redirect_onto_a_private_host_is_refused(hostile_site):
    """127.0.0.1 is allowed; the same server named `localhost` is not: every hop is checked."""
    assert "non-public address" in fetch_error(Fetcher(TEST_POLICY), hostile_site + "/to-localhost")


def test_redirect_to_cloud_metadata_address_is_refused(hostile_site):
    reason = fetch_error(Fetcher(TEST_POLICY), hostile_site + "/to-metadata")
    assert reason.startswith("refused: 169.254.169.254 resolves to non-public address")


def test_redirect_to_another_scheme_is_refused(hostile_site):
    assert fetch_error(Fetcher(TEST_POLICY), hostile_site + "/to-file") == (
        "unsupported URL scheme 'file'"
    )


@pytest.mark.parametrize(
    "host", ["10.0.0.1", "192.168.1.1", "172.16.0.1", "169.254.169.254", "[::1]", "0.0.0.0"]
)
def test_private_and_link_local_addresses_are_refused(host):
    """Refused before any connection is tried (none of these would answer here anyway)."""
    reason = fetch_error(Fetcher(replace(TEST_POLICY, allow_hosts=frozenset())), f"http://{host}/")
    assert "non-public address" in reason


def test_allow_list_is_per_host(local_site):
    """Allowing `localhost` does not allow `127.0.0.1`, the same server under another name."""
    fetcher = Fetcher(replace(TEST_POLICY, allow_hosts=frozenset({"localhost"})))
    assert fetcher.fetch(local_site.url("/a.html").replace("127.0.0.1", "localhost")).data
    assert "non-public" in fetch_error(fetcher, local_site.url("/a.html"))


def test_connected_address_is_checked_again(local_site, monkeypatch):
    """DNS rebinding: the name resolved to a public address when checked (simulated by
    skipping the check), then to 127.0.0.1 when connecting; the connection is refused."""
    monkeypatch.setattr("cleaner.fetch._check_public", lambda url, host, port: None)
    fetcher = Fetcher(replace(TEST_POLICY, allow_hosts=frozenset(), respect_robots=False))
    url = local_site.url("/a.html").replace("127.0.0.1", "localhost")
    before = len(local_site.hits("/a.html"))
    reason = fetch_error(fetcher, url)
    assert reason.startswith("refused: localhost connected to non-public address")
    assert len(local_site.hits("/a.html")) == before  # refused before the request was sent


# --- robots.txt as RFC 9309 reads it, on a server whose robots.txt each test writes ------


class RobotsSite:
    """A server on 127.0.0.1 answering robots.txt with `robots` and every other path with
    a small page; it logs (path with query, arrival time) of each request."""

    def __init__(self, robots: str) -> None:
        self.robots = robots
        self.log: list[tuple[str, float]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.log.append((self.path, time.monotonic()))
                if self.path == "/robots.txt":
                    body, kind = site.robots.encode(), "text/plain"
                else:
                    body, kind = HTML, "text/html"
                _answer(self, 200, body, {"Content-Type": kind, "Content-Length": str(len(body))})

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def hits(self, path: str) -> list[float]:
        return [t for p, t in self.log if p == path]


@pytest.fixture
def robots_site() -> Iterator[Callable[[str], RobotsSite]]:
    """Starts a `RobotsSite` for a robots.txt text; every one started is shut at the end."""
    started: list[RobotsSite] = []

    def start(robots: str) -> RobotsSite:
        started.append(RobotsSite(robots))
        return started[-1]

    yield start
    for site in started:
        site.server.shutdown()
        site.server.server_close()


def allowed(fetcher: Fetcher, site: RobotsSite, path: str) -> bool:
    """Whether the fetcher fetched `path`, checked on the server's side too: a refused path
    must never have been requested."""
    try:
        fetcher.fetch(site.base + path)
    except FetchError as exc:
        assert exc.reason.startswith("disallowed by robots.txt"), exc.reason
        assert not site.hits(path)
        return False
    assert site.hits(path)
    return True


@pytest.mark.parametrize(
    ("robots", "path", "expected"),
    [
        # the longest match wins, whatever the order (urllib.robotparser took the first)
        ("Disallow: /a\nAllow: /a/b\n", "/a/b/c", True),
        ("Disallow: /a\nAllow: /a/b\n", "/a/x", False),
        ("Allow: /a/b\nDisallow: /a/b/c\n", "/a/b/c/d", False),
        # `*` matches any run of characters, including the query
        ("Disallow: /*?sessionid=\n", "/news/1?sessionid=42", False),
        ("Disallow: /*?sessionid=\n", "/news/1?page=2", True),
        ("Disallow: /*/print\n", "/news/7/print", False),
        # `$` anchors the end of the path
        ("Disallow: /*.php$\n", "/index.php", False),
        ("Disallow: /*.php$\n", "/index.php?lang=de", True),
        ("Disallow: /exact$\n", "/exact/more", True),
    ],
)
def test_robots_rules_as_rfc_9309_reads_them(robots_site, robots, path, expected):
    site = robots_site("User-agent: *\n" + robots)
    assert allowed(Fetcher(TEST_POLICY), site, path) is expected


def test_robots_txt_with_a_byte_order_mark_is_obeyed(robots_site):
    site = robots_site("\ufeffUser-agent: *\nDisallow: /private/\n")
    assert not allowed(Fetcher(TEST_POLICY), site, "/private/1")


def test_robots_group_for_our_product_token_wins_over_the_star_group(robots_site):
    """Our User-Agent is `cleaner/<version> (...)`; a group for `cleaner` is ours."""
    site = robots_site("User-agent: *\nDisallow: /\n\nUser-agent: cleaner\nDisallow: /drafts/\n")
    fetcher = Fetcher(TEST_POLICY)
    assert allowed(fetcher, site, "/news/1")
    assert not allowed(fetcher, site, "/drafts/1")


def request_gap(site: RobotsSite, policy: FetchPolicy) -> float:
    """Seconds between two requests to one host, as the server saw them arrive."""
    fetcher = Fetcher(policy)
    fetcher.fetch(site.base + "/first")
    fetcher.fetch(site.base + "/second")
    return site.hits("/second")[0] - site.hits("/first")[0]


#: Long enough that the gap cannot come from scheduling, short enough for a fast test.
CRAWL_DELAY_S = 0.3


def test_crawl_delay_spaces_requests_to_a_host(robots_site):
    site = robots_site(f"User-agent: *\nCrawl-delay: {CRAWL_DELAY_S}\nDisallow: /private/\n")
    gap = request_gap(site, TEST_POLICY)  # min_delay_s=0: only the Crawl-delay spaces them
    assert gap >= CRAWL_DELAY_S - 0.01  # 10 ms for the server's own clock reading


def test_crawl_delay_is_ignored_with_robots(robots_site):
    """A long Crawl-delay (never waited out here), so that a loaded machine cannot fail it."""
    site = robots_site("User-agent: *\nCrawl-delay: 5\n")
    assert request_gap(site, replace(TEST_POLICY, respect_robots=False)) < 5


def test_crawl_delay_is_capped(robots_site, monkeypatch):
    """A site asking for an hour gets `MAX_CRAWL_DELAY_S` (shrunk here to keep the test fast)."""
    monkeypatch.setattr("cleaner.fetch.MAX_CRAWL_DELAY_S", 0.2)
    site = robots_site("User-agent: *\nCrawl-delay: 3600\n")
    assert 0.19 <= request_gap(site, TEST_POLICY) < 2.0
