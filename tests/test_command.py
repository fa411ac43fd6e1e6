"""The ``skdeep`` command as a user types it."""

import io
import os
import subprocess
import sys
from pathlib import Path

import joblib
import pytest

from skdeep.cli import ProgressBar, main
from skdeep.tasks import all_tasks


def test_list_shows_every_task_with_its_data(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for task in all_tasks():
        assert task.name in out
    assert "offline:" in out and "--full-data:" in out


def test_run_reports_scores_saves_the_pipeline_and_plots(tmp_path, capsys):
    saved, plot = tmp_path / "iris.joblib", tmp_path / "curves.png"
    code = main(
        ["run", "iris", "--cv", "2", "--epochs", "5", "--save", str(saved), "--plot", str(plot)]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "2-fold stratified cross-validation" in captured.out
    assert "accuracy:" in captured.out and "+/-" in captured.out
    assert "precision" in captured.out and "virginica" in captured.out  # classification report
    assert "2/2 fold 2/2" in captured.err  # the progress bar
    pipeline = joblib.load(saved)
    assert set(pipeline.predict([[5.1, 3.5, 1.4, 0.2]])) <= {"setosa", "versicolor", "virginica"}
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_run_with_grid_prints_every_candidate(capsys):
    assert main(["run", "boston-wider", "--cv", "2", "--epochs", "3", "--grid", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert out.count("hidden_layer_sizes=") == 7  # six candidates and the best
    assert "MSE:" in out and "precision" not in out


def test_unknown_task_and_missing_data_get_clear_errors(tmp_path, capsys):
    assert main(["run", "cifar-99"]) == 2
    assert "Unknown task 'cifar-99'" in capsys.readouterr().err
    assert main(["run", "imdb-lstm", "--full-data", "--data-home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "imdb.npz" in err and "never downloads" in err
    # the command's option, not the library's keyword (issue 30 item 7)
    assert "pass --data-home the folder" in err and "data_home=" not in err


def test_help_is_plain_text(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "List skdeep's tasks" in out and "``" not in out


def _command(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "skdeep", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_recipe_inside_a_meta_estimator_plots_and_one_split_prints_no_spread(tmp_path):
    plot = tmp_path / "a.png"
    done = _command("run", "airline-lstm", "--epochs", "2", "--plot", str(plot))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "RMSE:" in done.stdout and "+/-" not in done.stdout
    assert "official train/test split" in done.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cv_for_a_task_scored_on_its_test_split_is_refused_before_training():
    done = _command("run", "airline-mlp", "--cv", "3", "--epochs", "1")
    assert done.returncode == 2
    assert "--cv" in done.stderr and "official train/test split" in done.stderr
    assert "RMSE" not in done.stdout  # nothing was trained


def test_bad_option_values_are_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "pima", "--cv", "1"])
    assert exit_.value.code == 2
    assert "expected an integer >= 2" in capsys.readouterr().err


def test_progress_bar_writes_one_line_per_step_off_a_terminal():
    stream = io.StringIO()
    bar = ProgressBar(stream=stream, width=10)
    bar.update(1, 4, "fold 1/4")
    bar.update(4, 4, "fold 4/4")
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[##........] 1/4 fold 1/4")
    assert lines[1].startswith("[##########] 4/4 fold 4/4")


def test_python_dash_m_skdeep_is_the_same_command_without_backend_noise():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CPP")}
    result = subprocess.run(
        [sys.executable, "-m", "skdeep", "run", "iris", "--cv", "2", "--epochs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0 and "accuracy:" in result.stdout
    assert "; 1 epoch\n" in result.stdout  # not "1 epochs"
    # Only the progress bar on stderr: none of TensorFlow's C++ start-up lines.
    assert all(line.startswith("[") for line in result.stderr.splitlines()), result.stderr


def test_workers_keep_tensorflows_native_log_quiet_unless_verbose():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    args = [sys.executable, "-m", "skdeep", "run", "iris", "--cv", "2", "--epochs", "1"]
    quiet = subprocess.run(
        [*args, "--jobs", "2"], capture_output=True, text=True, env=env, timeout=300
    )
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    # Only the progress bar: no worker's "oneDNN custom operations" or cuInit line.
    assert all(line.startswith("[") for line in quiet.stderr.splitlines()), quiet.stderr
    verbose = subprocess.run(
        [*args, "--verbose"], capture_output=True, text=True, env=env, timeout=300
    )
    assert verbose.returncode == 0, verbose.stderr[-2000:]
    if env.get("KERAS_BACKEND", "tensorflow") == "tensorflow":
        assert "port.cc" in verbose.stderr or "cudart_stub" in verbose.stderr, verbose.stderr


@pytest.fixture
def short_tmp():
    """A short TMPDIR (a deep one makes the run's socket path too long for AF_UNIX)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="sk", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_bad_connections_to_the_progress_channel_do_not_stall_the_run(short_tmp):
    """Connect-and-close, 100 random bytes, a wrong key and a silent client, mid-run."""
    import glob
    import socket
    import time
    from multiprocessing import AuthenticationError
    from multiprocessing.connection import Client

    tmp_path = short_tmp
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skdeep",
            "run",
            "iris",
            "--cv",
            "2",
            "--epochs",
            "2",
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    silent = []
    try:
        deadline = time.monotonic() + 120
        while not (found := glob.glob(str(tmp_path / "**" / "listener"), recursive=True)):
            assert run.poll() is None and time.monotonic() < deadline, "no listener appeared"
            time.sleep(0.02)
        address = found[0]
        for payload in (b"", os.urandom(100)):
            with socket.socket(socket.AF_UNIX) as hostile:
                hostile.connect(address)
                hostile.sendall(payload)
        with pytest.raises((AuthenticationError, EOFError, OSError)):
            Client(address, authkey=b"not the run's key").close()
        holder = socket.socket(socket.AF_UNIX)
        holder.connect(address)  # connects and never answers
        silent.append(holder)
        out, err = run.communicate(timeout=240)
    finally:
        run.kill()
        for holder in silent:
            holder.close()
    assert run.returncode == 0, err[-2000:]
    assert "accuracy:" in out


def _jobs_run(tmp, *extra, killable=False):
    output = subprocess.DEVNULL if killable else subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-m", "skdeep", "run", "iris", "--cv", "2", "--epochs", "1", *extra],
        stdout=output,
        stderr=output,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
        start_new_session=killable,  # its own process group: the workers are killed with it
    )


def _shm_folders_of(pid):
    shm = Path("/dev/shm")
    return [p.name for p in shm.iterdir() if f"_{pid}_" in p.name] if shm.is_dir() else []


def test_a_run_leaves_no_temporary_files_and_cleans_a_killed_runs(short_tmp):
    import signal
    import time

    tmp = short_tmp
    finished = _jobs_run(tmp, "--jobs", "2")
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err[-2000:]
    # No traced-function files, sockets or memory-mapping folders left behind.
    assert list(tmp.iterdir()) == [] and _shm_folders_of(finished.pid) == []

    killed = _jobs_run(tmp, "--jobs", "2", killable=True)
    deadline = time.monotonic() + 120
    while not list(tmp.rglob("listener")):  # the search has started
        assert killed.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(killed.pid, signal.SIGKILL)  # the run and its workers, mid-search
    killed.wait(timeout=60)
    assert [p.name.split("-")[2] for p in tmp.iterdir()] == [str(killed.pid)]
    after = _jobs_run(tmp)
    _, err = after.communicate(timeout=300)
    assert after.returncode == 0, err[-2000:]
    assert list(tmp.iterdir()) == []
