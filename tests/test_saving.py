"""skdeep.save / skdeep.load: safe files that run no code, written atomically."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest
from packaging.version import Version
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdeep
from skdeep import KerasClassifier, KerasRegressor
from skdeep.serialization import (
    DamagedFileError,
    NotSavableError,
    UntrustedContentError,
)
from tests.builders import mlp

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def fitted(iris_strings):
    X, y = iris_strings
    return KerasClassifier(
        "mlp", hidden_layer_sizes=(8,), epochs=3, metrics=["accuracy"], random_state=0
    ).fit(X, y)


def test_a_fitted_estimator_round_trips_with_identical_predictions(fitted, iris_strings, tmp_path):
    X, _ = iris_strings
    loaded = skdeep.load(skdeep.save(fitted, tmp_path / "iris.skdeep"))
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert list(loaded.predict(X[:5])) == list(fitted.predict(X[:5]))
    assert loaded.get_params() == fitted.get_params()
    assert loaded.history_ == fitted.history_ and loaded.n_iter_ == 3


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_a_loaded_estimator_continues_training_as_the_in_memory_one(
    fitted, iris_strings, tmp_path, how
):
    X, y = iris_strings
    loaded = skdeep.load(skdeep.save(fitted, tmp_path / "iris.skdeep"))
    kept = skdeep.load(skdeep.save(fitted, tmp_path / "copy.skdeep"))  # an unchanged twin
    for estimator in (loaded, kept):
        if how == "warm_start":
            estimator.set_params(warm_start=True, epochs=2).fit(X, y)
        else:
            estimator.partial_fit(X, y)
    in_memory = kept
    for a, b in zip(loaded.model_.get_weights(), in_memory.model_.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert loaded.n_iter_ == in_memory.n_iter_ > 3


def test_a_pipeline_with_a_scaler_round_trips(iris, tmp_path):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), KerasRegressor("mlp", epochs=2, random_state=0))
    pipe.fit(X, X[:, 0])
    loaded = skdeep.load(skdeep.save(pipe, tmp_path / "pipe.skdeep"))
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))
    assert type(loaded.steps[0][1]) is StandardScaler


def test_a_users_builder_must_be_trusted_by_name_or_object(iris, tmp_path):
    X, y = iris
    path = skdeep.save(KerasClassifier(mlp, epochs=1).fit(X, y), tmp_path / "m.skdeep")
    assert skdeep.get_untrusted(path) == ["tests.builders.mlp"]
    with pytest.raises(UntrustedContentError, match=r"tests\.builders\.mlp.*trusted="):
        skdeep.load(path)
    assert skdeep.load(path, trusted=["tests.builders.mlp"]).model is mlp
    assert skdeep.load(path, trusted=[mlp]).predict(X[:2]).shape == (2,)


def test_a_file_naming_dangerous_code_runs_nothing(fitted, tmp_path):
    path = skdeep.save(fitted, tmp_path / "iris.skdeep")
    marker = tmp_path / "pwned"
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["skdeep.json"])
    manifest["root"]["state"]["model"] = {"__name__": "os.system"}
    manifest["root"]["state"]["build_fn"] = {
        "__callback__": "subprocess.Popen",
        "arguments": {"args": ["touch", str(marker)]},
    }
    members["skdeep.json"] = json.dumps(manifest).encode()
    evil = tmp_path / "evil.skdeep"
    with zipfile.ZipFile(evil, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert set(skdeep.get_untrusted(evil)) == {"os.system", "subprocess.Popen"}
    with pytest.raises(UntrustedContentError, match="never loads"):
        skdeep.load(evil)
    assert not marker.exists()


def lambda_model(meta):
    return keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Lambda(lambda x: x * 2),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def test_a_model_with_a_lambda_layer_fails_at_save_and_writes_nothing(iris, tmp_path):
    X, y = iris
    clf = KerasClassifier(lambda_model, epochs=1).fit(X, y)
    with pytest.raises(NotSavableError, match="Lambda layer"):
        skdeep.save(clf, tmp_path / "lambda.skdeep")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_save_leaves_the_previous_file_intact(fitted, iris, tmp_path):
    path = skdeep.save(fitted, tmp_path / "model.skdeep")
    before = path.read_bytes()
    unsavable = KerasClassifier(lambda meta: mlp(meta), epochs=1).fit(*iris)
    with pytest.raises(NotSavableError, match="lambda"):
        skdeep.save(unsavable, path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "model.skdeep"
    ]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "manifest"], ids=lambda d: d)
def test_a_damaged_file_gets_an_error_naming_it(fitted, tmp_path, damage):
    path = skdeep.save(fitted, tmp_path / "iris.skdeep")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 100 + data[100:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("skdeep.json", "{not json")
    with pytest.raises(DamagedFileError, match="iris.skdeep.*truncated or corrupted"):
        skdeep.load(path)


def test_a_file_from_a_newer_format_asks_for_an_upgrade(fitted, tmp_path):
    path = skdeep.save(fitted, tmp_path / "iris.skdeep")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("skdeep.json"))
        members = {n: archive.read(n) for n in archive.namelist() if n != "skdeep.json"}
    manifest["format_version"] = skdeep.serialization.FORMAT_VERSION + 1
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("skdeep.json", json.dumps(manifest))
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="Upgrade skdeep"):
        skdeep.load(path)


def test_a_file_saved_by_skdeep_0_1_still_loads_with_the_same_predictions():
    """tests/data was written by skdeep 0.1.0 on TensorFlow; it must load on every backend.

    Keras cannot read a model written by a newer Keras: with an older one
    (the oldest-versions CI step) the error says so and what to do.
    """
    X = np.load(DATA / "iris-rows.npy")
    with zipfile.ZipFile(DATA / "iris-0.1.0.skdeep") as archive:
        writer = json.loads(archive.read("skdeep.json"))["versions"]["keras"]
    if Version(keras.__version__) < Version(writer):
        with pytest.raises(ValueError, match=f"(?s)written by Keras {writer}.*Upgrade Keras"):
            skdeep.load(DATA / "iris-0.1.0.skdeep")
        return
    loaded = skdeep.load(DATA / "iris-0.1.0.skdeep")
    np.testing.assert_allclose(
        loaded.predict_proba(X), np.load(DATA / "iris-0.1.0-proba.npy"), rtol=1e-5, atol=1e-6
    )
    assert list(loaded.classes_) == ["setosa", "versicolor", "virginica"]


_WRITER = """
import os, sys, numpy as np
from sklearn.datasets import load_iris
import skdeep
from skdeep import KerasClassifier
X, y = load_iris(return_X_y=True)
clf = KerasClassifier("mlp", hidden_layer_sizes=(256, 256), epochs=1).fit(X, y)
print("ready", flush=True)
while True:
    skdeep.save(clf, sys.argv[1])
