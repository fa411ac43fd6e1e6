"""Check on a GPU machine that Dask search workers each get their own GPU.

Starts a LocalCluster with one worker per visible GPU (2 workers without
any), runs a small grid search through ``skdeep.parallel.dask_backend``,
then asks every worker which GPUs its framework sees and where its last
model's weights live. On a machine with N GPUs the table shows N workers,
each with a different single GPU; without GPUs it says so and every worker
runs on its CPU share.

Run: ``python -m benchmarks.gpu_pinning``. Not part of ``python -m benchmarks``
(it only says something on a GPU machine). Needs the dask extra.
"""

import os

from sklearn.model_selection import GridSearchCV

from benchmarks._common import header, pima_like
from skdeep import KerasClassifier
from skdeep.parallel import dask_backend, local_devices


def _what_the_worker_sees():
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        gpus = [d.name for d in tf.config.list_physical_devices("GPU")]
        placed = keras.Variable(0.0).value.device
    else:
        import jax

        gpus = [str(d) for d in jax.devices() if d.platform == "gpu"]
        placed = str(jax.numpy.zeros(()).devices())
    return os.environ.get("CUDA_VISIBLE_DEVICES", "(unset)"), gpus, placed


def main(argv=None):
    from distributed import Client, LocalCluster

    devices = local_devices()
    workers = len(devices) or 2
    header(f"GPU pinning: {len(devices)} GPU(s) on this host, {workers} Dask workers")
    X, y = pima_like()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
        dask_backend(client),
    ):
        grid = {"hidden_layer_sizes": [(8,), (16,), (32,), (64,)]}
        GridSearchCV(KerasClassifier("mlp", epochs=2), grid, cv=2, n_jobs=-1).fit(X, y)
        seen = client.run(_what_the_worker_sees)
    print(f"{'worker':28s}{'CUDA_VISIBLE_DEVICES':>22s}  framework sees / places on")
    for address, (visible, gpus, placed) in sorted(seen.items()):
        print(f"{address:28s}{visible:>22s}  {gpus or 'no GPU'} / {placed}")
    pinned = [visible for visible, _, _ in seen.values()]
    if devices:
        ok = sorted(pinned) == sorted(devices[: len(pinned)]) and len(set(pinned)) == len(pinned)
        print("each worker has its own GPU:", ok)


if __name__ == "__main__":
    main()
