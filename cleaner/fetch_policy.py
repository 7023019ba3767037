"""How politely and how far to fetch: the `FetchPolicy` and its defaults.

Apart from `cleaner.fetch` (which needs urllib3 and protego) so that the command line's
help and the `fetch_pages` DAG file can name the defaults without loading the fetcher.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.version import VERSION

#: Names the program and its purpose, as RFC 9309 asks crawlers to do.
DEFAULT_USER_AGENT = f"cleaner/{VERSION} (boilerplate cleaner; polite fetcher)"

#: 10 s is what most crawlers (Scrapy's DOWNLOAD_TIMEOUT is 180 s, wget 900 s) would call
#: impatient; for article pages, anything slower is a server in trouble we should not push.
DEFAULT_TIMEOUT_S = 10.0

#: Two retries ride out a restarting server or a brief 503 without turning one dead
#: URL into a burst of requests.
DEFAULT_MAX_RETRIES = 2

#: 5 MB: the largest page in the development corpus is about 4 MB of HTML.
DEFAULT_MAX_BYTES = 5_000_000

#: One request per second per host: the conventional polite default (Scrapy's
#: AutoThrottle starts at 1-5 s; many robots.txt files ask for Crawl-delay: 1).
DEFAULT_MIN_DELAY_S = 1.0

#: Browsers stop at 20 hops; article URLs rarely need more than 2 (http->https, slash).
DEFAULT_MAX_REDIRECTS = 5

#: urllib3's backoff factor: the n-th retry waits 0.5 * 2**(n-1) s (the first none), so at
#: the default per-host delay of 1 s the waits are 1 s, 1 s, 2 s, 4 s...
DEFAULT_BACKOFF_S = 0.5

#: Retry-After values up to this are obeyed; a server asking for more is given up on.
DEFAULT_MAX_RETRY_AFTER_S = 60.0

#: What the cleaner can read (cleaner.load sniffs HTML versus plaintext); the same list we
#: send in the Accept header, minus the `*/*` fallback.
ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how far to fetch; vary with `dataclasses.replace`.

    allow_hosts: host names (lower case, without port) exempt from the public-address
    rule, e.g. {"127.0.0.1"} for a test server or an intranet mirror.
    accept_types: media types (lower case, without parameters) a page may have.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES
    max_bytes: int = DEFAULT_MAX_BYTES
    min_delay_s: float = DEFAULT_MIN_DELAY_S
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    allow_hosts: frozenset[str] = frozenset()
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    backoff_s: float = DEFAULT_BACKOFF_S
    max_retry_after_s: float = DEFAULT_MAX_RETRY_AFTER_S
    accept_types: frozenset[str] = ACCEPTED_TYPES


DEFAULT_POLICY = FetchPolicy()


def allowed_hosts(names: Iterable[str]) -> frozenset[str]:
    """`FetchPolicy.allow_hosts` from names as a user gives them (any case, spaces, blanks).

    >>> sorted(allowed_hosts([" Intranet.Example ", "", "127.0.0.1"]))
    ['127.0.0.1', 'intranet.example']
    """
    return frozenset(h.strip().lower() for h in names if h.strip())
