"""Sources: how each kind of data reaches ``model.fit``, the one place that decides it.

Arrays (dense, or a SciPy sparse matrix) and batches (a ``keras.utils.PyDataset``
or a ``tf.data.Dataset`` of ``(X, y[, sample_weight])`` batches, prepared by
:mod:`skdeep._fit.batches`) go through the
same chain; this module is what differs between them.

**Arrays.** The policy, for every fit:

1. **Whole epochs per compiled call.** Keras calls its compiled training
   step once per batch; for a small model that call costs more than the
   arithmetic. When the model is small (``count_params() * batch_size`` up
   to :data:`SMALL_MODEL_LIMIT`) and no callback acts between batches,
   skdeep sets the model's ``steps_per_execution`` to the batches of one
   epoch before its first training step (not on PyTorch, whose trainer
   runs one step per call). The batches and their order do not change.
2. **One input pipeline per fit** (TensorFlow). Given arrays, Keras opens a
   new ``tf.data`` iterator for every epoch plus one it never uses, about
   10 ms each. For small models skdeep gives ``model.fit`` one dataset that
   yields every epoch: each epoch is every row once, in an order drawn from
   the fit's seed and the epoch number (:func:`epoch_order`), cut into
   batches as Keras cuts them. Not used with ``validation_split``,
   ``steps_per_epoch``, ``shuffle="batch"``, or when an epoch does not end
   on a compiled call.
3. **Epoch-ordered batches** on the other backends (JAX, PyTorch) when the
   rows are shuffled, and on every backend when a fit must be resumable
   (``backup_dir``): every epoch's order is drawn from the fit's seed and
   the epoch number (:class:`EpochOrderedBatches`). Keras' own shuffling
   draws from NumPy's global generator a number of times that depends on
   whether the model was trained before in this process, so a continued fit
   would see other batches in memory than after saving and loading; and a
   resumed fit must see the batches the uninterrupted one would have.
4. Otherwise the arrays go to ``model.fit`` as they are.

A sparse ``X`` (a SciPy CSR matrix, from ``TfidfVectorizer`` say) always
takes path 3, each batch densified when Keras asks for it, so the whole
matrix is never dense in memory; so does sparse validation data. Under a
distribution, every batch must split evenly over the devices: the batch
size is checked and the rows completed to whole batches with rows of weight
zero (:func:`even_batches`), and Keras' own loop feeds the arrays.

Nothing here changes what is learned from a given order of batches: the
tests train the same network through each path and through Keras on the
same batches and compare the weights. ``skdeep.set_config(fast_feeding=False)``
(or the environment variable ``SKDEEP_FAST_FEEDING=0``, which parallel
workers inherit) turns 1, 2 and 3 off (3 stays for ``backup_dir``, which
needs it), leaving Keras' own loop. The switch is read once, when the fit
is planned.
"""

import keras
import numpy as np
from scipy import sparse

#: Above this many parameters x batch size, a training step costs more than
#: calling it does (convolutions, recurrent layers); looping inside the
#: compiled function then only adds tracing time (measured in benchmarks/).
SMALL_MODEL_LIMIT = 2_000_000

_BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
)


def watches_batches(callback):
    """Whether a callback acts between batches (overrides a batch-level hook).

    Examples
    --------
    >>> watches_batches(keras.callbacks.EarlyStopping())
    False
    >>> watches_batches(keras.callbacks.TerminateOnNaN())
    True
    """
    base = keras.callbacks.Callback
    return any(
        getattr(type(callback), hook, None) is not getattr(base, hook) for hook in _BATCH_HOOKS
    )


