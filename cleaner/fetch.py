"""Polite, bounded HTTP fetching: one URL in, one `RawPage` (or a `FetchError`) out.

Politeness and bounds, each a field of `FetchPolicy`:

- only http and https; hosts that resolve to private, loopback, link-local or otherwise
  non-public addresses are refused unless named in `allow_hosts` (checked again on every
  redirect hop, so a public page cannot bounce us onto the local network, and once more
  on the address actually connected to, so a DNS answer that changes between the check
  and the connection, "DNS rebinding", cannot either);
- robots.txt is fetched once per origin and obeyed as RFC 9309 reads it, by protego: the
  longest matching rule wins (`Allow: /a/b` beats `Disallow: /a`), `*` and `$` work in
  paths, a 4xx robots.txt allows everything, a 5xx or unreachable one disallows
  everything; its Crawl-delay raises the per-host delay, up to `MAX_CRAWL_DELAY_S`;
- at least `min_delay_s` between two requests to the same host (robots.txt, retries and
  redirect hops included);
- every attempt has a deadline of `timeout_s` for connecting, the headers *and* the whole
  body: a watchdog shuts the socket at the deadline, so a server trickling a byte at a
  time cannot stretch an attempt (socket timeouts alone bound each read, not the sum);
- connection errors, timeouts, 5xx and 429 are retried up to `max_retries` times, as
  urllib3's `Retry` counts and spaces them: the first retry goes at once (the per-host
  delay still applies), the n-th (n >= 2) `backoff_s * 2**(n-1)`, at most `MAX_BACKOFF_S`;
  a Retry-After header is obeyed when it asks for at most `max_retry_after_s`, and a
  server asking for longer is given up on rather than hammered sooner than it asked;
- bodies over `max_bytes` are refused (by Content-Length before reading, or as soon as
  the count passes the limit);
- we ask for `Accept-Encoding: identity`; a server that sends gzip or deflate anyway is
  decompressed with the same `max_bytes` cap on the *decompressed* size (a gzip bomb is
  refused, not inflated), and any other encoding is refused with its name;
- only the content types in `accept_types` are fetched (HTML, XHTML, plain text); an
  image or `application/octet-stream` is refused before its body is read. A response
  without a Content-Type is let through: the loader sniffs the bytes.
- redirects are followed up to `max_redirects` hops, and a loop is refused at once.

Every failure is a `cleaner.errors.FetchError(url, reason)`. A `Fetcher` holds per-host
state (last request time, parsed robots.txt) and is meant for one thread; use one per task.

Why the requests go through `urllib.request` and not urllib3's `PoolManager`, although
urllib3's `Retry` decides the retries: the guarantees above hang on three hooks that the
standard library gives in a few lines and that a pool would hide. The deadline watchdog
and the connected-address check both need the socket of the attempt in flight, which
`http.client.HTTPConnection.connect` hands over once per request; a pool reuses
connections, so both would need the pool's internals. A pool would also retry, sleep and
follow redirects inside `urlopen`, where neither the per-host delay nor the per-hop
checks can run, so it would be called with retries and redirects off, leaving it only
keep-alive, which one request per host per second does not need. `Retry` alone is the part
worth taking: which statuses to retry, the counting, the backoff curve and its cap, and
Retry-After in both its forms.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPException, HTTPResponse
from typing import Any
from urllib.parse import urljoin, urlsplit

from protego import Protego
from urllib3.exceptions import InvalidHeader, MaxRetryError
from urllib3.util.retry import Retry

from cleaner.document import RawPage
from cleaner.errors import FetchError
from cleaner.fetch_policy import (  # re-exported: the policy is part of this module's API
    DEFAULT_POLICY,
    FetchPolicy,
)

#: No single backoff wait is longer than this.
MAX_BACKOFF_S = 30.0

#: A robots.txt Crawl-delay above this is capped, so one site cannot stall a batch for hours.
MAX_CRAWL_DELAY_S = 30.0

#: RFC 9309 section 2.5: crawlers should parse at least 500 KiB of robots.txt.
MAX_ROBOTS_BYTES = 512 * 1024

#: Bytes read from the socket per call while enforcing the size cap and the deadline.
READ_CHUNK = 64 * 1024

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

#: Statuses worth another try: the server's own trouble (5xx) or its "slow down" (429).
RETRY_STATUSES = frozenset({429, *range(500, 600)})

#: Content-Encodings a server may send although we asked for identity, with the zlib
#: `wbits` that decode them: 32 + 15 lets zlib detect a gzip or zlib header by itself.
#: "deflate" is zlib-wrapped by RFC 9110; servers sending raw deflate are refused.
DECODABLE_ENCODINGS = {
    "gzip": 32 + zlib.MAX_WBITS,
    "x-gzip": 32 + zlib.MAX_WBITS,
    "deflate": 32 + zlib.MAX_WBITS,
}

#: The robots.txt we act on when the real one is unreachable (5xx, network) or missing (4xx).
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
ALLOW_ALL = ""


@dataclass(slots=True)
class Fetched:
    """A successful fetch: the page plus what the raw zone records about it."""

    page: RawPage
    status: int
    fetched_at: str
    elapsed_s: float
    redirects: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The fetch record stored beside the body (`<id>.meta.json` in the raw zone)."""
        return {
            "url": self.page.source,
            "final_url": self.page.url,
            "status": self.status,
            "fetched_at": self.fetched_at,
            "elapsed_s": round(self.elapsed_s, 4),
            "bytes": len(self.page.data),
            "redirects": self.redirects,
            "headers": self.page.headers,
        }


