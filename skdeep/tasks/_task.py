"""The records a task recipe is made of: :class:`Task` and the :class:`TaskData` it loads."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sklearn.base import is_classifier
from sklearn.metrics import get_scorer

#: How a scikit-learn scorer's value is shown: (metric name, factor).
_METRICS = {
    "accuracy": ("accuracy", 1),
    "neg_mean_squared_error": ("MSE", -1),
    "neg_mean_absolute_error": ("MAE", -1),
    "neg_root_mean_squared_error": ("RMSE", -1),
    "r2": ("R2", 1),
}


@dataclass(frozen=True)
class TaskData:
    """The data of one run of a task.

    Parameters
    ----------
    X : array-like
        Data to cross-validate on, or to train on when there is a test part.
    y : array-like
        Its targets.
    X_test : array-like, default=None
        The official test part of a full data set; None for cross-validation.
    y_test : array-like, default=None
        Its targets.
    source : str, default=""
        Where the data came from, for the report.
    pipeline_options : dict, default={}
        Keyword arguments for the task's ``make_pipeline`` that suit this
        data (e.g. a shorter ``maxlen`` for the short offline texts).
    """

    X: Any
    y: Any
    X_test: Any = None
    y_test: Any = None
    source: str = ""
    pipeline_options: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Task:
    """A documented task: its data, its pipeline, how it is scored and what was published.

    Parameters
    ----------
    name : str
        Name used on the command line.
    family : {"tabular", "images", "text", "series"}
        The tutorial family.
    description : str
        One line for ``skdeep list``.
    offline_data : str
        What data the task uses offline (bundled or generated).
    full_data : str
        What ``--full-data`` uses.
    load : callable
        ``load(full_data=False, data_home=None) -> TaskData``.
    make_pipeline : callable
        ``make_pipeline(epochs=..., random_state=0, **pipeline_options)``;
        the network is the step named ``"model"``.
    param_grid : dict
        A small grid over the pipeline's parameters (``model__...``).
    epochs : int
        Epochs of the published protocol.
    published : str
        The published figure this recipe follows, for ``docs/results.md``.
    scoring : str, default="accuracy"
        A scikit-learn scorer name; it drives cross-validation and the grid.
    """

    name: str
    family: str
    description: str
    offline_data: str
    full_data: str
    load: Callable
    make_pipeline: Callable
    param_grid: dict
    epochs: int
    published: str
    scoring: str = "accuracy"

    def __post_init__(self):
        get_scorer(self.scoring)  # an unknown scorer fails when the recipe is written

    @property
    def is_classifier(self):
        """True when the pipeline ends with a classifier (stratified folds, a report)."""
        return is_classifier(self.make_pipeline(epochs=1))

    @property
    def metric(self):
        """The name the report gives the score, e.g. ``"accuracy"`` or ``"MSE"``."""
        return _METRICS.get(self.scoring, (self.scoring, 1))[0]

    def to_metric(self, score):
        """Turn a scorer's value into the report's metric (``neg_mean_squared_error`` -> MSE).

        Parameters
        ----------
        score : float
            A value of the task's scorer.

        Returns
        -------
        float
            The metric, e.g. a positive mean squared error.
        """
        return _METRICS.get(self.scoring, (self.scoring, 1))[1] * float(score)