def steps_per_epoch(n_samples, batch_size, options):
    """Gradient steps in one epoch of ``model.fit`` on ``n_samples`` rows.

    Examples
    --------
    >>> steps_per_epoch(768, 10, {})
    77
    >>> steps_per_epoch(100, 32, {"validation_split": 0.2})
    3
    """
    if options.get("steps_per_epoch"):
        return int(options["steps_per_epoch"])
    split = options.get("validation_split") or 0.0
    n_train = int(np.floor(n_samples * (1.0 - split))) if split else n_samples
    return max(1, -(-n_train // batch_size))


def is_small_model(model, batch_size):
    """Whether calling a training step costs more than its arithmetic (see SMALL_MODEL_LIMIT)."""
    try:
        return model.count_params() * batch_size <= SMALL_MODEL_LIMIT
    except ValueError:  # a subclassed model that is not built yet
        return False


def fit_arguments(model, plan, X, y, sample_weight, options, seed, decide_steps):
    """The data arguments of ``model.fit``, merged into its ``options`` (the feeding policy above).

    Parameters
    ----------
    model : keras.Model
        The compiled model.
    plan : FitPlan
        The fit's plan (batch size, feeding switches, resumability).
    X, y : ndarray
        Validated, encoded training data.
    sample_weight : ndarray or None
        Per-row weights.
    options : dict
        The other ``model.fit`` arguments (``shuffle``, ``validation_split``,
        ``callbacks``, ...), not changed.
    seed : int or None
        Seed of the fit, for the row orders of skdeep's feeds.
    decide_steps : bool
        Choose ``steps_per_execution`` for this model (a fresh model whose
        user did not choose one).

    Returns
    -------
    dict
        Keyword arguments for ``model.fit``.
    """
    batch_size, resumable = plan.batch_size, plan.backup_dir is not None
    if resumable:
        X, y, sample_weight, options = _resumable_split(X, y, sample_weight, options)
    steps = steps_per_epoch(n_rows(X), batch_size, options)
    if decide_steps:
        # PyTorch's trainer runs one step per call (Keras refuses more there).
        whole_epochs = (
            plan.fast_feeding
            and keras.backend.backend() != "torch"
            and is_small_model(model, batch_size)
        )
        if whole_epochs and not any(watches_batches(cb) for cb in plan.callbacks):
            model.steps_per_execution = steps
        elif plan.fast_feeding:
            model.steps_per_execution = 1
    columns = (X, y) if sample_weight is None else (X, y, sample_weight)
    if is_sparse(X):
        return _sparse_arguments(columns, options, batch_size, seed)
    rest = {k: v for k, v in options.items() if k not in ("shuffle", "validation_split")}
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31 - 1))
    one_pipeline = _one_pipeline_applies(model, plan, options, steps)
    if _epoch_ordered_applies(plan, options, resumable) and (resumable or not one_pipeline):
        batches = EpochOrderedBatches(columns, batch_size, seed, options.get("shuffle", True))
        callbacks = [*rest.pop("callbacks", []), batches.epoch_setter()]
        return {"x": batches, "shuffle": False, "callbacks": callbacks, **rest}
    if not one_pipeline:
        return {"x": X, "y": y, "sample_weight": sample_weight, "batch_size": batch_size, **options}
    from skdeep._framework.tensorflow import epochs_dataset

    dataset = epochs_dataset(columns, batch_size, bool(options.get("shuffle", True)), seed)
    # shuffle=False: the dataset orders the rows itself (Keras warns about True).
    return {"x": dataset, "steps_per_epoch": steps, "shuffle": False, **rest}


def _resumable_split(X, y, sample_weight, options):
    """A resumable fit feeds its own batches: ``validation_split`` is done here, as Keras does.

    Keras holds out the last ``floor(n * validation_split)`` rows, before any
    shuffling; so does this. ``steps_per_epoch`` cannot be resumed exactly.
    """
    if options.get("steps_per_epoch"):
        raise ValueError(
            "backup_dir cannot be combined with steps_per_epoch: a resumed fit must see the "
            "batches the uninterrupted one would have, which needs whole epochs. Remove "
            "steps_per_epoch, or backup_dir."
        )
    split = options.get("validation_split") or 0.0
    options = {k: v for k, v in options.items() if k != "validation_split"}
    if not split or "validation_data" in options:
        return X, y, sample_weight, options
    n = n_rows(X)
    at = int(np.floor(n * (1.0 - split)))
    if at in (0, n):
        raise ValueError(
            f"validation_split={split} of {n} rows leaves no training or no validation rows."
        )
    head = lambda a: None if a is None else _take(a, np.arange(at))  # noqa: E731
    tail = lambda a: None if a is None else _take(a, np.arange(at, n))  # noqa: E731
    validation = (tail(X), tail(y)) + (() if sample_weight is None else (tail(sample_weight),))
    return head(X), head(y), head(sample_weight), {**options, "validation_data": validation}


