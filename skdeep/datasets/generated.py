"""Small text corpora written by this project, for offline runs of the text tasks.

IMDB and Reuters cannot be shipped here, so the text tasks run offline on
corpora composed from hand-written phrases with a fixed seed: the same on
every machine, free of licence limits, and honest about what they are
(generated text; see :mod:`skdeep.datasets.keras_text` for the real data).
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


def make_reviews(n_samples=600, seed=0, negation=0.0):
    """``n_samples`` short movie reviews and their labels (1 positive, 0 negative), balanced.

    The offline stand-in for IMDB: two clauses, each judging one aspect
    with a sentiment word among neutral ones.

    Parameters
    ----------
    n_samples : int, default=600
        Number of reviews.
    seed : int, default=0
        Seed of the generator: the same seed gives the same reviews.
    negation : float, default=0.0
        Share of clauses that say the opposite word negated ("was not
        dull" in a positive review). When only one of the two clauses is
        negated, the words alone cannot tell the label: only their order
        can, which sequence models see and bag-of-words models do not.

    Returns
    -------
    texts : list of str
        The reviews.
    labels : ndarray of int
        1 for positive, 0 for negative.

    Examples
    --------
    >>> texts, labels = make_reviews(4)
    >>> len(texts), labels.tolist()
    (4, [1, 0, 1, 0])
    >>> make_reviews(2, negation=1.0)[0][0].count(" not ")
    2
    """
    if not 0.0 <= negation <= 1.0:
        raise ValueError(f"Invalid negation={negation!r}: expected a share from 0 to 1.")
    rng = np.random.RandomState(seed)
    texts, labels = [], []
    for i in range(n_samples):
        label = 1 - i % 2
        first, second = rng.choice(len(SUBJECTS), 2, replace=False)
        parts = [
            SETTINGS[rng.randint(len(SETTINGS))],
            SUBJECTS[first],
            VERBS[rng.randint(len(VERBS))],
            *_judgement(rng, label, negation),
            "but" if rng.rand() < 0.2 else "and",
            SUBJECTS[second],
            VERBS[rng.randint(len(VERBS))],
            *_judgement(rng, label, negation, adverb=False),
        ]
        texts.append(" ".join(part for part in parts if part))
        labels.append(label)
    return texts, np.array(labels)


def _judgement(rng, label, negation, adverb=True):
    """An (adverb and) sentiment word for ``label``, or the opposite word negated.

    With ``negation=0`` the random draws are the same as without negation,
    so the default corpus does not change.
    """
    words = POSITIVE if label else NEGATIVE
    parts = [ADVERBS[rng.randint(len(ADVERBS))]] if adverb else []
    if negation and rng.rand() < negation:
        words = NEGATIVE if label else POSITIVE
        parts = ["not", *parts]
    return [*parts, words[rng.randint(len(words))]]


#: Topic words of the newswire corpus; a few are shared between topics, as in real wires.
TOPICS = {
    "earn": ["profit", "net", "dividend", "quarter", "shr", "revenues", "earnings", "loss"],
    "acq": ["acquire", "merger", "stake", "takeover", "bid", "shareholders", "buy", "offer"],
    "crude": ["oil", "crude", "opec", "barrels", "refinery", "prices", "output", "petroleum"],
    "grain": ["wheat", "grain", "corn", "tonnes", "harvest", "export", "crop", "prices"],
    "money-fx": ["dollar", "currency", "yen", "exchange", "central", "bank", "intervention"],
    "interest": ["rate", "rates", "prime", "bank", "lending", "percent", "cut", "central"],
}
#: Topic shares, uneven as in Reuters (most wires are about earnings and acquisitions).
TOPIC_SHARES = (0.34, 0.24, 0.12, 0.11, 0.1, 0.09)
#: Share of sentences about another topic than the wire's own.
DIGRESSION = 0.35
NEWS_SUBJECTS = (
    "the company", "the group", "analysts", "officials", "the ministry", "traders",
    "the board", "sources", "the government", "a spokesman",
)  # fmt: skip
NEWS_VERBS = ("said", "reported", "expected", "announced", "noted", "confirmed")
NEWS_FILLER = (
    "on monday", "in a statement", "last week", "for the year", "in new york",
    "in london", "from a year ago", "according to reuters", "in the first half", "",
)  # fmt: skip


def make_newswire(n_samples=600, seed=0):
    """``n_samples`` short news wires and their topic (six topics, uneven shares).

    The offline stand-in for the Reuters topics task: each wire is two or
    three sentences of common newswire phrases holding a few topic words;
    about a third of the sentences digress to another topic, and topics
    share some words (``prices``, ``bank``, ``central``), so not every wire
    can be told apart.

    Parameters
    ----------
    n_samples : int, default=600
        Number of wires.
    seed : int, default=0
        Seed of the generator.

    Returns
    -------
    texts : list of str
        The wires.
    topics : ndarray of str
        The topic of each wire.

    Examples
    --------
    >>> texts, topics = make_newswire(3)
    >>> len(texts), set(topics) <= set(TOPICS)
    (3, True)
    """
    rng = np.random.RandomState(seed)
    names = list(TOPICS)
    topics = rng.choice(len(names), size=n_samples, p=TOPIC_SHARES)
    texts = []
    for topic in topics:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            # A third of the sentences mention another topic, as wires often do.
            other = rng.randint(len(names)) if rng.rand() < DIGRESSION else topic
            words = TOPICS[names[other]]
            sentences.append(
                " ".join(
                    part
                    for part in (
                        NEWS_SUBJECTS[rng.randint(len(NEWS_SUBJECTS))],
                        NEWS_VERBS[rng.randint(len(NEWS_VERBS))],
                        words[rng.randint(len(words))],
                        NEWS_FILLER[rng.randint(len(NEWS_FILLER))],
                        words[rng.randint(len(words))] if rng.rand() < 0.6 else "",
                    )
                    if part
                )
            )
        texts.append(". ".join(sentences) + ".")
    return texts, np.array(names, dtype=object)[topics]
