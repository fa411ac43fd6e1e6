"""Several named inputs (``inputs=``) and several named outputs (``outputs=``)."""

import pickle

import keras
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_iris
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdeep
from skdeep import KerasClassifier, KerasRegressor
from skdeep.wrappers import BaseWrapper
from tests.builders import branches
from tests.text_corpus import reviews

FAST = dict(optimizer="adam", optimizer__learning_rate=0.05, batch_size=16, random_state=0)
SEPALS_PETALS = {"sepal": ["sepal length (cm)", "sepal width (cm)"], "petal": ["petal width (cm)"]}


@pytest.fixture(scope="module")
def flowers():
    """Iris as a table: the species, and the petal length to predict with it."""
    frame = load_iris(as_frame=True).frame
    X = frame[["sepal length (cm)", "sepal width (cm)", "petal width (cm)"]]
    X = (X - X.mean()) / X.std()
    y = pd.DataFrame(
        {
            "species": np.array(["setosa", "versicolor", "virginica"])[frame["target"]],
            "big": np.where(frame["sepal length (cm)"] > 5.8, "yes", "no"),
            "length": frame["petal length (cm)"],
        }
    )
    return X, y


# ----------------------------------------------------------------------
# Several inputs
# ----------------------------------------------------------------------
def test_a_two_input_model_trains_from_one_table_and_cross_validates(flowers):
    X, y = flowers
    clf = KerasClassifier(branches, inputs=SEPALS_PETALS, epochs=30, **FAST).fit(X, y["species"])
    assert clf.input_columns_ == {"sepal": [0, 1], "petal": [2]}
    assert sorted(t.name for t in clf.model_.inputs) == ["petal", "sepal"]
    assert clf.score(X, y["species"]) > 0.85
    scores = cross_val_score(
        KerasClassifier(branches, inputs=SEPALS_PETALS, epochs=30, **FAST),
        X,
        y["species"],
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
    )
    assert scores.mean() > 0.8


def test_inputs_take_the_blocks_a_column_transformer_makes():
    texts, labels = reviews(240)
    table = pd.DataFrame({"text": texts, "length": [len(t) for t in texts]})
    words = TfidfVectorizer(max_features=200)
    blocks = ColumnTransformer([("words", words, "text"), ("size", StandardScaler(), ["length"])])
    inputs = {
        "words": make_column_selector(pattern="^words__"),
        "size": make_column_selector(pattern="^size__"),
    }
    pipeline = make_pipeline(
        blocks,
        KerasClassifier(branches, inputs={"words": slice(0, -1), "size": [-1]}, epochs=8, **FAST),
    )
    scores = cross_val_score(pipeline, table, labels, cv=StratifiedKFold(3))
    assert scores.mean() > 0.7
    # Sparse TF-IDF rows stay sparse until each batch: the block is split without densifying.
    X = blocks.fit_transform(table)
    assert sparse.issparse(X)
    fitted = pipeline.fit(table, labels)
    assert fitted[-1].predict(X[:5]).shape == (5,)
    # Named columns (a DataFrame from the transformer) select by pattern.
    named = pd.DataFrame(X.toarray(), columns=blocks.get_feature_names_out())
    clf = KerasClassifier(branches, inputs=inputs, epochs=2, **FAST).fit(named, labels)
    widths = {name: len(columns) for name, columns in clf.input_columns_.items()}
    assert widths == {"words": X.shape[1] - 1, "size": 1}


def test_a_search_sets_builder_parameters_of_a_two_input_model(flowers):
    X, y = flowers
    search = GridSearchCV(
        KerasClassifier(branches, inputs=SEPALS_PETALS, epochs=5, **FAST),
        {"hidden": [2, 8]},
        cv=KFold(2, shuffle=True, random_state=0),
    ).fit(X, y["species"])
    assert search.best_estimator_.model_.layers[-1].input.shape[-1] in (4, 16)


