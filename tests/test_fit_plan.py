"""One fit plan (issue 25): what the user asked for holds on every route.

Each test reproduces a defect observed before the fit chain was rebuilt
around one plan: settings silently overridden, a second chain for batch
input that forgot options, process-wide state changed by a fit, prediction
and ``transform`` that were not safe to read while another thread refitted.
"""

import importlib
import random
import threading

import keras
import numpy as np
import pytest

import skdeep
from skdeep import KerasClassifier, KerasTransformer
from skdeep.models import mlp

_SMALL = dict(hidden_layer_sizes=(4,), epochs=1, verbose=0, random_state=0)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)).astype("float32")
    return X, (X[:, 0] > 0).astype(int)


class _Batches(keras.utils.PyDataset):
    def __init__(self, X, y):
        super().__init__()
        self.X, self.y = X, y

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return self.X[i * 20 : (i + 1) * 20], self.y[i * 20 : (i + 1) * 20]


# --- no setting silently overridden -------------------------------------------------------
@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (dict(learning_rate=0.3, compile__optimizer="sgd"), "learning_rate=0.3"),
        (
            dict(optimizer__learning_rate=0.3, compile__optimizer=keras.optimizers.SGD(0.01)),
            "optimizer__learning_rate=0.3",
        ),
        (dict(momentum=0.9, compile__optimizer="sgd"), "momentum=0.9"),
    ],
)
def test_compile_optimizer_with_optimizer_settings_is_an_error_naming_both(data, settings, named):
    with pytest.raises(ValueError, match=f"compile__optimizer=.*{named}.*would be ignored"):
        KerasClassifier("mlp", **_SMALL, **settings).fit(*data)


def _compiles_itself(meta):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_a_builder_that_compiles_its_model_refuses_optimizer_settings_it_would_never_see(data):
    clf = KerasClassifier(_compiles_itself, optimizer="sgd", learning_rate=0.3, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="compiles its own model.*optimizer=, learning_rate="):
        clf.fit(*data)
    # Given no such setting, a scikeras-style builder that compiles keeps working.
    plain = KerasClassifier(_compiles_itself, epochs=1, verbose=0).fit(*data)
    assert isinstance(plain.model_.optimizer, keras.optimizers.Adam)


def test_a_built_in_builder_has_one_default_optimizer_however_it_is_given(data):
    by_name = KerasClassifier("mlp", **_SMALL).fit(*data)
    by_function = KerasClassifier(mlp, **_SMALL).fit(*data)
    assert type(by_function.model_.optimizer) is type(by_name.model_.optimizer)
    assert isinstance(by_name.model_.optimizer, keras.optimizers.Adam)


# --- batches reach the same chain --------------------------------------------------------
def test_warm_start_continues_training_on_a_pydataset(data):
    clf = KerasClassifier("mlp", **{**_SMALL, "epochs": 2}, warm_start=True)
    clf.fit(_Batches(*data), classes=[0, 1])
    first = clf.model_
    clf.fit(_Batches(*data), classes=[0, 1])
    assert clf.n_iter_ == 4 and clf.model_ is first
    assert len(clf.history_["loss"]) == 4


def test_class_weight_with_a_pydataset_is_refused_before_training(data):
    clf = KerasClassifier("mlp", **_SMALL, class_weight="balanced")
    with pytest.raises(ValueError, match="class_weight cannot be used when fitting from a Py"):
        clf.fit(_Batches(*data), classes=[0, 1])
    assert not hasattr(clf, "model_")


def test_a_fit_never_changes_the_settings_other_threads_see(data):
    seen = []

    class Watch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            other = threading.Thread(target=lambda: seen.append(skdeep.get_config()))
            other.start()
            other.join()

    with skdeep.config_context(fast_feeding=False):
        KerasClassifier("mlp", **_SMALL, callbacks=[Watch()]).fit(_Batches(*data), classes=[0, 1])
    KerasClassifier("mlp", **_SMALL, callbacks=[Watch()]).fit(_Batches(*data), classes=[0, 1])
    assert [s["fast_feeding"] for s in seen] == [True, True]
    assert skdeep.get_config()["fast_feeding"] is True


