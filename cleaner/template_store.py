"""Site templates in the warehouse: every writer adds to its own file, readers merge them.

Layout under the warehouse root (`site-key` and `writer` are made safe by `site_key` and
`writer_name`, so no site or run id can reach outside `templates/`):

    templates/<site-key>/<writer>.json                  one writer's increments
    templates/<site-key>/_compact-<id>.json             increments folded by `compact`
    templates/<site-key>/.<name>.claim-<time>-<id>      a file a compaction is folding

Why each piece:

- One file per writer (a batch run id): concurrent Airflow mapped tasks have different
  batch run ids, so they never write the same file, and a retried task rewrites its own.
- A writer's file is a list of increments, each the new pages of one save under a fresh
  random id; a rewrite keeps the earlier increments. A retried batch skips the pages its
  first attempt already cleaned, so replacing the file would lose their counts. Pages are
  counted once because `TemplateSession` skips the pages the store already holds.
- `compact` folds a site's files into one, so that reading stays cheap. It claims each
  file by renaming it to a hidden name (a rename is atomic, and of two compactions only one
  can claim a file), writes what it claimed as one new file, then deletes the claimed ones.
  The new file lists the ids of all the increments in it, and readers skip increments
  whose id is listed. So a writer that read its own file just before the claim and rewrote
  it just after (old increments and a new one) is not counted twice, nor are claimed files
  left by a compaction that died after writing. Claimed files of a compaction that died
  before writing are hidden from readers until the next compaction folds them
  (`CLAIM_STALE_S`).
- A file that cannot be read or parsed is skipped with a warning: it costs its counts,
  never a batch. A reader listing the folder while a compaction runs may miss the claimed
  files; it then judges with fewer counts, which only makes it drop less.

Writes go through `cleaner.warehouse.write_atomic`. Compaction needs an atomic rename, so
it runs on local folders only; on object storage files are written (one PUT each) and
read, and `compact` leaves them as they are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.cleaners.templates import SiteTemplates, page_keys
from cleaner.document import Document, Segment
from cleaner.metadata import site_of
from cleaner.warehouse import forget_listing, write_atomic

log = logging.getLogger(__name__)

TEMPLATES_DIR = "templates"
COMPACT_PREFIX = "_compact-"
CLAIM_MARK = ".claim-"
DELTA_FORMAT = "cleaner.template_delta"
COMPACT_FORMAT = "cleaner.template_compact"
FORMAT_VERSION = 1

#: A site with this many files is compacted when it is loaded. Each file costs one open
#: and one parse per load, and a daily run with 20 mapped batches adds 20 files a day.
COMPACT_AT = 64

#: A compaction reads and writes one site's files in well under a second; a claim an hour
#: old was left by a compaction that died, and the next one folds it.
CLAIM_STALE_S = 3600.0

#: How long a folded increment's id is kept: long enough to outlast a writer that read its
#: file just before a claim (a save takes milliseconds) and the leftovers of a compaction
#: that died (folded at the next one), short enough that the list stays a week's saves.
FOLDED_TTL_S = 7 * 24 * 3600.0

#: Files larger than this are not ours: a full site's compacted file is about 2 MB
#: (`cleaner.cleaners.templates.MAX_KEYS` keys and `MAX_PAGE_IDS` page digests).
MAX_FILE_BYTES = 32_000_000

#: Readable part of a site key or writer name; a hash of the original follows it.
MAX_NAME_CHARS = 80
NAME_HASH_HEX = 8

_ID = re.compile(r"[0-9a-f]{16}")


def site_key(site: str) -> str:
    """A folder name for a site: readable, safe, and different for different sites.

    >>> site_key("example.com")
    'example.com-a379a6f6'
    >>> site_key("../../etc")
    'etc-74ccf3c5'
    """
    return _safe(site.lower(), site)


def writer_name(writer_id: str) -> str:
    """A file name stem for a writer: safe, never hidden, never a compacted file's name.

    >>> writer_name("manual__2025-01-01T00:00:00+00:00-batch-3")
    'manual__2025-01-01T00_00_00_00_00-batch-3-fddb9d43'
    >>> writer_name("_compact-x"), writer_name("run-7")
    ('compact-x-2f833c20', 'run-7')
    """
    name = _safe(writer_id, writer_id)
    plain = name.rsplit("-", 1)[0]
    return plain if plain == writer_id else name


def _safe(readable: str, original: str) -> str:
    """Letters, digits, "." "_" "-" of `readable`, never leading, then a hash of `original`."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", readable).strip("._-")[:MAX_NAME_CHARS]
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{cleaned or 'x'}-{digest[:NAME_HASH_HEX]}"


