"""`cleaner report`: one static HTML file that shows what a run (or a whole warehouse)
removed and why, to be opened from disk with no server and no network.

People judge a cleaner by looking at what it removed. The report has:

- a summary: pages, lines in, kept and removed, removals by cleaner and rule, by site and
  by language (SVG bar charts drawn here, no script library), and the quarantined inputs
  with their reasons;
- each page's input as lines, the removed ones struck through and tagged with their
  cleaner, rule and score, beside the clean text; for HTML, below them, the page's
  visible lines that extraction left out (cleaner `extract`); a filter by rule and by site (also
  from the address: `report.html#rule=heuristic.ui_phrase&site=example.org`).

The lines come from extracting the page's source again (`cleaner.pipeline.extract_page`,
no judging), and the marks from the removals its metadata recorded when it was cleaned.
Where the source is gone, or no longer gives the same lines (it changed, or the extractor
did), the page shows the recorded removals alone and says why.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.metadata import site_of
from cleaner.warehouse import Warehouse

#: Pages shown line by line; the summary counts every page. Re-extracting a page costs
#: about as much as cleaning it, and a browser slows down past a few hundred pages.
MAX_DETAILED_PAGES = 300

#: Bars per chart: the most frequent, then "others".
MAX_BARS = 15


@dataclass(slots=True)
class PageView:
    """One page as the report shows it."""

    id: str
    source: str
    site: str
    language: str
    title: str
    text: str
    removed: list[dict[str, Any]]
    segments_in: int
    segments_kept: int
    lines: list[tuple[str, dict[str, Any] | None]] | None = None  # (text, its removal)
    note: str = ""


@dataclass(slots=True)
class ReportData:
    scope: str
    pages: list[PageView] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)


def collect(warehouse: Warehouse, run_id: str | None = None, site: str | None = None) -> ReportData:
    """The documents (and quarantine records) of the warehouse, or of one run: a run id
    matches the batches filed under it (`<run_id>-batch-<n>`) too."""
    scope = f"warehouse {warehouse.root}" + (f", run {run_id}" if run_id else "")
    data = ReportData(scope + (f", site {site}" if site else ""))
    for record in warehouse.documents():
        meta = record["metadata"]
        if run_id and not _in_run(meta.get("run_id"), run_id):
            continue
        page_site = meta.get("site_name") or site_of(meta.get("url")) or "(no site)"
        if site and page_site != site:
            continue
        data.pages.append(
            PageView(
                id=record["id"],
                source=str(meta.get("source")),
                site=str(page_site),
                language=str(meta.get("language") or "(unknown)"),
                title=str(meta.get("title") or ""),
                text=record["text"],
                removed=list(meta.get("removed") or []),
                segments_in=int(meta.get("segments_in") or 0),
                segments_kept=int(meta.get("segments_kept") or 0),
            )
        )
    data.quarantined = list(_quarantined(warehouse, run_id))
    return data


def _in_run(doc_run: str | None, run_id: str) -> bool:
    return bool(doc_run) and (doc_run == run_id or str(doc_run).startswith(f"{run_id}-"))


def _quarantined(warehouse: Warehouse, run_id: str | None) -> Iterator[dict[str, Any]]:
    """Quarantine records: of the whole warehouse, or the failures a run's manifests list."""
    if run_id is None:
        for path in sorted(warehouse.root.glob("quarantine/*/*.json"), key=lambda p: p.name):
            yield json.loads(path.read_bytes())
        return
    manifests = [warehouse.manifest_path(run_id)]
    batches = warehouse.root / "manifests" / "batches" / run_id
    if not manifests[0].exists() and batches.exists():
        manifests = sorted(batches.glob("*.json"), key=lambda p: p.name)
    for path in manifests:
        if path.exists():
            yield from json.loads(path.read_bytes()).get("failures", [])


def attach_lines(page: PageView) -> None:
    """Give the page its input lines, re-extracted from its source, with the recorded
    removal of each; or a note saying why only the removals can be shown."""
    from cleaner.errors import CleanError
    from cleaner.pipeline import extract_page
    from cleaner.runner import read_input
    from cleaner.storage import storage_path

    try:
        raw = read_input(storage_path(page.source))
        segments = extract_page(raw)[0].segments
    except (CleanError, OSError, ValueError) as exc:
        page.note = f"source not readable now ({exc}): the recorded removals alone"
        return
    removals = {r["index"]: r for r in page.removed if "index" in r}
    if len(segments) != page.segments_in or any(
        i >= len(segments) or segments[i].shown != r["text"] for i, r in removals.items()
    ):
        page.note = (
            "the source no longer gives the lines it was cleaned from: the recorded removals alone"
        )
        return
    page.lines = [(s.shown, removals.get(s.index)) for s in segments]


