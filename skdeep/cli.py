"""The ``skdeep`` command: list the tasks and run one with cross-validation."""

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None):
    """Entry point of ``skdeep`` and ``python -m skdeep``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    # The command's own process and its workers: TensorFlow's native log shows
    # only what the user's TF_CPP_MIN_LOG_LEVEL, or --verbose, asks for.
    if getattr(args, "verbose", False):
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    _start_backend()
    if args.command == "list":
        return _list()
    with _scratch_folder():
        return _run(args)


_SCRATCH_PREFIX = "skdeep-run-"


@contextlib.contextmanager
def _scratch_folder():
    """A temporary folder of the run's own, for it and its workers, removed at the end.

    TensorFlow's traced functions (``__autograph_generated_file*.py``),
    joblib's memory-mapped arrays (otherwise in ``/dev/shm``) and the
    progress channel's socket all go there (``TMPDIR`` and
    ``JOBLIB_TEMP_FOLDER``, which the workers inherit). A run killed before
    its end leaves its folder behind; the next run removes every such folder
    whose run is no longer alive. The variables are put back afterwards.
    """
    _remove_dead_runs_folders(tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-")
    saved = {name: os.environ.get(name) for name in ("TMPDIR", "JOBLIB_TEMP_FOLDER")}
    saved_tempdir = tempfile.tempdir
    os.environ.update(TMPDIR=folder, JOBLIB_TEMP_FOLDER=folder)
    tempfile.tempdir = folder
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_tempdir
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)


def _remove_dead_runs_folders(parent):
    """Remove the scratch folders, owned by this user, of runs that are no longer alive."""
    user = os.getuid() if hasattr(os, "getuid") else None
    for path in Path(parent).glob(f"{_SCRATCH_PREFIX}*-*"):
        pid = path.name[len(_SCRATCH_PREFIX) :].split("-")[0]
        try:
            if not pid.isdigit() or user not in (None, path.stat().st_uid):
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # alive (another user's, or not ours to signal), or gone meanwhile


def _start_backend():
    """Import Keras and run a first small operation, which starts the backend's runtime.

    Both write TensorFlow's C++ start-up lines (its CPU features, no CUDA
    driver) straight to file descriptor 2; they are kept off the terminal as
    ``import skdeep`` keeps them (:mod:`skdeep._framework.native_logs`).
    """
    from skdeep._framework.native_logs import native_lines_filtered, note_user_level

    if "keras" not in sys.modules:
        note_user_level()  # the command's level (above), which its workers inherit
    with native_lines_filtered():
        import keras

        keras.ops.convert_to_numpy(keras.ops.zeros((1,)))


def _parser():
    parser = argparse.ArgumentParser(
        prog="skdeep", description="List skdeep's tasks, and run one with cross-validation."
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("list", help="show the tasks and their data")
    run = commands.add_parser("run", help="evaluate a task as its tutorial does")
    run.add_argument("task", help="task name, see 'skdeep list'")
    run.add_argument(
        "--cv",
        type=_count(2),
        help="folds (default: 10; not for tasks scored on an official test split)",
    )
    run.add_argument("--epochs", type=_count(1), help="epochs (default: the tutorial's)")
    run.add_argument("--grid", action="store_true", help="search the task's parameter grid")
    run.add_argument(
        "--jobs", type=int, default=None, help="fits at once in worker processes (-1: all cores)"
    )
    run.add_argument(
        "--full-data",
        action="store_true",
        help="full data from the Keras cache (or --data-home), scored on its test split",
    )
    run.add_argument("--data-home", help="folder of the full data (default: ~/.keras/datasets)")
    run.add_argument(
        "--save",
        metavar="PATH",
        help="refit on all data and save it: a safe skdeep file if PATH ends with .skdeep, "
        "else joblib (a pickle: load only your own)",
    )
    run.add_argument("--plot", metavar="PATH", help="save the learning curves as a PNG")
    run.add_argument(
        "--verbose",
        action="store_true",
        help="show the backend's native log (TensorFlow's C++ start-up lines), in workers too",
    )
    return parser


def _count(lowest):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < lowest:
            raise argparse.ArgumentTypeError(f"expected an integer >= {lowest}, got {text!r}")
        return value

    return parse


def _list():
    from skdeep.tasks import all_tasks

    family = None
    for task in all_tasks():
        if task.family != family:
            family = task.family
            print(f"{family}:")
        print(f"  {task.name:20s}{task.description}")
        print(f"  {'':20s}offline: {task.offline_data}; --full-data: {task.full_data}")
    return 0


def _run(args):
    from skdeep.datasets import DatasetIntegrityError, DatasetNotFoundError
    from skdeep.tasks import get_task, run_task

    try:
        task = get_task(args.task)
    except ValueError as error:
        return _fail(error)
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            return _fail(
                "--plot needs matplotlib: pip install matplotlib (in a checkout installed as "
                "the README does: pip install -e '.[plot]')"
            )
    from skdeep._atomic import check_writable

    try:
        for option, path in (("--save", args.save), ("--plot", args.plot)):
            if path:
                check_writable(path, option)
    except (OSError, ValueError) as error:
        return _fail(error)
    epochs = args.epochs or task.epochs
    print(f"{task.name}: {task.description}", flush=True)
    bar = ProgressBar()
    try:
        result = run_task(
            task.name,
            cv=args.cv,
            epochs=args.epochs,
            grid=args.grid,
            full_data=args.full_data,
            data_home=args.data_home,
            refit=bool(args.save),
            n_jobs=args.jobs,
            progress=bar.update,
        )
    except DatasetNotFoundError as error:  # the library's advice, in the command's words
        bar.close()
        return _fail(
            str(error).replace("pass data_home= the folder", "pass --data-home the folder")
        )
    except (DatasetIntegrityError, FileNotFoundError, ValueError) as error:
        bar.close()
        return _fail(error)
    bar.close()
    if args.grid and not args.epochs and "model__epochs" in task.param_grid:
        epochs = "grid's"
    unit = "epoch" if epochs == 1 else "epochs"
    print(f"data: {result.source}; {result.protocol}; {epochs} {unit}")
    if args.grid:
        print("grid (mean +/- std):")
        for params, mean, std in sorted(result.candidates, key=lambda c: -c[1]):
            print(f"  {mean:.4f} +/- {std:.4f}  {_short(params)}")
        print(f"best: {_short(result.best_params)}")
    if len(result.scores) == 1:  # one split: no spread to give
        print(f"{result.metric}: {result.mean:.4f} ({result.protocol})")
    else:
        print(f"{result.metric}: {result.mean:.4f} +/- {result.std:.4f}")
    if task.is_classifier:
        print(result.report())
    try:
        if args.save:
            _save(result.estimator, args.save)
            print(f"saved the pipeline refitted on all the training data to {args.save}")
        if args.plot:
            from skdeep.tasks.plots import plot_learning_curves

            try:
                plot_learning_curves(result, args.plot)
                print(f"learning curves saved to {args.plot}")
            except ValueError as error:  # the work is done: a plot never fails the run
                print(f"warning: {error}; {args.plot} was not written", file=sys.stderr)
    except OSError as error:
        return _fail(f"could not write the output ({error}); any previous file is unchanged")
    return 0


def _save(estimator, path):
    """A safe skdeep file for ``.skdeep`` paths, joblib's pickle otherwise; written atomically."""
    if str(path).endswith(".skdeep"):
        from skdeep.serialization import save

        save(estimator, path)
        return
    import joblib

    from skdeep._atomic import atomic_write

    with atomic_write(path) as file:
        joblib.dump(estimator, file)


def _short(params):
    return ", ".join(f"{k.removeprefix('model__')}={v}" for k, v in params.items()) or "defaults"


def _fail(message):
    print(f"skdeep: {message}", file=sys.stderr)
    return 2


class ProgressBar:
    """A one-line progress bar on stderr (one line per step when not a terminal)."""

    def __init__(self, stream=None, width=30):
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.perf_counter()
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.drawn = False

    def update(self, done, total, label):
        """Show ``done`` of ``total`` fits, with ``label`` and the time so far."""
        filled = int(self.width * done / total)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {done}/{total} {label} ({time.perf_counter() - self.start:.0f} s)"
        if self.live:
            self.stream.write("\r" + line)
            self.drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        """End the bar's line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


if __name__ == "__main__":
    sys.exit(main())