def n_rows(X):
    """Rows of ``X``: an array, a sparse matrix, or a list or dict of arrays (several inputs)."""
    first = keras.tree.flatten(X)[0] if not sparse.issparse(X) else X
    return first.shape[0]


def dense(array):
    """``array``, densified if it is a sparse matrix (or every sparse block of a dict or list)."""
    if isinstance(array, (dict, list, tuple)):
        return keras.tree.map_structure(dense, array)
    return array.toarray() if sparse.issparse(array) else array


def is_sparse(X):
    """Whether ``X`` is a sparse matrix, or a dict or list (several inputs) holding one."""
    if isinstance(X, (dict, list, tuple)):
        return any(sparse.issparse(block) for block in keras.tree.flatten(X))
    return sparse.issparse(X)


def _sparse_arguments(columns, options, batch_size, seed):
    if options.get("validation_split") or options.get("steps_per_epoch"):
        raise ValueError(
            "validation_split and steps_per_epoch cannot be used with a sparse X (Keras "
            "would densify it whole): use validation_fraction or validation_data instead."
        )
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31 - 1))
    rest = {k: v for k, v in options.items() if k != "shuffle"}
    validation = rest.pop("validation_data", None)
    if validation is not None and is_sparse(validation[0]):
        validation = EpochOrderedBatches(tuple(validation), batch_size, seed, shuffle=False)
    batches = EpochOrderedBatches(columns, batch_size, seed, options.get("shuffle", True))
    callbacks = [*rest.pop("callbacks", []), batches.epoch_setter()]
    found = {"x": batches, "shuffle": False, "callbacks": callbacks, **rest}
    return found if validation is None else {**found, "validation_data": validation}


def epoch_order(n_samples, seed, epoch, shuffle=True):
    """Row order of one epoch of a small model's fit (paths 2 and 3 above).

    Exposed so that tests can train Keras itself on the same batches.
    """
    if keras.backend.backend() == "tensorflow":
        from skdeep._framework.tensorflow import epoch_order as order

        return np.asarray(order(n_samples, seed, epoch, shuffle))
    batches = EpochOrderedBatches((np.arange(n_samples),), max(n_samples, 1), seed, shuffle)
    batches.epoch = epoch
    return batches.order()


def _epoch_ordered_applies(plan, options, resumable):
    if options.get("validation_split") or options.get("steps_per_epoch"):
        return False  # Keras splits arrays itself / counts steps of arrays
    if resumable:
        return True
    return (
        keras.backend.backend() != "tensorflow"
        and plan.fast_feeding
        and options.get("shuffle", True) is not False
    )


def _one_pipeline_applies(model, plan, options, steps):
    batch_size = plan.batch_size
    return (
        keras.backend.backend() == "tensorflow"
        and plan.fast_feeding
        and is_small_model(model, batch_size)
        and not options.get("validation_split")
        and not options.get("steps_per_epoch")
        and options.get("class_weight") is None
        and options.get("shuffle", True) in (True, False)
        and steps % (getattr(model, "steps_per_execution", 1) or 1) == 0
    )