def test_keras_random_module_is_put_back_after_a_seeded_fit(data):
    seed_generator = importlib.import_module("keras.src.random.seed_generator")
    before = seed_generator.python_random
    KerasClassifier("mlp", **_SMALL).fit(*data)
    assert seed_generator.python_random is before is random


# --- readers during a refit --------------------------------------------------------------
def test_predict_from_threads_during_a_refit_sees_the_old_model_or_the_new_one(data):
    X, y = data
    clf = KerasClassifier("mlp", **_SMALL).fit(X, y)
    old = clf.predict_proba(X)
    three = np.arange(len(y)) % 3  # the refit learns three classes: a mix cannot go unseen
    results, errors, stop = [], [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                results.append(clf.predict_proba(X))
            except Exception as error:  # noqa: BLE001 (any error is a failure of the test)
                errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    try:
        clf.set_params(random_state=1).fit(X, three)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    new = clf.predict_proba(X)
    assert errors == []
    assert results
    for seen in results:
        assert (seen.shape == old.shape and np.allclose(seen, old)) or (
            seen.shape == new.shape and np.allclose(seen, new)
        )


def test_transform_reuses_one_feature_model_and_checks_token_ids():
    rng = np.random.default_rng(0)
    tokens = rng.integers(1, 20, size=(40, 6))
    labels = rng.integers(0, 2, 40)
    network = KerasClassifier("rnn", units=(4,), vocabulary_size=20, epochs=1, verbose=0)
    transformer = KerasTransformer(network).fit(tokens, labels)
    first = transformer.transform(tokens[:1])
    created = keras.Model.__init__

    calls = []

    def counting(self, *args, **kwargs):
        calls.append(type(self).__name__)
        return created(self, *args, **kwargs)

    keras.Model.__init__ = counting
    try:
        again = transformer.transform(tokens[:1])
    finally:
        keras.Model.__init__ = created
    assert calls == []  # no network made per call
    np.testing.assert_allclose(first, again)
    with pytest.raises(ValueError, match="token ids from 1 to 25"):
        transformer.transform(np.array([[1, 25, 3, 4, 5, 6]]))


def test_transform_from_threads_gives_every_caller_the_right_rows(data):
    X, y = data
    transformer = KerasTransformer(KerasClassifier("mlp", **_SMALL)).fit(X, y)
    expected = transformer.transform(X)
    results, errors = {}, []

    def call(i):
        try:
            results[i] = transformer.transform(X[i : i + 5])
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(0, 40, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for i, rows in results.items():
        np.testing.assert_allclose(rows, expected[i : i + 5], rtol=1e-5, atol=1e-6)


# --- bad input on the surfaces added last: a clear error, never a silent result ----------
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (dict(max_epochs=2.5), "'max_epochs' parameter .* must be an int"),
        (dict(max_epochs=0), "'max_epochs' parameter .* must be an int in the range"),
        (dict(max_epochs=-5), "'max_epochs' parameter .* must be an int in the range"),
        (dict(factor=float("inf")), "'factor' parameter .* must be a float in the range"),
        (dict(factor=float("nan")), "'factor' parameter .* must be a float in the range"),
        (dict(factor=1), "'factor' parameter .* must be a float in the range"),
        (dict(refit="yes"), "'refit' parameter .* must be an instance of 'bool'"),
        (dict(min_epochs=0), "'min_epochs' parameter"),
    ],
)
def test_halving_searches_refuse_bad_settings_before_any_fit(data, setting, message):
    from skdeep.model_selection import HalvingEpochsGridSearchCV

    search = HalvingEpochsGridSearchCV(
        KerasClassifier("mlp", **_SMALL), {"hidden_layer_sizes": [(2,), (4,)]}, cv=2, **setting
    )
    with pytest.raises(ValueError, match=message):
        search.fit(*data)
    assert not hasattr(search, "n_resources_")


@pytest.mark.parametrize("n_candidates", [2.5, 0, -3])
def test_the_random_halving_search_refuses_a_bad_candidate_count(data, n_candidates):
    from skdeep.model_selection import HalvingEpochsRandomSearchCV

    search = HalvingEpochsRandomSearchCV(
        KerasClassifier("mlp", **_SMALL), {"hidden_layer_sizes": [(2,), (4,)]}, n_candidates, cv=2
    )
    with pytest.raises(ValueError, match="'n_candidates' parameter"):
        search.fit(*data)


