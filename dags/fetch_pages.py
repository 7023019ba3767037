"""
### fetch_pages

Fetches web pages politely into the raw zone of the warehouse, then cleans them exactly
as `clean_pages` does.

`collect_urls` -> `fetch_batch` (mapped, one task per group of hosts) -> `split_raw`
-> `clean_batch` (mapped) -> `write_manifest`

- URLs and fetched pages go to the mapped tasks as batch files in the warehouse
  (`listings/<run_id>/fetch-00001.jsonl`, `batch-00001.jsonl`); only the files' locations
  travel through XCom.

- Every response is kept in `raw/<id[:2]>/<id>.body` with `<id>.meta.json` (requested
  and final URL, status, headers, fetch time), so pages can be cleaned again later
  without fetching them again (`clean_pages` with `source=<warehouse>/raw`,
  `pattern=*.body`).
- A URL that cannot be fetched (HTTP error, timeout, robots.txt, refused address, too
  large, redirect loop) is quarantined with the reason.
- One host's URLs all go to one fetch task, so the per-host delay holds while tasks run
  in parallel. Hosts resolving to private, loopback or link-local addresses are refused
  unless listed in `allow_hosts`.
- The final task writes the run manifest (fetch and clean counts) and emits the asset
  `cleaner://warehouse/clean`, like `clean_pages`.

Environment: `CLEANER_WAREHOUSE` (default of the param), `CLEANER_FETCH_SCHEDULE`
(default `none`: triggered by hand; set it with a `url_file` default for a crawl),
`CLEANER_URL_FILE` (default of `url_file`), `CLEANER_TASK_RETRIES` (default 2).
"""

from __future__ import annotations

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

POLICY = settings.FETCH_DEFAULTS


@dag(
    dag_id="fetch_pages",
    schedule=settings.schedule("CLEANER_FETCH_SCHEDULE", "none"),
    doc_md=__doc__,
    **DAG_DEFAULTS,  # one run at a time: runs in parallel would break the per-host delay
    params={
        "urls": Param(
            [],
            type="array",
            items={"type": "string"},
            title="URLs",
            description="Pages to fetch, one per line (http and https only).",
        ),
        "url_file": Param(
            settings.default_url_file(),
            type="string",
            title="URL file",
            description="Path or storage URL of a file with one URL per line (# comments).",
        ),
        "warehouse": warehouse_param(
            "Folder or storage URL: raw zone, clean zone, quarantine, manifests."
        ),
        "timeout_s": Param(
            POLICY.timeout_s,
            type="number",
            exclusiveMinimum=0,
            maximum=300,
            title="Timeout (s)",
            description="Per request, connecting and reading the whole body.",
        ),
        "max_retries": Param(
            POLICY.max_retries,
            type="integer",
            minimum=0,
            maximum=10,
            title="Retries",
            description="Retries on connection errors, timeouts, 5xx and 429, with backoff.",
        ),
        "max_bytes": Param(
            POLICY.max_bytes,
            type="integer",
            minimum=1,
            title="Max bytes",
            description="Larger responses are refused and quarantined.",
        ),
        "min_delay_s": Param(
            POLICY.min_delay_s,
            type="number",
            minimum=0,
            title="Delay per host (s)",
            description="Minimum time between two requests to the same host.",
        ),
        "user_agent": Param(
            "",
            type="string",
            title="User agent",
            description="Sent with every request and matched against robots.txt; "
            "empty for the cleaner's own (cleaner/<version> ...).",
        ),
        "respect_robots": Param(
            True,
            type="boolean",
            title="Respect robots.txt",
            description="Fetch robots.txt once per host and skip the URLs it disallows.",
        ),
        "allow_hosts": Param(
            [],
            type="array",
            items={"type": "string"},
            title="Allowed private hosts",
            description="Hosts fetched even though they resolve to private, loopback or "
            "link-local addresses (e.g. an intranet mirror).",
        ),
        "batch_size": Param(
            settings.FETCH_BATCH_SIZE,
            type="integer",
            minimum=1,
            title="Batch size",
            description="URLs per fetch task, and fetched pages per clean task.",
        ),
        "workers": workers_param("Processes per clean task"),
    },
)
def fetch_pages() -> None:
    fetched = fetch_batch.expand(batch_file=collect_urls())
    manifests = clean_batch.expand(batch_file=split_raw(fetched))
    write_manifest(manifests, fetched)


@task
def collect_urls() -> list[str]:
    """The URLs from both params, in batch files that each hold whole hosts."""
    from cleaner.orchestration import tasks as work

    context = get_current_context()
    fetch = work.FetchParams.from_params(context["params"])
    run = work.RunInfo.from_context(context)
    warehouse = context["params"]["warehouse"]
    return work.collect_urls_into_batches(fetch, warehouse, run, work.max_map_length())


@task(map_index_template="{{ batch_label }}")
def fetch_batch(batch_file: str) -> str:
    from cleaner.orchestration import tasks as work

    context = get_current_context()
    fetch = work.FetchParams.from_params(context["params"])
    warehouse = context["params"]["warehouse"]
    result = work.fetch_one_batch(batch_file, fetch, warehouse, work.RunInfo.from_context(context))
    context["batch_label"] = result.label  # type: ignore[typeddict-unknown-key]
    return result.manifest


@task(trigger_rule=TriggerRule.NONE_FAILED)
def split_raw(fetch_manifests: list[str]) -> list[str]:
    """The stored bodies in clean batch files (none when nothing was fetched)."""
    from cleaner.orchestration import tasks as work

    context = get_current_context()
    params = work.CleanParams.from_params(context["params"])
    run = work.RunInfo.from_context(context)
    return work.split_raw(fetch_manifests, params, run, work.max_map_length())


@task(trigger_rule=TriggerRule.NONE_FAILED, outlets=[CLEAN_ASSET])
def write_manifest(manifests: list[str], fetch_manifests: list[str]) -> dict[str, int]:
    return publish_run(manifests, fetches=fetch_manifests)


fetch_pages()
