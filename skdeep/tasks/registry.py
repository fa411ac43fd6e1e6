"""The task registry: each documented task as a named recipe."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """A documented task: its data, its pipeline and how it is evaluated.

    Attributes
    ----------
    name : str
        Name used on the command line.
    description : str
        One line for ``skdeep list``.
    data : str
        What data the task uses.
    load : callable
        ``load() -> (X, y)``.
    make_pipeline : callable
        ``make_pipeline(epochs) -> estimator``.
    scoring : str
        scikit-learn scorer name.
    default_epochs : int
        Epochs of the published protocol.
    """

    name: str
    description: str
    data: str
    load: Callable
    make_pipeline: Callable
    scoring: str
    default_epochs: int


TASKS = {}


def register(task):
    """Add a task to :data:`TASKS`."""
    TASKS[task.name] = task
    return task


def get_task(name):
    """The task called ``name``; a clear error lists the known ones."""
    from skdeep.tasks import tabular  # noqa: F401  (registers the tabular tasks)

    if name not in TASKS:
        raise ValueError(f"Unknown task {name!r}. Known tasks: {', '.join(sorted(TASKS))}.")
    return TASKS[name]
