"""Sparse input (TF-IDF, counts): trained and predicted batch by batch, never densified whole."""

import tracemalloc

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier, KerasRegressor
from skdeep.datasets import make_reviews


@pytest.fixture(scope="module")
def reviews():
    texts, y = make_reviews(300)
    return np.asarray(texts, dtype=object), y


def _wide(rows=2000, columns=20000, seed=0):
    """A matrix of 2 nonzeros per row whose dense copy would take 160 MB."""
    rng = np.random.RandomState(seed)
    X = sparse.random(rows, columns, density=2 / columns, format="csr", random_state=rng)
    return X.astype("float32"), (np.asarray(X[:, : columns // 2].sum(axis=1)).ravel() > 0)


def test_a_sparse_matrix_trains_exactly_like_its_dense_copy(iris):
    X, y = iris
    X_sparse = sparse.csr_matrix(np.where(np.abs(X) > 0.5, X, 0.0))
    params = dict(model="mlp", epochs=3, batch_size=16, shuffle=False, random_state=0)
    from_sparse = KerasClassifier(**params).fit(X_sparse, y)
    from_dense = KerasClassifier(**params).fit(X_sparse.toarray(), y)
    np.testing.assert_allclose(
        from_sparse.predict_proba(X_sparse), from_dense.predict_proba(X_sparse.toarray()), atol=1e-5
    )


def test_fit_and_predict_never_densify_the_whole_matrix():
    X, y = _wide()
    clf = KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=1, batch_size=32, random_state=0)
    tracemalloc.start()
    try:
        clf.fit(X, y)
        clf.predict(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    dense_bytes = X.shape[0] * X.shape[1] * 4
    assert peak < dense_bytes / 2, (peak, dense_bytes)  # batches of 32 and 1024 rows only


def test_a_tfidf_pipeline_cross_validates_and_searches(reviews):
    texts, y = reviews
    pipe = make_pipeline(
        TfidfVectorizer(), KerasClassifier("mlp", epochs=5, batch_size=16, random_state=0)
    )
    assert cross_val_score(pipe, texts, y, cv=3).mean() > 0.8  # balanced: chance is 0.5
    search = GridSearchCV(pipe, {"kerasclassifier__hidden_layer_sizes": [(8,), (16,)]}, cv=2)
    assert search.fit(texts, y).predict(texts[:4]).shape == (4,)


def test_sparse_validation_data_and_a_regressor():
    X, y = _wide(rows=300, columns=500)
    reg = KerasRegressor("mlp", epochs=2, validation_fraction=0.2, random_state=0)
    reg.fit(X, y.astype("float32"))
    assert "val_loss" in reg.history_ and reg.predict(X[:5]).shape == (5,)


def test_validation_split_with_sparse_X_says_what_to_use_instead():
    X, y = _wide(rows=100, columns=50)
    with pytest.raises(ValueError, match="validation_split.*sparse X.*validation_fraction"):
        KerasClassifier("mlp", validation_split=0.2).fit(X, y)
