"""skdeep.load against files built by hand, as an attacker builds them.

Every file here is assembled member by member with ``zipfile`` (and skops
or pickle where an attacker would use them), not only written by
``skdeep.save``. What must hold: no code from the file runs, nothing is
imported to decide trust, no parameter from the file makes a later fit
write a user's file or talk to a server, a bomb or an inconsistent file is a
``DamagedFileError`` naming it, and a save never goes through a link or into
a device.
"""

import io
import json
import os
import pickle
import subprocess
import sys
import textwrap
import warnings
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest
import skops.io
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

import skdeep
from skdeep import KerasClassifier, KerasRegressor
from skdeep._fit.persistence import PickledByValue, PickledModel
from skdeep.serialization import (
    ClearedParameterWarning,
    DamagedFileError,
    UntrustedContentError,
)

ROOT = Path(__file__).parents[1]


def _members(path):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members.pop("skdeep.json")), members


def _write(path, manifest, members, compression=zipfile.ZIP_DEFLATED):
    """A skdeep file assembled by hand."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr(
            "skdeep.json", json.dumps(manifest) if not isinstance(manifest, bytes) else manifest
        )
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _manifest(root):
    return {"format": "skdeep", "format_version": 1, "versions": {}, "root": root}


class Payload:
    """What an attacker pickles: unpickling it creates a file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture(scope="module")
def fitted(iris):
    X, y = iris
    return KerasClassifier("mlp", hidden_layer_sizes=(4,), epochs=1, random_state=0).fit(X, y)


@pytest.fixture
def saved(fitted, tmp_path):
    return skdeep.save(fitted, tmp_path / "good.skdeep")


# ---------------------------------------------------------------------------
# 1-4: code from the file


def test_a_pickle_payload_in_a_skops_member_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    carrier = PickledByValue.__new__(PickledByValue)
    carrier.payload = pickle.dumps(Payload(marker))
    clf = KerasClassifier("mlp", epochs=1)
    clf.model = carrier  # unpickled by the estimator's __setstate__ when skops loads it
    path = _write(
        tmp_path / "evil.skdeep",
        _manifest({"__skops__": "parts/0.skops"}),
        {"parts/0.skops": skops.io.dumps(clf)},
    )
    untrusted = skdeep.get_untrusted(path)
    assert "skdeep._fit.persistence.PickledByValue" in untrusted
    with pytest.raises(UntrustedContentError, match="never loads") as error:
        skdeep.load(path)
    assert "trusted=" not in str(error.value)  # never suggests trusting what unpickles
    with pytest.raises(UntrustedContentError, match="never loads"):
        skdeep.load(path, trusted=untrusted)  # not even when the caller says so
    assert not marker.exists()


def test_a_pickled_model_in_a_skops_member_is_refused(fitted, tmp_path):
    clf = KerasClassifier("mlp", epochs=1)
    clf.model = PickledModel(fitted.model_)
    path = _write(
        tmp_path / "evil.skdeep",
        _manifest({"__skops__": "parts/0.skops"}),
        {"parts/0.skops": skops.io.dumps(clf)},
    )
    with pytest.raises(UntrustedContentError, match="never loads"):
        skdeep.load(path)


_IMPORTS = """
import json, sys
import skdeep
path = sys.argv[1]
found = {"untrusted": skdeep.get_untrusted(path)}
try:
    skdeep.load(path)
except Exception as error:
    found["error"] = type(error).__name__
found["imported"] = sorted(m for m in ("this", "antigravity", "helpers") if m in sys.modules)
print(json.dumps(found))
"""


