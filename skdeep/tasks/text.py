"""Text tasks from the Keras tutorials: IMDB sentiment (five networks) and Reuters topics.

Offline they run on the generated corpora (:func:`skdeep.datasets.make_reviews`,
:func:`skdeep.datasets.make_newswire`) as raw strings; with ``--full-data``
on the Keras-cache IMDB and Reuters token ids. The same pipelines take
both: the first step learns a vocabulary from strings, or limits ids.
"""

from sklearn.pipeline import Pipeline

from skdeep.datasets import load_imdb, load_reuters, make_newswire, make_reviews
from skdeep.estimators import KerasClassifier
from skdeep.preprocessing import MultiHotEncoder, TextToSequences
from skdeep.tasks._task import Task, TaskData

IMDB_WORDS = 5000
MULTI_HOT_WORDS = 10000


def _sequence_pipeline(model, builder_params, epochs, random_state, maxlen, batch_size):
    classifier = KerasClassifier(
        model=model,
        vocabulary_size=IMDB_WORDS,
        embedding_dim=32,
        optimizer="adam",
        epochs=epochs,
        batch_size=batch_size,
        random_state=random_state,
        **builder_params,
    )
    tokens = TextToSequences(num_words=IMDB_WORDS, maxlen=maxlen)
    return Pipeline([("tokens", tokens), ("model", classifier)])


def imdb_mlp_pipeline(epochs=2, random_state=0, maxlen=500, batch_size=128):
    """Embedding of 32, flattened, 250 ReLU units, one sigmoid.

    Examples
    --------
    >>> imdb_mlp_pipeline().named_steps["model"].filters
    ()
    """
    params = dict(filters=(), global_pooling=False, dense_units=(250,))
    return _sequence_pipeline("cnn", params, epochs, random_state, maxlen, batch_size)


def imdb_cnn_pipeline(epochs=2, random_state=0, maxlen=500, batch_size=128):
    """Embedding, 32 filters of width 3, max pooling, global max pooling, 250 dense units."""
    params = dict(
        filters=(32,), kernel_size=3, padding="same", global_pooling="max", dense_units=(250,)
    )
    return _sequence_pipeline("cnn", params, epochs, random_state, maxlen, batch_size)


def imdb_lstm_pipeline(epochs=3, random_state=0, maxlen=500, batch_size=64):
    """Embedding, an LSTM of 100 units, one sigmoid."""
    params = dict(cell="lstm", units=100)
    return _sequence_pipeline("rnn", params, epochs, random_state, maxlen, batch_size)


def imdb_cnn_lstm_pipeline(epochs=3, random_state=0, maxlen=500, batch_size=64):
    """Embedding, 32 filters of width 3 with pooling, then an LSTM of 100 units."""
    params = dict(cell="lstm", units=100, conv_filters=32, conv_kernel_size=3, conv_pool_size=2)
    return _sequence_pipeline("rnn", params, epochs, random_state, maxlen, batch_size)


def _multi_hot_pipeline(hidden, epochs, random_state, batch_size):
    classifier = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=hidden,
        optimizer="rmsprop",
        epochs=epochs,
        batch_size=batch_size,
        random_state=random_state,
    )
    return Pipeline([("words", MultiHotEncoder(num_words=MULTI_HOT_WORDS)), ("model", classifier)])


def imdb_multi_hot_pipeline(epochs=4, random_state=0, batch_size=512):
    """10,000-word multi-hot rows, a 16-16-1 MLP, RMSprop."""
    return _multi_hot_pipeline((16, 16), epochs, random_state, batch_size)


def reuters_pipeline(epochs=9, random_state=0, batch_size=512):
    """10,000-word multi-hot rows, a 64-64 MLP, softmax over the topics, RMSprop."""
    return _multi_hot_pipeline((64, 64), epochs, random_state, batch_size)


