"""Run a task: cross-validation (or the official test split), an optional grid, a refit."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import accuracy_score, classification_report, mean_squared_error
from sklearn.model_selection import KFold, ParameterGrid, StratifiedKFold

from skdeep.tasks.registry import get_task


@dataclass
class TaskResult:
    """What :func:`run_task` found.

    Attributes
    ----------
    task : Task
    protocol : str
        How the scores were obtained, in words.
    source : str
        The data used.
    metric : {"accuracy", "MSE"}
    scores : list of float
        One score per fold (or one for the test split), of the best candidate.
    candidates : list of (dict, float, float)
        Every grid candidate with its mean and standard deviation.
    best_params : dict
        The best candidate (empty without a grid).
    y_true, y_pred : arrays
        Out-of-fold (or test-split) targets and predictions of the best
        candidate, for the classification report.
    histories : list of dict
        The per-epoch training history of each fit of the best candidate.
    estimator : Pipeline or None
        The best pipeline refitted on all the training data (``refit=True``).
    """

    task: Any
    protocol: str
    source: str
    metric: str
    scores: list
    candidates: list
    best_params: dict
    y_true: Any
    y_pred: Any
    histories: list = field(default_factory=list)
    estimator: Any = None

    @property
    def mean(self):
        """Mean score over folds."""
        return float(np.mean(self.scores))

    @property
    def std(self):
        """Standard deviation of the score over folds."""
        return float(np.std(self.scores))

    def report(self):
        """A classification report (classifiers) or a one-line summary (regressors)."""
        if self.metric == "accuracy":
            return classification_report(self.y_true, self.y_pred, zero_division=0)
        return f"MSE {self.mean:.3f} +/- {self.std:.3f} over {len(self.scores)} scores"


def run_task(
    name,
    *,
    cv=10,
    epochs=None,
    grid=False,
    full_data=False,
    data_home=None,
    refit=False,
    random_state=0,
    n_jobs=None,
    progress=None,
):
    """Evaluate the recipe ``name`` as the tutorial does, optionally over its grid.

    Parameters
    ----------
    name : str
        A task name (see :func:`skdeep.tasks.all_tasks`).
    cv : int, default=10
        Folds of the (stratified, for classifiers) cross-validation, used
        when the data has no official test split.
    epochs : int or None, default=None
        Epochs per fit; None uses the published protocol's. Given with
        ``grid=True``, it replaces the grid's own ``epochs`` values.
    grid : bool, default=False
        Evaluate every candidate of the task's parameter grid and keep the best.
    full_data : bool, default=False
        Use the full data set (Keras cache or ``data_home``) instead of
        the offline data.
    data_home : str or path, optional
        Where the full data sets are.
    refit : bool, default=False
        Refit the best pipeline on all the training data (to save it).
    random_state : int, default=0
        Seed of the folds and of the networks.
    n_jobs : int or None, default=None
        Fits to run at once in worker processes (joblib; -1: one per core).
        Each worker limits its framework threads to its share of the cores,
        and the scores are the same as with one job.
    progress : callable, optional
        ``progress(done, total, label)`` after each fit.

    Returns
    -------
    TaskResult
    """
    task = get_task(name)
    if isinstance(cv, bool) or not isinstance(cv, int) or cv < 2:
        raise ValueError(f"Invalid cv={cv!r}: expected an integer of at least 2 folds.")
    data = task.load(full_data=full_data, data_home=data_home)
    base = task.make_pipeline(
        epochs=epochs or task.epochs, random_state=random_state, **data.pipeline_options
    )
    X, y = _indexable(data.X), np.asarray(data.y)
    test_part = None
    if data.X_test is None:
        splitter = (StratifiedKFold if task.is_classifier else KFold)(
            cv, shuffle=True, random_state=random_state
        )
        splits = [(X, y, train, test) for train, test in splitter.split(np.zeros(len(y)), y)]
        kind = "stratified " if task.is_classifier else ""
        protocol = f"{cv}-fold {kind}cross-validation"
    else:
        test_part = _indexable(data.X_test), np.asarray(data.y_test)
        splits = [(X, y, None, None)]
        protocol = "official train/test split"
    candidates = list(ParameterGrid(_grid(task, epochs))) if grid else [{}]
    jobs = [
        (number, fold, params, split)
        for number, params in enumerate(candidates)
        for fold, split in enumerate(splits)
    ]
    keep = refit and data.X_test is not None  # the holdout fit is the refit
    fits = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_fit_and_score)(
            task.is_classifier, base, params, split, test_part, keep, (number, fold)
        )
        for number, fold, params, split in jobs
    )
    outcomes = [[None] * len(splits) for _ in candidates]
    for done, ((number, fold), outcome) in enumerate(fits, start=1):
        outcomes[number][fold] = outcome
        if progress is not None:
            label = f"fold {fold + 1}/{len(splits)}"
            if grid:
                label = f"candidate {number + 1}/{len(candidates)}, {label}"
            progress(done, len(jobs), label)
    results = [
        (params, {key: [o[key] for o in folds] for key in folds[0]})
        for params, folds in zip(candidates, outcomes, strict=True)
    ]
    sign = 1 if task.is_classifier else -1
    best_params, best = max(results, key=lambda r: sign * np.mean(r[1]["scores"]))
    estimator = None
    if refit:
        estimator = best["fitted"][0]
        if estimator is None:
            estimator = clone(base).set_params(**best_params).fit(X, y)
    return TaskResult(
        task=task,
        protocol=protocol,
        source=data.source,
        metric="accuracy" if task.is_classifier else "MSE",
        scores=best["scores"],
        candidates=[(p, np.mean(o["scores"]), np.std(o["scores"])) for p, o in results],
        best_params=best_params,
        y_true=np.concatenate(best["y_true"]),
        y_pred=np.concatenate(best["y_pred"]),
        histories=best["histories"],
        estimator=estimator,
    )


def _fit_and_score(is_classifier, base, params, split, test_part, keep, key):
    """Fit one candidate on one split; its score, predictions and history."""
    X_all, y_all, train, test = split
    if train is None:
        (X_fit, y_fit), (X_eval, y_eval) = (X_all, y_all), test_part
    else:
        X_fit, y_fit = _take(X_all, train), y_all[train]
        X_eval, y_eval = _take(X_all, test), y_all[test]
    fitted = clone(base).set_params(**params).fit(X_fit, y_fit)
    predicted = fitted.predict(X_eval)
    return key, {
        "scores": _score(is_classifier, y_eval, predicted),
        "y_true": y_eval,
        "y_pred": predicted,
        "histories": dict(fitted.named_steps["model"].history_),
        "fitted": fitted if keep else None,
    }


def _grid(task, epochs):
    grid = dict(task.param_grid)
    if epochs is not None:
        grid.pop("model__epochs", None)
    return grid


def _score(is_classifier, y_true, y_pred):
    if is_classifier:
        return float(accuracy_score(y_true, y_pred))
    return float(mean_squared_error(y_true, y_pred))


def _indexable(X):
    """Lists of texts or token-id lists become arrays that fancy indexing can split."""
    if hasattr(X, "iloc") or isinstance(X, np.ndarray):
        return X
    array = np.empty(len(X), dtype=object)
    array[:] = list(X)
    return array


def _take(X, rows):
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]
