"""Text -> padded token ids and multi-hot rows, alone and inside pipelines."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier
from skdeep.preprocessing import MultiHotEncoder, TextToSequences
from tests.text_corpus import reviews

TEXTS = ["The film was good, really good.", "A bad film!", "good acting", ""]


def test_words_are_numbered_by_frequency_after_the_reserved_ids():
    encoder = TextToSequences().fit(TEXTS)
    assert encoder.vocabulary_["good"] == 2  # the most frequent word, after oov=1
    assert encoder.vocabulary_["film"] == 3
    assert encoder.vocabulary_size_ == max(encoder.vocabulary_.values()) + 1
    assert encoder.maxlen_ == 6  # the longest training document


def test_unknown_words_get_the_oov_id_or_are_dropped():
    kept = TextToSequences(maxlen=3).fit(TEXTS).transform(["good unseen film"])
    assert kept.tolist() == [[2, 1, 3]]
    dropped = TextToSequences(maxlen=3, oov_id=None).fit(TEXTS).transform(["good unseen film"])
    assert dropped.tolist() == [[0, 1, 2]]  # ids start at 1 without an oov id


def test_num_words_keeps_the_most_frequent_words():
    encoder = TextToSequences(num_words=4, maxlen=4).fit(TEXTS)
    assert set(encoder.vocabulary_) == {"good", "film"}
    assert encoder.transform(["a good film"]).tolist() == [[0, 1, 2, 3]]
    assert encoder.vocabulary_size_ == 4


@pytest.mark.parametrize(
    ("padding", "truncating", "expected"),
    [("pre", "pre", [[3, 4], [0, 2]]), ("post", "post", [[2, 3], [2, 0]])],
)
def test_padding_and_truncation_sides(padding, truncating, expected):
    encoder = TextToSequences(maxlen=2, padding=padding, truncating=truncating)
    assert encoder.fit_transform(["a b c", "a"]).tolist() == expected


def test_keras_style_integer_sequences_are_limited_and_padded():
    sequences = [[1, 14, 22, 9], [1, 5], [1, 4999, 7]]
    encoder = TextToSequences(num_words=20, maxlen=3, oov_id=2).fit(sequences)
    assert encoder.input_kind_ == "ids" and encoder.vocabulary_ is None
    assert encoder.transform(sequences).tolist() == [[14, 2, 9], [0, 1, 5], [1, 2, 7]]
    assert encoder.vocabulary_size_ == 20


def test_accepts_series_and_one_column_frames_as_a_column_transformer_gives():
    series = pd.Series(TEXTS)
    expected = TextToSequences().fit_transform(TEXTS)
    assert np.array_equal(TextToSequences().fit_transform(series), expected)
    assert np.array_equal(TextToSequences().fit_transform(series.to_frame()), expected)


@pytest.mark.parametrize(
    ("params", "X", "message"),
    [
        ({"maxlen": 0}, TEXTS, "invalid maxlen=0"),
        ({"num_words": 1}, TEXTS, "invalid num_words=1"),
        ({"oov_id": 0}, TEXTS, "invalid oov_id=0"),
        ({"padding": "left"}, TEXTS, "invalid padding='left'"),
        ({}, ["", "  ", "!?"], "found no words"),
        ({}, [], "got no documents"),
        ({}, "one text", "single string"),
        ({}, ["fine", None], "document 1 is NoneType"),
        ({}, [[1, 2], [-3]], "negative token id"),
    ],
)
def test_bad_input_gets_a_clear_error(params, X, message):
    with pytest.raises(ValueError, match=message):
        TextToSequences(**params).fit(X)


def test_switching_between_strings_and_ids_is_an_error():
    encoder = TextToSequences().fit(TEXTS)
    with pytest.raises(ValueError, match="fitted on strings but got token-id sequences"):
        encoder.transform([[1, 2]])


def test_multi_hot_marks_each_word_once():
    encoder = MultiHotEncoder().fit(TEXTS)
    rows = encoder.transform(["good good film", ""])
    assert rows.shape == (2, encoder.vocabulary_size_) and rows.dtype == np.float32
    assert np.flatnonzero(rows[0]).tolist() == [2, 3]
    assert not rows[1].any()


def test_multi_hot_of_keras_ids_matches_the_tutorials_vectorize_sequences():
    sequences = [[1, 5, 5, 9], [1, 2, 3]]
    expected = np.zeros((2, 10), dtype="float32")
    for i, sequence in enumerate(sequences):
        expected[i, sequence] = 1.0
    assert np.array_equal(MultiHotEncoder(num_words=10).fit_transform(sequences), expected)


def test_transformers_clone_and_pickle_with_their_vocabulary():
    encoder = TextToSequences(num_words=50, maxlen=5).fit(TEXTS)
    assert clone(encoder).get_params() == encoder.get_params()
    restored = pickle.loads(pickle.dumps(encoder))
    assert np.array_equal(restored.transform(TEXTS), encoder.transform(TEXTS))


def test_vocabulary_is_learned_inside_each_fold():
    """In a cross-validated pipeline, each fold's encoder knows only its training words."""
    texts, y = reviews(60)
    texts = np.array(texts + ["zebra quokka"] * 6, dtype=object)  # words of one fold only
    y = np.concatenate([y, [0, 1] * 3])
    folds = list(StratifiedKFold(3).split(texts, y))
    fitted = cross_validate(
        make_pipeline(TextToSequences(), DummyClassifier()),
        texts,
        y,
        cv=folds,
        return_estimator=True,
    )["estimator"]
    for (train, test), estimator in zip(folds, fitted, strict=True):
        vocabulary = set(estimator[0].vocabulary_)
        assert vocabulary == {w for text in texts[train] for w in text.lower().split()}
        held_out_only = {w for t in texts[test] for w in t.lower().split()} - vocabulary
        assert all(word not in vocabulary for word in held_out_only)
    assert len({frozenset(e[0].vocabulary_) for e in fitted}) == 3  # one per fold


