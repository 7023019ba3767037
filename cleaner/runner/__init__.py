"""The batch runner: many raw page files into one sink, every input accounted for.

Each input ends in exactly one place: the clean zone, the quarantine (with its reason), or
skipped because an earlier run already put it in one of those. The run manifest counts
all three, and the counts add up to the inputs. The modules, in the order data meets them:

    inputs.py     which inputs are new (content ids, the stamp index), folders and globs
    raw_zone.py   a fetched body read back with its URL and headers
    limits.py     the time limit on one input, the memory it took
    outcome.py    `clean_one`: one input to an `Outcome`, any failure typed
    pool.py       `clean_many`: in this process or in worker processes a page may crash
    progress.py   the progress bar, on a terminal or in a log
    run.py        `run_batch`: outcomes into a `cleaner.sink.Sink`, rows and the manifest
"""

from cleaner.runner.inputs import expand_inputs, input_id, input_ids, pending, triage
from cleaner.runner.outcome import CleanFn, Outcome, clean_one
from cleaner.runner.pool import clean_many
from cleaner.runner.raw_zone import read_input
from cleaner.runner.run import RunCounts, RunOptions, run_batch

__all__ = [
    "CleanFn",
    "Outcome",
    "RunCounts",
    "RunOptions",
    "clean_many",
    "clean_one",
    "expand_inputs",
    "input_id",
    "input_ids",
    "pending",
    "read_input",
    "run_batch",
    "triage",
]
