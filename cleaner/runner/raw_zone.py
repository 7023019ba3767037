"""Reading the warehouse's raw zone: a fetched body comes back with the URL and HTTP
headers its fetch recorded beside it, since the charset and the site depend on them."""

from __future__ import annotations

import json
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import RawPage
from cleaner.load import as_path, read_path

#: A raw body's fetch record is a few hundred bytes of JSON (url, final_url, status,
#: headers); a larger one is not ours, and is ignored rather than read.
MAX_META_BYTES = 1_000_000

#: The raw zone's files (cleaner.warehouse): a fetched body and its fetch record.
RAW_BODY_SUFFIX, RAW_META_SUFFIX = ".body", ".meta.json"


def read_input(path: Any, config: Config = DEFAULT_CONFIG) -> RawPage:
    """Read a raw page file; a raw-zone body gets back its final URL and HTTP headers
    (the charset matters) from the `.meta.json` beside it."""
    page = read_path(path, config)
    p = as_path(path)
    if p.name.endswith(RAW_BODY_SUFFIX):
        meta = p.parent / (p.name[: -len(RAW_BODY_SUFFIX)] + RAW_META_SUFFIX)
        if (record := _fetch_record(meta)) is not None:
            page.url = record.get("final_url") or record.get("url")
            page.headers = {str(k): str(v) for k, v in (record.get("headers") or {}).items()}
    return page


def _fetch_record(meta: Any) -> dict[str, Any] | None:
    """The fetch record beside a raw body, or None when it is missing, too large,
    unreadable or not a JSON object: the body is still worth cleaning without it."""
    try:
        if not meta.is_file() or meta.stat().st_size > MAX_META_BYTES:
            return None
        record = json.loads(meta.read_bytes())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
