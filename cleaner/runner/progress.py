"""A progress bar that suits where it is shown: redrawn on a terminal, a line every
`LOG_PROGRESS_INTERVAL_S` in a log (an Airflow task log keeps lines, not redraws)."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

#: When the progress bar goes to a log (stderr is not a terminal), one line this often:
#: Airflow keeps task logs line by line, and a redraw every 0.1 s would flood them.
LOG_PROGRESS_INTERVAL_S = 30.0


def progress_bar(total: int | None, progress: bool | None) -> Any:
    """A tqdm bar on stderr, or a disabled one (see `clean_many` for `progress`)."""

    stream = sys.stderr
    terminal = _is_terminal(stream)
    if not (terminal if progress is None else progress):
        return tqdm(total=total, disable=True)
    if terminal:
        return tqdm(total=total, unit="page", desc="cleaning", file=stream)
    return tqdm(
        total=total,
        unit="page",
        desc="cleaning",
        file=LogLines(stream),
        mininterval=LOG_PROGRESS_INTERVAL_S,
        ascii=True,
    )


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False


class LogLines:
    """A stream for tqdm that turns its carriage-return redraws into whole lines, as a log
    (an Airflow task log, a file) wants them."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        for part in text.replace("\r", "\n").split("\n"):
            if part.strip():
                self.stream.write(part.strip() + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()
