"""Full-data loaders: Keras-cache files are found, checked and read; never downloaded or deleted.

The real MNIST, CIFAR-10, IMDB and Reuters files cannot be fetched here, so
the reading code runs on files written in their published formats, with the
expected hash pointed at them. Fashion-MNIST is real: Debian ships it.
"""

import gzip
import hashlib
import inspect
import io
import json
import pickle
import tarfile

import numpy as np
import pytest

from skdeep.datasets import (
    DatasetIntegrityError,
    DatasetNotFoundError,
    _files,
    data_home,
    load_bank_marketing,
    load_cifar10,
    load_fashion_mnist,
    load_imdb,
    load_mnist,
    load_reuters,
)
from skdeep.datasets import keras_cache as cache
from tests.debian import fetch_package


@pytest.fixture
def trust(monkeypatch):
    """Point the expected hash of a known file at a file written by the test."""

    def trust(name, path):
        url = _files.KNOWN_FILES[name][1]
        monkeypatch.setitem(_files.KNOWN_FILES, name, (_files.sha256(path), url))

    return trust


def test_data_home_follows_keras_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert data_home() == tmp_path / "datasets"
    assert data_home(tmp_path / "mine") == tmp_path / "mine"


@pytest.mark.parametrize(
    ("loader", "names"),
    [
        (load_mnist, "mnist.npz"),
        (load_fashion_mnist, "train-images-idx3-ubyte.gz"),
        (load_cifar10, "cifar-10-python.tar.gz"),
        (load_imdb, "imdb.npz"),
        (load_reuters, "reuters.npz"),
    ],
)
def test_missing_data_says_where_to_put_it_at_once(loader, names, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "DEBIAN_FASHION_MNIST", tmp_path / "nowhere")
    with pytest.raises(DatasetNotFoundError, match="never downloads") as error:
        loader(data_home=tmp_path)
    assert names in str(error.value) and str(tmp_path) in str(error.value)


def test_a_file_with_the_wrong_hash_is_refused_and_kept(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"half a download")
    with pytest.raises(DatasetIntegrityError, match="left as it is"):
        load_mnist(data_home=tmp_path)
    assert path.read_bytes() == b"half a download"


def test_mnist_subsets_are_read_from_the_npz(tmp_path, trust):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": np.arange(6, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        "y_test": np.arange(4, dtype=np.uint8),
    }
    np.savez(tmp_path / "mnist.npz", **arrays)
    trust("mnist.npz", tmp_path / "mnist.npz")
    train = load_mnist(data_home=tmp_path)
    assert load_mnist(data_home=tmp_path, as_frame=True).data.shape == (6, 784)
    assert train.data.shape == (6, 784) and np.array_equal(train.images, arrays["x_train"])
    X, y = load_mnist(subset="all", data_home=tmp_path, return_X_y=True)
    assert X.shape == (10, 784) and y.tolist() == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3]
    with pytest.raises(ValueError, match="Invalid subset='valid'"):
        load_mnist(subset="valid", data_home=tmp_path)


def _ragged(rows):
    array = np.empty(len(rows), dtype=object)
    array[:] = [list(r) for r in rows]
    return array


def test_imdb_sequences_are_prepared_as_keras_does(tmp_path, trust):
    train = _ragged([[5, 9, 30], [7, 7], [40, 1, 2, 3, 4]])
    test = _ragged([[6], [9, 9, 9]])
    np.savez(tmp_path / "imdb.npz", x_train=train, y_train=[1, 0, 1], x_test=test, y_test=[0, 1])
    (tmp_path / "imdb_word_index.json").write_text(json.dumps({"the": 1, "film": 2}))
    trust("imdb.npz", tmp_path / "imdb.npz")
    bunch = load_imdb(data_home=tmp_path, num_words=12, seed=113)
    assert bunch.word_index == {"the": 1, "film": 2}
    assert len(bunch.data) == 3 and sorted(bunch.target.tolist()) == [0, 1, 1]
    for sequence in bunch.data:
        assert sequence[0] == 1  # start_char
        assert all(w < 12 for w in sequence)
    ids = sorted(map(tuple, bunch.data))
    assert (1, 8, 2, 2) in ids  # 5+3=8 kept; 9+3=12 and 30+3 -> oov 2
    X, _ = load_imdb(data_home=tmp_path, subset="test", maxlen=4, return_X_y=True)
    assert [list(s) for s in X] == [[1, 9]]  # sequences of maxlen tokens or more dropped


