"""Tabular tasks from the Keras tutorials: Pima, Iris, Sonar, Boston, bank marketing."""

from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.datasets import load_iris
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skdeep.datasets import (
    load_bank_marketing,
    load_boston,
    load_german_credit,
    load_pima,
    load_sonar,
)
from skdeep.datasets._files import data_home as default_data_home
from skdeep.estimators import KerasClassifier, KerasRegressor
from skdeep.tasks.registry import TaskData, register_recipe


def _pipeline(model, scale):
    steps = [("scale", StandardScaler())] if scale else []
    return Pipeline([*steps, ("model", model)])


def _bundled(loader, source):
    def load(full_data=False, data_home=None):
        X, y = loader(return_X_y=True)
        return TaskData(X, y, source=source)

    return load


def pima_pipeline(epochs=150, random_state=0):
    """Standardised features and a 12-8-1 ReLU network, Adam, batches of 10.

    Examples
    --------
    >>> pima_pipeline(epochs=5).named_steps["model"].hidden_layer_sizes
    (12, 8)
    """
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(12, 8),
        kernel_initializer="glorot_uniform",
        optimizer="adam",
        epochs=epochs,
        batch_size=10,
        random_state=random_state,
    )
    return _pipeline(model, scale=True)


def iris_pipeline(epochs=200, random_state=0):
    """Four inputs, 8 ReLU units, a softmax over the three species (string labels)."""
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(8,),
        optimizer="adam",
        epochs=epochs,
        batch_size=5,
        random_state=random_state,
    )
    return _pipeline(model, scale=False)


def sonar_pipeline(epochs=100, random_state=0, hidden_layer_sizes=(60,), scale=False):
    """60 inputs, ``hidden_layer_sizes`` ReLU units, one sigmoid; optionally standardised."""
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=hidden_layer_sizes,
        optimizer="adam",
        epochs=epochs,
        batch_size=5,
        random_state=random_state,
    )
    return _pipeline(model, scale=scale)


def boston_pipeline(epochs=100, random_state=0, hidden_layer_sizes=(13,), scale=False):
    """A linear output on ``hidden_layer_sizes`` ReLU units, mean squared error, Adam."""
    model = KerasRegressor(
        model="mlp",
        hidden_layer_sizes=hidden_layer_sizes,
        kernel_initializer="normal",
        optimizer="adam",
        loss="mse",
        epochs=epochs,
        batch_size=5,
        random_state=random_state,
    )
    return _pipeline(model, scale=scale)


def bank_pipeline(epochs=30, random_state=0):
    """One-hot categorical columns, standardised numeric ones, then a 32-16-1 MLP.

    Examples
    --------
    >>> bank_pipeline().named_steps["columns"].transformers[0][0]
    'categories'
    """
    columns = ColumnTransformer(
        [
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                make_column_selector(dtype_include=object),
            ),
            ("numbers", StandardScaler(), make_column_selector(dtype_include=np.number)),
        ]
    )
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(32, 16),
        dropout=0.2,
        optimizer="adam",
        epochs=epochs,
        batch_size=32,
        random_state=random_state,
    )
    return Pipeline([("columns", columns), ("model", model)])


def _load_bank(full_data=False, data_home=None):
    if not full_data:
        X, y = load_german_credit(return_X_y=True)
        return TaskData(X, y, source="German credit (bundled, the offline stand-in)")
    folder = Path(data_home) if data_home else default_data_home()
    for name in ("bank-full.csv", "bank-additional-full.csv"):
        if (folder / name).exists():
            X, y = load_bank_marketing(folder / name, return_X_y=True)
            return TaskData(X, y, source=f"UCI Bank Marketing ({name})")
    return TaskData(*load_bank_marketing(folder / "bank-full.csv", return_X_y=True))


def _iris_with_names(return_X_y=True):
    """Iris with the species names as labels, as the tutorial's CSV has them."""
    iris = load_iris()
    return iris.data, np.asarray(iris.target_names, dtype=object)[iris.target]


def _tabular(name, description, data, load, make, grid, scoring, epochs, published):
    register_recipe(
        "tabular", name, description, data, data, load, make, grid, epochs, published, scoring
    )


_tabular(
    "pima",
    "Pima Indians diabetes: binary MLP 12-8-1 on standardised features",
    "bundled Pima data (768 x 8)",
    _bundled(load_pima, "Pima Indians diabetes (bundled, complete)"),
    pima_pipeline,
    {
        "model__optimizer": ["rmsprop", "adam"],
        "model__kernel_initializer": ["glorot_uniform", "normal"],
        "model__epochs": [50, 100],
        "model__batch_size": [5, 10],
    },
    "accuracy",
    150,
    "73-78 % accuracy, 10-fold (book text: 77.7 %)",
)
_tabular(
    "iris",
    "Iris species: multiclass MLP 4-8-3 with string labels",
    "scikit-learn's Iris (150 x 4)",
    _bundled(_iris_with_names, "Iris (scikit-learn, complete)"),
    iris_pipeline,
    {"model__hidden_layer_sizes": [(4,), (8,), (16,)], "model__batch_size": [5, 10]},
    "accuracy",
    200,
    "97.3 % (4.4) accuracy, 10-fold",
)
for suffix, hidden, scale, published, description in (
    ("", (60,), False, "81.7 %", "baseline 60-1"),
    ("-standardized", (60,), True, "84.6 %", "60-1 on standardised inputs"),
    ("-smaller", (30,), True, "86.0 %", "smaller 30-1, standardised"),
):
    _tabular(
        f"sonar{suffix}",
        f"Sonar mines vs rocks: {description}",
        "bundled Sonar data (208 x 60)",
        _bundled(load_sonar, "Sonar (bundled, complete)"),
        lambda epochs=100, random_state=0, _h=hidden, _s=scale: sonar_pipeline(
            epochs, random_state, hidden_layer_sizes=_h, scale=_s
        ),
        {"model__hidden_layer_sizes": [(30,), (60,), (60, 30)], "model__epochs": [50, 100]},
        "accuracy",
        100,
        f"{published} accuracy, 10-fold",
    )
for suffix, hidden, scale, published, description in (
    ("", (13,), False, "31.6", "baseline 13-1"),
    ("-standardized", (13,), True, "29.5", "13-1 on standardised inputs"),
    ("-deeper", (13, 6), True, "22.8", "deeper 13-6-1, standardised"),
    ("-wider", (20,), True, "21.6", "wider 20-1, standardised"),
):
    _tabular(
        f"boston{suffix}",
        f"Boston house prices (regression): {description}",
        "bundled Boston housing data (506 x 13)",
        _bundled(load_boston, "Boston housing (bundled, complete)"),
        lambda epochs=100, random_state=0, _h=hidden, _s=scale: boston_pipeline(
            epochs, random_state, hidden_layer_sizes=_h, scale=_s
        ),
        {"model__hidden_layer_sizes": [(13,), (20,), (13, 6)], "model__batch_size": [5, 20]},
        "neg_mean_squared_error",
        100,
        f"MSE {published}, 10-fold",
    )
register_recipe(
    "tabular",
    "bank",
    "Mixed categorical/numeric data: one-hot + scaling in a ColumnTransformer",
    "bundled German credit (1000 x 20, 13 categorical)",
    "UCI Bank Marketing: bank-full.csv in --data-home",
    _load_bank,
    bank_pipeline,
    {"model__hidden_layer_sizes": [(16,), (32, 16)], "model__dropout": [0.0, 0.2]},
    30,
    "no published Keras figure (German credit: majority class 70 %)",
)
