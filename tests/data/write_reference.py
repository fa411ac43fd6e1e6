"""Write the reference file that tests/test_saving.py loads with every later version.

Run once per file-format version, from the repository root, on the TensorFlow
backend: ``python tests/data/write_reference.py``. It writes
``iris-<version>.skdeep``, the rows it predicts on and the probabilities
this version predicted; later versions must load the file and predict the
same.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402

import skdeep  # noqa: E402
from skdeep import KerasClassifier  # noqa: E402

HERE = Path(__file__).resolve().parent


def main():
    iris = load_iris()
    X, y = iris.data.astype("float32"), np.asarray(iris.target_names, dtype=object)[iris.target]
    clf = KerasClassifier(
        "mlp", hidden_layer_sizes=(8,), epochs=20, learning_rate=0.05, random_state=0
    ).fit(X, y)
    version = skdeep.__version__
    skdeep.save(clf, HERE / f"iris-{version}.skdeep")
    rows = X[::10]
    np.save(HERE / "iris-rows.npy", rows)
    np.save(HERE / f"iris-{version}-proba.npy", clf.predict_proba(rows))


if __name__ == "__main__":
    main()
