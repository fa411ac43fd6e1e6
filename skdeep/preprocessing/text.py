"""Text for Keras models: raw strings or token ids -> padded sequences or multi-hot rows.

Both transformers learn their vocabulary in ``fit``, so inside a
``Pipeline`` each cross-validation fold only sees the words of its own
training part: no leakage from the test fold.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep.preprocessing import _sequences as seq

_WORDS = r"(?u)\b\w[\w']*\b"


class _TokenEncoder(DocumentationLinks, TransformerMixin, BaseEstimator):
    """Shared fit: a vocabulary from strings, or the id range of token-id sequences."""

    _parameter_constraints = {
        "num_words": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "oov_id": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "lowercase": ["boolean"],
        "token_pattern": [str],
    }

    def _fit_vocabulary(self, X):
        """Learn the vocabulary (strings) or the id range (ids); the training ids."""
        self._check_params()  # skdeep's messages for the common mistakes
        self._validate_params()  # the rest, with scikit-learn's standard message
        documents, self.input_kind_ = seq.as_documents(X, type(self).__name__)
        first_id = 1 if self.oov_id is None else self.oov_id + 1
        if self.input_kind_ == "text":
            tokens = seq.tokenize(documents, self.lowercase, self.token_pattern)
            self.vocabulary_ = seq.learn_vocabulary(
                tokens, first_id, self.num_words, type(self).__name__
            )
            self.vocabulary_size_ = max(self.vocabulary_.values()) + 1
            sequences = seq.words_to_ids(tokens, self.vocabulary_, self.oov_id)
        else:
            seq.check_ids(documents, type(self).__name__)
            self.vocabulary_ = None
            largest = max((int(d.max()) for d in documents if d.size), default=0)
            self.vocabulary_size_ = self.num_words or max(largest, first_id - 1) + 1
            if self.vocabulary_size_ > seq.MAX_ID + 1:
                raise ValueError(
                    f"{type(self).__name__}: the largest token id is {largest}, beyond the "
                    f"int32 ids Keras embeddings take (at most {seq.MAX_ID}). Ids this large "
                    "usually come from hashing; set num_words=<vocabulary size> to map every "
                    "larger id to oov_id."
                )
            sequences = documents
        self.n_features_in_ = 1
        return sequences

    def _ids(self, X):
        """Token ids of each document, limited to the fitted vocabulary."""
        check_is_fitted(self, "vocabulary_size_")
        documents, kind = seq.as_documents(X, type(self).__name__)
        if kind != self.input_kind_:
            raise ValueError(
                f"{type(self).__name__} was fitted on {self._kind_name(self.input_kind_)} "
                f"but got {self._kind_name(kind)}; give it the same kind of input."
            )
        if kind == "text":
            tokens = seq.tokenize(documents, self.lowercase, self.token_pattern)
            return seq.words_to_ids(tokens, self.vocabulary_, self.oov_id)
        seq.check_ids(documents, type(self).__name__)
        return seq.limit_ids(documents, self.vocabulary_size_, self.oov_id)

    @staticmethod
    def _kind_name(kind):
        return "strings" if kind == "text" else "token-id sequences"

    def _check_params(self):
        name = type(self).__name__
        if self.oov_id is not None and (
            not isinstance(self.oov_id, numbers.Integral) or self.oov_id < 1
        ):
            raise ValueError(
                f"{name}: invalid oov_id={self.oov_id!r}: expected None (drop unknown "
                "words) or an integer >= 1 (0 is the padding id)."
            )
        lowest = 2 if self.oov_id is None else self.oov_id + 2
        if self.num_words is not None and (
            not isinstance(self.num_words, numbers.Integral) or self.num_words < lowest
        ):
            raise ValueError(
                f"{name}: invalid num_words={self.num_words!r}: expected None (keep every "
                f"word) or an integer >= {lowest}, since ids below {lowest - 1} are "
                "reserved for padding and out-of-vocabulary words."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


class TextToSequences(_TokenEncoder):
    """Turn texts into padded integer token sequences, for Embedding layers.

    Words are numbered by frequency in the training texts: the most
    frequent gets ``oov_id + 1``. Id 0 is padding, ``oov_id`` stands for
    words not in the vocabulary. Token-id sequences (lists of ints, as
    ``keras.datasets.imdb.load_data`` returns) are accepted too: then only
    ``num_words``, padding and truncation apply.

    Parameters
    ----------
    num_words : int or None, default=None
        Keep the ids below ``num_words``: the ``num_words - oov_id - 1``
        most frequent words (Keras' ``num_words`` convention). ``None``
        keeps every word seen in ``fit``.
    maxlen : int or None, default=None
        Length of the output rows. ``None`` uses the longest training
        document.
    padding, truncating : {"pre", "post"}, default="pre"
        Side where zeros are added to short documents / where long ones are
        cut (Keras' ``pad_sequences`` defaults: keep the end of the text).
    oov_id : int or None, default=1
        Id of unknown words; ``None`` drops them.
    lowercase : bool, default=True
        Lower-case the text before splitting it.
    token_pattern : str
        Regular expression for a word (default: runs of letters, digits,
        underscores and apostrophes).

    Attributes
    ----------
    vocabulary_ : dict or None
        Word -> id (``None`` for token-id input).
    vocabulary_size_ : int
        Largest id + 1: the ``vocabulary_size`` (Embedding ``input_dim``)
        a model needs.
    maxlen_ : int
        Length of the output rows.
    input_kind_ : {"text", "ids"}
        What ``fit`` was given.

    See Also
    --------
    MultiHotEncoder : One column per word, for an MLP.
    skdeep.models.cnn : Embeds and convolves the ids.
    skdeep.models.rnn : Embeds the ids and reads them in order.

    Examples
    --------
    >>> texts = ["a good film", "a bad film", "good"]
    >>> encoder = TextToSequences(maxlen=4).fit(texts)
    >>> encoder.vocabulary_
    {'a': 2, 'film': 3, 'good': 4, 'bad': 5}
    >>> encoder.transform(["a good plot"])
    array([[0, 2, 4, 1]], dtype=int32)
    """

    _parameter_constraints = {
        **_TokenEncoder._parameter_constraints,
        "maxlen": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
    }

    def __init__(
        self,
        num_words=None,
        maxlen=None,
        *,
        padding="pre",
        truncating="pre",
        oov_id=1,
        lowercase=True,
        token_pattern=_WORDS,
    ):
        self.num_words = num_words
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.oov_id = oov_id
        self.lowercase = lowercase
        self.token_pattern = token_pattern

    def fit(self, X, y=None):
        """Learn the vocabulary and the row length from the training documents.

        Parameters
        ----------
        X : list, Series or one-column array of str or of int sequences
            Documents: texts, or token-id sequences as ``keras.datasets.imdb`` gives them.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        sequences = self._fit_vocabulary(X)
        if self.maxlen is None:
            self.maxlen_ = max(max((len(s) for s in sequences), default=0), 1)
        else:
            self.maxlen_ = self.maxlen
        return self

    def transform(self, X):
        """Turn documents into padded rows of token ids.

        Parameters
        ----------
        X : list, Series or one-column array
            Documents of the kind seen in ``fit``.

        Returns
        -------
        ndarray of shape (n_documents, maxlen)
            int32 token ids, 0 for padding.
        """
        ids = self._ids(X)
        return seq.pad(ids, self.maxlen_, self.padding, self.truncating)

    def get_feature_names_out(self, input_features=None):
        """Name the output columns ``token_0`` ... ``token_{maxlen_ - 1}``.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        ndarray of str
            One name per position.
        """
        check_is_fitted(self, "maxlen_")
        return np.array([f"token_{i}" for i in range(self.maxlen_)], dtype=object)

    def _check_params(self):
        super()._check_params()
        name = type(self).__name__
        if self.maxlen is not None and (
            not isinstance(self.maxlen, numbers.Integral) or self.maxlen < 1
        ):
            raise ValueError(
                f"{name}: invalid maxlen={self.maxlen!r}: expected a positive integer "
                "(the length of the output rows) or None (the longest training document)."
            )
        for option in ("padding", "truncating"):
            if getattr(self, option) not in ("pre", "post"):
                raise ValueError(
                    f"{name}: invalid {option}={getattr(self, option)!r}: expected 'pre' "
                    "(at the start) or 'post' (at the end)."
                )


class MultiHotEncoder(_TokenEncoder):
    """Turn texts or token-id sequences into multi-hot rows (bag of words).

    Column ``j`` is 1 when the document holds token id ``j``: the
    ``vectorize_sequences`` step of the Keras IMDB tutorials, inside a
    pipeline. Column 0 (padding) stays 0.

    Parameters
    ----------
    num_words : int or None, default=None
        Width of the output: ids at or above it count as ``oov_id``
        (or are dropped). ``None``: every word seen in ``fit``.
    oov_id : int or None, default=1
        Column for unknown words; ``None`` ignores them.
    lowercase : bool, default=True
        As in :class:`TextToSequences`, for string input.
    token_pattern : str
        As in :class:`TextToSequences`, for string input.
    sparse_output : bool, default=False
        Return a ``scipy.sparse`` CSR matrix, which holds only the ones:
        for large vocabularies, where the dense matrix would not fit in
        memory. skdeep's estimators train on it batch by batch.

    Attributes
    ----------
    vocabulary_ : dict or None
        As in :class:`TextToSequences`.
    vocabulary_size_ : int
        The width of the output.
    input_kind_ : {"text", "ids"}
        What ``fit`` was given.

    See Also
    --------
    TextToSequences : Token ids in order, for a CNN or an RNN.
    sklearn.feature_extraction.text.CountVectorizer : Counts, as a sparse matrix.

    Examples
    --------
    >>> MultiHotEncoder(num_words=6).fit_transform([[1, 3, 3], [2, 9]])
    array([[0., 1., 0., 1., 0., 0.],
           [0., 1., 1., 0., 0., 0.]], dtype=float32)
    """

    #: Largest dense output, in bytes; beyond it transform asks for sparse_output.
    MAX_DENSE_BYTES = 2 * 1024**3

    _parameter_constraints = {**_TokenEncoder._parameter_constraints, "sparse_output": ["boolean"]}

    def __init__(
        self,
        num_words=None,
        *,
        oov_id=1,
        lowercase=True,
        token_pattern=_WORDS,
        sparse_output=False,
    ):
        self.num_words = num_words
        self.oov_id = oov_id
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.sparse_output = sparse_output

    def fit(self, X, y=None):
        """Learn the vocabulary (strings) or the id range (token-id sequences).

        Parameters
        ----------
        X : list, Series or one-column array of str or of int sequences
            Documents: texts, or token-id sequences.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        if not isinstance(self.sparse_output, bool):
            raise ValueError(
                f"MultiHotEncoder: invalid sparse_output={self.sparse_output!r}: expected "
                "True or False."
            )
        self._fit_vocabulary(X)
        return self

    def transform(self, X):
        """Turn documents into multi-hot rows.

        Parameters
        ----------
        X : list, Series or one-column array
            Documents of the kind seen in ``fit``.

        Returns
        -------
        ndarray or scipy.sparse.csr_matrix of shape (n_documents, vocabulary_size)
            float32 0/1 rows; sparse with ``sparse_output=True``.
        """
        ids = self._ids(X)
        if self.sparse_output:
            return seq.multi_hot_sparse(ids, self.vocabulary_size_)
        size = len(ids) * self.vocabulary_size_ * 4
        if size > self.MAX_DENSE_BYTES:
            raise ValueError(
                f"MultiHotEncoder would make a dense {len(ids)} x {self.vocabulary_size_} "
                f"matrix ({size / 1024**3:.1f} GiB). Pass sparse_output=True (skdeep's "
                "estimators train on sparse input), or set num_words to a smaller vocabulary."
            )
        out = np.zeros((len(ids), self.vocabulary_size_), dtype="float32")
        for i, row in enumerate(ids):
            out[i, row] = 1.0
        return out

    def get_feature_names_out(self, input_features=None):
        """Name each column by its word (``<pad>``, ``<oov>``), or ``id_j`` for token ids.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        ndarray of str
            One name per column.

        Examples
        --------
        >>> MultiHotEncoder().fit(["b a b"]).get_feature_names_out().tolist()
        ['<pad>', '<oov>', 'b', 'a']
        """
        check_is_fitted(self, "vocabulary_size_")
        if self.vocabulary_ is None:
            names = [f"id_{j}" for j in range(self.vocabulary_size_)]
        else:
            names = [f"<unused_{j}>" for j in range(self.vocabulary_size_)]
            for word, j in self.vocabulary_.items():
                names[j] = word
            if self.oov_id is not None:
                names[self.oov_id] = "<oov>"
        names[0] = "<pad>"
        return np.array(names, dtype=object)
