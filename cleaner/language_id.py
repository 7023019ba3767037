"""py3langid's answer, with its walk over the text's bytes done in numpy.

py3langid reads a text's UTF-8 bytes one at a time through a finite automaton, in a
Python loop, and counts the features the states it passes through emit: most of the
millisecond it takes on the two thousand characters the pipeline gives it. Its states
stand for the last few bytes read (byte n-grams), so the state at every position can be
computed for all positions at once: round k takes, at each position, the state reached
by reading the k bytes that end there from the start state (`_states`). Once a round
agrees with the one before it at every position, these are the sequential walk's states;
the features are then counted and scored exactly as py3langid does (same features in the
same order, same dtypes), so the answer is py3langid's to the last bit. A text whose
rounds do not settle goes to py3langid itself.

Relies on py3langid's model attributes (`tk_nextmove`, `_rowbase`, `tk_output`,
`nb_ptc`, `nb_pc`, `_alias_pairs`, pinned at 0.4.0 in requirements.lock);
tests/test_metadata.py checks the answers against `py3langid.classify`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

#: Rounds tried before a text goes to py3langid's own loop. The model's states stand for at
#: most six bytes (no state is more than six steps from the start), so the seventh round
#: agrees with the sixth on any text; most texts settle after four or five.
MAX_ROUNDS = 7


def classify(text: str) -> str:
    """The language code `py3langid.classify(text)` gives.

    >>> classify("Der Rat hat den Haushalt am Montag beschlossen.")
    'de'
    """
    import py3langid.langid as langid

    identifier = langid._get_identifier()
    data = identifier._encode(text)
    counted = _feature_counts(_tables(identifier), data) if data else None
    if counted is None or identifier._norm_probs or identifier.min_confidence is not None:
        return str(identifier.classify(text)[0])
    features, counts = counted
    # py3langid's `_sparse_score` and the raw-score branch of its `_decide`
    scores = np.log1p(counts) @ _weights(identifier, features) + identifier.nb_pc
    for first, dupe in identifier._alias_pairs:
        scores[first] = max(scores[first], scores[dupe])
        scores[dupe] = langid.RAW_FLOOR
    return str(identifier.nb_classes[int(scores.argmax())])


def _weights(identifier: Any, features: np.ndarray) -> np.ndarray:
    """The model's float16 weights of `features` as float32, the values numpy's own cast
    gives, read from a table of all 65,536 float16 values: numpy converts float16 in
    software, and that cast was half of the scoring's time."""
    table = identifier.nb_ptc
    if table.dtype != np.float16:  # another model: numpy's own promotion, as py3langid's
        return table[features]
    return _FLOAT16_AS_FLOAT32[table.view(np.uint16)[features]]


#: Every float16 bit pattern's value as float32 (the conversion is exact).
_FLOAT16_AS_FLOAT32 = (
    np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)
)


@lru_cache(maxsize=1)
def _tables(identifier: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The automaton as arrays: transitions, each state's row offset, each state's feature
    (-1 for none). Built once per identifier (the transitions are not copied)."""
    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)
    rows = np.asarray(identifier._rowbase, dtype=np.intp)
    outputs = np.asarray(identifier.tk_output, dtype=np.intp)
    return moves, rows, outputs


def _feature_counts(
    tables: tuple[np.ndarray, np.ndarray, np.ndarray], data: bytes
) -> tuple[np.ndarray, np.ndarray] | None:
    """The features the walk over `data` emits, in order of first emission, and how often
    each (as float32, as py3langid counts them); None when none is emitted or the rounds do
    not settle."""
    moves, rows, outputs = tables
    states = _states(moves, rows, np.frombuffer(data, dtype=np.uint8).astype(np.intp))
    if states is None:
        return None
    emitted = outputs[states]
    emitted = emitted[emitted >= 0]
    if emitted.size == 0:
        return None
    features, first, counts = np.unique(emitted, return_index=True, return_counts=True)
    order = np.argsort(first)  # py3langid's Counter keeps the order of first emission
    return features[order], counts[order].astype(np.float32)


def _states(moves: np.ndarray, rows: np.ndarray, data: np.ndarray) -> np.ndarray | None:
    """The automaton's state after each byte of `data`, or None if `MAX_ROUNDS` do not
    settle.

    Round k holds, at position i, the state reached from the start by reading bytes
    i-k+1..i (all of them up to i, near the start). Each round is one step from the
    previous round's state one position back. If rounds k and k+1 agree at every
    position, round k is the true state everywhere, by induction over positions: at
    i < k it read everything up to i; past that, if round k was true at i-1, one step
    from it is round k+1 at i, which is round k at i.
    """
    state = moves[rows[0] + data]
    for _ in range(MAX_ROUNDS - 1):
        previous = np.empty_like(state)
        previous[0] = 0
        previous[1:] = state[:-1]
        following = moves[rows[previous] + data]
        if np.array_equal(following, state):
            return state.astype(np.intp)
        state = following
    return None
