"""
### clean_pages

Cleans raw web pages (HTML or plaintext) from a folder or object storage into the
warehouse: clean text and metadata per page, a quarantine record (with the reason) per page
that could not be cleaned, and one manifest per batch and per run.

`list_pages` -> `clean_batch` (one mapped task per batch file) -> `write_manifest`

- Pages already cleaned or quarantined are skipped, so a second run over the same source
  adds nothing; `reprocess` cleans them again (after a cleaner upgrade, say).
- `list_pages` writes the pages to clean into batch files in the warehouse
  (`listings/<run_id>/batch-00001.jsonl`, ...; never more than `[core] max_map_length`
  of them: batches grow instead), and only those files' locations travel through XCom,
  so a run can cover hundreds of thousands of pages.
- Each batch writes its own manifest (`manifests/batches/<run_id>/<run_id>-batch-<n>.json`)
  and its per-page rows (`manifests/documents/date=<day>/...jsonl`), so a retried batch
  overwrites them instead of adding more.
- `write_manifest` runs even when there is nothing to clean, and emits the asset
  `cleaner://warehouse/clean`, on which downstream DAGs can be scheduled.
- A *scheduled* run whose source does not exist is skipped with a warning (it ends
  `success` and writes nothing); a run started by hand with a missing source fails.

Environment (read when the DAG file is parsed): `CLEANER_SOURCE` and `CLEANER_WAREHOUSE`
(defaults of the params), `CLEANER_CLEAN_SCHEDULE` (cron or preset, default `@daily`;
`none` for manual runs only), `CLEANER_TASK_RETRIES` (default 2).
"""

from __future__ import annotations

import logging

from airflow.sdk import Param, TriggerRule, dag, get_current_context, task

from cleaner.orchestration import settings
from cleaner.orchestration.airflow_tasks import (
    CLEAN_ASSET,
    DAG_DEFAULTS,
    clean_batch,
    publish_run,
    warehouse_param,
    workers_param,
)

MISSING_SOURCE = (
    "source {source} does not exist: set the source param of the run (or CLEANER_SOURCE "
    "for its default) to the folder or storage URL of the raw pages"
)
MISSING_SOURCE_SCHEDULED = (
    "source {source} does not exist, so this scheduled run cleans nothing. Point "
    "CLEANER_SOURCE (and CLEANER_WAREHOUSE) at your raw pages and warehouse where Airflow "
    "parses the DAGs, or set CLEANER_CLEAN_SCHEDULE=none to run clean_pages by hand only "
    "(with the source param)."
)


@dag(
    dag_id="clean_pages",
    schedule=settings.schedule("CLEANER_CLEAN_SCHEDULE", "@daily"),
    doc_md=__doc__,
    **DAG_DEFAULTS,  # one run at a time: two runs at once would list, and clean, the same pending pages
    params={
        "source": Param(
            settings.default_source(),
            type="string",
            minLength=1,
            title="Source",
            description="Folder or storage URL of raw pages (a path, file://..., s3://...).",
        ),
        "pattern": Param(
            "*",
            type="string",
            minLength=1,
            title="File pattern",
            description="Glob matched against file names at any depth, e.g. *.html.",
        ),
        "warehouse": warehouse_param("Folder or storage URL the clean pages and manifests go to."),
        "limit": Param(
            0,
            type="integer",
            minimum=0,
            title="Limit",
            description="Clean at most this many pages in this run (0: all of them).",
        ),
        "batch_size": Param(
            settings.CLEAN_BATCH_SIZE,
            type="integer",
            minimum=1,
            title="Batch size",
            description="Pages per mapped clean task (more when the run would otherwise "
            "exceed Airflow's max_map_length of mapped tasks).",
        ),
        "workers": workers_param("Processes per task"),
        "reprocess": Param(
            False,
            type="boolean",
            title="Reprocess",
            description="Clean again pages that are already in the warehouse.",
        ),
        "line_threshold": Param(
            None,
            type=["null", "number"],
            minimum=0,
            maximum=1,
            title="Line threshold",
            description="Plaintext pages: the line model drops a line when P(boilerplate) "
            "is at least this (empty: the model's validated threshold; lower drops more "
            "boilerplate and more content). Pages already cleaned need Reprocess.",
        ),
    },
)
def clean_pages() -> None:
    batch_files = list_pages()
    manifests = clean_batch.expand(batch_file=batch_files)
    batch_files >> write_manifest(manifests)


@task
def list_pages() -> list[str]:
    """The raw pages not in the warehouse yet, written to batch files; returns the files'
    locations (the counts of the rest go to `listings/<run_id>/listing.json`).

    A missing source fails a run someone started (retrying cannot make it appear). A
    *scheduled* run with a missing source is skipped with a warning instead: unpausing the
    DAG starts one at once on the defaults (`~/cleaner/raw`), and on a machine not set up
    for it yet that run should neither fail nor write anything."""
    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    from cleaner.orchestration import tasks as work
    from cleaner.runner.batches import SourceNotFoundError

    context = get_current_context()
    run = work.RunInfo.from_context(context)
    params = work.CleanParams.from_params(context["params"])
    try:
        return work.list_pages(params, run, work.max_map_length())
    except SourceNotFoundError as exc:
        if run.run_type == settings.SCHEDULED:
            message = MISSING_SOURCE_SCHEDULED.format(source=exc.source)
            logging.getLogger(__name__).warning(message)
            raise AirflowSkipException(message) from exc
        raise AirflowFailException(MISSING_SOURCE.format(source=exc.source)) from exc


@task(trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, outlets=[CLEAN_ASSET])
def write_manifest(manifests: list[str]) -> dict[str, int]:
    """Runs also when there were no batches (the mapped task is then skipped, but
    `list_pages`, also upstream, succeeded); skipped with `list_pages` when a scheduled run
    found no source, so that such a run writes no manifest and emits no asset event."""
    return publish_run(manifests, listed=True)


clean_pages()