def render(data: ReportData, detailed: int = MAX_DETAILED_PAGES) -> str:
    """The whole report as one HTML document."""
    pages = sorted(data.pages, key=lambda p: (-len(p.removed), p.source))
    for page in pages[:detailed]:
        attach_lines(page)
    removed = sum(len(p.removed) for p in data.pages)
    lines_in = sum(p.segments_kept for p in data.pages) + removed
    by_rule = Counter(f"{r['cleaner']}.{r['rule']}" for p in data.pages for r in p.removed)
    by_cleaner = Counter(r["cleaner"] for p in data.pages for r in p.removed)
    by_site = Counter({site: 0 for site in {p.site for p in data.pages}})
    by_language: Counter[str] = Counter()
    for page in data.pages:
        by_site[page.site] += len(page.removed)
        by_language[page.language] += len(page.removed)
    rules = sorted(by_rule)
    sites = sorted({p.site for p in data.pages})
    parts = [
        _HEAD,
        f"<h1>cleaner report</h1><p class=scope>{_e(data.scope)}</p>",
        "<section id=summary><h2>Summary</h2><dl>",
        _stat("pages", len(data.pages), "pages"),
        _stat("lines in", lines_in, "lines-in"),
        _stat("lines kept", lines_in - removed, "lines-kept"),
        _stat("lines removed", removed, "lines-removed"),
        _stat("quarantined inputs", len(data.quarantined), "quarantined"),
        "</dl>",
        _chart("Removed lines by cleaner", by_cleaner),
        _chart("Removed lines by rule", by_rule),
        _chart("Removed lines by site", by_site),
        _chart("Removed lines by language", by_language),
        _quarantine_table(data.quarantined),
        "</section>",
        "<section id=filters><h2>Pages</h2>",
        f"<p>{min(len(pages), detailed)} of {len(pages)} pages shown line by line, most "
        "removals first. Struck lines were removed; the tag says by which cleaner and rule.</p>",
        _select("rule-filter", "rule", rules),
        _select("site-filter", "site", sites),
        "</section><section id=pages>",
        *(_page(p) for p in pages[:detailed]),
        "</section>",
        _SCRIPT,
        "</body></html>\n",
    ]
    return "".join(parts)


def write_report(
    warehouse: Warehouse,
    out: Any,
    run_id: str | None = None,
    site: str | None = None,
    detailed: int = MAX_DETAILED_PAGES,
) -> ReportData:
    """Collect, render and write the report to `out` (a path, local or object storage)."""
    data = collect(warehouse, run_id, site)
    out.write_bytes(render(data, detailed).encode("utf-8"))
    return data


# -- pieces of HTML -------------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _stat(label: str, value: int, key: str) -> str:
    return f"<dt>{_e(label)}</dt><dd id=count-{key}>{value}</dd>"


def _chart(title: str, counts: Counter[str]) -> str:
    """A horizontal bar chart in SVG: the `MAX_BARS` largest counts, then the rest."""
    items = counts.most_common(MAX_BARS)
    rest = sum(counts.values()) - sum(n for _, n in items)
    if rest:
        items.append(("(others)", rest))
    if not items:
        return f"<h3>{_e(title)}</h3><p>none</p>"
    top = max(n for _, n in items) or 1
    row, label_w, bar_w = 20, 260, 360
    bars = []
    for i, (name, n) in enumerate(items):
        y = i * row
        width = round(bar_w * n / top)
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_e(name[:40])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row - 6}"></rect>'
            f'<text x="{label_w + width + 4}" y="{y + 14}">{n}</text>'
        )
    height = row * len(items)
    return (
        f'<h3>{_e(title)}</h3><svg class=chart width="{label_w + bar_w + 60}" '
        f'height="{height}" role="img" aria-label="{_e(title)}">{"".join(bars)}</svg>'
    )