@dataclass(slots=True)
class _Response:
    """One HTTP exchange, redirects not followed."""

    url: str
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


class _Retryable(Exception):
    """A transport failure (connection refused or reset, timeout) worth another attempt."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NoRedirects(urllib.request.HTTPErrorProcessor):
    """Hand every response back as it is: we follow redirects and judge statuses ourselves,
    so that each hop passes the address and robots checks."""

    def http_response(self, request: Any, response: Any) -> Any:
        return response

    https_response = http_response


class _Watchdog:
    """Shuts the current attempt's socket down when its deadline passes.

    Socket timeouts bound each read, so a server sending one byte every few seconds could
    hold an attempt for ever; shutting the socket makes the blocked read return at once.
    It also runs `on_connect` on the new socket, before a byte is sent: the place to check
    the address really connected to.
    """

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.fired = False
        self.on_connect: Callable[[socket.socket], None] | None = None
        self._timer: threading.Timer | None = None

    def start(self, seconds: float, on_connect: Callable[[socket.socket], None] | None) -> None:
        self.cancel()
        self.sock, self.fired, self.on_connect = None, False, on_connect
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to interrupt
                sock.shutdown(socket.SHUT_RDWR)

    def connection_class(self, base: type[http.client.HTTPConnection]) -> Any:
        """`base` whose connect() hands its socket to this watchdog."""
        watchdog = self

        class Watched(base):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                watchdog.sock = self.sock
                if watchdog.fired:  # the deadline passed while connecting
                    watchdog._fire()
                if watchdog.on_connect is not None:
                    watchdog.on_connect(self.sock)

        return Watched


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._connection = watchdog.connection_class(http.client.HTTPConnection)

    def http_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        self._ssl = ssl.create_default_context()
        super().__init__(context=self._ssl)
        self._connection = watchdog.connection_class(http.client.HTTPSConnection)

    def https_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req, context=self._ssl)


class Fetcher:
    """Fetches URLs under one `FetchPolicy`, remembering per-host timing and robots.txt."""

    def __init__(self, policy: FetchPolicy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego] = {}
        self._retry = Retry(
            total=policy.max_retries,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=policy.backoff_s,
            backoff_max=MAX_BACKOFF_S,
        )
        self._watchdog = _Watchdog()
        # No ProxyHandler from the environment: a proxy would make the address check moot.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            _NoRedirects,
            _WatchedHTTP(self._watchdog),
            _WatchedHTTPS(self._watchdog),
        )

    def fetch(self, url: str) -> RawPage:
        """The page at `url`: data, source=url, url=the final URL after redirects, headers."""
        return self.get(url).page

    def get(self, url: str) -> Fetched:
        """Like `fetch`, with the status, time and redirect chain kept for the raw zone."""
        started = time.monotonic()
        fetched_at = datetime.now(UTC).isoformat()
        response, hops = self._follow(url, check_robots=self.policy.respect_robots, page=True)
        if not 200 <= response.status < 300:
            raise FetchError(url, f"HTTP {response.status} {response.reason}".strip())
        page = RawPage(data=response.body, source=url, url=response.url, headers=response.headers)
        return Fetched(page, response.status, fetched_at, time.monotonic() - started, hops)

    # -- redirects and policy -------------------------------------------------------------

    def _follow(
        self, url: str, check_robots: bool, page: bool = False
    ) -> tuple[_Response, list[str]]:
        """Request `url`, following redirects; every hop is checked like the first URL.
        A `page` (not robots.txt) must also have one of the accepted content types."""
        hops: list[str] = []
        current = url
        while True:
            self._check_allowed(url, current, check_robots)
            response = self._with_retries(url, current, page)
            location = _header(response.headers, "Location")
            if response.status not in REDIRECT_STATUSES or not location:
                return response, hops
            target = urljoin(current, location.strip())
            if target == url or target in hops:
                raise FetchError(url, f"redirect loop at {target}")
            if len(hops) >= self.policy.max_redirects:
                raise FetchError(url, f"more than {self.policy.max_redirects} redirects")
            hops.append(target)
            current = target

    def _check_allowed(self, url: str, target: str, check_robots: bool) -> None:
        parts = urlsplit(target)
        if parts.scheme not in {"http", "https"}:
            raise FetchError(url, f"unsupported URL scheme {parts.scheme or '(none)'!r}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError(url, f"no host in {target}")
        if host not in self.policy.allow_hosts:
            _check_public(url, host, parts.port or (443 if parts.scheme == "https" else 80))
        if check_robots and not self._robots_for(target).can_fetch(target, self.policy.user_agent):
            raise FetchError(url, f"disallowed by robots.txt ({target})")

    def _robots_for(self, target: str) -> Protego:
        """The origin's robots.txt, fetched on first use and kept for this fetcher's life."""
        parts = urlsplit(target)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin + "/robots.txt")
        return self._robots[origin]

    def _load_robots(self, robots_url: str) -> Protego:
        try:
            response, _ = self._follow(robots_url, check_robots=False)
        except FetchError:
            response = None  # unreachable: RFC 9309 section 2.3.1.4, assume complete disallow
        if response is None or response.status >= 500:
            return Protego.parse(DISALLOW_ALL)
        if response.status >= 400:
            return Protego.parse(ALLOW_ALL)
        # utf-8-sig: protego reads a byte-order mark as part of the first line, which would
        # turn "User-agent: *" into an unknown directive and so allow everything
        body = response.body[:MAX_ROBOTS_BYTES]
        return Protego.parse(body.decode("utf-8-sig", errors="replace"))

    def _host_delay(self, target: str) -> float:
        delay = self.policy.min_delay_s
        if self.policy.respect_robots:
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(target))
            robots = self._robots.get(origin)
            crawl_delay = robots.crawl_delay(self.policy.user_agent) if robots else None
            if crawl_delay:
                delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY_S))
        return delay

    # -- attempts ---------------------------------------------------------------------------

    def _with_retries(self, url: str, target: str, page: bool = False) -> _Response:
        """One hop, retried on connection errors, timeouts, 5xx and 429 as `Retry` says.

        `Retry` only decides and times; the attempts stay ours, so that each one waits its
        turn for the host and runs under its own deadline."""
        retry = self._retry
        while True:
            wait_s = 0.0
            try:
                response = self._attempt(url, target, page)
            except _Retryable as exc:
                failure = exc.reason
            else:
                if not retry.is_retry("GET", response.status):
                    return response
                failure = f"HTTP {response.status} {response.reason}".strip()
                wait_s = _retry_after(retry, response.headers)
            try:
                retry = retry.increment("GET", target)
            except MaxRetryError:
                attempts = len(retry.history) + 1
                suffix = f" after {attempts} attempts" if attempts > 1 else ""
                raise FetchError(url, f"{failure}{suffix}") from None
            if wait_s > self.policy.max_retry_after_s:
                raise FetchError(
                    url,
                    f"{failure}; the server asked to wait {wait_s:g} s, "
                    f"over the limit of {self.policy.max_retry_after_s:g} s",
                )
            time.sleep(max(retry.get_backoff_time(), wait_s))

    def _attempt(self, url: str, target: str, page: bool = False) -> _Response:
        """One request under the deadline and size cap; transient failures are `_Retryable`."""
        self._wait_turn(target)
        timed_out = f"timed out after {self.policy.timeout_s:g} s"
        self._watchdog.start(self.policy.timeout_s, self._peer_check(url, target))
        try:
            return self._exchange(url, target, page, time.monotonic() + self.policy.timeout_s)
        except FetchError:
            raise
        except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
            raise _Retryable(timed_out) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError) or self._watchdog.fired:
                raise _Retryable(timed_out) from None
            raise _Retryable(f"connection failed: {exc.reason}") from None
        except (HTTPException, OSError) as exc:
            if self._watchdog.fired:
                raise _Retryable(timed_out) from None
            raise _Retryable(f"connection failed: {type(exc).__name__}: {exc}") from None
        finally:
            self._watchdog.cancel()

    def _peer_check(self, url: str, target: str) -> Callable[[socket.socket], None] | None:
        """A check of the connected address for hosts not in `allow_hosts`, else None."""
        host = (urlsplit(target).hostname or "").lower()
        if host in self.policy.allow_hosts:
            return None

        def check(sock: socket.socket) -> None:
            address = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
            if not is_public(address):
                sock.close()
                raise FetchError(
                    url,
                    f"refused: {host} connected to non-public address {address} "
                    "(not in allow_hosts)",
                )

        return check

    def _exchange(self, url: str, target: str, page: bool, deadline: float) -> _Response:
        """Send the request and read the whole answer, decoded, checked and bounded."""
        request = urllib.request.Request(
            target,
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "identity",  # the cleaner wants bytes it can decode as they are
            },
        )
        with self._opener.open(request, timeout=self.policy.timeout_s) as raw:
            response: HTTPResponse = raw
            headers = _header_dict(response)
            success = 200 <= response.status < 300
            if page and success:
                _check_type(url, headers, self.policy.accept_types)
            body = self._read_body(url, response, headers, deadline)
            if self._watchdog.fired:  # the socket was shut: what we have is cut short
                raise TimeoutError
            if success:
                body, headers = _decode_body(url, body, headers, self.policy.max_bytes)
            return _Response(target, response.status, response.reason, headers, body)

    def _read_body(
        self, url: str, response: HTTPResponse, headers: dict[str, str], deadline: float
    ) -> bytes:
        limit = self.policy.max_bytes
        declared = _header(headers, "Content-Length") or ""
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"Content-Length {declared} is over the limit of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(READ_CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"body is over the limit of {limit} bytes")
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, target: str) -> None:
        """Sleep until this host's minimum delay since its last request has passed."""
        host = urlsplit(target).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self._host_delay(target) - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request[host] = time.monotonic()


