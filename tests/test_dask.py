"""Searches, cross-validation and data larger than memory on a real Dask cluster on loopback."""

import subprocess
import sys
import textwrap
import threading
import time

import keras
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier
from skdeep.parallel import NoWorkersError, dask_backend

distributed = pytest.importorskip("distributed")
GRID = {"hidden_layer_sizes": [(4,), (16,)], "learning_rate": [0.01, 0.1]}


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, on 127.0.0.1, closed after the module."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,  # real worker processes, restarted by their nannies
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _search():
    clf = KerasClassifier("mlp", epochs=3, batch_size=16, random_state=0)
    return GridSearchCV(make_pipeline(StandardScaler(), clf), _prefixed(GRID), cv=2, n_jobs=-1)


def _prefixed(grid):
    return {f"kerasclassifier__{name}": values for name, values in grid.items()}


def test_a_search_on_the_cluster_equals_the_local_search(client, iris):
    X, y = iris
    local = _search().fit(X, y)
    with dask_backend(client), distributed.get_task_stream(client) as tasks:
        remote = _search().fit(X, y)
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    assert remote.best_params_ == local.best_params_
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))
    # The 8 fits (4 candidates x 2 folds) ran on the two workers, not in this process.
    assert {task["worker"] for task in tasks.data} == set(client.scheduler_info()["workers"])
    # The backend's watchdog of each parallel call ends with the call.
    time.sleep(1.5)
    assert not [t for t in threading.enumerate() if t.name == "skdeep-dask-watchdog"]


def test_each_worker_caps_its_framework_threads_at_its_share(client, iris):
    X, y = iris
    with dask_backend(client):
        cross_val_score(KerasClassifier("mlp", epochs=1, random_state=0), X, y, cv=2, n_jobs=-1)

    def threads():
        import os

        import tensorflow as tf

        return os.environ["OMP_NUM_THREADS"], tf.config.threading.get_intra_op_parallelism_threads()

    assert set(client.run(threads).values()) == {("1", 1)}


def test_a_fitted_pipeline_travels_to_a_worker_and_back(client, iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), KerasClassifier("mlp", epochs=2, random_state=0))
    fitted = client.submit(lambda p: p.fit(X, y), pipe).result()
    local = pipe.fit(X, y)
    np.testing.assert_allclose(fitted.predict_proba(X), local.predict_proba(X), atol=1e-6)
    remote_prediction = client.submit(lambda p: p.predict(X), local).result()
    np.testing.assert_array_equal(remote_prediction, local.predict(X))


@pytest.mark.slow
def test_a_builder_defined_in_a_script_runs_on_the_workers(client, tmp_path):
    """A user's script (``__main__``) with its own builder, connected to the cluster."""
    script = tmp_path / "search.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import keras
            import numpy as np
            from distributed import Client
            from sklearn.datasets import load_iris
            from sklearn.model_selection import GridSearchCV
            from skdeep import KerasClassifier
            from skdeep.parallel import dask_backend

            def build(meta, hidden=8):
                return keras.Sequential([
                    keras.Input(meta["input_shape_"]),
                    keras.layers.Dense(hidden, activation="relu"),
                    keras.layers.Dense(meta["output_units_"],
                                       activation=meta["output_activation_"]),
                ])

            if __name__ == "__main__":
                import warnings
                import dask
                from distributed import Client, LocalCluster
                from sklearn.datasets import load_iris
                from sklearn.model_selection import GridSearchCV
                from skdeep import KerasClassifier
                from skdeep.parallel import dask_backend

                X, y = load_iris(return_X_y=True)
                grid = {{"hidden": [4, 8]}}
                clf = KerasClassifier(build, epochs=2, random_state=0)
                local = GridSearchCV(clf, grid, cv=2).fit(X, y)
                with Client({client.scheduler.address!r}) as client, dask_backend(client):
                    remote = GridSearchCV(clf, grid, cv=2, n_jobs=-1).fit(X, y)
                same = np.array_equal(local.cv_results_["mean_test_score"],
                                      remote.cv_results_["mean_test_score"])
                print("same scores:", same)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "same scores: True" in done.stdout