def test_reuters_split_follows_test_split(tmp_path, trust):
    xs = _ragged([[i, i + 1] for i in range(10)])
    np.savez(tmp_path / "reuters.npz", x=xs, y=np.arange(10) % 3)
    trust("reuters.npz", tmp_path / "reuters.npz")
    X_train, y_train = load_reuters(data_home=tmp_path, test_split=0.3, return_X_y=True)
    X_test, _ = load_reuters(data_home=tmp_path, subset="test", test_split=0.3, return_X_y=True)
    assert len(X_train) == 7 and len(X_test) == 3
    assert set(y_train) <= {0, 1, 2}


def _cifar_batch(n, label):
    batch = {b"data": np.full((n, 3072), label, dtype=np.uint8), b"labels": [label] * n}
    return pickle.dumps(batch, protocol=4)


def _write_cifar(folder):
    folder.mkdir(parents=True)
    for i in range(1, 6):
        (folder / f"data_batch_{i}").write_bytes(_cifar_batch(2, i))
    (folder / "test_batch").write_bytes(_cifar_batch(3, 0))


def test_cifar10_is_read_from_the_keras_archive(tmp_path, trust):
    _write_cifar(tmp_path / "src" / "cifar-10-batches-py")
    archive = tmp_path / "cifar-10-batches-py-target_archive"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "src" / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    trust("cifar-10-python.tar.gz", archive)
    bunch = load_cifar10(data_home=tmp_path)
    assert bunch.images.shape == (10, 32, 32, 3) and bunch.data.shape == (10, 3072)
    assert bunch.target.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert bunch.target_names[3] == "cat"


def test_cifar10_from_an_extracted_folder_refuses_foreign_pickles(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    _write_cifar(folder)
    assert load_cifar10(subset="test", data_home=tmp_path).images.shape == (3, 32, 32, 3)
    (folder / "test_batch").write_bytes(pickle.dumps(io.StringIO("not data")))
    with pytest.raises(pickle.UnpicklingError, match="refusing to load"):
        load_cifar10(subset="test", data_home=tmp_path)


def test_fashion_mnist_with_wrong_content_is_refused_and_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "DEBIAN_FASHION_MNIST", tmp_path / "nowhere")
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for name in cache._FASHION_FILES:
        with gzip.open(folder / f"{name}.gz", "wb") as f:
            f.write(b"\0" * 64)
    with pytest.raises(DatasetIntegrityError, match="content hash"):
        load_fashion_mnist(data_home=tmp_path)
    assert all(path.stat().st_size > 0 for path in folder.iterdir())


@pytest.mark.slow
def test_real_fashion_mnist_from_the_debian_package(tmp_path_factory, monkeypatch):
    root = fetch_package("dataset-fashion-mnist", tmp_path_factory.mktemp("fashion"))
    if root is None:
        pytest.skip("apt-get cannot fetch dataset-fashion-mnist on this machine")
    monkeypatch.setattr(cache, "DEBIAN_FASHION_MNIST", root / "usr/share/datasets/fashion-mnist")
    test = load_fashion_mnist(subset="test", data_home=tmp_path_factory.mktemp("empty"))
    assert test.images.shape == (10000, 28, 28)
    assert np.bincount(test.target).tolist() == [1000] * 10
    assert test.target_names[9] == "Ankle boot"


BANK_CSV = """\
"age";"job";"marital";"balance";"y"
58;"management";"married";2143;"no"
44;"technician";"single";29;"yes"
33;"entrepreneur";"married";2;"no"
"""


def test_bank_marketing_reads_the_uci_csv_without_changing_it(tmp_path):
    path = tmp_path / "bank-full.csv"
    path.write_text(BANK_CSV)
    X, y = load_bank_marketing(path, return_X_y=True)
    assert list(X.columns) == ["age", "job", "marital", "balance"]
    assert y.tolist() == ["no", "yes", "no"] and X["age"].dtype.kind == "i"
    assert path.read_text() == BANK_CSV


def test_bank_marketing_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match="Download bank.zip"):
        load_bank_marketing(tmp_path / "missing.csv")
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="expected a 'y' target"):
        load_bank_marketing(other)


