"""Ready search spaces for the built-in builders, and a scorer that reports epochs run."""

from scipy.stats import loguniform, uniform

#: Distributions for ``RandomizedSearchCV`` and the halving searches, per family.
#: Learning rates are log-uniform; sizes are the usual powers of two.
_SKLEARN = {
    "mlp": {
        "hidden_layer_sizes": [(32,), (64,), (128,), (64, 32), (128, 64)],
        "activation": ["relu", "tanh"],
        "dropout": uniform(0.0, 0.5),
        "learning_rate": loguniform(1e-4, 1e-1),
        "batch_size": [16, 32, 64, 128],
    },
    "cnn": {
        "filters": [(16,), (32,), (16, 32), (32, 64)],
        "kernel_size": [3, 5],
        "dense_units": [(64,), (128,)],
        "block_dropout": uniform(0.0, 0.4),
        "dropout": uniform(0.0, 0.5),
        "learning_rate": loguniform(1e-4, 1e-2),
        "batch_size": [32, 64, 128],
    },
    "rnn": {
        "cell": ["lstm", "gru"],
        "units": [(32,), (64,), (128,)],
        "bidirectional": [False, True],
        "dropout": uniform(0.0, 0.4),
        "learning_rate": loguniform(1e-4, 1e-2),
        "batch_size": [32, 64, 128],
    },
}


def search_space(family, kind="sklearn", prefix=""):
    """A sensible search space for a built-in builder family.

    Parameters
    ----------
    family : {"mlp", "cnn", "rnn"}
        The builder (``model="mlp"`` and so on).
    kind : {"sklearn", "optuna"}, default="sklearn"
        ``"sklearn"``: lists and ``scipy.stats`` distributions for
        ``RandomizedSearchCV`` and :class:`HalvingEpochsRandomSearchCV`;
        ``"optuna"``: ``optuna.distributions`` for ``OptunaSearchCV`` (one
        layer of a searched width, since Optuna's choices must be plain
        values).
    prefix : str, default=""
        Put before every name, e.g. ``"kerasclassifier__"`` for a pipeline.

    Returns
    -------
    dict
        Parameter name -> distribution or list of values.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import RandomizedSearchCV
    >>> from skdeep import KerasClassifier, search_space
    >>> X, y = load_iris(return_X_y=True)
    >>> search = RandomizedSearchCV(KerasClassifier("mlp", epochs=2), search_space("mlp"),
    ...                             n_iter=2, cv=2, random_state=0).fit(X, y)
    >>> sorted(search.best_params_)
    ['activation', 'batch_size', 'dropout', 'hidden_layer_sizes', 'learning_rate']
    """
    family = family.lower() if isinstance(family, str) else family
    if family not in _SKLEARN:
        raise ValueError(f"Unknown family={family!r}: expected one of {sorted(_SKLEARN)}.")
    if kind == "sklearn":
        space = dict(_SKLEARN[family])
    elif kind == "optuna":
        space = _optuna(family)
    else:
        raise ValueError(f"Unknown kind={kind!r}: expected 'sklearn' or 'optuna'.")
    return {prefix + name: value for name, value in space.items()}


def _optuna(family):
    try:
        from optuna.distributions import (
            CategoricalDistribution,
            FloatDistribution,
            IntDistribution,
        )
    except ImportError:
        raise ImportError(
            "kind='optuna' needs Optuna and optuna-integration (which has "
            "OptunaSearchCV): pip install optuna 'optuna-integration[sklearn]' (in a "
            "checkout installed as the README does: pip install -e '.[optuna]')."
        ) from None
    width = {"mlp": "hidden_layer_sizes", "cnn": "filters", "rnn": "units"}[family]
    space = {
        width: IntDistribution(16, 256, log=True),
        "dropout": FloatDistribution(0.0, 0.5),
        "learning_rate": FloatDistribution(1e-4, 1e-1 if family == "mlp" else 1e-2, log=True),
        "batch_size": CategoricalDistribution([16, 32, 64, 128]),
    }
    if family == "mlp":
        space["activation"] = CategoricalDistribution(["relu", "tanh"])
    if family == "rnn":
        space["cell"] = CategoricalDistribution(["lstm", "gru"])
    return space


def epochs_run(estimator, X, y):
    """A scorer whose value is the number of epochs the fitted model ran.

    Add it to a search's ``scoring`` to see, in ``cv_results_``, where each
    candidate stopped with ``early_stopping=True``.

    Parameters
    ----------
    estimator : estimator
        A fitted skdeep estimator, or a pipeline ending with one.
    X : array-like
        Ignored.
    y : array-like
        Ignored.

    Returns
    -------
    float
        ``n_iter_`` of the network.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import cross_validate
    >>> from skdeep import KerasClassifier
    >>> from skdeep.model_selection import epochs_run
    >>> X, y = load_iris(return_X_y=True)
    >>> scores = cross_validate(KerasClassifier("mlp", epochs=3), X, y, cv=2,
    ...                         scoring={"accuracy": "accuracy", "epochs": epochs_run})
    >>> scores["test_epochs"].tolist()
    [3.0, 3.0]
    """
    model = estimator[-1] if hasattr(estimator, "steps") else estimator
    return float(model.n_iter_)
