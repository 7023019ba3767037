"""Looking into a warehouse folder from tests: what a zone holds, and a run's manifest.
Shared by the DAG tests run in-process and those run under a live Airflow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def zone(warehouse: Path, name: str, suffix: str) -> dict[str, float]:
    """Files of one warehouse zone with their modification times."""
    root = warehouse / name
    return {str(p.relative_to(root)): p.stat().st_mtime for p in root.rglob(f"*{suffix}")}


def run_manifest(warehouse: Path, run_id: str) -> dict[str, Any]:
    """The manifest `write_manifest` wrote for an Airflow run."""
    for path in (warehouse / "manifests").glob("*.json"):
        manifest = json.loads(path.read_text())
        if manifest.get("kind") == "run" and manifest["run_id"] == run_id:
            return dict(manifest)
    raise AssertionError(f"no run manifest for {run_id} in {warehouse}")
