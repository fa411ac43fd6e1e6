"""Memory of a fit on a sparse matrix whose dense copy would not fit in memory.

A random CSR matrix of 100,000 rows x 250,000 columns with 10 nonzeros per
row (about 12 MB stored; 100 GB as a dense float32 array) trains a
KerasClassifier MLP for one epoch and predicts, in a fresh process. The
table gives the process's peak resident memory against the matrix's
stored and dense sizes: skdeep densifies one batch at a time.

Run: ``python -m benchmarks.sparse_memory`` (``--smoke``: 5,000 x 50,000).
"""

import json
import subprocess
import sys

from benchmarks._common import header, parse_args

_CHILD = """
import json, resource, sys
import numpy as np
from scipy import sparse
from skdeep import KerasClassifier

rows, columns = int(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
indices = rng.integers(0, columns, size=rows * 10)
X = sparse.csr_matrix(
    (rng.random(rows * 10, dtype=np.float32), indices, np.arange(0, rows * 10 + 1, 10)),
    shape=(rows, columns),
)
y = (indices.reshape(rows, 10) < columns // 2).sum(axis=1) > 5
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
clf = KerasClassifier("mlp", hidden_layer_sizes=(16,), epochs=1, batch_size=64, random_state=0)
clf.fit(X, y)
clf.predict(X[:10000])
stored = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
print(json.dumps({
    "stored": stored,
    "dense": rows * columns * 4,
    "before": before * 1024,
    "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "accuracy": float(clf.score(X[:10000], y[:10000])),
}))
"""


def main(argv=None):
    args = parse_args(__doc__, argv)
    rows, columns = (5_000, 50_000) if args.smoke else (100_000, 250_000)
    header(f"sparse fit memory: {rows:,} x {columns:,}, 10 nonzeros per row, one epoch")
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(rows), str(columns)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        print(done.stderr[-2000:])
        raise SystemExit(done.returncode)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    mb = 1024**2
    print(f"{'matrix as stored (CSR)':36s}{report['stored'] / mb:12,.1f} MB")
    print(f"{'the same matrix dense (float32)':36s}{report['dense'] / mb:12,.0f} MB")
    print(f"{'process before the fit':36s}{report['before'] / mb:12,.0f} MB")
    print(f"{'process peak, fit + predict':36s}{report['peak'] / mb:12,.0f} MB")
    print(f"peak / dense size: {report['peak'] / report['dense']:.4f}")


if __name__ == "__main__":
    main()
