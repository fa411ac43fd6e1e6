"""The task registry: each documented task as a named recipe."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TaskData:
    """The data of one run of a task.

    Attributes
    ----------
    X, y
        Data to cross-validate on, or to train on when there is a test part.
    X_test, y_test
        The official test part of a full data set; None for cross-validation.
    source : str
        Where the data came from, for the report.
    pipeline_options : dict
        Keyword arguments for the task's ``make_pipeline`` that suit this
        data (e.g. a shorter ``maxlen`` for the short offline texts).
    """

    X: Any
    y: Any
    X_test: Any = None
    y_test: Any = None
    source: str = ""
    pipeline_options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """A documented task: its data, its pipeline, how it is evaluated and what was published.

    Attributes
    ----------
    name : str
        Name used on the command line.
    family : {"tabular", "images", "text"}
    description : str
        One line for ``skdeep list``.
    offline_data, full_data : str
        What data the task uses offline (bundled or generated) and with
        ``--full-data``.
    load : callable
        ``load(full_data=False, data_home=None) -> TaskData``.
    make_pipeline : callable
        ``make_pipeline(epochs=..., random_state=0, **pipeline_options)``;
        the network is the step named ``"model"``.
    param_grid : dict
        A small grid over the pipeline's parameters (``model__...``).
    scoring : {"accuracy", "neg_mean_squared_error"}
        scikit-learn scorer name.
    epochs : int
        Epochs of the published protocol.
    published : str
        The published figure this recipe follows, for ``docs/results.md``.
    """

    name: str
    family: str
    description: str
    offline_data: str
    full_data: str
    load: Callable
    make_pipeline: Callable
    param_grid: dict
    scoring: str
    epochs: int
    published: str

    @property
    def is_classifier(self):
        """True for classification tasks (scored by accuracy)."""
        return self.scoring == "accuracy"


TASKS = {}


def register(task):
    """Add a task to :data:`TASKS`."""
    if task.name in TASKS:
        raise ValueError(f"A task named {task.name!r} is registered already.")
    TASKS[task.name] = task
    return task


def register_recipe(
    family,
    name,
    description,
    offline_data,
    full_data,
    load,
    make_pipeline,
    param_grid,
    epochs,
    published,
    scoring="accuracy",
):
    """Build a :class:`Task` from its parts, in the order the recipe modules list them."""
    return register(
        Task(
            name=name,
            family=family,
            description=description,
            offline_data=offline_data,
            full_data=full_data,
            load=load,
            make_pipeline=make_pipeline,
            param_grid=param_grid,
            scoring=scoring,
            epochs=epochs,
            published=published,
        )
    )


def all_tasks():
    """Every registered task, by family then name."""
    _load_recipes()
    order = {"tabular": 0, "images": 1, "text": 2}
    return sorted(TASKS.values(), key=lambda t: (order.get(t.family, 3), t.name))


def get_task(name):
    """The task called ``name``; a clear error lists the known ones.

    Examples
    --------
    >>> get_task("pima").family
    'tabular'
    """
    _load_recipes()
    if name not in TASKS:
        raise ValueError(f"Unknown task {name!r}. Known tasks: {', '.join(sorted(TASKS))}.")
    return TASKS[name]


def _load_recipes():
    from skdeep.tasks import images, tabular, text  # noqa: F401  (each registers its tasks)
