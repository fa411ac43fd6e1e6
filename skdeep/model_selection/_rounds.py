"""One round of the halving-over-epochs searches: train on, score, keep the best.

Each (candidate, fold) model lives across rounds; :func:`continue_training`
adds the epochs a round asks for and scores the result, and the remaining
functions turn those scores into ``cv_results_`` rows and the survivors.
"""

import time

import numpy as np
from sklearn.base import clone
from sklearn.utils import _safe_indexing

from skdeep.estimators.base import BaseKerasEstimator


def keras_prefix(estimator):
    """``""`` for a skdeep estimator, ``"<step>__"`` for a pipeline ending with one."""
    if isinstance(estimator, BaseKerasEstimator):
        return ""
    steps = getattr(estimator, "steps", None)
    if steps and isinstance(steps[-1][1], BaseKerasEstimator):
        return steps[-1][0] + "__"
    raise TypeError(
        "The halving-over-epochs searches need a skdeep estimator, or a Pipeline whose "
        f"last step is one, to continue training; received {type(estimator).__name__}."
    )


def get_param(estimator, name):
    return estimator.get_params()[keras_prefix(estimator) + name]


def continue_training(state, X, y, fold, epochs, prefix, scorer, fit_params, error_score, base):
    """Train one (candidate, fold) model up to ``epochs`` epochs in all, then score it.

    ``state`` is ``(estimator, None, epochs so far)``, or ``(None, parameters,
    0)`` for a model that does not exist yet.
    """
    train, test = fold
    estimator, params, done = state
    if estimator is None:
        estimator = clone(base).set_params(**params, **{prefix + "warm_start": True})
    added = epochs - done
    params = {prefix + "epochs": added} if added > 0 else {}
    estimator.set_params(**params)
    weights = {
        k: _safe_indexing(v, train) if hasattr(v, "__len__") and len(v) == len(y) else v
        for k, v in fit_params.items()
    }
    start = time.perf_counter()
    try:
        if added > 0:
            estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train), **weights)
        fit_time = time.perf_counter() - start
        score = scorer(estimator, _safe_indexing(X, test), _safe_indexing(y, test))
    except Exception:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        fit_time, score = time.perf_counter() - start, error_score
    model = estimator[-1] if prefix else estimator
    return {
        "estimator": estimator,
        "score": float(score),
        "fit_time": fit_time,
        "added": max(added, 0),
        "epochs_run": getattr(model, "n_iter_", 0),
    }


def round_rows(candidates, alive, jobs, results, iteration, epochs, n_splits):
    by_candidate = {}
    for (c, k), result in zip(jobs, results, strict=True):
        by_candidate.setdefault(c, [None] * n_splits)[k] = result
    rows = []
    for c in alive:
        fits = by_candidate[c]
        scores = np.array([f["score"] for f in fits])
        rows.append(
            {
                "candidate": c,
                "iter": iteration,
                "n_resources": epochs,
                "scores": scores,
                "fit_time": np.array([f["fit_time"] for f in fits]),
                "epochs_run": np.array([f["epochs_run"] for f in fits]),
            }
        )
    return rows


def survivors(rows, iteration, keep):
    current = [r for r in rows if r["iter"] == iteration]
    means = [np.nan_to_num(np.mean(r["scores"]), nan=-np.inf) for r in current]
    order = np.argsort(means, kind="stable")[::-1][:keep]
    return sorted(current[i]["candidate"] for i in order)


def search_results(rows, candidates):
    n = len(rows)
    results = {
        "params": [candidates[r["candidate"]] for r in rows],
        "iter": np.array([r["iter"] for r in rows]),
        "n_resources": np.array([r["n_resources"] for r in rows]),
        "mean_test_score": np.array([np.mean(r["scores"]) for r in rows]),
        "std_test_score": np.array([np.std(r["scores"]) for r in rows]),
        "mean_fit_time": np.array([np.mean(r["fit_time"]) for r in rows]),
        "std_fit_time": np.array([np.std(r["fit_time"]) for r in rows]),
        "mean_epochs_run": np.array([np.mean(r["epochs_run"]) for r in rows]),
    }
    for k in range(len(rows[0]["scores"])):
        results[f"split{k}_test_score"] = np.array([r["scores"][k] for r in rows])
    for name in sorted({key for params in results["params"] for key in params}):
        column = np.ma.MaskedArray(np.empty(n, dtype=object), mask=True)
        for i, params in enumerate(results["params"]):
            if name in params:
                column[i] = params[name]
        results[f"param_{name}"] = column
    # Later rounds rank first (their candidates survived), then by score.
    key = [(-r["iter"], -np.nan_to_num(np.mean(r["scores"]), nan=-np.inf)) for r in rows]
    order = sorted(range(n), key=lambda i: key[i])
    ranks = np.empty(n, dtype=int)
    ranks[order] = np.arange(1, n + 1)
    results["rank_test_score"] = ranks
    return results