def _new_id() -> str:
    return secrets.token_hex(8)


@dataclass(slots=True)
class _File:
    """One parsed file: its pieces of counts under their ids, and the ids it has folded."""

    path: Any
    pieces: list[tuple[str, float, SiteTemplates]]  # (id, time saved, counts)
    folded: dict[str, float] = field(default_factory=dict)  # id -> time folded


@dataclass
class TemplateStore:
    """Site templates under a warehouse root (a `Path`, or an `ObjectStoragePath`)."""

    root: Any
    auto_compact: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.root, str):
            self.root = Path(self.root)

    def site_folder(self, site: str) -> Any:
        return self.root / TEMPLATES_DIR / site_key(site)

    def delta_path(self, site: str, writer_id: str) -> Any:
        return self.site_folder(site) / f"{writer_name(writer_id)}.json"

    def load(self, site: str) -> SiteTemplates:
        """All of a site's counts, merged; compacts first when the site has many files."""
        folder = self.site_folder(site)
        if self.auto_compact and self._crowded(folder):
            try:
                self.compact(site)
            except OSError as exc:  # a read-only warehouse still reads
                log.warning("could not compact site templates in %s: %s", folder, exc)
        files = [f for p in _visible(folder) if (f := _read(p, site)) is not None]
        return _fold(files)[0]

    def save_delta(
        self, writer_id: str, templates_by_site: Mapping[str, SiteTemplates]
    ) -> list[Any]:
        """Add each site's counts to this writer's file as one increment; returns the files.

        The counts should hold only pages the store does not hold yet (`TemplateSession`
        sees to that): a page in two increments is counted twice.
        """
        written = []
        for site, templates in templates_by_site.items():
            if templates.pages == 0:
                continue
            path = self.delta_path(site, writer_id)
            own = _read(path, site) if _exists(path) else None
            pieces = [*(own.pieces if own else []), (_new_id(), time.time(), templates)]
            write_atomic(path, _delta_bytes(site, writer_id, pieces))
            written.append(path)
        return written

    def compact(self, site: str) -> Any | None:
        """Fold a site's files into one; returns it, or None when there was nothing to do
        (or the root is object storage, where files cannot be claimed by a rename)."""
        folder = self.site_folder(site)
        if not isinstance(folder, Path) or not folder.is_dir():
            return None
        stamp = f"{int(time.time())}-{_new_id()}"
        claimed = _claim(folder, stamp)
        files = [f for p in claimed if (f := _read(p, site)) is not None]
        if not files:
            _release(claimed)
            return None
        templates, folded = _fold(files)
        now = time.time()
        for f in files:
            for piece_id, _, _ in f.pieces:
                folded.setdefault(piece_id, now)
        folded = {i: t for i, t in folded.items() if now - t <= FOLDED_TTL_S}
        compact_id = _new_id()
        out = folder / f"{COMPACT_PREFIX}{compact_id}.json"
        write_atomic(out, _compact_bytes(site, compact_id, now, templates, folded))
        for f in files:
            f.path.unlink(missing_ok=True)
        folded_paths = {f.path for f in files}
        _release([p for p in claimed if p not in folded_paths])  # back under their names
        return out

    def _crowded(self, folder: Any) -> bool:
        if not isinstance(folder, Path) or not folder.is_dir():
            return False
        names = [p.name for p in folder.iterdir()]
        visible = sum(1 for n in names if not n.startswith(".") and n.endswith(".json"))
        return visible >= COMPACT_AT or any(_stale_claim(n, time.time()) for n in names)