def test_deciding_trust_imports_nothing_the_file_names(saved, tmp_path):
    manifest, members = _members(saved)
    state = manifest["root"]["state"]
    state["model"] = {"__name__": "this.s"}
    state["loss"] = {"__name__": "antigravity.geohash"}
    state["callbacks"] = {"__callback__": "helpers.X", "arguments": {}}
    path = _write(tmp_path / "names.skdeep", manifest, members)
    (tmp_path / "helpers.py").write_text(f"open({str(tmp_path / 'imported')!r}, 'w')\nX = 1\n")
    (tmp_path / "run.py").write_text(_IMPORTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BROWSER": "false"}
    run = subprocess.run(
        [sys.executable, "run.py", str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found == {
        "untrusted": ["antigravity.geohash", "helpers.X", "this.s"],
        "error": "UntrustedContentError",
        "imported": [],
    }
    assert "The Zen of Python" not in run.stdout and not (tmp_path / "imported").exists()


def test_a_pipeline_around_a_regressor_loads_with_no_trusted(iris, tmp_path):
    X, y = iris
    pipe = make_pipeline(
        StandardScaler(),
        TransformedTargetRegressor(
            KerasRegressor("mlp", epochs=2, random_state=0), transformer=StandardScaler()
        ),
    ).fit(X, X[:, 0])
    path = skdeep.save(pipe, tmp_path / "pipe.skdeep")
    assert skdeep.get_untrusted(path) == []
    np.testing.assert_allclose(skdeep.load(path).predict(X), pipe.predict(X), rtol=1e-6)
    # The same file with its model archive swapped for a pickle payload.
    manifest, members = _members(path)
    marker = tmp_path / "pwned"
    (model,) = [name for name in members if name.endswith(".keras")]
    members[model] = pickle.dumps(Payload(marker))
    with pytest.raises(DamagedFileError, match="pipe.skdeep"):
        skdeep.load(_write(path, manifest, members))
    assert not marker.exists()


def test_a_standard_library_callable_in_a_scikit_learn_part_is_untrusted(iris, tmp_path):
    X, y = iris
    import multiprocessing.connection

    transformer = FunctionTransformer(func=np.tanh).fit(X)
    pipe = make_pipeline(transformer, KerasRegressor("mlp", epochs=1)).fit(X, X[:, 0])
    path = skdeep.save(pipe, tmp_path / "pipe.skdeep")
    assert skdeep.get_untrusted(path) == []  # a NumPy ufunc: harmless
    # An attacker edits the skops member to name another function.
    manifest, members = _members(path)
    (part,) = [name for name in members if name.endswith(".skops")]
    inner = zipfile.ZipFile(io.BytesIO(members[part]))
    files = {name: inner.read(name) for name in inner.namelist()}
    schema = json.loads(files["schema.json"])
    func = schema["content"]["content"]["func"]
    assert func["__loader__"] == "FunctionNode"
    func.update({"__module__": "multiprocessing.connection", "__class__": "Client"})
    files["schema.json"] = json.dumps(schema).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rebuilt:
        for name, data in files.items():
            rebuilt.writestr(name, data)
    members[part] = buffer.getvalue()
    path = _write(tmp_path / "client.skdeep", manifest, members)
    assert "multiprocessing.connection.Client" in skdeep.get_untrusted(path)
    with pytest.raises(UntrustedContentError, match=r"multiprocessing\.connection\.Client"):
        skdeep.load(path)
    loaded = skdeep.load(path, trusted=["multiprocessing.connection.Client", "numpy.tanh"])
    assert loaded.steps[0][1].func is multiprocessing.connection.Client  # the caller's choice


# ---------------------------------------------------------------------------
# 5: files, folders and servers named by a loaded file


@pytest.mark.parametrize(
    ("callback", "arguments"),
    [
        ("keras.callbacks.BackupAndRestore", {"backup_dir": "USER/folder"}),
        ("keras.callbacks.CSVLogger", {"filename": "USER/notes.txt"}),
        ("keras.callbacks.RemoteMonitor", {"root": "http://attacker.example:9000"}),
        ("keras.src.callbacks.csv_logger.CSVLogger", {"filename": "USER/notes.txt"}),
        ("keras.callbacks.TensorBoard", {"log_dir": "USER/folder"}),
    ],
)
def test_callbacks_that_write_files_or_call_servers_need_the_callers_trust(
    saved, tmp_path, callback, arguments
):
    manifest, members = _members(saved)
    arguments = {k: v.replace("USER", str(tmp_path)) for k, v in arguments.items()}
    manifest["root"]["state"]["callbacks"] = [{"__callback__": callback, "arguments": arguments}]
    path = _write(tmp_path / "cb.skdeep", manifest, members)
    assert skdeep.get_untrusted(path) == [callback]
    with pytest.raises(UntrustedContentError, match=rf"{callback}.*trusted="):
        skdeep.load(path)


def test_parameters_naming_the_users_files_come_back_cleared(saved, iris, tmp_path):
    X, y = iris
    user_file, user_folder = tmp_path / "precious.keras", tmp_path / "folder"
    user_file.write_text("mine")
    user_folder.mkdir()
    (user_folder / "notes").write_text("mine")
    manifest, members = _members(saved)
    manifest["root"]["state"].update(checkpoint_path=str(user_file), backup_dir=str(user_folder))
    path = _write(tmp_path / "paths.skdeep", manifest, members)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = skdeep.load(path)
    cleared = [w for w in caught if issubclass(w.category, ClearedParameterWarning)]
    assert len(cleared) == 2 and "precious.keras" in str(cleared[0].message)
    assert loaded.checkpoint_path is None and loaded.backup_dir is None
    loaded.set_params(epochs=1).fit(X, y)
    assert user_file.read_text() == "mine" and os.listdir(user_folder) == ["notes"]


def test_a_keras_object_entry_must_name_a_modelling_object(saved, tmp_path):
    manifest, members = _members(saved)
    manifest["root"]["state"]["optimizer"] = {
        "__keras_object__": {
            "module": "keras.callbacks",
            "class_name": "RemoteMonitor",
            "config": {"root": "http://attacker.example"},
            "registered_name": None,
        }
    }
    path = _write(tmp_path / "ko.skdeep", manifest, members)
    assert skdeep.get_untrusted(path) == ["keras.callbacks.RemoteMonitor"]
    with pytest.raises(UntrustedContentError, match="RemoteMonitor"):
        skdeep.load(path)


# ---------------------------------------------------------------------------
# 6: bombs


def test_a_member_that_inflates_far_beyond_the_file_is_refused_before_reading(saved, tmp_path):
    manifest, members = _members(saved)
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(100 * 2**20 // 8))  # 100 MiB of zeros: about 100 KiB deflated
    name = manifest["root"]["state"]["classes_"]["__ndarray__"]
    members[name] = buffer.getvalue()
    path = _write(tmp_path / "bomb.skdeep", manifest, members)
    assert path.stat().st_size < 2**20
    with pytest.raises(DamagedFileError, match=rf"bomb.skdeep.*{name}.*declares"):
        skdeep.load(path)


def test_a_manifest_nested_100000_deep_is_damaged(saved, tmp_path):
    _, members = _members(saved)
    deep = (
        b'{"format": "skdeep", "format_version": 1, "root": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )
    with pytest.raises(DamagedFileError, match="deep.skdeep"):
        skdeep.load(_write(tmp_path / "deep.skdeep", deep, members))


def test_a_manifest_nested_past_the_limit_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    value = 1
    for _ in range(200):
        value = [value]
    manifest["root"]["state"]["history_"] = {"loss": value}
    with pytest.raises(DamagedFileError, match="nests values more than"):
        skdeep.load(_write(tmp_path / "nest.skdeep", manifest, members))


def test_an_object_array_declaring_a_huge_shape_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    manifest["root"]["state"]["classes_"] = {"__object_array__": ["a"], "shape": [10**6, 10**6]}
    with pytest.raises(DamagedFileError, match="declares shape"):
        skdeep.load(_write(tmp_path / "shape.skdeep", manifest, members))


def test_an_array_header_declaring_more_than_the_member_holds_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    name = manifest["root"]["state"]["classes_"]["__ndarray__"]
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**9, 10**9)}
    )
    members[name] = b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + b"\x00" * 64
    with pytest.raises(DamagedFileError, match="header declares"):
        skdeep.load(_write(tmp_path / "header.skdeep", manifest, members))


# ---------------------------------------------------------------------------
# 7: consistency and raw errors


def test_classes_pointed_at_another_member_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    state = manifest["root"]["state"]
    state["classes_"] = {"__ndarray__": state["model_"]["__keras_model__"]}
    with pytest.raises(DamagedFileError, match="cls.skdeep"):
        skdeep.load(_write(tmp_path / "cls.skdeep", manifest, members))


def test_classes_edited_to_two_labels_for_a_three_unit_model_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    state = manifest["root"]["state"]
    buffer = io.BytesIO()
    np.save(buffer, np.array([0, 1]))
    members[state["classes_"]["__ndarray__"]] = buffer.getvalue()
    state["n_classes_"] = 2
    with pytest.raises(DamagedFileError, match="two.skdeep.*inconsistent"):
        skdeep.load(_write(tmp_path / "two.skdeep", manifest, members))


def test_input_shape_edited_away_from_the_model_is_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    state = manifest["root"]["state"]
    state.update(
        n_features_in_=7,
        input_shape_={"__tuple__": [7]},
        X_shape_={"__tuple__": [150, 7]},
    )
    with pytest.raises(DamagedFileError, match="takes samples of shape"):
        skdeep.load(_write(tmp_path / "shape.skdeep", manifest, members))


@pytest.mark.parametrize("version", ["1", None, True, -1, 1.0])
def test_a_format_version_that_is_not_a_version_number_is_damaged(saved, tmp_path, version):
    manifest, members = _members(saved)
    if version is None:
        del manifest["format_version"]
    else:
        manifest["format_version"] = version
    with pytest.raises(DamagedFileError, match="format_version"):
        skdeep.load(_write(tmp_path / "version.skdeep", manifest, members))


@pytest.mark.parametrize("kind", ["npy", "keras", "skops"])
def test_a_garbage_member_with_a_valid_crc_is_damaged(saved, tmp_path, kind):
    manifest, members = _members(saved)
    (name,) = [n for n in members if n.endswith("." + kind)][:1]
    members[name] = os.urandom(500)
    with pytest.raises(DamagedFileError, match="garbage.skdeep"):
        skdeep.load(_write(tmp_path / "garbage.skdeep", manifest, members))


def test_bit_flips_anywhere_give_damaged_file_error_or_load_the_same(fitted, iris, saved, tmp_path):
    X, _ = iris
    data = bytearray(saved.read_bytes())
    rng = np.random.default_rng(0)
    for position in rng.integers(0, len(data), 40):
        flipped = bytearray(data)
        flipped[position] ^= 0x10
        path = tmp_path / "flip.skdeep"
        path.write_bytes(bytes(flipped))
        try:
            loaded = skdeep.load(path)
        except (DamagedFileError, UntrustedContentError):
            continue
        np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))