def _enter_dask_backend(before=""):
    """The error of ``dask_backend()`` in a fresh process (no client of these tests)."""
    code = (
        f"import sys\n{before}\n"
        "from skdeep.parallel import dask_backend\n"
        "try:\n    dask_backend().__enter__()\n"
        "except Exception as error:\n    print(type(error).__name__, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return done.stdout + done.stderr


def test_without_a_client_the_error_says_how_to_make_one():
    message = _enter_dask_backend()
    assert "ValueError dask_backend found no Dask client" in message
    assert "LocalCluster" in message


@pytest.mark.parametrize("timeout", [0, -5, "60", None, True])
def test_a_bad_no_workers_timeout_gets_an_error_naming_it(timeout):
    with (
        pytest.raises(ValueError, match="no_workers_timeout must be a positive number"),
        dask_backend(no_workers_timeout=timeout),
    ):
        pass


@pytest.mark.parametrize("pin_gpus", ["no", 0, None])
def test_a_pin_gpus_that_is_not_a_bool_is_refused(pin_gpus):
    with (
        pytest.raises(ValueError, match="pin_gpus must be True or False"),
        dask_backend(pin_gpus=pin_gpus),
    ):
        pass


def _environment(names):
    import os

    return {name: os.environ.get(name) for name in names}


def _unset(name):
    import os

    os.environ.pop(name, None)


def test_a_worker_keeps_its_own_settings_and_gets_back_what_a_search_changed(iris):
    X, y = iris
    names = ("OMP_NUM_THREADS", "CUDA_VISIBLE_DEVICES")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            env={"OMP_NUM_THREADS": "7"},  # the workers' own choice
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        bare, chosen = sorted(client.scheduler_info()["workers"])
        client.run(_unset, "OMP_NUM_THREADS", workers=[bare])  # this one has no setting
        before = client.run(_environment, names)
        with dask_backend(client):
            cross_val_score(KerasClassifier("mlp", epochs=1), X, y, cv=2, n_jobs=-1)
            during = client.run(_environment, names)
        after = client.run(_environment, names)
    assert during[chosen]["OMP_NUM_THREADS"] == "7"  # the worker's own, kept
    assert during[bare]["OMP_NUM_THREADS"] == "1"  # its share of the host, while searching
    assert after == before  # and put back when the search ends
    assert before[bare]["OMP_NUM_THREADS"] is None


def test_without_dask_the_error_names_the_extra():
    message = _enter_dask_backend("sys.modules['distributed'] = None")
    assert "ImportError" in message and "pip install 'dask[array]' distributed dask-ml" in message


@pytest.mark.slow
def test_partial_fit_under_dask_ml_incremental_learns_from_blocks(iris):
    dask_array = pytest.importorskip("dask.array")
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = iris
    order = np.random.RandomState(0).permutation(len(y))
    X, y = X[order].astype("float32"), y[order]
    X_blocks = dask_array.from_array(X, chunks=(30, 4))  # 5 blocks, never one array
    y_blocks = dask_array.from_array(y, chunks=30)
    incremental = wrappers.Incremental(
        KerasClassifier("mlp", batch_size=16, learning_rate=0.01, random_state=0),
        scoring="accuracy",
        random_state=0,
    )
    for _ in range(4):  # passes over the data
        incremental.partial_fit(X_blocks, y_blocks, classes=[0, 1, 2])
    network = incremental.estimator_
    assert network.n_iter_ == 4 * 5  # one epoch per block per pass
    prediction = incremental.predict(X_blocks)
    assert isinstance(prediction, dask_array.Array)
    assert incremental.score(X_blocks, y_blocks) > 0.8  # chance: 0.33


@pytest.mark.slow
def test_a_fit_that_kills_its_worker_scores_error_score_and_the_others_are_kept(tmp_path):
    """A candidate whose fit kills its worker process (as the kernel's OOM killer would)."""
    script = tmp_path / "killer.py"
    script.write_text(
        textwrap.dedent(
            """
            import os

            # A restarted worker imports this module again: what it imports
            # here is all a restart costs (with Keras at the top, a restart
            # under load can take longer than the nanny waits for it)
            def build(meta, hidden=8):
                import keras

                if hidden == 13:
                    os._exit(1)  # the worker process dies
                return keras.Sequential([
                    keras.Input(meta["input_shape_"]),
                    keras.layers.Dense(hidden, activation="relu"),
                    keras.layers.Dense(meta["output_units_"],
                                       activation=meta["output_activation_"]),
                ])

            if __name__ == "__main__":
                import warnings
                import dask
                from distributed import Client, LocalCluster
                from sklearn.datasets import load_iris
                from sklearn.model_selection import GridSearchCV
                from skdeep import KerasClassifier
                from skdeep.parallel import dask_backend

                X, y = load_iris(return_X_y=True)
                search = GridSearchCV(
                    KerasClassifier(build, epochs=2, random_state=0),
                    {"hidden": [4, 13, 6]}, cv=2, n_jobs=-1, error_score=-1.0,
                )
                # Dask gives up on the fit at its worker's first death (the
                # default, 3 retries, kills 8 workers: slow on 2 cores)
                with (
                    dask.config.set({"distributed.scheduler.allowed-failures": 0}),
                    LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                 dashboard_address=None) as cluster,
                    Client(cluster) as client,
                    dask_backend(client),
                ):
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        search.fit(X, y)
                print("scores", *search.cv_results_["split0_test_score"],
                      *search.cv_results_["split1_test_score"])
                print("best", search.best_params_["hidden"])
                print("warned", any("WorkerDiedError" in str(w.message) for w in caught))
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert "scores" in lines, (done.stdout, done.stderr[-3000:])
    scores = np.array(lines["scores"].split(), dtype=float).reshape(2, 3)
    report = (lines, done.stderr[-3000:])
    assert (scores[:, 1] == -1.0).all(), report  # the killer candidate, on both folds
    assert (scores[:, [0, 2]] >= 0).all(), report  # the fits beside it are kept
    assert lines["best"] in {"4", "6"}, report
    assert lines["warned"] == "True", report


@pytest.mark.slow
def test_a_cluster_left_without_workers_makes_the_search_raise_instead_of_waiting(iris):
    X, y = iris
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        search = GridSearchCV(
            KerasClassifier(_slow_build, epochs=1), {"hidden": [4, 6]}, cv=2, n_jobs=-1
        )
        losing = threading.Timer(1.0, cluster.scale, (0,))  # during the first fits
        losing.start()
        with (
            dask_backend(client, no_workers_timeout=3),
            pytest.raises(NoWorkersError, match="no worker for 3 s"),
        ):
            search.fit(X, y)
        losing.join()


def _slow_build(meta, hidden=8):
    time.sleep(2)
    return keras.Sequential(
        [keras.Input(meta["input_shape_"]), keras.layers.Dense(meta["output_units_"])]
    )