def _check_type(url: str, headers: dict[str, str], accepted: frozenset[str]) -> None:
    """Refuse a page whose declared media type the cleaner cannot read.

    >>> from cleaner.fetch_policy import ACCEPTED_TYPES
    >>> _check_type("u", {"Content-Type": "text/HTML; charset=utf-8"}, ACCEPTED_TYPES)
    >>> _check_type("u", {"Content-Type": "image/png"}, ACCEPTED_TYPES)
    Traceback (most recent call last):
    ...
    cleaner.errors.FetchError: u: unsupported content type 'image/png' (accepted: application/xhtml+xml, text/html, text/plain)
    """
    declared = _header(headers, "Content-Type")
    if declared is None:
        return  # undeclared: cleaner.load sniffs the bytes and refuses binary itself
    media = declared.split(";", 1)[0].strip().lower()
    if media not in accepted:
        raise FetchError(
            url, f"unsupported content type {media!r} (accepted: {', '.join(sorted(accepted))})"
        )


def _decode_body(
    url: str, body: bytes, headers: dict[str, str], limit: int
) -> tuple[bytes, dict[str, str]]:
    """The body without its Content-Encoding, never more than `limit` bytes decompressed.

    The headers lose Content-Encoding and Content-Length, which described the bytes on
    the wire, so nothing downstream decodes the stored body a second time.

    >>> import gzip
    >>> _decode_body("u", gzip.compress(b"<p>hi</p>"), {"Content-Encoding": "gzip"}, 100)
    (b'<p>hi</p>', {})
    """
    encoding = (_header(headers, "Content-Encoding") or "identity").strip().lower()
    if encoding in {"", "identity"}:
        return body, headers
    wbits = DECODABLE_ENCODINGS.get(encoding)
    if wbits is None:
        raise FetchError(url, f"unsupported Content-Encoding {encoding!r} (we asked for identity)")
    inflater = zlib.decompressobj(wbits)
    try:
        data = inflater.decompress(body, limit + 1)  # at most limit + 1 bytes come out
    except zlib.error as exc:
        raise FetchError(url, f"body sent as {encoding} does not decompress: {exc}") from None
    if len(data) > limit:
        raise FetchError(url, f"decompressed body is over the limit of {limit} bytes")
    if not inflater.eof:
        raise FetchError(url, f"body sent as {encoding} is truncated")
    dropped = {"content-encoding", "content-length"}
    return data, {k: v for k, v in headers.items() if k.lower() not in dropped}