def test_members_the_manifest_never_uses_make_the_file_damaged(saved, tmp_path):
    manifest, members = _members(saved)
    members["parts/99.npy"] = b"extra"
    with pytest.raises(DamagedFileError, match="never uses"):
        skdeep.load(_write(tmp_path / "extra.skdeep", manifest, members))


# ---------------------------------------------------------------------------
# 8: where a save writes


def test_a_save_through_a_symbolic_link_updates_the_file_it_points_to(fitted, tmp_path):
    real = skdeep.save(fitted, tmp_path / "real.skdeep")
    link = tmp_path / "link.skdeep"
    link.symlink_to(real)
    before = real.read_bytes()
    other = KerasClassifier("mlp", hidden_layer_sizes=(2,), epochs=1).fit(
        np.zeros((4, 4)), [0, 1, 0, 1]
    )
    skdeep.save(other, link)
    assert link.is_symlink() and real.read_bytes() != before
    assert skdeep.load(link).model_.count_params() == other.model_.count_params()


def test_a_save_to_a_hard_linked_file_is_refused_and_changes_nothing(fitted, tmp_path):
    real = skdeep.save(fitted, tmp_path / "real.skdeep")
    os.link(real, tmp_path / "other-name.skdeep")
    before = real.read_bytes()
    with pytest.raises(ValueError, match="2 hard links"):
        skdeep.save(fitted, real)
    assert real.read_bytes() == before


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_save_to_a_device_or_a_fifo_is_refused_without_blocking(fitted, tmp_path, kind):
    if kind == "device":
        target, expected = "/dev/null", "character device"
    else:
        target, expected = tmp_path / "pipe", "FIFO"
        os.mkfifo(target)
    with pytest.raises(ValueError, match=expected):
        skdeep.save(fitted, target)


