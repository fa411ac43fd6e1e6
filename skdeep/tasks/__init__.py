"""Ready-made recipes for the documented tasks: data, pipeline and protocol."""

from skdeep.tasks.registry import TASKS, Task, get_task

__all__ = ["TASKS", "Task", "get_task"]