def test_inputs_errors_name_the_input(flowers):
    X, y = flowers
    with pytest.raises(ValueError, match=r"input\(s\) \['petal'\], which inputs= does not give"):
        KerasClassifier(branches_fixed, inputs={"sepal": [0, 1]}, **FAST).fit(X, y["species"])
    with pytest.raises(ValueError, match="input 'petal' takes samples of shape \\(1,\\), but"):
        wide = {"sepal": [0, 1], "petal": [1, 2]}
        KerasClassifier(branches_fixed, inputs=wide, **FAST).fit(X, y["species"])
    with pytest.raises(ValueError, match="names the column 'petal length', which X does not"):
        KerasClassifier(branches, inputs={"p": ["petal length"]}, **FAST).fit(X, y["species"])
    with pytest.raises(ValueError, match="expected a dict mapping each named input"):
        KerasClassifier(branches, inputs={}, **FAST).fit(X, y["species"])


def branches_fixed(meta):
    """Two inputs named sepal (2 columns) and petal (1 column), whatever inputs= says."""
    return branches({**meta, "input_shapes_": {"sepal": (2,), "petal": (1,)}})


def test_token_ids_are_checked_per_input():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.randint(0, 50, (120, 6)), rng.normal(size=(120, 2)) * 1000])
    y = rng.randint(0, 2, 120)
    inputs = {"ids": slice(0, 6), "numbers": [6, 7]}
    clf = KerasClassifier(branches, inputs=inputs, embed={"ids": 50}, epochs=1, **FAST).fit(X, y)
    assert clf.predict(X).shape == (120,)  # numbers far beyond the vocabulary are not ids
    bad = X.copy()
    bad[0, 0] = 50
    with pytest.raises(ValueError, match="token ids from 0 to 50, but vocabulary_size=50"):
        clf.predict(bad)


# ----------------------------------------------------------------------
# Several outputs
# ----------------------------------------------------------------------
def test_a_classifier_with_two_named_outputs(flowers):
    X, y = flowers
    labels = y[["species", "big"]]
    clf = KerasClassifier(branches, outputs=["species", "big"], epochs=40, **FAST).fit(X, labels)
    assert [list(c) for c in clf.classes_] == [["setosa", "versicolor", "virginica"], ["no", "yes"]]
    assert clf.target_type_ == "multiclass-multioutput"
    predicted = clf.predict(X)
    assert predicted.shape == (150, 2) and set(predicted[:, 1]) <= {"no", "yes"}
    probas = clf.predict_proba(X)
    assert [p.shape for p in probas] == [(150, 3), (150, 2)]
    np.testing.assert_allclose(probas[1].sum(axis=1), 1, rtol=1e-6)
    subset = np.mean(np.all(predicted == labels.to_numpy(), axis=1))
    assert clf.score(X, labels) == pytest.approx(subset)
    assert accuracy_score(labels["species"], predicted[:, 0]) > 0.85
    # Columns are matched by name, whatever their order in the DataFrame.
    assert clf.score(X, labels[["big", "species"]]) == pytest.approx(subset)


def test_an_array_y_gives_the_outputs_by_position(flowers):
    X, y = flowers
    labels = y[["species", "big"]].to_numpy()
    clf = KerasClassifier(branches, outputs=["species", "big"], epochs=2, **FAST).fit(X, labels)
    assert clf.predict(X).shape == (150, 2)
    with pytest.raises(ValueError, match=r"y has shape \(150, 3\), but outputs= names 2"):
        clf.fit(X, y.to_numpy())


def test_per_output_losses_metrics_and_one_hot_targets(flowers):
    X, y = flowers
    clf = KerasClassifier(
        branches,
        outputs=["species", "big"],
        loss={"species": "categorical_crossentropy", "big": "binary_crossentropy"},
        metrics={"species": ["accuracy"], "big": ["accuracy"]},
        epochs=3,
        **FAST,
    ).fit(X, y[["species", "big"]])
    assert clf.target_encoder_.forms_ == {"species": "one_hot", "big": "column"}
    assert {"species_accuracy", "big_accuracy", "species_loss"} <= set(clf.history_)


def test_class_weight_per_output_changes_what_is_learned():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = pd.DataFrame({"a": rng.choice(["p", "q"], 200), "b": rng.choice(["r", "s"], 200)})

    def fitted(weights):
        clf = KerasClassifier(branches, outputs=["a", "b"], class_weight={"a": weights}, epochs=20)
        return clf.set_params(**FAST).fit(X, y).predict(X)[:, 0]

    assert np.mean(fitted({"p": 20.0, "q": 1.0}) == "p") > 0.9
    assert np.mean(fitted({"p": 1.0, "q": 20.0}) == "q") > 0.9
    with pytest.raises(ValueError, match=r"key\(s\) \['c'\], which are not class outputs"):
        KerasClassifier(branches, outputs=["a", "b"], class_weight={"c": {}}, **FAST).fit(X, y)


