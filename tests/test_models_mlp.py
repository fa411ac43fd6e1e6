"""The built-in MLP: learning on real data, and every hyperparameter doing what it says."""

import keras
import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier, KerasRegressor
from skdeep.datasets import load_boston, load_pima
from skdeep.models import mlp

META = {"input_shape_": (8,), "output_units_": 1, "output_activation_": "sigmoid"}


def test_mlp_learns_iris_with_string_labels_in_cross_validation(iris_strings):
    X, y = iris_strings
    clf = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(8,),
        optimizer="adam",
        learning_rate=0.05,
        epochs=30,
        batch_size=16,
        random_state=0,
    )
    scores = cross_val_score(clf, X, y, cv=StratifiedKFold(3, shuffle=True, random_state=0))
    assert scores.mean() > 0.85  # majority class: 0.33


def test_mlp_learns_pima_in_a_pipeline_above_the_majority_rate():
    X, y = load_pima(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    pipe = make_pipeline(
        StandardScaler(),
        KerasClassifier(
            model="mlp",
            hidden_layer_sizes=(12, 8),
            activation="relu",
            dropout=0.1,
            optimizer="adam",
            learning_rate=0.01,
            epochs=20,
            batch_size=16,
            random_state=0,
        ),
    )
    pipe.fit(X_train, y_train)
    assert set(pipe.predict(X_test)) <= {"pos", "neg"}
    assert pipe.score(X_test, y_test) > 0.72  # majority class: 0.65


def test_mlp_regressor_learns_boston_with_the_tutorial_initializer():
    X, y = load_boston(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y.astype(float), random_state=0)
    pipe = make_pipeline(
        StandardScaler(),
        KerasRegressor(
            model="mlp",
            hidden_layer_sizes=(20,),
            kernel_initializer="normal",
            optimizer="adam",
            learning_rate=0.01,
            epochs=60,
            batch_size=16,
            random_state=0,
        ),
    )
    assert pipe.fit(X_train, y_train).score(X_test, y_test) > 0.6


def test_mlp_fits_multioutput_and_multilabel_targets(iris):
    X, y = iris
    targets = np.column_stack([X[:, 0] + X[:, 1], X[:, 2]])
    reg = KerasRegressor(model="mlp", hidden_layer_sizes=(8,), epochs=2, random_state=0)
    assert reg.fit(X, targets).predict(X).shape == (150, 2)
    labels = np.column_stack([y == 0, y == 2]).astype(int)
    clf = KerasClassifier(model="mlp", hidden_layer_sizes=(8,), epochs=2, random_state=0)
    assert clf.fit(X, labels).predict(X).shape == (150, 2)
    assert clf.model_.layers[-1].activation.__name__ == "sigmoid"


def test_hidden_layers_follow_hidden_layer_sizes_and_an_int_means_one_layer():
    dense = [layer.units for layer in mlp(META, hidden_layer_sizes=(12, 8)).layers[1:]]
    assert dense == [12, 8, 1]
    assert [layer.units for layer in mlp(META, hidden_layer_sizes=5).layers[1:]] == [5, 1]
    assert [layer.units for layer in mlp(META, hidden_layer_sizes=()).layers[1:]] == [1]


@pytest.mark.parametrize(
    "activation",
    ["relu", "tanh", "sigmoid", "elu", "selu", "leaky_relu", "softplus", "linear"],
)
def test_every_usual_activation_is_used_in_the_hidden_layers(activation):
    model = mlp(META, hidden_layer_sizes=(4, 4), activation=activation)
    hidden = [layer.activation.__name__ for layer in model.layers[1:-1]]
    assert hidden == [activation, activation]


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("uniform", keras.initializers.RandomUniform),
        ("normal", keras.initializers.RandomNormal),
        ("truncated_normal", keras.initializers.TruncatedNormal),
        ("glorot_uniform", keras.initializers.GlorotUniform),
        ("he_normal", keras.initializers.HeNormal),
    ],
)
def test_kernel_initializer_names_from_the_tutorials_work(name, cls):
    model = mlp(META, hidden_layer_sizes=(4,), kernel_initializer=name)
    assert all(isinstance(layer.kernel_initializer, cls) for layer in model.layers[1:])


def test_dropout_input_dropout_and_batch_normalization_add_their_layers():
    model = mlp(
        META,
        hidden_layer_sizes=(6, 4),
        dropout=0.3,
        input_dropout=0.2,
        batch_normalization=True,
    )
    kinds = [type(layer).__name__ for layer in model.layers[1:]]
    assert kinds == [
        "Dropout",
        "Dense",
        "BatchNormalization",
        "Activation",
        "Dropout",
        "Dense",
        "BatchNormalization",
        "Activation",
        "Dropout",
        "Dense",
    ]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [
        0.2,
        0.3,
        0.3,
    ]


def test_weight_penalties_and_max_norm_apply_to_every_kernel():
    model = mlp(META, hidden_layer_sizes=(4,), l1=0.01, l2=0.001, max_norm=3.0)
    for layer in model.layers[1:]:
        config = layer.kernel_regularizer.get_config()
        assert config["l1"] == pytest.approx(0.01) and config["l2"] == pytest.approx(0.001)
        assert layer.kernel_constraint.max_value == 3.0
    # The penalty is part of the loss Keras minimizes.
    assert len(model.losses) == 2


def test_max_norm_constraint_holds_after_training(iris):
    X, y = iris
    clf = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(16,),
        max_norm=0.5,
        optimizer="adam",
        learning_rate=0.1,
        epochs=5,
        random_state=0,
    ).fit(X, y)
    kernel = clf.model_.layers[1].kernel.numpy()
    assert np.linalg.norm(kernel, axis=0).max() <= 0.5 + 1e-5


def test_images_are_flattened_for_the_mlp(mnist):
    X, y = mnist
    clf = KerasClassifier(model="mlp", hidden_layer_sizes=(32,), epochs=1, random_state=0)
    clf.fit(X[::5].reshape(200, 28, 28), y[::5])
    assert clf.predict(X[:3].reshape(3, 28, 28)).shape == (3,)
    assert isinstance(clf.model_.layers[1], keras.layers.Flatten)


def test_one_hot_targets_get_softmax_and_one_hot_predictions(iris):
    X, y = iris
    one_hot = keras.utils.to_categorical(y)  # as in the Iris tutorial
    clf = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(8,),
        optimizer="adam",
        learning_rate=0.05,
        epochs=20,
        random_state=0,
    ).fit(X, one_hot)
    assert clf.model_.layers[-1].activation.__name__ == "softmax"
    assert clf.model_.loss == "categorical_crossentropy"
    predicted = clf.predict(X)
    assert predicted.shape == (150, 3) and set(predicted.sum(axis=1)) == {1}
    assert clf.score(X, one_hot) > 0.85
