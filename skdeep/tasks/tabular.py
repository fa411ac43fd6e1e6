"""Tabular tasks from the Keras tutorials: Pima, Iris, Sonar, Boston, bank marketing."""

import functools
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
from skdeep.tasks._task import Task, TaskData


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


_PIMA = _bundled(load_pima, "Pima Indians diabetes (bundled, complete)")
_SONAR = _bundled(load_sonar, "Sonar (bundled, complete)")
_BOSTON = _bundled(load_boston, "Boston housing (bundled, complete)")


def _sonar(suffix, hidden, scale, published, description):
    return Task(
        name=f"sonar{suffix}",
        family="tabular",
        description=f"Sonar mines vs rocks: {description}",
        offline_data="bundled Sonar data (208 x 60)",
        full_data="bundled Sonar data (208 x 60)",
        load=_SONAR,
        make_pipeline=functools.partial(sonar_pipeline, hidden_layer_sizes=hidden, scale=scale),
        param_grid={
            "model__hidden_layer_sizes": [(30,), (60,), (60, 30)],
            "model__epochs": [50, 100],
        },
        epochs=100,
        published=f"{published} accuracy, 10-fold",
    )


def _boston(suffix, hidden, scale, published, description):
    return Task(
        name=f"boston{suffix}",
        family="tabular",
        description=f"Boston house prices (regression): {description}",
        offline_data="bundled Boston housing data (506 x 13)",
        full_data="bundled Boston housing data (506 x 13)",
        load=_BOSTON,
        make_pipeline=functools.partial(boston_pipeline, hidden_layer_sizes=hidden, scale=scale),
        param_grid={
            "model__hidden_layer_sizes": [(13,), (20,), (13, 6)],
            "model__batch_size": [5, 20],
        },
        epochs=100,
        published=f"MSE {published}, 10-fold",
        scoring="neg_mean_squared_error",
    )


#: The tabular recipes, in the order ``skdeep list`` shows them.
RECIPES = (
    Task(
        name="pima",
        family="tabular",
        description="Pima Indians diabetes: binary MLP 12-8-1 on standardised features",
        offline_data="bundled Pima data (768 x 8)",
        full_data="bundled Pima data (768 x 8)",
        load=_PIMA,
        make_pipeline=pima_pipeline,
        param_grid={
            "model__optimizer": ["rmsprop", "adam"],
            "model__kernel_initializer": ["glorot_uniform", "normal"],
            "model__epochs": [50, 100],
            "model__batch_size": [5, 10],
        },
        epochs=150,
        published="73-78 % accuracy, 10-fold (book text: 77.7 %)",
    ),
    Task(
        name="iris",
        family="tabular",
        description="Iris species: multiclass MLP 4-8-3 with string labels",
        offline_data="scikit-learn's Iris (150 x 4)",
        full_data="scikit-learn's Iris (150 x 4)",
        load=_bundled(_iris_with_names, "Iris (scikit-learn, complete)"),
        make_pipeline=iris_pipeline,
        param_grid={"model__hidden_layer_sizes": [(4,), (8,), (16,)], "model__batch_size": [5, 10]},
        epochs=200,
        published="97.3 % (4.4) accuracy, 10-fold",
    ),
    _sonar("", (60,), False, "81.7 %", "baseline 60-1"),
    _sonar("-standardized", (60,), True, "84.6 %", "60-1 on standardised inputs"),
    _sonar("-smaller", (30,), True, "86.0 %", "smaller 30-1, standardised"),
    _boston("", (13,), False, "31.6", "baseline 13-1"),
    _boston("-standardized", (13,), True, "29.5", "13-1 on standardised inputs"),
    _boston("-deeper", (13, 6), True, "22.8", "deeper 13-6-1, standardised"),
    _boston("-wider", (20,), True, "21.6", "wider 20-1, standardised"),
    Task(
        name="bank",
        family="tabular",
        description="Mixed categorical/numeric data: one-hot + scaling in a ColumnTransformer",
        offline_data="bundled German credit (1000 x 20, 13 categorical)",
        full_data="UCI Bank Marketing: bank-full.csv in --data-home",
        load=_load_bank,
        make_pipeline=bank_pipeline,
        param_grid={"model__hidden_layer_sizes": [(16,), (32, 16)], "model__dropout": [0.0, 0.2]},
        epochs=30,
        published="no published Keras figure (German credit: majority class 70 %)",
    ),
)