def _random_corpus(rng, n):
    return _ragged([rng.integers(1, 60, rng.integers(1, 12)).tolist() for _ in range(n)])


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"num_words": 30, "skip_top": 2},
        {"maxlen": 8, "oov_char": None},
        {"start_char": None, "index_from": 0, "seed": 7},
    ],
)
def test_imdb_and_reuters_match_keras_own_preparation(options, tmp_path, trust, monkeypatch):
    """Keras' loaders run on the same file (their download step pointed at it)."""
    from keras.src.datasets import imdb as keras_imdb
    from keras.src.datasets import reuters as keras_reuters

    rng = np.random.default_rng(0)
    imdb_path, reuters_path = tmp_path / "imdb.npz", tmp_path / "reuters.npz"
    np.savez(
        imdb_path,
        x_train=_random_corpus(rng, 40),
        y_train=rng.integers(0, 2, 40),
        x_test=_random_corpus(rng, 30),
        y_test=rng.integers(0, 2, 30),
    )
    np.savez(reuters_path, x=_random_corpus(rng, 50), y=rng.integers(0, 5, 50))
    trust("imdb.npz", imdb_path)
    trust("reuters.npz", reuters_path)
    monkeypatch.setattr(keras_imdb, "get_file", lambda **kwargs: str(imdb_path))
    monkeypatch.setattr(keras_reuters, "get_file", lambda **kwargs: str(reuters_path))

    for ours, theirs in (
        (load_imdb, keras_imdb.load_data),
        (load_reuters, keras_reuters.load_data),
    ):
        (x_train, y_train), (x_test, y_test) = theirs(**options)
        for subset, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
            X, target = ours(subset=subset, data_home=tmp_path, return_X_y=True, **options)
            assert [list(s) for s in X] == [list(s) for s in x]
            assert target.tolist() == np.asarray(y).tolist()


def _fashion_files(folder, monkeypatch):
    """Fashion-MNIST files in the idx format, their content hashes trusted."""
    folder.mkdir()
    labels = np.arange(4, dtype=np.uint8)
    contents = {
        "train-images-idx3-ubyte": b"\0" * 16 + bytes(4 * 784),
        "train-labels-idx1-ubyte": b"\0" * 8 + labels.tobytes(),
        "t10k-images-idx3-ubyte": b"\0" * 16 + bytes(2 * 784),
        "t10k-labels-idx1-ubyte": b"\0" * 8 + labels[:2].tobytes(),
    }
    for name, raw in contents.items():
        with gzip.open(folder / f"{name}.gz", "wb") as f:
            f.write(raw)
        monkeypatch.setitem(cache._FASHION_FILES, name, hashlib.sha256(raw).hexdigest())


def _every_loader(tmp_path, trust, monkeypatch):
    """Each of ``skdeep.datasets``' loaders called as a user calls it, by name."""
    from skdeep import datasets

    rng = np.random.default_rng(0)
    np.savez(
        tmp_path / "mnist.npz",
        **{f"{k}_{s}": rng.integers(0, 10, (3, 28, 28) if k == "x" else 3).astype(np.uint8)
           for k in "xy" for s in ("train", "test")},
    )  # fmt: skip
    trust("mnist.npz", tmp_path / "mnist.npz")
    _write_cifar(tmp_path / "cifar-10-batches-py")
    _fashion_files(tmp_path / "fashion-mnist", monkeypatch)
    np.savez(tmp_path / "imdb.npz", x_train=_random_corpus(rng, 6), y_train=[0, 1] * 3,
             x_test=_random_corpus(rng, 4), y_test=[1, 0] * 2)  # fmt: skip
    (tmp_path / "imdb_word_index.json").write_text("{}")
    trust("imdb.npz", tmp_path / "imdb.npz")
    np.savez(tmp_path / "reuters.npz", x=_random_corpus(rng, 10), y=np.arange(10) % 3)
    trust("reuters.npz", tmp_path / "reuters.npz")
    (tmp_path / "bank-full.csv").write_text(BANK_CSV)
    home = {"data_home": tmp_path}
    calls = {
        "load_mnist": home,
        "load_fashion_mnist": home,
        "load_cifar10": home,
        "load_imdb": home,
        "load_reuters": home,
        "load_bank_marketing": {"path": tmp_path / "bank-full.csv"},
    }
    for name in datasets.__all__:
        loader = getattr(datasets, name)
        if name.startswith("make_"):
            yield name, loader(40)
        elif name.startswith("load_") and name != "load_airline":
            for as_frame in (False, True):
                if "as_frame" in inspect.signature(loader).parameters:
                    yield (
                        f"{name}(as_frame={as_frame})",
                        loader(return_X_y=True, as_frame=as_frame, **calls.get(name, {})),
                    )
                else:
                    yield name, loader(return_X_y=True, **calls.get(name, {}))
                    break


def test_every_loaders_target_is_a_type_scikit_learn_recognises(tmp_path, trust, monkeypatch):
    """load_boston's target was an object array of numbers: 'unknown' to scikit-learn."""
    from sklearn.utils.multiclass import type_of_target

    seen = {}
    for name, (_, y) in _every_loader(tmp_path, trust, monkeypatch):
        seen[name] = type_of_target(y)
        assert np.asarray(y).dtype.kind in "iufU" or all(isinstance(v, str) for v in y), name
    assert "unknown" not in seen.values(), seen
    assert seen["load_boston(as_frame=False)"] == "continuous"
    assert seen["load_pima(as_frame=False)"] == "binary"
    assert seen["load_fashion_mnist(as_frame=True)"] == "multiclass"
    assert len(seen) >= 30, sorted(seen)
