"""Limits on one input's cleaning: wall-clock time (`time_limit`) and the memory it took
(`peak_rss_kb`). Sizes, element counts and depth are checked before parsing, in
`cleaner.load` and `cleaner.extract`."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cleaner.errors import TimeLimitError

try:
    import resource
except ImportError:  # pragma: no cover - Windows has no resource module
    resource = None  # type: ignore[assignment]


@contextmanager
def time_limit(seconds: float, source: str) -> Iterator[None]:
    """Raise `TimeLimitError` naming `source` when the block runs longer than `seconds`.

    It uses SIGALRM, which exists only on Unix and can be set only from the main thread:
    elsewhere (threads, Windows), and when `seconds <= 0`, the block runs without a limit.
    The alarm interrupts Python code only, not a C call in progress (a parser), which is
    why the size, element and depth limits are checked before parsing. The previous
    handler is restored afterwards, and an alarm armed by the caller (a task runner's
    own timeout) is re-armed with its remaining time and still fires if it is due first.
    """
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    outer_due_first = 0 < outer_left <= seconds
    previous = signal.getsignal(signal.SIGALRM)
    outer_fired = False

    def expired(signum: int, frame: Any) -> None:
        nonlocal outer_fired
        if outer_due_first and callable(previous):
            outer_fired = True
            signal.signal(signal.SIGALRM, previous)
            previous(signum, frame)
            return
        raise TimeLimitError(source, f"cleaning took longer than the limit of {seconds:g} s")

    started = time.monotonic()
    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left and not outer_fired:  # give the caller's alarm what is left of its time
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, OUTER_ALARM_MIN_DELAY))


#: An outer alarm already due when the limit ends fires this soon after, rather than never.
OUTER_ALARM_MIN_DELAY = 0.001


def peak_rss_kb() -> int:
    """This process's peak resident memory in kB (0 where the platform cannot tell)."""
    if resource is None:  # pragma: no cover - Windows
        return 0
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, kB on Linux