def test_text_pipeline_learns_sentiment_with_cross_validation():
    texts, y = reviews(300)
    pipeline = make_pipeline(
        TextToSequences(maxlen=20),
        KerasClassifier(
            model="rnn",
            vocabulary_size="auto",
            embedding_dim=16,
            units=16,
            cell="gru",
            epochs=8,
            batch_size=32,
            learning_rate=0.01,
            random_state=0,
            verbose=0,
        ),
    )
    scores = cross_val_score(pipeline, np.array(texts, dtype=object), y, cv=3)
    assert scores.mean() > 0.8


def test_multi_hot_pipeline_trains_an_mlp():
    texts, y = reviews(200)
    pipeline = make_pipeline(
        MultiHotEncoder(),
        KerasClassifier(
            model="mlp", hidden_layer_sizes=(16,), epochs=10, learning_rate=0.01, random_state=0
        ),
    )
    assert cross_val_score(pipeline, texts, y, cv=3).mean() > 0.8


def test_feature_names_follow_the_columns():
    encoder = MultiHotEncoder().fit(TEXTS)
    names = encoder.get_feature_names_out()
    assert len(names) == encoder.transform(TEXTS).shape[1]
    assert names[encoder.vocabulary_["good"]] == "good" and names[1] == "<oov>"
    ids = MultiHotEncoder(num_words=4).fit([[1, 3]]).get_feature_names_out()
    assert ids.tolist() == ["<pad>", "id_1", "id_2", "id_3"]
    positions = TextToSequences(maxlen=3).fit(TEXTS).get_feature_names_out()
    assert positions.tolist() == ["token_0", "token_1", "token_2"]


def test_text_column_inside_a_column_transformer_with_pandas_output():
    from sklearn.compose import ColumnTransformer

    frame = pd.DataFrame({"review": TEXTS, "stars": [5, 1, 4, 3]})
    columns = ColumnTransformer(
        [("words", MultiHotEncoder(), "review"), ("stars", "passthrough", ["stars"])]
    ).set_output(transform="pandas")
    out = columns.fit_transform(frame)
    assert "words__good" in out.columns and "stars__stars" in out.columns
    assert out.loc[0, "words__good"] == 1.0 and out.loc[1, "words__good"] == 0.0