# -- Reading


def _exists(path: Any) -> bool:
    try:
        return bool(path.exists())
    except OSError:
        return False


def _visible(folder: Any) -> list[Any]:
    """The site's files a reader merges: not hidden (claims, temporary files), JSON. The
    folder is listed afresh: a listing cached by this process would hide the files other
    batches wrote since (`cleaner.warehouse.forget_listing`)."""
    forget_listing(folder)
    if not _exists(folder):
        return []
    found = [p for p in folder.iterdir() if not p.name.startswith(".") and p.name.endswith(".json")]
    return sorted(found, key=lambda p: p.name)


def _read(path: Any, site: str) -> _File | None:
    """The parsed file, or None with a warning when it cannot be read or is not ours."""
    try:
        if isinstance(path, Path) and path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"larger than {MAX_FILE_BYTES} bytes")
        with path.open("rb") as fh:
            data = json.loads(fh.read(MAX_FILE_BYTES + 1))
        return _parse(path, data, site)
    except FileNotFoundError:  # claimed by a compaction since it was listed: no news
        return None
    except (OSError, ValueError) as exc:  # JSON and UTF-8 errors are ValueErrors
        log.warning("skipping site templates file %s: %s", path, exc)
        return None


def _parse(path: Any, data: Any, site: str) -> _File:
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a site templates file of version {FORMAT_VERSION}")
    if data.get("site") != site:
        raise ValueError(f"it holds site {data.get('site')!r}, not {site!r}")
    if data.get("format") == DELTA_FORMAT:
        increments = data.get("increments")
        if not isinstance(increments, list):
            raise ValueError("increments must be a list")
        return _File(path, [_piece(inc) for inc in increments])
    if data.get("format") == COMPACT_FORMAT:
        folded = data.get("folded")
        if not isinstance(folded, dict) or not all(
            _ID.fullmatch(k) and isinstance(t, int | float) for k, t in folded.items()
        ):
            raise ValueError("folded must map ids to times")
        return _File(path, [_piece(data)], {k: float(t) for k, t in folded.items()})
    raise ValueError(f"unknown format {data.get('format')!r}")


def _piece(data: Any) -> tuple[str, float, SiteTemplates]:
    if not isinstance(data, dict) or not _ID.fullmatch(str(data.get("id"))):
        raise ValueError("each increment needs a 16-hex id")
    saved = data.get("time")
    if not isinstance(saved, int | float):
        raise ValueError("each increment needs a time")
    return data["id"], float(saved), SiteTemplates.from_json(data.get("templates"))


def _fold(files: Iterable[_File]) -> tuple[SiteTemplates, dict[str, float]]:
    """Merge the pieces that no file says it has folded already; and all folded ids."""
    files = list(files)
    folded: dict[str, float] = {}
    for f in files:
        for piece_id, at in f.folded.items():
            folded[piece_id] = max(at, folded.get(piece_id, at))
    merged = SiteTemplates()
    for f in files:
        for piece_id, _, templates in f.pieces:
            if piece_id not in folded:
                merged.merge(templates)
    return merged, folded


# -- Compaction: claims


def _claim(folder: Path, stamp: str) -> list[Path]:
    """Rename the site's visible files, and claims left by a dead compaction, to claims of
    our own; a file another compaction or a writer moved first is simply not ours."""
    now = time.time()
    claimed = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") and _stale_claim(name, now):
            original = _claimed_name(name)
        elif not name.startswith(".") and name.endswith(".json"):
            original = name
        else:
            continue
        target = folder / f".{original}{CLAIM_MARK}{stamp}"
        try:
            path.rename(target)
        except FileNotFoundError:
            continue
        claimed.append(target)
    return claimed


