"""Helpers the benchmark scripts share: timing, tables, the peers, small data."""

import argparse
import gc
import os
import statistics
import time
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402


def parse_args(doc, argv, **extra):
    """``--smoke`` (tiny data, one repetition: what CI runs) plus ``extra`` flags."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one repetition, tiny data")
    for name, help_text in extra.items():
        parser.add_argument(f"--{name}", type=int, default=None, help=help_text)
    return parser.parse_args(argv)


def timed(function, collect=True):
    """Wall-clock seconds of one ``function()`` call, garbage collected before.

    A full collection in a process that has imported TensorFlow takes about
    0.17 s, and Python runs one when enough objects have survived since the
    last: which contender's timing it lands in is chance. What decides that
    chance differs between contenders: skdeep frees each fit's traced graphs,
    raw Keras keeps them (the ``memory`` benchmark), and Python collects less
    often as the heap grows. Collecting before each timed call, outside the
    timing, gives every contender the same starting point (``timeit`` turns
    the collector off for the same reason). Sub-millisecond timings take the
    median of many calls instead (``collect=False``): a collection before
    each would cost more than the call and cool the caches it measures.
    """
    if collect:
        gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def seconds(function, repetitions=1, warm_up=False, collect=True):
    """Median seconds of ``function()`` over ``repetitions`` calls (see :func:`timed`)."""
    if warm_up:
        function()
    return statistics.median(timed(function, collect) for _ in range(repetitions))


def paired_seconds(first, second, repetitions=1, warm_up=False):
    """Median seconds of two functions timed in alternation.

    Alternating ``first`` and ``second`` exposes both to the same drift of
    a shared machine (other load, frequency changes), so their ratio is
    steadier than that of two separate series.
    """
    if warm_up:
        first()
        second()
    times = ([], [])
    for _ in range(repetitions):
        for function, bucket in zip((first, second), times, strict=True):
            bucket.append(timed(function))
    return statistics.median(times[0]), statistics.median(times[1])


def header(title):
    import platform

    print(f"== {title}")
    print(
        f"keras {keras.__version__}, backend {keras.backend.backend()}, "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}"
    )


def table(rows, reference, unit="s", better="lower"):
    """Print ``(name, value)`` rows with each value's ratio to ``reference``'s.

    A row whose value is a string (a peer that is not installed, say) is
    printed as it is.
    """
    base = dict(rows).get(reference)
    width = max(len(name) for name, _ in rows) + 2
    for name, value in rows:
        if isinstance(value, str):
            print(f"{name:{width}s}{value}")
            continue
        ratio = f"{value / base:6.2f}x" if isinstance(base, float) and base else ""
        print(f"{name:{width}s}{value:12.3f} {unit}  {ratio}")
    print(f"(ratio: value / {reference}; {better} is better)")


def scikeras_classifier():
    """scikeras' KerasClassifier, or the reason it cannot be used here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from scikeras.wrappers import KerasClassifier
    except Exception as error:  # noqa: BLE001  (report, do not hide)
        return f"unavailable: {type(error).__name__}: {error}"
    return KerasClassifier


def keras_wrappers_classifier():
    """keras.wrappers.SKLearnClassifier, or the reason it cannot be used here."""
    try:
        from keras.wrappers import SKLearnClassifier
    except Exception as error:  # noqa: BLE001
        return f"unavailable: {type(error).__name__}: {error}"
    return SKLearnClassifier


def pima_like(n_samples=768, n_features=8, seed=0):
    """The bundled Pima data, standardised (or a random slice of it for other sizes)."""
    from sklearn.preprocessing import StandardScaler

    from skdeep.datasets import load_pima

    X, y = load_pima(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    y = (y == "pos").astype("int64")
    rows = np.random.RandomState(seed).choice(len(X), n_samples, replace=n_samples > len(X))
    return X[rows, :n_features], y[rows]