def test_a_regressor_with_two_value_outputs():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = pd.DataFrame({"sum": X.sum(axis=1), "diff": X[:, 0] - X[:, 1]})
    reg = KerasRegressor(branches, outputs=["sum", "diff"], epochs=40, **FAST).fit(X, y)
    predicted = reg.predict(X)
    assert predicted.shape == (300, 2)
    assert reg.score(X, y) == pytest.approx(r2_score(y, predicted))
    assert reg.score(X, y) > 0.9


def test_a_class_and_a_number_with_base_wrapper(flowers):
    X, y = flowers
    kinds = {"species": "class", "length": "value"}
    net = BaseWrapper(branches, inputs=SEPALS_PETALS, outputs=kinds, epochs=40, **FAST)
    net.fit(X, y)
    predicted = net.predict(X)
    assert list(predicted.columns) == ["species", "length"]
    assert predicted["species"].isin(["setosa", "versicolor", "virginica"]).all()
    expected = np.mean(
        [
            accuracy_score(y["species"], predicted["species"]),
            r2_score(y["length"], predicted["length"]),
        ]
    )
    assert net.score(X, y) == pytest.approx(expected)
    assert net.score(X, y) > 0.8
    scores = cross_val_score(net, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert scores.shape == (3,) and np.all(np.isfinite(scores))


def test_outputs_errors_name_the_output(flowers):
    X, y = flowers
    with pytest.raises(ValueError, match="y has no column 'colour' for the model's output"):
        KerasClassifier(branches, outputs=["species", "colour"], **FAST).fit(X, y)
    with pytest.raises(ValueError, match="outputs= names \\['big'\\], but the model has no"):
        KerasClassifier(species_only, outputs=["species", "big"], **FAST).fit(X, y)
    with pytest.raises(ValueError, match="output 'species' has shape \\(2,\\).*3 classes"):
        KerasClassifier(two_units, outputs=["species"], **FAST).fit(X, y)
    with pytest.raises(ValueError, match="every output of KerasClassifier is a class"):
        KerasClassifier(branches, outputs={"species": "class", "length": "value"}).fit(X, y)
    with pytest.raises(ValueError, match="label\\(s\\) \\['daisy'\\] not seen in fit"):
        clf = KerasClassifier(branches, outputs=["species"], **FAST).fit(X, y)
        clf.score(X[:1], pd.DataFrame({"species": ["daisy"]}))


def species_only(meta):
    inputs = keras.Input(meta["input_shape_"])
    return keras.Model(inputs, {"species": keras.layers.Dense(3, activation="softmax")(inputs)})


def two_units(meta):
    inputs = keras.Input(meta["input_shape_"])
    output = keras.layers.Dense(2, activation="softmax", name="species")(inputs)
    return keras.Model(inputs, [output])


def test_several_inputs_and_outputs_survive_pickle_and_skdeep_save(flowers, tmp_path):
    X, y = flowers
    kinds = {"species": "class", "length": "value"}
    net = BaseWrapper(branches, inputs=SEPALS_PETALS, outputs=kinds, epochs=2, **FAST).fit(X, y)
    expected = net.predict(X)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(net)).predict(X), expected)
    skdeep.save(net, tmp_path / "net.skdeep")
    loaded = skdeep.load(tmp_path / "net.skdeep", trusted=[branches])
    pd.testing.assert_frame_equal(loaded.predict(X), expected)


def test_partial_fit_continues_with_the_same_outputs(flowers):
    X, y = flowers
    clf = KerasClassifier(branches, outputs=["species", "big"], **FAST)
    classes = [np.unique(y["species"]), np.unique(y["big"])]
    clf.partial_fit(X[:20], y[["species", "big"]][:20], classes=classes)
    clf.partial_fit(X[20:], y[["species", "big"]][20:])
    assert clf.n_iter_ == 2 and [len(c) for c in clf.classes_] == [3, 2]
