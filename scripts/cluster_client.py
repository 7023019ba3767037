"""The parts of scripts/cluster_demo.sh that talk HTTP: the S3 server and Airflow's REST API.

    cluster_client.py upload FOLDER s3://BUCKET/PREFIX [--pattern GLOB]
    cluster_client.py trigger API_URL DAG_ID CONF_JSON [--timeout S]
    cluster_client.py inventory s3://BUCKET/PREFIX

`upload` creates the bucket and puts every file below FOLDER (matching GLOB) under PREFIX,
keeping relative paths, and prints how many files and how many different contents. `trigger` starts a run through `/api/v2` (the simple auth manager
with all users admins, as the demo configures it, needs no token), polls it until it ends
and prints one JSON object: state, run id, and the run's own start-to-end seconds as
Airflow recorded them (so the figures leave out the time the run waited in the queue);
it exits 1 unless the run succeeded. `inventory` prints how many objects each part of the
warehouse holds, and the keys of the clean zone and of the site templates, as JSON.

S3 is reached with boto3 at `$S3_ENDPOINT_URL` (credentials from the usual AWS_* variables).
Only the standard library and boto3: it runs in the project's venv with the cluster extra.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: How often a running DAG run is polled; a run takes tens of seconds at the least.
POLL_S = 2.0


def s3_client() -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"])


def split_url(url: str) -> tuple[str, str]:
    """(bucket, prefix without slashes at the ends) of `s3://[conn@]bucket/prefix`.

    >>> split_url("s3://cleaner_s3@demo/raw/x/")
    ('demo', 'raw/x')
    """
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1], parts.path.strip("/")


def upload(folder: Path, url: str, pattern: str) -> dict[str, int]:
    """Put the files under `folder` whose names match `pattern`; returns how many, and
    how many different contents they hold (a copied page is one document)."""
    bucket, prefix = split_url(url)
    client = s3_client()
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=bucket)
    count, contents = 0, set()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and fnmatch.fnmatch(path.name, pattern):
            key = f"{prefix}/{path.relative_to(folder).as_posix()}"
            data = path.read_bytes()
            client.put_object(Bucket=bucket, Key=key, Body=data)
            count += 1
            contents.add(hashlib.sha256(data).digest())
    return {"files": count, "unique": len(contents)}


def keys(url: str) -> list[str]:
    """Every key under the prefix, relative to it."""
    bucket, prefix = split_url(url)
    found = []
    for page in (
        s3_client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/")
    ):
        found += [obj["Key"][len(prefix) + 1 :] for obj in page.get("Contents", [])]
    return found


def inventory(url: str) -> dict[str, Any]:
    """Counts of the warehouse's parts, and the keys a second run must leave as they are."""
    found = keys(url)

    def under(folder: str, suffix: str = "") -> list[str]:
        return sorted(k for k in found if k.startswith(folder) and k.endswith(suffix))

    return {
        "clean_txt": len(under("clean/", ".txt")),
        "clean_json": len(under("clean/", ".json")),
        "quarantine": len(under("quarantine/")),
        "run_manifests": len([k for k in under("manifests/", ".json") if k.count("/") == 1]),
        "batch_manifests": len(under("manifests/batches/")),
        "document_rows": len(under("manifests/documents/")),
        "listings": len(under("listings/")),
        "templates": len(under("templates/")),
        "clean_keys": under("clean/"),
        "template_keys": under("templates/"),
    }


def _api(method: str, url: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def trigger(api: str, dag_id: str, conf: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Start a run with `conf`, wait for it to end; its state, id and duration."""
    base = f"{api.rstrip('/')}/api/v2/dags/{dag_id}/dagRuns"
    run = _api("POST", base, {"logical_date": None, "conf": conf})
    run_id = run["dag_run_id"]
    deadline = time.monotonic() + timeout
    while run["state"] not in {"success", "failed"} and time.monotonic() < deadline:
        time.sleep(POLL_S)
        run = _api("GET", f"{base}/{urllib.request.quote(run_id, safe='')}")
    seconds = None
    if run.get("start_date") and run.get("end_date"):
        started = datetime.fromisoformat(run["start_date"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(run["end_date"].replace("Z", "+00:00"))
        seconds = round((ended - started).total_seconds(), 1)
    return {"state": run["state"], "run_id": run_id, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upload")
    up.add_argument("folder", type=Path)
    up.add_argument("url")
    up.add_argument("--pattern", default="*")
    tr = sub.add_parser("trigger")
    tr.add_argument("api")
    tr.add_argument("dag_id")
    tr.add_argument("conf")
    tr.add_argument("--timeout", type=float, default=600.0)
    inv = sub.add_parser("inventory")
    inv.add_argument("url")
    args = parser.parse_args(argv)
    if args.command == "upload":
        print(json.dumps(upload(args.folder, args.url, args.pattern)))
        return 0
    if args.command == "inventory":
        print(json.dumps(inventory(args.url)))
        return 0
    try:
        result = trigger(args.api, args.dag_id, json.loads(args.conf), args.timeout)
    except urllib.error.HTTPError as exc:
        print(f"{exc}: {exc.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0 if result["state"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
