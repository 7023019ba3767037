"""The Airflow pieces both DAGs use, defined once: the clean-zone asset, the mapped clean
task, and the final step that writes the run manifest and fills the asset event.

Imported by the DAG files at parse time, so it imports nothing heavy at module level
(Airflow's SDK is already loaded by then; the cleaner loads inside the tasks).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from airflow.sdk import Asset, get_current_context, task

from cleaner.orchestration import settings

#: The clean zone as an asset: both DAGs update it; its events carry the warehouse
#: location, the run's counts and its report in `extra`.
CLEAN_ASSET = Asset(name=settings.CLEAN_ASSET_NAME, uri=settings.CLEAN_ASSET_URI)


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