def _check_public(url: str, host: str, port: int) -> None:
    """Refuse hosts with any non-public address (a DNS name may resolve to several)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"host {host} does not resolve: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not is_public(address):
            raise FetchError(
                url,
                f"refused: {host} resolves to non-public address {address} (not in allow_hosts)",
            )


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses; IPv4 mapped into IPv6 is unwrapped.

    >>> [is_public(ipaddress.ip_address(a)) for a in ("93.184.215.14", "127.0.0.1", "10.1.2.3")]
    [True, False, False]
    >>> [is_public(ipaddress.ip_address(a)) for a in ("169.254.169.254", "::1", "::ffff:192.168.0.1")]
    [False, False, False]
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _retry_after(retry: Retry, headers: dict[str, str]) -> float:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); 0 when it is
    absent or unreadable, since a garbled header must not cost the retry.

    >>> [_retry_after(Retry(), h) for h in ({"retry-after": "7"}, {}, {"Retry-After": "soon"})]
    [7.0, 0.0, 0.0]
    """
    value = _header(headers, "Retry-After")
    if not value:
        return 0.0
    try:
        return float(retry.parse_retry_after(value))
    except InvalidHeader:
        return 0.0


def _header(headers: dict[str, str], name: str) -> str | None:
    """A header's value whatever the case the server spelled its name in.

    >>> _header({"content-length": "12"}, "Content-Length")
    '12'
    """
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def _header_dict(response: HTTPResponse) -> dict[str, str]:
    """Response headers as a plain dict; repeated headers are joined with ", "."""
    headers: dict[str, str] = {}
    for name, value in response.headers.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers
