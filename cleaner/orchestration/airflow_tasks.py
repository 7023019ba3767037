"""The Airflow pieces both DAGs use, defined once: the clean-zone asset, the mapped clean
task, and the final step that writes the run manifest and fills the asset event.

Imported by the DAG files at parse time, so it imports nothing heavy at module level
(Airflow's SDK is already loaded by then; the cleaner loads inside the tasks).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, Param, get_current_context, task

from cleaner.orchestration import settings

#: The clean zone as an asset: both DAGs update it; its events carry the warehouse
#: location, the run's counts and its report in `extra`.
CLEAN_ASSET = Asset(name=settings.CLEAN_ASSET_NAME, uri=settings.CLEAN_ASSET_URI)


#: What both DAGs share in `@dag(...)`: no catch-up of missed days (a run cleans what is
#: new, whatever the date), one run at a time, retries with backoff.
DAG_DEFAULTS: dict[str, Any] = {
    "start_date": pendulum.datetime(2025, 1, 1, tz="UTC"),
    "catchup": False,
    "max_active_runs": 1,
    "tags": ["cleaner"],
    "default_args": {
        "retries": settings.task_retries(),
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": True,
    },
}


def warehouse_param(description: str) -> Param:
    return Param(
        settings.default_warehouse(),
        type="string",
        minLength=1,
        title="Warehouse",
        description=description,
    )


def workers_param(title: str) -> Param:
    return Param(
        1,
        type="integer",
        minimum=1,
        maximum=64,
        title=title,
        description="Worker processes each clean task cleans its pages in (one core "
        "each); a page that crashes its process is quarantined either way.",
    )


@task(map_index_template="{{ batch_label }}")
def clean_batch(batch_file: str) -> str:
    """Clean one batch file's pages into the warehouse; its manifest's location."""
    from cleaner.orchestration import tasks as work

    context = get_current_context()
    params = work.CleanParams.from_params(context["params"])
    result = work.clean_one_batch(batch_file, params, work.RunInfo.from_context(context))
    context["batch_label"] = result.label  # type: ignore[typeddict-unknown-key]
    return result.manifest


def publish_run(
    manifests: Iterable[str], *, listed: bool = False, fetches: Iterable[str] = ()
) -> dict[str, int]:
    """Inside a DAG's final task: write the run manifest and the run's report, and tell
    the asset's consumers what changed. Returns the counts for XCom."""
    from cleaner.orchestration import tasks as work

    context: Any = get_current_context()
    run = work.RunInfo.from_context(context)
    warehouse = context["params"]["warehouse"]
    summary = work.summarise(warehouse, run, manifests, listed=listed, fetches=fetches)
    context["outlet_events"][CLEAN_ASSET].extra = summary.asset_extra
    return summary.counts
