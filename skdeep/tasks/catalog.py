"""Every task recipe, collected in one place from the family modules.

The family modules (:mod:`~skdeep.tasks.tabular`, :mod:`~skdeep.tasks.images`,
:mod:`~skdeep.tasks.text`, :mod:`~skdeep.tasks.series`) each hold a tuple
``RECIPES`` of keyword-built :class:`~skdeep.tasks.Task` records; importing
them registers nothing.
"""

from skdeep.tasks import images, series, tabular, text

_FAMILIES = (tabular, images, text, series)


def _collect():
    tasks = {}
    for module in _FAMILIES:
        for task in module.RECIPES:
            if task.name in tasks:
                raise ValueError(f"Two task recipes are named {task.name!r}.")
            tasks[task.name] = task
    return tasks


#: Task name -> :class:`~skdeep.tasks.Task`.
TASKS = _collect()


def all_tasks():
    """List every task, by family then name.

    Returns
    -------
    list of Task
        The recipes.
    """
    order = {"tabular": 0, "images": 1, "text": 2, "series": 3}
    return sorted(TASKS.values(), key=lambda t: (order.get(t.family, 4), t.name))


def get_task(name):
    """Return the task called ``name``; a clear error lists the known ones.

    Parameters
    ----------
    name : str
        The task's name, as ``skdeep list`` shows it.

    Returns
    -------
    Task
        The recipe.

    Examples
    --------
    >>> get_task("pima").family
    'tabular'
    """
    if name not in TASKS:
        raise ValueError(f"Unknown task {name!r}. Known tasks: {', '.join(sorted(TASKS))}.")
    return TASKS[name]
