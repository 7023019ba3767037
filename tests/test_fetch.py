"""The polite fetcher against a real HTTP server on 127.0.0.1 (see `local_site` in conftest).

Every test allows 127.0.0.1 explicitly, except the one that checks it is refused by default.
"""

from __future__ import annotations

import time
from dataclasses import replace

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
