"""Full text data sets from the Keras cache: IMDB reviews and Reuters newswires.

The files are checked against the hashes ``keras.datasets`` uses and read
without Keras (no download, no deletion); the sequences are then prepared
exactly as ``keras.datasets.imdb.load_data`` / ``reuters.load_data`` do,
with the same options and the same shuffling seed, so results compare
with the tutorials.
"""

import json

import numpy as np
from sklearn.utils import Bunch

from skdeep.datasets import _files


def load_imdb(
    *,
    subset="train",
    data_home=None,
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    return_X_y=False,
):
    """Load the IMDB movie reviews (25,000 train + 25,000 test) as token ids.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the official split.
    data_home : str or path, optional
        Folder holding ``imdb.npz`` (and ``imdb_word_index.json``); default
        ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``.
    num_words, skip_top, maxlen, seed, start_char, oov_char, index_from : int or None
        As in ``keras.datasets.imdb.load_data``: keep ids below
        ``num_words`` (others become ``oov_char``), drop reviews of
        ``maxlen`` tokens or more, shift word ranks by ``index_from``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    Bunch or tuple
        ``data``: object array of token-id lists (give it to
        :class:`~skdeep.preprocessing.TextToSequences` or
        :class:`~skdeep.preprocessing.MultiHotEncoder`); ``target``: 1
        positive, 0 negative; ``word_index`` (word -> rank) when
        ``imdb_word_index.json`` is in the cache, else None.

    Raises
    ------
    DatasetNotFoundError, DatasetIntegrityError
        As in :func:`skdeep.datasets.load_mnist`.
    """
    options = dict(
        num_words=num_words, skip_top=skip_top, maxlen=maxlen, seed=seed,
        start_char=start_char, oov_char=oov_char, index_from=index_from,
    )  # fmt: skip
    home = _files.data_home(data_home)
    f = _load_npz("IMDB", home, "imdb.npz", "datasets.imdb.load_data")
    parts = [(f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])]
    (x_train, y_train), (x_test, y_test) = keras_sequences(parts, **options)
    data, target = _files.pick_subset(
        {"train": (x_train, y_train), "test": (x_test, y_test)}, subset
    )
    return _text_bunch(data, target, home / "imdb_word_index.json", "IMDB", return_X_y)


def load_reuters(
    *,
    subset="train",
    data_home=None,
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    return_X_y=False,
):
    """Load the Reuters newswires (11,228 articles, 46 topics) as token ids.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the split.
    data_home : str or path, optional
        Folder holding ``reuters.npz``; default ``$KERAS_HOME/datasets`` or
        ``~/.keras/datasets``.
    num_words, skip_top, maxlen : int or None
        As in ``keras.datasets.reuters.load_data``.
    test_split : float, default=0.2
        The fraction held out as the test part, as in Keras.
    seed, start_char, oov_char, index_from : int
        As in ``keras.datasets.reuters.load_data``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    Bunch or tuple
        ``data``: object array of token-id lists; ``target``: the topic
        index 0-45; ``word_index`` when it is in the cache, else None.
    """
    options = dict(
        num_words=num_words, skip_top=skip_top, maxlen=maxlen, seed=seed,
        start_char=start_char, oov_char=oov_char, index_from=index_from,
    )  # fmt: skip
    home = _files.data_home(data_home)
    f = _load_npz("Reuters", home, "reuters.npz", "datasets.reuters.load_data")
    ((xs, labels),) = keras_sequences([(f["x"], f["y"])], **options)
    cut = int(len(xs) * (1 - test_split))
    parts = {"train": (xs[:cut], labels[:cut]), "test": (xs[cut:], labels[cut:])}
    data, target = _files.pick_subset(parts, subset)
    return _text_bunch(data, target, home / "reuters_word_index.json", "Reuters", return_X_y)


def keras_sequences(parts, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    """Shuffle, shift, filter and limit token-id sequences as ``keras.datasets`` does.

    ``parts`` is a list of ``(sequences, labels)``; each is shuffled with
    one ``RandomState(seed)``, in order. ``num_words=None`` keeps every id.

    Examples
    --------
    >>> seqs = np.array([[1, 2], [7, 3, 9]], dtype=object)
    >>> ((x, y),) = keras_sequences([(seqs, np.array([0, 1]))], num_words=8, skip_top=0,
    ...                             maxlen=None, seed=0, start_char=1, oov_char=2, index_from=3)
    >>> [list(s) for s in x], y.tolist()
    ([[1, 2, 6, 2], [1, 4, 5]], [1, 0])
    """
    rng = np.random.RandomState(seed)
    shuffled = []
    for sequences, labels in parts:
        order = np.arange(len(sequences))
        rng.shuffle(order)
        shifted = [[w + index_from for w in sequences[i]] for i in order]
        if start_char is not None:
            shifted = [[start_char, *s] for s in shifted]
        labels = np.asarray(labels)[order]
        if maxlen:
            keep = [i for i, s in enumerate(shifted) if len(s) < maxlen]
            if not keep:
                raise ValueError(
                    f"No sequence is shorter than maxlen={maxlen}: every one would be "
                    "dropped. Increase maxlen."
                )
            shifted, labels = [shifted[i] for i in keep], labels[keep]
        shuffled.append((shifted, labels))
    limit = num_words or max(max(s) for part, _ in shuffled for s in part if s)
    out = []
    for sequences, labels in shuffled:
        if oov_char is not None:
            sequences = [[w if skip_top <= w < limit else oov_char for w in s] for s in sequences]
        else:
            sequences = [[w for w in s if skip_top <= w < limit] for s in sequences]
        array = np.empty(len(sequences), dtype=object)
        array[:] = sequences
        out.append((array, labels))
    return out


def _load_npz(dataset, home, name, loader):
    path = _files.find(dataset, home, [name], loader)
    _files.verify(path, _files.KNOWN_FILES[name][0], dataset)
    # The ragged sequences are pickled object arrays; the hash above proves the
    # file is byte for byte the published one, so unpickling it is safe.
    with np.load(path, allow_pickle=True) as f:
        return {key: f[key] for key in f.files}


def _text_bunch(data, target, index_path, name, return_X_y):
    target = np.asarray(target).astype("int64")
    if return_X_y:
        return data, target
    word_index = None
    if index_path.exists():
        with open(index_path) as f:
            word_index = json.load(f)
    return Bunch(
        data=data,
        target=target,
        word_index=word_index,
        DESCR=f"{name}: {len(data)} documents as lists of token ids (word rank + "
        "index_from), read from the Keras cache.",
    )
