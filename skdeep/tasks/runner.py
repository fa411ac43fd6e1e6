"""Run a task with scikit-learn's ``GridSearchCV``: cross-validation or a test split, a grid."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold

from skdeep.tasks._reports import FoldReports
from skdeep.tasks.catalog import get_task


@dataclass
class TaskResult:
    """What :func:`run_task` found.

    Parameters
    ----------
    task : Task
        The task.
    protocol : str
        How the scores were obtained, in words.
    source : str
        The data used.
    metric : str
        Name of the score, e.g. ``"accuracy"`` or ``"MSE"``.
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
    search : GridSearchCV
        The search itself, with its ``cv_results_``.
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
    search: Any = None

    @property
    def mean(self):
        """Mean score over folds."""
        return float(np.mean(self.scores))

    @property
    def std(self):
        """Standard deviation of the score over folds."""
        return float(np.std(self.scores))

    def report(self):
        """Describe the result: a classification report, or a summary line for regressors.

        Returns
        -------
        str
            The text.
        """
        if self.task.is_classifier:
            return classification_report(self.y_true, self.y_pred, zero_division=0)
        return f"{self.metric} {self.mean:.3f} +/- {self.std:.3f} over {len(self.scores)} scores"


def run_task(
    name,
    *,
    cv=None,
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

    The evaluation is scikit-learn's ``GridSearchCV`` (one candidate without
    a grid), scored by the task's scorer: k-fold cross-validation (stratified
    for classifiers), or, when the data has an official test split, one fit
    on the training part scored on the test part.

    Parameters
    ----------
    name : str
        A task name (see :func:`skdeep.tasks.all_tasks`).
    cv : int or None, default=None
        Folds of the cross-validation (None: 10). A task whose data has an
        official test split is scored on it: giving ``cv`` there is an error.
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
        Keep the best pipeline trained on all the training data (to save it);
        with a test split that is the fit that was scored.
    random_state : int, default=0
        Seed of the folds and of the networks.
    n_jobs : int or None, default=None
        Fits to run at once in worker processes (-1: one per core). Each
        worker limits its framework threads to its share of the cores, and
        the scores are the same as with one job.
    progress : callable, optional
        ``progress(done, total, label)`` after each fit.

    Returns
    -------
    TaskResult
        Scores, candidates, out-of-fold predictions and, with ``refit``, the pipeline.
    """
    task = get_task(name)
    if cv is not None and (isinstance(cv, bool) or not isinstance(cv, int) or cv < 2):
        raise ValueError(f"Invalid cv={cv!r}: expected an integer of at least 2 folds.")
    data = task.load(full_data=full_data, data_home=data_home)
    if cv is not None and data.X_test is not None:
        raise ValueError(
            f"cv={cv} does not apply to {task.name}: it is scored on its official "
            "train/test split (one fit on the training part, scored on the test part), as "
            "the tutorial does. Leave out cv (--cv), or evaluate the pipeline yourself with "
            "sklearn.model_selection.TimeSeriesSplit."
        )
    cv = 10 if cv is None else cv
    pipeline = task.make_pipeline(
        epochs=epochs or task.epochs, random_state=random_state, **data.pipeline_options
    )
    X, y, splits, protocol = _protocol(task, data, cv, random_state)
    candidates = _grid(task, epochs) if grid else {}
    n_candidates = int(np.prod([len(v) for v in candidates.values()])) if candidates else 1
    holdout = data.X_test is not None
    total = n_candidates * len(splits)
    reports = FoldReports(list(candidates), progress, total, len(splits), refit and holdout)
    with reports:
        search = GridSearchCV(
            pipeline,
            candidates,
            scoring={"score": task.scoring, "report": reports.scorer},
            refit="score" if refit and not holdout else False,
            cv=splits,
            n_jobs=n_jobs,
            error_score="raise",
        )
        search.fit(X, y)
    results = search.cv_results_
    best = int(np.argmin(results["rank_test_score"]))
    best_params = results["params"][best]
    fits = reports.for_candidate(best_params)
    return TaskResult(
        task=task,
        protocol=protocol,
        source=data.source,
        metric=task.metric,
        scores=[task.to_metric(results[f"split{i}_test_score"][best]) for i in range(len(splits))],
        candidates=[
            (params, task.to_metric(mean), float(std))
            for params, mean, std in zip(
                results["params"],
                results["mean_test_score"],
                results["std_test_score"],
                strict=True,
            )
        ],
        best_params=best_params,
        y_true=np.concatenate([fit["y_true"] for fit in fits]),
        y_pred=np.concatenate([fit["y_pred"] for fit in fits]),
        histories=[fit["history"] for fit in fits],
        estimator=(fits[0]["estimator"] if holdout else search.best_estimator_) if refit else None,
        search=search,
    )


def _protocol(task, data, cv, random_state):
    """The data to search on, its splits, and the protocol in words."""
    X, y = _indexable(data.X), np.asarray(data.y)
    if data.X_test is None:
        kind = StratifiedKFold if task.is_classifier else KFold
        splits = list(kind(cv, shuffle=True, random_state=random_state).split(np.zeros(len(y)), y))
        stratified = "stratified " if task.is_classifier else ""
        return X, y, splits, f"{cv}-fold {stratified}cross-validation"
    X_test, y_test = _indexable(data.X_test), np.asarray(data.y_test)
    train, test = np.arange(len(y)), np.arange(len(y), len(y) + len(y_test))
    return (
        _concat(X, X_test),
        np.concatenate([y, y_test]),
        [(train, test)],
        ("official train/test split"),
    )


def _grid(task, epochs):
    grid = dict(task.param_grid)
    if epochs is not None:
        grid.pop("model__epochs", None)
    return grid


def _indexable(X):
    """Lists of texts or token-id lists become arrays that fancy indexing can split."""
    if hasattr(X, "iloc") or isinstance(X, np.ndarray):
        return X
    array = np.empty(len(X), dtype=object)
    array[:] = list(X)
    return array


def _concat(first, second):
    if hasattr(first, "iloc"):
        return pd.concat([first, second], ignore_index=True)
    return np.concatenate([first, second])
