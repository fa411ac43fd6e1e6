"""Scores of the task pipelines on real data that Debian packages hold (for docs/results.md).

Not part of the tests: it downloads two Debian packages with ``apt-get
download`` (nothing is installed) and trains on the full data, which takes
several minutes on two cores.

- Fashion-MNIST (``dataset-fashion-mnist``, MIT licence): the ``mnist-cnn``
  and ``mnist-mlp`` pipelines on the official 60,000 / 10,000 split.
- Pang & Lee sentence polarity snippets (``python3-pattern``, personal and
  research use, not redistributed): the IMDB pipelines with 5-fold
  stratified cross-validation.

Usage: ``python scripts/real_data_results.py [WORKDIR]``
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402

from skdeep.datasets import keras_cache, load_fashion_mnist  # noqa: E402
from skdeep.tasks import get_task  # noqa: E402
from tests.debian import fetch_package  # noqa: E402
from tests.real_text import fetch_snippets  # noqa: E402


def fashion(workdir):
    root = fetch_package("dataset-fashion-mnist", workdir / "fashion")
    keras_cache.DEBIAN_FASHION_MNIST = root / "usr/share/datasets/fashion-mnist"
    empty = workdir / "empty"
    empty.mkdir(exist_ok=True)
    X, y = load_fashion_mnist(data_home=empty, return_X_y=True)
    X_test, y_test = load_fashion_mnist(subset="test", data_home=empty, return_X_y=True)
    for name in ("mnist-mlp", "mnist-cnn"):
        task = get_task(name)
        start = time.perf_counter()
        score = task.make_pipeline(epochs=task.epochs).fit(X, y).score(X_test, y_test)
        print(
            f"Fashion-MNIST {name}: test accuracy {score:.4f} "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )


def snippets(workdir):
    directory = workdir / "pattern"
    directory.mkdir(exist_ok=True)
    texts, y = fetch_snippets(directory)
    texts = np.array(texts, dtype=object)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for name in ("imdb-mlp", "imdb-cnn", "imdb-lstm", "imdb-cnn-lstm", "imdb-multihot"):
        task = get_task(name)
        options = {"maxlen": 60} if name != "imdb-multihot" else {}
        pipeline = task.make_pipeline(epochs=task.epochs, batch_size=32, **options)
        start = time.perf_counter()
        scores = cross_val_score(pipeline, texts, y, cv=folds)
        print(
            f"Pang & Lee snippets {name}: accuracy {scores.mean():.4f} +/- "
            f"{scores.std():.4f} ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    workdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "fashion").mkdir(exist_ok=True)
    snippets(workdir)
    fashion(workdir)