def _claimed_name(claim: str) -> str:
    """The name a claimed file had.

    >>> _claimed_name(".run-7.json.claim-1700000000-0123456789abcdef")
    'run-7.json'
    """
    return claim[1:].rsplit(CLAIM_MARK, 1)[0]


def _stale_claim(name: str, now: float) -> bool:
    """A claim whose compaction started more than `CLAIM_STALE_S` ago.

    >>> _stale_claim(".a.json.claim-100-0123456789abcdef", now=100 + CLAIM_STALE_S + 1)
    True
    >>> _stale_claim(".a.json.claim-100-0123456789abcdef", now=101), _stale_claim(".a.tmp", 0)
    (False, False)
    """
    match = re.fullmatch(rf"\..+{re.escape(CLAIM_MARK)}(\d+)-[0-9a-f]+", name)
    return match is not None and now - int(match.group(1)) > CLAIM_STALE_S


def _release(claimed: list[Path]) -> None:
    """Give unreadable claimed files their names back (unless a writer took the name), so
    that they are reported where they were rather than hidden."""
    for path in claimed:
        original = path.parent / _claimed_name(path.name)
        if not original.exists():
            path.rename(original)


# -- Writing


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")


def _delta_bytes(
    site: str, writer_id: str, pieces: list[tuple[str, float, SiteTemplates]]
) -> bytes:
    increments = [{"id": i, "time": t, "templates": s.to_json()} for i, t, s in pieces]
    return _json_bytes(
        {
            "format": DELTA_FORMAT,
            "version": FORMAT_VERSION,
            "site": site,
            "writer": writer_id,
            "increments": increments,
        }
    )


def _compact_bytes(
    site: str, compact_id: str, now: float, templates: SiteTemplates, folded: dict[str, float]
) -> bytes:
    return _json_bytes(
        {
            "format": COMPACT_FORMAT,
            "version": FORMAT_VERSION,
            "site": site,
            "id": compact_id,
            "time": now,
            "folded": dict(sorted(folded.items())),
            "templates": templates.to_json(),
        }
    )


# -- A batch run's view


class TemplateSession:
    """The templates one batch run judges with and adds to (a `TemplateLookup`).

    Calling it with a site gives what the store held when the session first needed the
    site, plus the pages this session has observed since. `observe` skips pages already
    counted (by the store, or by this session: a reprocessed or retried page), and `save`
    adds what is new to this writer's own file, one increment per site.
    """

    def __init__(self, store: TemplateStore, writer_id: str) -> None:
        self.store = store
        self.writer_id = writer_id
        self._known: dict[str, SiteTemplates] = {}
        self._new: dict[str, SiteTemplates] = {}

    def __call__(self, site: str) -> SiteTemplates:
        if site not in self._known:
            self._known[site] = self._load(site)
        return self._known[site]

    def _load(self, site: str) -> SiteTemplates:
        try:
            return self.store.load(site)
        except OSError as exc:  # an unreadable store means no templates, not a failed page
            log.warning("no site templates for %s: %s", site, exc)
            return SiteTemplates()

    def observe(self, site: str, page_id: str, segments: Iterable[Segment]) -> bool:
        """Count one page of `site`; False when it was counted before."""
        keys = page_keys(segments)
        if not self(site).observe_keys(page_id, keys):
            return False
        self._new.setdefault(site, SiteTemplates()).observe_keys(page_id, keys)
        return True

    def observe_document(self, doc: Document) -> bool:
        """`observe` a cleaned document under the site of its URL; False without a URL."""
        site = site_of(doc.metadata.get("url"))
        return site is not None and self.observe(site, doc.id, doc.segments)

    def save(self) -> list[Any]:
        """Write the pages observed since the last save; returns the files written."""
        written = []
        for site in list(self._new):
            written += self.store.save_delta(self.writer_id, {site: self._new[site]})
            del self._new[site]  # saved: a second save must not add it again
        return written