def _load_imdb(sequences):
    def load(full_data=False, data_home=None):
        if not full_data:
            texts, y = make_reviews(1000, negation=0.3)
            options = {"batch_size": 32} | ({"maxlen": 40} if sequences else {})
            return TaskData(
                texts, y, source="generated reviews (offline, 1,000)", pipeline_options=options
            )
        words = IMDB_WORDS if sequences else MULTI_HOT_WORDS
        X, y = load_imdb(data_home=data_home, num_words=words, return_X_y=True)
        X_test, y_test = load_imdb(
            subset="test", data_home=data_home, num_words=words, return_X_y=True
        )
        return TaskData(X, y, X_test, y_test, source="IMDB (Keras cache, 25,000 + 25,000)")

    return load


def _load_reuters(full_data=False, data_home=None):
    if not full_data:
        texts, y = make_newswire(1000)
        return TaskData(
            texts,
            y,
            source="generated newswires (offline, 1,000)",
            pipeline_options={"batch_size": 32},
        )
    X, y = load_reuters(data_home=data_home, num_words=MULTI_HOT_WORDS, return_X_y=True)
    X_test, y_test = load_reuters(
        subset="test", data_home=data_home, num_words=MULTI_HOT_WORDS, return_X_y=True
    )
    return TaskData(X, y, X_test, y_test, source="Reuters (Keras cache, 8,982 + 2,246)")


_IMDB = dict(
    family="text",
    offline_data="generated movie reviews with negations (1,000)",
    full_data="IMDB from the Keras cache",
)

#: The text recipes, in the order ``skdeep list`` shows them.
RECIPES = (
    Task(
        name="imdb-mlp",
        description="IMDB sentiment: word embedding + MLP",
        load=_load_imdb(sequences=True),
        make_pipeline=imdb_mlp_pipeline,
        param_grid={"model__embedding_dim": [16, 32], "model__dense_units": [(64,), (250,)]},
        epochs=2,
        published="test accuracy 86.9 %",
        **_IMDB,
    ),
    Task(
        name="imdb-cnn",
        description="IMDB sentiment: word embedding + 1-D convolution",
        load=_load_imdb(sequences=True),
        make_pipeline=imdb_cnn_pipeline,
        param_grid={"model__filters": [(16,), (32,)], "model__kernel_size": [3, 5]},
        epochs=2,
        published="test accuracy 87.8 %",
        **_IMDB,
    ),
    Task(
        name="imdb-lstm",
        description="IMDB sentiment: word embedding + LSTM",
        load=_load_imdb(sequences=True),
        make_pipeline=imdb_lstm_pipeline,
        param_grid={"model__units": [50, 100], "model__dropout": [0.0, 0.2]},
        epochs=3,
        published="test accuracy 86.8 %",
        **_IMDB,
    ),
    Task(
        name="imdb-cnn-lstm",
        description="IMDB sentiment: 1-D convolution and pooling before an LSTM",
        load=_load_imdb(sequences=True),
        make_pipeline=imdb_cnn_lstm_pipeline,
        param_grid={"model__units": [50, 100], "model__conv_filters": [16, 32]},
        epochs=3,
        published="test accuracy 86.4 %",
        **_IMDB,
    ),
    Task(
        name="imdb-multihot",
        description="IMDB sentiment: multi-hot word vectors + 16-16-1 MLP",
        load=_load_imdb(sequences=False),
        make_pipeline=imdb_multi_hot_pipeline,
        param_grid={"model__hidden_layer_sizes": [(16,), (16, 16)], "model__epochs": [4, 8]},
        epochs=4,
        published="test accuracy 88.5 %",
        **_IMDB,
    ),
    Task(
        name="reuters",
        family="text",
        description="Reuters newswire topics: multi-hot word vectors + 64-64 MLP, softmax",
        offline_data="generated news wires, 6 topics (1,000)",
        full_data="Reuters (46 topics) from the Keras cache",
        load=_load_reuters,
        make_pipeline=reuters_pipeline,
        param_grid={"model__hidden_layer_sizes": [(64, 64), (128, 64)], "model__epochs": [9, 20]},
        epochs=9,
        published="test accuracy 77.7 % (46 topics)",
    ),
)
