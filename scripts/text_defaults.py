"""How the built-in text builders' defaults were chosen: scores on 1,500 real movie reviews.

Downloads Debian's ``python3-pattern`` (``apt-get download``, nothing is
installed; the reviews are for personal and research use and are not
redistributed) and compares configurations of the built-in builders by
5-fold stratified cross-validation, every one with the tutorials' tokenizer
(10,000 words, 500 tokens). The table it prints is in docs/models.md.

Usage: ``python scripts/text_defaults.py [WORKDIR]`` (about 13 minutes on two cores).
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
from sklearn.pipeline import make_pipeline  # noqa: E402

from skdeep import KerasClassifier  # noqa: E402
from skdeep.preprocessing import TextToSequences  # noqa: E402
from tests.real_text import fetch_reviews  # noqa: E402

COMMON = dict(vocabulary_size=10000, embedding_dim=32, epochs=6, random_state=0)
CONFIGURATIONS = {
    "cnn, rmsprop (the old default), flatten + dense 128": dict(
        model="cnn", optimizer="rmsprop", global_pooling=False
    ),
    "cnn, adam, flatten + dense 128": dict(model="cnn", optimizer="adam", global_pooling=False),
    "cnn, adam, global max pooling": dict(model="cnn", global_pooling="max"),
    "cnn, adam, average pooling in the blocks and global": dict(
        model="cnn", pooling="average", global_pooling="average"
    ),
    "cnn, defaults (adam, max pooling in the blocks, global average pooling)": dict(model="cnn"),
    "cnn filters=() (embedding + flatten + dense 128)": dict(
        model="cnn", filters=(), global_pooling=False
    ),
    "cnn filters=(), defaults (average of the embeddings + dense 128)": dict(
        model="cnn", filters=()
    ),
    "rnn, defaults (adam, LSTM 100)": dict(model="rnn"),
}


def main(workdir):
    data = fetch_reviews(workdir)
    if data is None:
        sys.exit("python3-pattern could not be fetched with apt-get download here.")
    texts, y = np.array(data[0], dtype=object), data[1]
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    print(f"{len(texts)} reviews, 5-fold stratified cross-validation, accuracy")
    for name, params in CONFIGURATIONS.items():
        pipeline = make_pipeline(
            TextToSequences(num_words=10000, maxlen=500),
            KerasClassifier(**{**COMMON, **params}),
        )
        start = time.perf_counter()
        scores = cross_val_score(pipeline, texts, y, cv=folds)
        print(
            f"| {name} | {scores.mean():.3f} +/- {scores.std():.3f} | "
            f"{time.perf_counter() - start:.0f} s |",
            flush=True,
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()))