def _quarantine_table(records: Iterable[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{_e(r.get('source'))}</td><td>{_e(r.get('error'))}</td>"
        f"<td>{_e(r.get('reason'))}</td></tr>"
        for r in records
    )
    if not rows:
        return "<h3>Quarantined inputs</h3><p>none</p>"
    return (
        "<h3>Quarantined inputs</h3><table id=quarantine><tr><th>input</th><th>error</th>"
        f"<th>reason</th></tr>{rows}</table>"
    )


def _select(element_id: str, what: str, values: list[str]) -> str:
    options = "".join(f"<option>{_e(v)}</option>" for v in values)
    return f"<label>{what} <select id={element_id}><option value=''>all</option>{options}</select></label> "


def _page(page: PageView) -> str:
    rules = " ".join(sorted({f"{r['cleaner']}.{r['rule']}" for r in page.removed}))
    head = (
        f'<article class=page data-site="{_e(page.site)}" data-rules="{_e(rules)}" '
        f'data-id="{_e(page.id)}"><h3>{_e(page.title or page.source)}</h3>'
        f"<p class=source>{_e(page.source)} · {_e(page.site)} · {len(page.removed)} of "
        f"{page.segments_kept + len(page.removed)} lines removed</p>"
    )
    left_out = [r for r in page.removed if "index" not in r]  # extraction's, HTML only
    if page.lines is not None:
        items = "".join(_line(text, removal) for text, removal in page.lines)
    else:
        items = "".join(_line(r["text"], r) for r in page.removed if "index" in r)
        head += f"<p class=note>{_e(page.note)}</p>"
    if left_out:
        items += "<li class=heading>left out by extraction:</li>"
        items += "".join(_line(r["text"], r) for r in left_out)
    clean = "".join(f"<p>{_e(par)}</p>" for par in page.text.split("\n\n"))
    return f"{head}<div class=cols><ol class=input>{items}</ol><div class=clean>{clean}</div></div></article>"


def _line(text: str, removal: dict[str, Any] | None) -> str:
    if removal is None:
        return f"<li class=kept>{_e(text)}</li>"
    reason = f"{removal['cleaner']}.{removal['rule']}"
    score = f" {removal['score']:.2f}" if removal.get("score") is not None else ""
    return (
        f'<li class=removed data-rule="{_e(reason)}"><del>{_e(text)}</del> '
        f"<span class=tag>{_e(reason)}{score}</span></li>"
    )


_HEAD = """<!doctype html><html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1">
<title>cleaner report</title><style>
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1300px;color:#222}
dl{display:grid;grid-template-columns:max-content max-content;gap:.2em 1em}dd{margin:0;font-weight:600}
svg.chart rect{fill:#4a78b5}svg.chart text{font-size:12px}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
.page{border-top:2px solid #ddd;margin-top:1.2em}.source,.note{color:#666}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
ol.input{font-family:ui-monospace,monospace;font-size:12px;padding-left:3em}
li.removed{color:#a33}li.heading{list-style:none;color:#666;margin-top:.6em}li.removed del{text-decoration-thickness:1px}
.tag{background:#f3e0e0;border-radius:3px;padding:0 .3em;font-size:11px;color:#733}
.clean p{margin:.4em 0}.hidden{display:none}
</style></head><body>
"""

_SCRIPT = """<script>
(function () {
  var rule = document.getElementById('rule-filter'), site = document.getElementById('site-filter');
  function apply() {
    document.querySelectorAll('article.page').forEach(function (page) {
      var rules = (page.dataset.rules || '').split(' ');
      var show = (!rule.value || rules.indexOf(rule.value) >= 0) &&
                 (!site.value || page.dataset.site === site.value);
      page.classList.toggle('hidden', !show);
    });
  }
  rule.addEventListener('change', apply); site.addEventListener('change', apply);
  // #rule=...&site=... opens the report filtered, so a view can be shared as a link.
  var wanted = new URLSearchParams(location.hash.slice(1));
  if (wanted.get('rule')) rule.value = wanted.get('rule');
  if (wanted.get('site')) site.value = wanted.get('site');
  apply();
  document.body.dataset.ready = 'yes';
})();
</script>
"""


def default_out(warehouse: Warehouse, run_id: str | None) -> Path:
    """`reports/<run_id>.html` (or `reports/warehouse.html`) inside a local warehouse."""
    return Path(warehouse.root) / "reports" / f"{run_id or 'warehouse'}.html"
