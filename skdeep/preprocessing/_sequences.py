"""Reading text or token-id sequences, learning a vocabulary, padding (shared helpers)."""

import re
from collections import Counter

import numpy as np


def as_documents(X, name):
    """``X`` as a list of documents: all strings, or all integer sequences.

    Accepts a list, a 1-D array or pandas Series, or a one-column 2-D array
    or DataFrame (what a ``ColumnTransformer`` passes on).
    """
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:
        X = X.to_numpy()
    if isinstance(X, str):
        raise ValueError(
            f"{name} expects a collection of documents, got a single string. "
            "Wrap it in a list: [text]."
        )
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype == object and X.shape[1] == 1:
        X = X[:, 0]
    documents = list(X)
    if not documents:
        raise ValueError(f"{name} got no documents: at least one is needed.")
    if all(isinstance(doc, str) for doc in documents):
        return documents, "text"
    texts = any(isinstance(doc, str) for doc in documents)
    for i, doc in enumerate(documents):
        if texts or not _is_integer_sequence(doc):
            if isinstance(doc, str):
                continue
            raise ValueError(
                f"{name} expects either strings or sequences of integer token ids "
                f"(as keras.datasets.imdb returns), not a mix; document {i} is "
                f"{_describe(doc)}. Replace missing texts (None/NaN) with ''."
            )
    return [np.asarray(doc, dtype="int64").ravel() for doc in documents], "ids"


def _is_integer_sequence(doc):
    try:
        array = np.asarray(doc)
    except (TypeError, ValueError):
        return False
    return array.ndim <= 1 and (array.size == 0 or np.issubdtype(array.dtype, np.integer))


def _describe(doc):
    text = repr(doc)
    return f"{type(doc).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


def tokenize(documents, lowercase, token_pattern):
    """Split each document into tokens with ``token_pattern``."""
    pattern = re.compile(token_pattern)
    return [pattern.findall(doc.lower() if lowercase else doc) for doc in documents]


def learn_vocabulary(token_lists, first_id, num_words, name):
    """Word -> id, most frequent first (ties alphabetical), ids below ``num_words``."""
    counts = Counter(token for tokens in token_lists for token in tokens)
    if not counts:
        raise ValueError(
            f"{name} found no words in the training texts (all are empty or hold "
            "no tokens matching token_pattern). Check the text column and token_pattern."
        )
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    if num_words is not None:
        ranked = ranked[: max(num_words - first_id, 0)]
    return {word: first_id + rank for rank, word in enumerate(ranked)}


def words_to_ids(token_lists, vocabulary, oov_id):
    """Token lists -> id arrays; unknown words become ``oov_id`` or are dropped."""
    if oov_id is None:
        known = [[vocabulary[w] for w in tokens if w in vocabulary] for tokens in token_lists]
        return [np.array(ids, "int64") for ids in known]
    return [np.array([vocabulary.get(w, oov_id) for w in t], "int64") for t in token_lists]


def limit_ids(sequences, num_words, oov_id):
    """Ids at or above ``num_words`` become ``oov_id`` (or are dropped when it is None)."""
    if num_words is None:
        return sequences
    if oov_id is None:
        return [seq[seq < num_words] for seq in sequences]
    return [np.where(seq < num_words, seq, oov_id) for seq in sequences]


#: Largest token id: Keras embeddings take int32 ids.
MAX_ID = 2**31 - 1


def check_ids(sequences, name):
    """Token ids must be non-negative."""
    for i, seq in enumerate(sequences):
        if seq.size and seq.min() < 0:
            raise ValueError(f"{name}: document {i} has a negative token id ({seq.min()}).")


def pad(sequences, maxlen, padding, truncating, dtype="int32"):
    """Sequences -> ``(n, maxlen)`` array, zeros on the ``padding`` side."""
    out = np.zeros((len(sequences), maxlen), dtype=dtype)
    for i, seq in enumerate(sequences):
        seq = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if len(seq):
            if padding == "pre":
                out[i, maxlen - len(seq) :] = seq
            else:
                out[i, : len(seq)] = seq
    return out


def multi_hot_sparse(sequences, width):
    """Token-id sequences -> ``(n, width)`` float32 CSR matrix of 0/1."""
    import scipy.sparse

    rows = [np.unique(seq) for seq in sequences]
    indptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])])
    indices = np.concatenate(rows) if rows else np.zeros(0, "int64")
    data = np.ones(len(indices), dtype="float32")
    return scipy.sparse.csr_matrix((data, indices, indptr), shape=(len(sequences), width))
