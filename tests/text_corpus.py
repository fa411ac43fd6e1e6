"""A small movie-review corpus written for the offline tests, and a tiny tokenizer.

The reviews are composed from hand-written phrases: the sentiment lives in
a few words placed among neutral ones, so a sequence model has to find
them. Sentences are generated with a fixed seed, so the corpus is the same
on every machine.
"""

import numpy as np

POSITIVE = [
    "wonderful",
    "brilliant",
    "moving",
    "funny",
    "charming",
    "excellent",
    "gripping",
    "beautiful",
    "delightful",
    "superb",
    "clever",
    "touching",
]
NEGATIVE = [
    "dull",
    "boring",
    "awful",
    "clumsy",
    "tedious",
    "terrible",
    "predictable",
    "lifeless",
    "weak",
    "dreadful",
    "silly",
    "forgettable",
]
SUBJECTS = (
    "the film",
    "this movie",
    "the plot",
    "the acting",
    "the script",
    "the ending",
    "the cast",
    "the music",
    "the story",
    "the direction",
)
VERBS = ("was", "felt", "seemed", "is", "looked")
ADVERBS = ("", "really", "truly", "quite", "very", "rather", "so")
SETTINGS = (
    "",
    "i watched it on friday and",
    "my friends came along and",
    "we saw the late show and",
    "after a long week",
    "on the second viewing",
    "to be honest",
)


def reviews(n_samples=600, seed=0):
    """``n_samples`` reviews and their labels (1 positive, 0 negative), balanced.

    Examples
    --------
    >>> texts, labels = reviews(4)
    >>> len(texts), labels.tolist()
    (4, [1, 0, 1, 0])
    """
    rng = np.random.RandomState(seed)
    texts, labels = [], []
    for i in range(n_samples):
        label = 1 - i % 2
        words = POSITIVE if label else NEGATIVE
        first, second = rng.choice(len(SUBJECTS), 2, replace=False)
        text = " ".join(
            part
            for part in (
                SETTINGS[rng.randint(len(SETTINGS))],
                SUBJECTS[first],
                VERBS[rng.randint(len(VERBS))],
                ADVERBS[rng.randint(len(ADVERBS))],
                words[rng.randint(len(words))],
                "but" if rng.rand() < 0.2 else "and",
                SUBJECTS[second],
                VERBS[rng.randint(len(VERBS))],
                words[rng.randint(len(words))],
            )
            if part
        )
        texts.append(text)
        labels.append(label)
    return texts, np.array(labels)


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
