"""Throughput: training samples per second, skdeep against raw Keras, on larger data.

One epoch of the CNN on MNIST-sized data (60,000 x 28 x 28 x 1) and of the
LSTM on IMDB-shaped token ids (sequences of 500; 2,500 of them by default,
a tenth of IMDB's training set, to keep a CPU run short: throughput per
sample does not depend on the count). Both sides train the same model from
the same builder, as in ``fit_overhead``.

Run: ``python -m benchmarks.throughput`` (``--smoke``: tiny data).
"""

from functools import partial

import numpy as np

from benchmarks._common import header, paired_seconds, parse_args
from benchmarks.fit_overhead import raw_keras_fit, skdeep_fit


def cases(n_images, n_texts):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(n_images, 28, 28, 1)).astype("float32") / 255.0
    digits = rng.randint(0, 10, size=n_images)
    tokens = rng.randint(1, 5000, size=(n_texts, 500))
    sentiment = rng.randint(0, 2, size=n_texts)
    return [
        (
            f"CNN 32-64, {n_images:,} MNIST-sized images",
            images,
            digits,
            {"model": "cnn", "filters": (32, 64), "dense_units": (128,)},
        ),
        (
            f"LSTM 100, {n_texts:,} x 500 token ids",
            tokens,
            sentiment,
            {"model": "rnn", "units": (100,), "vocabulary_size": 5000, "embedding_dim": 32},
        ),
    ]


def main(argv=None):
    args = parse_args(
        __doc__, argv, images="images (default 60000)", texts="sequences (default 2500)"
    )
    n_images = args.images or (256 if args.smoke else 60_000)
    n_texts = args.texts or (64 if args.smoke else 2_500)
    header("throughput: training samples per second in one epoch, batch 32")
    print(f"{'':40s}{'keras':>12s}{'skdeep':>12s}{'ratio':>8s}")
    for title, X, y, params in cases(n_images, n_texts):
        raw, ours = paired_seconds(
            partial(raw_keras_fit, X, y, params, 1, 32),
            partial(skdeep_fit, X, y, params, 1, 32),
            repetitions=1 if args.smoke else 5,
            warm_up=not args.smoke,
        )
        print(f"{title:40s}{len(X) / raw:9.0f} /s{len(X) / ours:9.0f} /s{raw / ours:8.3f}")
    print("(samples per second; ratio = skdeep / keras, higher is better, goal >= 0.97)")


if __name__ == "__main__":
    main()
