"""Successive halving over epochs where the survivors keep training.

scikit-learn's ``HalvingGridSearchCV(resource="epochs")`` refits every
surviving candidate from scratch in each round, so a candidate that reaches
the last round has been trained ``r_0 + r_1 + ... + r_last`` epochs. Here
each (candidate, fold) model is kept between rounds and continues from its
weights (``warm_start``), so it is trained ``r_last`` epochs in all, and the
whole search costs little more than its last round.
"""

import time
from math import ceil, floor, isfinite, log
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, indexable

from skdeep._doc_links import DocumentationLinks
from skdeep.model_selection._rounds import (
    continue_training,
    get_param,
    keras_prefix,
    round_rows,
    search_results,
    survivors,
)


class _BaseHalvingEpochs(DocumentationLinks, MetaEstimatorMixin, BaseEstimator):
    """Shared machinery of the two searches; use a subclass."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "set_params"])],
        "factor": [Interval(Real, 1, None, closed="neither")],
        "min_epochs": [StrOptions({"exhaust"}), Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left"), None],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "error_score": [StrOptions({"raise"}), Real],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        *,
        factor=3,
        min_epochs="exhaust",
        max_epochs=None,
        cv=5,
        scoring=None,
        refit=True,
        n_jobs=None,
        random_state=None,
        error_score=np.nan,
        verbose=0,
    ):
        self.estimator = estimator
        self.factor = factor
        self.min_epochs = min_epochs
        self.max_epochs = max_epochs
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.error_score = error_score
        self.verbose = verbose

    def fit(self, X, y, **fit_params):
        """Run the search: rounds of more epochs for fewer candidates.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        **fit_params
            Passed to every ``fit`` (``sample_weight`` is split with the folds).

        Returns
        -------
        self
            The fitted search.
        """
        self._validate_params()
        if not isfinite(self.factor):
            raise ValueError(
                f"Invalid factor={self.factor!r}: expected a finite number > 1 (one candidate "
                "in factor survives each round; factor=3 is the usual choice)."
            )
        X, y = indexable(X, y)
        prefix = keras_prefix(self.estimator)
        candidates = self._candidates()
        if not candidates:
            raise ValueError("The search has no candidates: the parameter grid is empty.")
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        folds = list(cv.split(X, y))
        scorer = check_scoring(self.estimator, self.scoring)
        schedule = self._schedule(len(candidates))
        self.n_resources_, self.n_candidates_ = [], []
        models = {}  # (candidate index, fold) -> estimator trained so far
        rows, alive, trained_epochs = [], list(range(len(candidates))), 0
        parallel = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)
        for iteration, epochs in enumerate(schedule):
            self.n_resources_.append(epochs)
            self.n_candidates_.append(len(alive))
            jobs = [(c, k) for c in alive for k in range(len(folds))]
            results = parallel(
                delayed(continue_training)(
                    models.get((c, k), (None, candidates[c], 0)),
                    X,
                    y,
                    folds[k],
                    epochs,
                    prefix,
                    scorer,
                    fit_params,
                    self.error_score,
                    self.estimator,
                )
                for c, k in jobs
            )
            for (c, k), result in zip(jobs, results, strict=True):
                models[(c, k)] = (result["estimator"], None, epochs)
                trained_epochs += result["added"]
            rows += round_rows(candidates, alive, jobs, results, iteration, epochs, len(folds))
            alive = survivors(rows, iteration, ceil(len(alive) / self.factor))
            models = {key: m for key, m in models.items() if key[0] in alive}
            if len(alive) == 1 and iteration + 1 < len(schedule) and epochs == schedule[-1]:
                break
        self.n_iterations_ = len(self.n_resources_)
        self.epochs_trained_ = trained_epochs
        self.cv_results_ = search_results(rows, candidates)
        self.best_index_ = int(np.argmin(self.cv_results_["rank_test_score"]))
        self.best_params_ = self.cv_results_["params"][self.best_index_]
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.best_epochs_ = int(self.cv_results_["n_resources"][self.best_index_])
        self.n_splits_ = len(folds)
        self.scorer_ = scorer
        if self.refit:
            start = time.perf_counter()
            best = clone(self.estimator).set_params(
                **self.best_params_, **{prefix + "epochs": self.best_epochs_}
            )
            self.best_estimator_ = best.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
        return self

    def _schedule(self, n_candidates):
        """Total epochs of each round: min_epochs * factor ** i, the last one max_epochs."""
        max_epochs = self.max_epochs or get_param(self.estimator, "epochs")
        factor = self.factor
        # At most one round per epoch: a factor close to 1 cannot plan without end.
        rounds = max(1, ceil(log(n_candidates, factor)) + 1) if n_candidates > 1 else 1
        rounds = min(rounds, max_epochs)
        if self.min_epochs == "exhaust":
            min_epochs = max(1, floor(max_epochs / factor ** (rounds - 1)))
        else:
            min_epochs = self.min_epochs
        if not isinstance(min_epochs, int) or not 1 <= min_epochs <= max_epochs:
            raise ValueError(
                f"Invalid min_epochs={self.min_epochs!r}: expected 'exhaust' or an integer "
                f"from 1 to max_epochs={max_epochs}."
            )
        possible = min(floor(log(max_epochs / min_epochs, factor)) + 1, max_epochs)
        schedule = [min(max_epochs, int(min_epochs * factor**i)) for i in range(possible)]
        schedule = sorted(set(schedule))  # every round trains further than the one before
        schedule = schedule[: max(1, min(rounds, len(schedule)))]
        if schedule[-1] != max_epochs and len(schedule) >= rounds:
            schedule[-1] = max_epochs
        return schedule

    def predict(self, X):
        """Predict with the best estimator, refitted on all the data.

        Parameters
        ----------
        X : array-like
            Samples.

        Returns
        -------
        ndarray
            Predictions of ``best_estimator_``.
        """
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(X)

    def predict_proba(self, X):
        """Class probabilities from the best estimator.

        Parameters
        ----------
        X : array-like
            Samples.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities of ``best_estimator_``.
        """
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict_proba(X)

    def score(self, X, y):
        """Score the best estimator with the search's scorer.

        Parameters
        ----------
        X : array-like
            Samples.
        y : array-like
            True targets.

        Returns
        -------
        float
            The score.
        """
        check_is_fitted(self, "best_estimator_")
        return self.scorer_(self.best_estimator_, X, y)

    @property
    def classes_(self):
        """The classes of the best estimator."""
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.classes_
