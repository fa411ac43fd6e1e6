"""The review corpus for the offline tests, and a tiny tokenizer for them.

The corpus itself is :func:`skdeep.datasets.make_reviews`; ``to_sequences``
is a minimal reference tokenizer the tests compare against.
"""

import numpy as np

from skdeep.datasets.generated import make_reviews as reviews

__all__ = ["reviews", "to_sequences"]


def to_sequences(texts, maxlen=16):
    """Token ids (1-based, 0 pads at the front) and the vocabulary size.

    Examples
    --------
    >>> ids, size = to_sequences(["a b", "b c c"], maxlen=3)
    >>> ids.tolist(), size
    ([[0, 1, 2], [2, 3, 3]], 4)
    """
    vocabulary = {}
    rows = []
    for text in texts:
        rows.append([vocabulary.setdefault(w, len(vocabulary) + 1) for w in text.split()])
    ids = np.zeros((len(texts), maxlen), dtype="int32")
    for i, row in enumerate(rows):
        row = row[-maxlen:]
        ids[i, maxlen - len(row) :] = row
    return ids, len(vocabulary) + 1
