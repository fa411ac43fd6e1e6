"""keep_best and checkpoint_path: the best weights, checkpoints (resuming: test_resume.py)."""

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier


class _RecordEpochs(keras.callbacks.Callback):
    """Weights and logs at the end of every epoch."""

    def __init__(self):
        super().__init__()
        self.weights, self.logs = [], []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append([w.copy() for w in self.model.get_weights()])
        self.logs.append(dict(logs))


def _classifier(**params):
    defaults = dict(
        model="mlp",
        hidden_layer_sizes=(8,),
        epochs=8,
        batch_size=16,
        optimizer="sgd",
        learning_rate=0.5,  # large: the validation accuracy goes up and down
        metrics=["accuracy"],
        validation_fraction=0.3,
        random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


def test_keep_best_ends_with_the_weights_of_the_best_epoch(iris, tmp_path):
    X, y = iris
    record = _RecordEpochs()
    clf = _classifier(keep_best="val_loss", callbacks=[record]).fit(X, y)
    losses = [logs["val_loss"] for logs in record.logs]
    best = int(np.argmin(losses))
    for mine, kept in zip(clf.model_.get_weights(), record.weights[best], strict=True):
        np.testing.assert_array_equal(mine, kept)
    assert best != len(losses) - 1 or losses[-1] == min(losses)


def test_checkpoint_path_keeps_the_best_model_in_a_loadable_file(iris, tmp_path):
    X, y = iris
    path = tmp_path / "best.keras"
    clf = _classifier(keep_best="val_accuracy", checkpoint_path=str(path)).fit(X, y)
    saved = keras.saving.load_model(path)
    np.testing.assert_allclose(
        saved.predict_on_batch(X.astype("float32")),
        clf.model_.predict_on_batch(X.astype("float32")),
        rtol=1e-6,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.keras"]  # no temporary left


def test_checkpoint_path_without_keep_best_writes_the_last_epoch(iris, tmp_path):
    X, y = iris
    path = tmp_path / "last.weights.h5"
    clf = _classifier(checkpoint_path=str(path), epochs=2).fit(X, y)
    copy = keras.models.clone_model(clf.model_)
    copy.load_weights(path)
    for a, b in zip(copy.get_weights(), clf.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(keep_best="val_loss", validation_fraction=None), "no validation data"),
        (dict(keep_best="val_auc"), "not among the quantities"),
    ],
)
def test_keep_best_on_a_quantity_the_fit_does_not_log_is_an_error(iris, params, message):
    X, y = iris
    clf = _classifier(**params)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not clf.initialized_
