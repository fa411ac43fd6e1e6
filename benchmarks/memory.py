"""Memory: resident memory after 1 and after 50 sequential fits in one process.

This is what a grid search does in each worker: clone, fit, score, drop,
many times. Each contender fits a fresh estimator on Pima-sized data and
keeps only its score; growth is the resident set size after the last fit
minus that after the first.

Run: ``python -m benchmarks.memory`` (``--smoke``: 3 fits). Each contender
runs in its own subprocess, so they do not share a heap.
"""

import json
import subprocess
import sys

from benchmarks._common import header, parse_args

CODE = """
import gc, json, os, sys, warnings
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
warnings.simplefilter("ignore")
from benchmarks._common import pima_like, scikeras_classifier
from benchmarks.training_speed import build
from skdeep import KerasClassifier

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

name, n_fits = sys.argv[1], int(sys.argv[2])
X, y = pima_like()
if name == "skdeep":
    make = lambda: KerasClassifier(model="mlp", hidden_layer_sizes=(12, 8), epochs=2,
                                   batch_size=32, random_state=0)
elif name == "scikeras":
    peer = scikeras_classifier()
    if isinstance(peer, str):
        print(json.dumps({"error": peer})); sys.exit()
    make = lambda: peer(model=lambda: build(8, 2), epochs=2, batch_size=32, verbose=0)
else:
    import keras
    class Raw:
        def fit(self, X, y):
            self.model = build(8, 2); self.model.fit(X, y, epochs=2, batch_size=32, verbose=0)
            return self
        def score(self, X, y):
            return float(((self.model.predict_on_batch(X)[:, 0] > 0.5) == y).mean())
    make = Raw
sizes = []
for i in range(n_fits):
    make().fit(X, y).score(X, y)
    gc.collect()
    if i == 0 or i == n_fits - 1:
        sizes.append(rss_mb())
print(json.dumps({"first": sizes[0], "last": sizes[-1]}))
"""


def main(argv=None):
    args = parse_args(__doc__, argv, fits="number of fits (default 50)")
    n_fits = args.fits or (3 if args.smoke else 50)
    header(f"memory: resident set size after 1 and after {n_fits} fits")
    print(f"{'':14s}{'after 1':>12s}{f'after {n_fits}':>12s}{'growth':>12s}")
    for name in ("skdeep", "keras model.fit", "scikeras"):
        result = subprocess.run(
            [sys.executable, "-c", CODE, name, str(n_fits)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            print(f"{name:14s}failed: {result.stderr.strip().splitlines()[-1:]}")
            continue
        sizes = json.loads(result.stdout.strip().splitlines()[-1])
        if "error" in sizes:
            print(f"{name:14s}{sizes['error']}")
            continue
        growth = sizes["last"] - sizes["first"]
        print(f"{name:14s}{sizes['first']:9.0f} MB{sizes['last']:9.0f} MB{growth:9.0f} MB")
    print("(lower growth is better; the goal is under 100 MB for skdeep)")


if __name__ == "__main__":
    main()
