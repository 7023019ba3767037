"""What both DAG files share, read when Airflow parses them: keep this module free of
heavy imports (it loads only the standard library and `cleaner.fetch_policy`).

Environment: `CLEANER_SOURCE` and `CLEANER_WAREHOUSE` (the params' defaults),
`CLEANER_CLEAN_SCHEDULE` (default `@daily`) and `CLEANER_FETCH_SCHEDULE` (default
`none`: triggered by hand), `CLEANER_URL_FILE` (default of fetch_pages' `url_file`),
`CLEANER_TASK_RETRIES` (default 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from cleaner.fetch_policy import DEFAULT_POLICY

#: The clean zone as an asset: both DAGs update it; its events carry the warehouse
#: location and the run's counts in `extra`.
CLEAN_ASSET_NAME, CLEAN_ASSET_URI = "cleaner_clean_zone", "cleaner://warehouse/clean"

#: Pages per mapped clean task: cleaning takes about 0.1-0.3 s a page on one core, so a
#: batch runs for tens of seconds, well above Airflow's few seconds of overhead per task
#: (and the ~2 s warm-up of its worker process).
CLEAN_BATCH_SIZE = 100

#: URLs per fetch task (whole hosts are kept together, so a batch may be larger). At the
#: default one request per second per host, a batch of one host takes about a minute.
FETCH_BATCH_SIZE = 50

#: The fetcher's politeness defaults, for fetch_pages' params (see `cleaner.fetch_policy`).
FETCH_DEFAULTS = DEFAULT_POLICY

#: `dag_run.run_type` of a run the scheduler started on the DAG's schedule (the value of
#: Airflow's `DagRunType.SCHEDULED`, as a string so that nothing here imports Airflow).
SCHEDULED = "scheduled"

#: Task retries when `CLEANER_TASK_RETRIES` is not set: two ride out a lost worker or a
#: storage hiccup; every batch is idempotent, so a retry redoes only what is missing.
DEFAULT_TASK_RETRIES = 2


def data_home() -> Path:
    """Where raw pages and the warehouse are when the environment does not say."""
    return Path.home() / "cleaner"


def default_source(env: Mapping[str, str] = os.environ) -> str:
    return env.get("CLEANER_SOURCE") or str(data_home() / "raw")


def default_warehouse(env: Mapping[str, str] = os.environ) -> str:
    return env.get("CLEANER_WAREHOUSE") or str(data_home() / "warehouse")


def schedule(variable: str, default: str, env: Mapping[str, str] = os.environ) -> str | None:
    """A cron expression or preset from `variable`; "none" (or empty) means triggered by
    hand only.

    >>> schedule("X", "@daily", {}), schedule("X", "@daily", {"X": " none "})
    ('@daily', None)
    """
    value = env.get(variable, default).strip()
    return None if value.lower() in {"", "none", "null"} else value


def task_retries(env: Mapping[str, str] = os.environ) -> int:
    """`CLEANER_TASK_RETRIES`, refused with its value when it is not a whole number >= 0.

    >>> task_retries({}), task_retries({"CLEANER_TASK_RETRIES": "0"})
    (2, 0)
    """
    value = env.get("CLEANER_TASK_RETRIES", "").strip()
    if not value:
        return DEFAULT_TASK_RETRIES
    if not value.isdigit():
        raise ValueError(f"CLEANER_TASK_RETRIES={value!r}: expected a whole number >= 0")
    return int(value)


def default_url_file(env: Mapping[str, str] = os.environ) -> str:
    return env.get("CLEANER_URL_FILE", "")