def test_a_killed_saves_temporary_file_is_removed_by_the_next_save(fitted, tmp_path):
    path = tmp_path / "model.skdeep"
    script = tmp_path / "kill.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, sys
            sys.path.insert(0, {str(ROOT)!r})
            import numpy as np, skdeep
            from skdeep import KerasClassifier
            clf = KerasClassifier("mlp", epochs=1).fit(np.zeros((4, 2)), [0, 1, 0, 1])
            os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
            skdeep.save(clf, {str(path)!r})
            """
        )
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=300)
    assert run.returncode == -9
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".model.skdeep.")
    skdeep.save(fitted, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kill.py", "model.skdeep"]


def _with_model_config(path, edit):
    """The file's Keras model with its config.json passed through ``edit``."""
    manifest, members = _members(path)
    (name,) = [member for member in members if member.endswith(".keras")]
    inner = zipfile.ZipFile(io.BytesIO(members[name]))
    parts = {member: inner.read(member) for member in inner.namelist()}
    parts["config.json"] = json.dumps(edit(json.loads(parts["config.json"]))).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rebuilt:
        for member, data in parts.items():
            rebuilt.writestr(member, data)
    members[name] = buffer.getvalue()
    return manifest, members


def test_a_model_from_a_newer_keras_that_this_one_cannot_read_says_to_upgrade_keras(iris, tmp_path):
    X, y = iris
    path = skdeep.save(KerasClassifier("mlp", epochs=1).fit(X, y), tmp_path / "clf.skdeep")

    def from_the_future(config):  # a newer Keras' layer option this one does not know
        config["config"]["layers"][-1]["config"]["option_of_keras_99"] = True
        return config

    manifest, members = _with_model_config(path, from_the_future)
    manifest["versions"]["keras"] = "99.0.0"
    newer = _write(tmp_path / "newer.skdeep", manifest, members)
    with pytest.raises(ValueError, match=r"(?s)written by Keras 99\.0\.0.*Upgrade Keras") as raised:
        skdeep.load(newer)
    assert not isinstance(raised.value, DamagedFileError)
    # The same model claiming this Keras wrote it is a damaged file.
    manifest["versions"]["keras"] = keras.__version__
    with pytest.raises(DamagedFileError, match="cannot be loaded"):
        skdeep.load(_write(tmp_path / "same.skdeep", manifest, members))
