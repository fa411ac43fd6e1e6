"""Real movie-review sentences (Pang & Lee), fetched from Debian at test time.

Debian's ``python3-pattern`` package ships Pang & Lee's sentence polarity
data, 4,000 one-sentence review snippets labelled 1 / -1. Its licence is
for personal and research use, so the tests download the package with
``apt-get download`` and unpack it, instead of committing the text.
"""

import csv
from collections import Counter

import numpy as np

from tests.debian import fetch_package

PACKAGE = "python3-pattern"
MEMBER = "usr/share/doc/python3-pattern/test/corpora/polarity-en-pang&lee2.csv"


def fetch_snippets(directory):
    """Texts and 0/1 labels, or None when the package cannot be fetched here."""
    root = fetch_package(PACKAGE, directory)
    if root is None:
        return None
    target = root / MEMBER
    with open(target, encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f) if len(row) == 2]
    texts = [text.strip() for _, text in rows]
    labels = np.array([int(label == "1") for label, _ in rows])
    return texts, labels


def encode(train_texts, texts, num_words=5000, maxlen=40):
    """Token ids from a vocabulary of the training texts: 0 pads, 1 is unknown."""
    counts = Counter(word for text in train_texts for word in text.lower().split())
    vocabulary = {w: i + 2 for i, (w, _) in enumerate(counts.most_common(num_words - 2))}
    ids = np.zeros((len(texts), maxlen), dtype="int32")
    for row, text in enumerate(texts):
        tokens = [vocabulary.get(w, 1) for w in text.lower().split()][:maxlen]
        ids[row, maxlen - len(tokens) :] = tokens
    return ids


FULL_REVIEWS = "usr/share/doc/python3-pattern/test/corpora/polarity-en-pang&lee1.csv"


def fetch_reviews(directory):
    """The 1,500 full movie reviews (750 positive, 750 negative) and 0/1 labels, or None."""
    root = fetch_package(PACKAGE, directory)
    if root is None:
        return None
    with open(root / FULL_REVIEWS, encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.reader(f) if len(row) == 2]
    texts = [text.strip() for _, text in rows]
    labels = np.array([int(label == "1") for label, _ in rows])
    return texts, labels