class EpochOrderedBatches(keras.utils.PyDataset):
    """Batches of row-aligned arrays whose order depends only on ``(seed, epoch)``.

    Parameters
    ----------
    arrays : tuple of arrays
        ``(X, y)`` or ``(X, y, sample_weight)``; a sparse ``X`` is
        densified one batch at a time.
    batch_size : int
        Rows per batch; the last one may be short.
    seed : int
        Seed of the row orders.
    shuffle : bool or "batch"
        Whether to reorder the rows every epoch (``"batch"``: keep rows
        together in batches and reorder the batches).

    Examples
    --------
    >>> rows = np.arange(5)
    >>> batches = EpochOrderedBatches((rows, rows), 2, seed=0, shuffle=True)
    >>> len(batches), sorted(np.concatenate([batches[i][0] for i in range(3)]).tolist())
    (3, [0, 1, 2, 3, 4])
    """

    def __init__(self, arrays, batch_size, seed, shuffle):
        super().__init__()
        self.arrays, self.batch_size = arrays, batch_size
        self.seed, self.shuffle = seed, shuffle
        self.epoch, self._order_of = 0, (None, None)
        self.n_rows = n_rows(arrays[0])

    def __len__(self):
        return max(1, -(-self.n_rows // self.batch_size))

    def __getitem__(self, index):
        rows = self.order()[index * self.batch_size : (index + 1) * self.batch_size]
        # tf.data's signature of a batch takes tuples, not lists: a list of one
        # output's targets (keras.Model(inputs, [output])) goes as a tuple.
        return tuple(keras.tree.lists_to_tuples(dense(_take(a, rows))) for a in self.arrays)

    def order(self):
        """Row order of the current epoch."""
        if self._order_of[0] != self.epoch:
            n = self.n_rows
            rng = np.random.default_rng([self.seed, self.epoch])
            if self.shuffle == "batch":
                starts = rng.permutation(len(self)) * self.batch_size
                order = np.concatenate([np.arange(s, min(s + self.batch_size, n)) for s in starts])
            else:
                order = rng.permutation(n) if self.shuffle else np.arange(n)
            self._order_of = (self.epoch, order)
        return self._order_of[1]

    def epoch_setter(self):
        """A callback that tells these batches which epoch is starting."""
        batches = self

        class _SetEpoch(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                batches.epoch = epoch

        return _SetEpoch()


def _take(structure, rows):
    if sparse.issparse(structure):
        return structure[rows]
    return keras.tree.map_structure(lambda a: a[rows], structure)


# ---------------------------------------------------------------------------
# Several devices: batches that split evenly
def batch_shards(distribution):
    """How many even parts each batch is split into (1 without a distribution)."""
    if distribution is None:
        return 1
    if keras.backend.backend() != "jax":
        return int(distribution.num_replicas_in_sync)
    mesh = distribution.device_mesh
    name = getattr(distribution, "batch_dim_name", None)
    if name in mesh.axis_names:
        return int(mesh.shape[mesh.axis_names.index(name)])
    return int(np.prod(mesh.shape))


def check_batch_size(batch_size, shards):
    """Raise when ``batch_size`` cannot be split evenly over the devices."""
    if batch_size % shards:
        raise ValueError(
            f"distribution splits each batch over {shards} devices, so batch_size must be a "
            f"multiple of {shards}; got batch_size={batch_size}. Choose, e.g., "
            f"batch_size={batch_size + shards - batch_size % shards}."
        )


def whole_batches(X, y, weights, batch_size):
    """``X``, ``y`` and weights completed to whole batches by rows of weight zero.

    Examples
    --------
    >>> X, y, w = whole_batches(np.ones((5, 2)), np.arange(5), None, 4)
    >>> X.shape, y.tolist(), w.tolist()
    ((8, 2), [0, 1, 2, 3, 4, 0, 1, 2], [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    """
    rows = len(keras.tree.flatten(X)[0])
    missing = -rows % batch_size
    weights = np.ones(rows, "float32") if weights is None else np.asarray(weights, "float32")
    if not missing:
        return X, y, weights
    take = np.arange(missing) % rows

    def complete(array):
        return np.concatenate([np.asarray(array), np.asarray(array)[take]])

    return (
        keras.tree.map_structure(complete, X),
        keras.tree.map_structure(complete, y),
        np.concatenate([weights, np.zeros(missing, "float32")]),
    )


def even_batches(distribution, X, y, weights, batch_size, options):
    """The training data (and ``options["validation_data"]``) in batches the devices split evenly.

    Returns ``(X, y, weights)``, unchanged without a distribution; with one,
    the batch size is checked and the rows are completed to whole batches.
    """
    shards = batch_shards(distribution)
    if shards == 1:
        return X, y, weights
    check_batch_size(batch_size, shards)
    if options.get("validation_split"):
        raise ValueError(
            "validation_split cannot be used with distribution (Keras would cut uneven "
            "batches): use validation_fraction or validation_data instead."
        )
    if options.get("validation_data") is not None:
        X_val, y_val, *rest = options["validation_data"]
        size = options.get("validation_batch_size") or batch_size
        check_batch_size(size, shards)
        options["validation_data"] = whole_batches(X_val, y_val, rest[0] if rest else None, size)
    return whole_batches(X, y, weights, batch_size)
