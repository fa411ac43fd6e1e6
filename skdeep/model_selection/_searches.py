"""The two halving searches over epochs: over a grid, and over sampled candidates."""

from numbers import Integral

import numpy as np
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.utils._param_validation import Interval

from skdeep.model_selection._halving import _BaseHalvingEpochs


class HalvingEpochsGridSearchCV(_BaseHalvingEpochs):
    """Successive halving over a parameter grid, the survivors training on from their weights.

    Every candidate trains a few epochs on each fold; the best third (with
    ``factor=3``) continues to three times as many epochs, and so on, until
    one candidate is left or the last round reaches ``max_epochs``. A model
    that survives a round continues from its weights instead of starting
    again, so each candidate of the last round has trained ``max_epochs``
    epochs in all, and the search costs close to its last round.

    Parameters
    ----------
    estimator : KerasClassifier, KerasRegressor or Pipeline
        A skdeep estimator, or a pipeline whose last step is one.
    param_grid : dict or list of dict
        Candidates, as for ``GridSearchCV``.
    factor : float, default=3
        One candidate in ``factor`` survives each round, with ``factor``
        times the epochs.
    min_epochs : int or "exhaust", default="exhaust"
        Epochs of the first round; "exhaust" chooses it so that the last
        round trains ``max_epochs``.
    max_epochs : int or None, default=None
        Epochs of the last round (the estimator's ``epochs`` when None).
    cv : int, splitter or iterable, default=5
        As for ``GridSearchCV`` (stratified folds for classifiers).
    scoring : str, callable or None, default=None
        As for ``GridSearchCV``; None uses the estimator's ``score``.
    refit : bool, default=True
        Refit the best candidate on all the data, for ``best_epochs_`` epochs.
    n_jobs : int or None, default=None
        Fits at once in joblib workers (``joblib.parallel_backend("dask")``
        sends them to a Dask cluster).
    random_state : int or None, default=None
        Unused by the grid search; seeds the sampling of the randomized one.
    error_score : "raise" or float, default=nan
        Score of a fit that fails; its candidate drops out.
    verbose : int, default=0
        joblib's progress output.

    Attributes
    ----------
    cv_results_ : dict of arrays
        One row per candidate and round: ``params``, ``iter``,
        ``n_resources`` (epochs reached), ``mean_test_score``,
        ``split<k>_test_score``, ``mean_epochs_run`` (epochs actually run,
        fewer with early stopping), ``rank_test_score``.
    best_params_ : dict
        The candidate that won the last round.
    best_score_ : float
        Its mean cross-validated score.
    best_epochs_ : int
        The epochs it reached.
    best_estimator_ : estimator
        Refitted on all the data (``refit=True``).
    n_resources_ : list of int
        Epochs of each round.
    n_candidates_ : list of int
        Candidates of each round.
    n_iterations_ : int
        Rounds run.
    epochs_trained_ : int
        Epochs trained over the whole search (all candidates and folds,
        without the refit).

    See Also
    --------
    HalvingEpochsRandomSearchCV : The same over sampled candidates.
    search_space : Ready distributions for the built-in builders.
    sklearn.model_selection.HalvingGridSearchCV : Halving that refits each round from scratch.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skdeep import KerasClassifier
    >>> from skdeep.model_selection import HalvingEpochsGridSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = HalvingEpochsGridSearchCV(
    ...     KerasClassifier("mlp", epochs=9, random_state=0),
    ...     {"hidden_layer_sizes": [(4,), (8,), (16,)]}, cv=2).fit(X, y)
    >>> search.n_resources_, search.n_candidates_
    ([3, 9], [3, 1])
    """

    _parameter_constraints = {
        **_BaseHalvingEpochs._parameter_constraints,
        "param_grid": [dict, list],
    }

    def __init__(
        self,
        estimator,
        param_grid,
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
        super().__init__(
            estimator,
            factor=factor,
            min_epochs=min_epochs,
            max_epochs=max_epochs,
            cv=cv,
            scoring=scoring,
            refit=refit,
            n_jobs=n_jobs,
            random_state=random_state,
            error_score=error_score,
            verbose=verbose,
        )
        self.param_grid = param_grid

    def _candidates(self):
        return list(ParameterGrid(self.param_grid))


class HalvingEpochsRandomSearchCV(_BaseHalvingEpochs):
    """Like :class:`HalvingEpochsGridSearchCV`, over candidates sampled from distributions.

    Parameters
    ----------
    estimator : KerasClassifier, KerasRegressor or Pipeline
        A skdeep estimator, or a pipeline whose last step is one.
    param_distributions : dict or list of dict
        As for ``RandomizedSearchCV`` (e.g. :func:`skdeep.search_space`).
    n_candidates : int, default=27
        Candidates of the first round.
    factor : float, default=3
        One candidate in ``factor`` survives each round.
    min_epochs : int or "exhaust", default="exhaust"
        Epochs of the first round.
    max_epochs : int or None, default=None
        Epochs of the last round (the estimator's ``epochs`` when None).
    cv : int, splitter or iterable, default=5
        As for ``RandomizedSearchCV``.
    scoring : str, callable or None, default=None
        As for ``RandomizedSearchCV``.
    refit : bool, default=True
        Refit the best candidate on all the data.
    n_jobs : int or None, default=None
        Fits at once in joblib workers.
    random_state : int, RandomState or None, default=None
        Seeds the sampling of the candidates.
    error_score : "raise" or float, default=nan
        Score of a fit that fails.
    verbose : int, default=0
        joblib's progress output.

    Attributes
    ----------
    cv_results_ : dict of arrays
        As in :class:`HalvingEpochsGridSearchCV`.
    best_params_ : dict
        The candidate that won the last round.
    best_estimator_ : estimator
        Refitted on all the data (``refit=True``).

    See Also
    --------
    HalvingEpochsGridSearchCV : The same over a grid.
    search_space : Ready distributions to sample from.
    sklearn.model_selection.HalvingRandomSearchCV : Halving that refits each round from scratch.
    """

    _parameter_constraints = {
        **_BaseHalvingEpochs._parameter_constraints,
        "param_distributions": [dict, list],
        "n_candidates": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        n_candidates=27,
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
        super().__init__(
            estimator,
            factor=factor,
            min_epochs=min_epochs,
            max_epochs=max_epochs,
            cv=cv,
            scoring=scoring,
            refit=refit,
            n_jobs=n_jobs,
            random_state=random_state,
            error_score=error_score,
            verbose=verbose,
        )
        self.param_distributions = param_distributions
        self.n_candidates = n_candidates

    def _candidates(self):
        return list(
            ParameterSampler(
                self.param_distributions, self.n_candidates, random_state=self.random_state
            )
        )