def test_a_factor_just_above_one_plans_a_bounded_schedule(data):
    from skdeep.model_selection import HalvingEpochsGridSearchCV

    search = HalvingEpochsGridSearchCV(
        KerasClassifier("mlp", **_SMALL),
        {"hidden_layer_sizes": [(2,), (4,)]},
        cv=2,
        factor=1 + 1e-9,
        max_epochs=2,
    ).fit(*data)
    assert search.n_resources_ == sorted(set(search.n_resources_))
    assert len(search.n_resources_) <= 2 and search.n_resources_[-1] <= 2


def test_make_windows_refuses_a_sequences_flag_that_is_not_a_bool():
    from skdeep.preprocessing import make_windows

    with pytest.raises(ValueError, match="Invalid sequences='yes'"):
        make_windows(np.arange(20.0), 3, sequences="yes")


def test_a_sparse_y_is_refused_with_the_fix(data):
    from scipy import sparse

    X, y = data
    with pytest.raises(TypeError, match=r"y is a SciPy sparse matrix.*y\.toarray\(\)"):
        skdeep.KerasRegressor("mlp", **_SMALL).fit(X, sparse.csr_matrix(y[:, None] * 1.0))


def _token_ids():
    rng = np.random.default_rng(0)
    return rng.integers(1, 10, size=(40, 6)), rng.integers(0, 2, 40)


def test_token_ids_as_a_sparse_matrix_are_refused_before_training():
    from scipy import sparse

    tokens, labels = _token_ids()
    clf = KerasClassifier("rnn", units=(4,), vocabulary_size=10, epochs=1, verbose=0)
    with pytest.raises(TypeError, match=r"Embedding layer.*X\.toarray\(\)"):
        clf.fit(sparse.csr_matrix(tokens), labels)
    assert not hasattr(clf, "model_")


def test_token_ids_that_are_not_whole_numbers_are_refused_at_fit():
    tokens, labels = _token_ids()
    clf = KerasClassifier("rnn", units=(4,), vocabulary_size=11, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="token ids that are not whole numbers"):
        clf.fit(tokens + 0.7, labels)


def _two_outputs(meta):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(4)(inputs)
    return keras.Model(
        inputs,
        {
            "kind": keras.layers.Dense(2, activation="softmax", name="kind")(hidden),
            "size": keras.layers.Dense(1, name="size")(hidden),
        },
    )


def test_several_outputs_a_loss_dict_without_one_of_them_is_refused(data):
    import pandas as pd

    from skdeep.wrappers import BaseWrapper

    X, y = data
    Y = pd.DataFrame({"kind": y, "size": X[:, 1]})
    model = BaseWrapper(
        _two_outputs,
        outputs={"kind": "class", "size": "value"},
        loss={"kind": "sparse_categorical_crossentropy"},
        epochs=1,
        verbose=0,
    )
    with pytest.raises(ValueError, match=r"no loss for the model's output\(s\) \['size'\]"):
        model.fit(X, Y)


def test_a_class_output_with_one_class_is_refused(data):
    import pandas as pd

    from skdeep.wrappers import BaseWrapper

    X, _ = data
    Y = pd.DataFrame({"kind": np.zeros(len(X), int), "size": X[:, 1]})
    model = BaseWrapper(
        _two_outputs,
        outputs={"kind": "class", "size": "value"},
        loss={"kind": "sparse_categorical_crossentropy", "size": "mse"},
        epochs=1,
        verbose=0,
    )
    with pytest.raises(ValueError, match="'kind' holds one class only"):
        model.fit(X, Y)


def _mlp_with_auc(meta, compile_kwargs, hidden_layer_sizes=(4,)):
    """The guide's "Starting from a builder" example (docs/models.md)."""
    compile_kwargs = {**compile_kwargs, "metrics": [keras.metrics.AUC()]}
    return mlp(meta, compile_kwargs, hidden_layer_sizes=hidden_layer_sizes)


def test_a_builder_wrapping_a_built_in_one_keeps_its_default_optimizer(data):
    clf = KerasClassifier(_mlp_with_auc, epochs=1, verbose=0).fit(*data)
    assert isinstance(clf.model_.optimizer, keras.optimizers.Adam)
    assert "auc" in clf.model_.get_metrics_result()
