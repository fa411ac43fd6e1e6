"""The text builders on real movie-review sentences (fetched from Debian, not committed)."""

import pytest
from sklearn.model_selection import train_test_split

from skdeep import KerasClassifier
from tests.real_text import encode, fetch_snippets

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def snippets(tmp_path_factory):
    data = fetch_snippets(tmp_path_factory.mktemp("pattern"))
    if data is None:
        pytest.skip("python3-pattern could not be fetched with apt-get download here")
    texts, y = data
    train, test, y_train, y_test = train_test_split(
        texts, y, test_size=0.25, stratify=y, random_state=0
    )
    return encode(train, train), encode(train, test), y_train, y_test


@pytest.mark.parametrize(
    "params",
    [
        {"model": "rnn", "cell": "lstm", "units": (32,)},
        {"model": "rnn", "cell": "gru", "units": (32,), "conv_filters": 32},
        {
            "model": "cnn",
            "filters": (32,),
            "padding": "same",
            "global_pooling": True,
            "dense_units": (32,),
        },
    ],
    ids=["lstm", "cnn-gru", "text-cnn"],
)
def test_text_families_learn_real_review_sentiment(snippets, params):
    X_train, X_test, y_train, y_test = snippets
    clf = KerasClassifier(
        **params,
        vocabulary_size=5000,
        embedding_dim=32,
        optimizer="adam",
        epochs=3,
        batch_size=32,
        random_state=0,
    ).fit(X_train, y_train)
    assert clf.score(X_test, y_test) > 0.62  # balanced classes: 0.5