"""


def test_killing_a_writing_process_never_leaves_a_broken_file(fitted, tmp_path):
    path = skdeep.save(fitted, tmp_path / "model.skdeep")
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    process = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        for _ in range(3):
            process.poll()
            os.kill(process.pid, 0)  # still writing
            skdeep.load(path)  # whatever the moment, the file is whole
    finally:
        process.kill()
        process.wait()
    # Killed mid-write: a temporary file may be left beside it, the file itself is whole.
    assert skdeep.load(path).predict(np.zeros((1, 4))).shape == (1,)


def _mount_tiny_filesystem(folder):
    folder.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    return result.returncode == 0


def test_a_full_disk_fails_the_save_and_keeps_the_previous_file(fitted, tmp_path):
    folder = tmp_path / "tiny"
    if not _mount_tiny_filesystem(folder):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission)")
    try:
        small = KerasClassifier("mlp", hidden_layer_sizes=(1,), epochs=1).fit(
            np.zeros((4, 2)), [0, 1, 0, 1]
        )
        path = skdeep.save(small, folder / "model.skdeep")
        before = path.read_bytes()
        big = KerasClassifier("mlp", hidden_layer_sizes=(512, 512), epochs=1).fit(
            np.zeros((4, 2)), [0, 1, 0, 1]
        )
        with pytest.raises(OSError):
            skdeep.save(big, path)
        assert path.read_bytes() == before and [p.name for p in folder.iterdir()] == [
            "model.skdeep"
        ]
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_the_command_saves_a_safe_file_when_asked(tmp_path):
    from skdeep.cli import main

    path = tmp_path / "iris.skdeep"
    assert main(["run", "iris", "--cv", "2", "--epochs", "2", "--save", str(path)]) == 0
    pipeline = skdeep.load(path)
    assert pipeline.predict([[5.1, 3.5, 1.4, 0.2]]).shape == (1,)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a TensorFlow SavedModel")
def test_an_export_for_serving_predicts_as_the_estimator(iris_strings, tmp_path):
    import tensorflow as tf

    X, y = iris_strings
    pipe = make_pipeline(
        StandardScaler(), KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=3, random_state=0)
    ).fit(X, y)
    description = skdeep.export(pipe, tmp_path / "served")
    assert description["classes"] == ["setosa", "versicolor", "virginica"]
    assert description["preprocessing"] == ["standardscaler: StandardScaler"]
    served = tf.saved_model.load(str(tmp_path / "served"))
    rows = pipe[0].transform(X).astype("float32")
    np.testing.assert_allclose(
        served.serve(rows).numpy(), pipe.predict_proba(X), rtol=1e-5, atol=1e-6
    )
    sidecar = json.loads((tmp_path / "served" / "skdeep-serving.json").read_text())
    assert sidecar == description
    skdeep.export(pipe, tmp_path / "served")  # an existing export is replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["served"]
