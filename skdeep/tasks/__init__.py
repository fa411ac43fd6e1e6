"""Ready-made recipes for the documented tasks: data, pipeline, protocol and grid.

Examples
--------
>>> from skdeep.tasks import get_task
>>> task = get_task("iris")
>>> task.family, task.scoring, task.epochs
('tabular', 'accuracy', 200)
>>> pipeline = task.make_pipeline(epochs=5)
>>> [name for name, _ in pipeline.steps]
['model']
"""

from skdeep.tasks._task import Task, TaskData
from skdeep.tasks.catalog import TASKS, all_tasks, get_task
from skdeep.tasks.runner import TaskResult, run_task

__all__ = ["TASKS", "Task", "TaskData", "TaskResult", "all_tasks", "get_task", "run_task"]
