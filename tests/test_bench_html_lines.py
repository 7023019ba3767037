"""The experiment script `bench/html_lines.py` on a two-page corpus: it runs, prints one
row per configuration, and leaves the pipeline's own choice of model in place."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is a folder of scripts run from the project root, not an installed package: make
# it importable however pytest was started.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import html_lines  # noqa: E402
from cleaner import pipeline  # noqa: E402

BODY = (
    "The harbour bridge reopened on Monday after two years of works and long delays. "
    "Drivers said the new deck was quieter and the queues at the toll were shorter."
)


def write_dataset(root: Path, name: str, record: dict[str, object]) -> None:
    (root / name / "html").mkdir(parents=True)
    page = (
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        f"<article><h1>Bridge reopens</h1><p>{BODY}</p></article>"
        "<footer>© 2025 Example Media</footer></body></html>"
    )
    (root / name / "html" / f"{record['id']}.html").write_text(page, "utf-8")
    (root / name / "gold.jsonl").write_text(json.dumps(record) + "\n", "utf-8")


def test_html_lines_prints_one_row_per_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dataset(tmp_path, "full", {"id": "a", "url": "https://a.example/x", "text": BODY})
    write_dataset(
        tmp_path,
        "snippets",
        {"id": "b", "url": None, "with": ["bridge reopened on Monday"], "without": ["© 2025"]},
    )
    shipped = pipeline.line_model

    assert html_lines.main(["--corpus", str(tmp_path), "--thresholds", "0.99"]) == 0

    out = capsys.readouterr().out
    assert "| system | full | snippets |" in out
    rows = [
        line for line in out.splitlines() if line.startswith("| shipped") or "threshold" in line
    ]
    assert len(rows) == 3  # shipped, the model's own threshold, 0.99
    assert "| shipped: rules and trafilatura, no line model | 1.0000 | 1.0000 |" in out
    assert pipeline.line_model is shipped
