"""The ``skdeep`` command: list the tasks and run one with cross-validation."""

import argparse
import os
import sys
import time


def main(argv=None):
    """Entry point of ``skdeep`` and ``python -m skdeep``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before Keras loads TF
    if args.command == "list":
        return _list()
    return _run(args)


def _parser():
    parser = argparse.ArgumentParser(prog="skdeep", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("list", help="show the tasks and their data")
    run = commands.add_parser("run", help="cross-validate a task")
    run.add_argument("task", help="task name, see 'skdeep list'")
    run.add_argument("--cv", type=_positive, default=10, help="folds (default: 10)")
    run.add_argument("--epochs", type=_positive, help="epochs (default: the task's)")
    return parser


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def _list():
    from skdeep.tasks import TASKS, get_task

    get_task("pima")  # loads the registry
    for task in TASKS.values():
        print(f"{task.name:10s} {task.description}  [{task.data}]")
    return 0


def _run(args):
    import numpy as np
    from sklearn.base import clone
    from sklearn.metrics import get_scorer
    from sklearn.model_selection import StratifiedKFold

    from skdeep.tasks import get_task

    try:
        task = get_task(args.task)
    except ValueError as error:
        print(f"skdeep: {error}", file=sys.stderr)
        return 2
    X, y = task.load()
    epochs = args.epochs or task.default_epochs
    pipeline = task.make_pipeline(epochs=epochs)
    scorer = get_scorer(task.scoring)
    folds = StratifiedKFold(n_splits=args.cv, shuffle=True, random_state=0)
    print(f"{task.name}: {task.description}; {args.cv}-fold stratified CV, {epochs} epochs")
    scores = []
    for i, (train, test) in enumerate(folds.split(X, y), start=1):
        start = time.perf_counter()
        fitted = clone(pipeline).fit(X[train], y[train])
        scores.append(scorer(fitted, X[test], y[test]))
        print(
            f"  fold {i:2d}/{args.cv}: {task.scoring} {scores[-1]:.4f} "
            f"({time.perf_counter() - start:.1f} s)",
            flush=True,
        )
    print(f"{task.scoring}: {np.mean(scores):.4f} +/- {np.std(scores):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
