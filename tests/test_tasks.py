"""Every task recipe runs on its offline data and learns well above chance."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score

from skdeep.datasets import DatasetNotFoundError
from skdeep.tasks import all_tasks, get_task, run_task

#: Epochs (and folds) small enough for CI, and the score each recipe must reach there.
#: Classifier thresholds sit well above the majority class of the offline data.
CI_RUNS = {
    "pima": (20, 3, 0.72),  # majority 0.65
    "iris": (100, 3, 0.85),  # majority 0.33
    "sonar": (40, 3, 0.66),  # majority 0.53
    "sonar-standardized": (40, 3, 0.70),
    "sonar-smaller": (40, 3, 0.70),
    "boston": (60, 3, 40.0),  # MSE; predicting the mean scores 84
    "boston-standardized": (60, 3, 40.0),
    "boston-deeper": (60, 3, 40.0),
    "boston-wider": (60, 3, 40.0),
    "bank": (15, 3, 0.72),  # majority 0.70
    "mnist-mlp": (8, 3, 0.80),  # majority 0.10
    "mnist-cnn": (8, 3, 0.80),
    "cifar10-cnn": (3, 3, 0.75),  # majority 0.50 (photo patches)
    "colour-mlp": (5, 3, 0.75),
    # Generated reviews with negations (majority 0.50): order matters, so the
    # multi-hot bag of words cannot pass about 0.8 while sequence models can.
    "imdb-mlp": (6, 3, 0.9),
    "imdb-cnn": (6, 3, 0.9),
    "imdb-lstm": (15, 3, 0.85),
    "imdb-cnn-lstm": (9, 3, 0.9),
    "imdb-multihot": (30, 3, 0.62),
    "reuters": (10, 3, 0.70),  # majority 0.35 (generated news wires)
    # RMSE on the test years; the training years' mean as forecast scores 216.
    "airline-mlp": (60, 1, 60.0),
    "airline-lstm": (20, 1, 65.0),
}


def test_every_task_has_a_ci_run():
    assert sorted(CI_RUNS) == sorted(task.name for task in all_tasks())


#: One task per family runs in the quick suite; every task runs with the slow tests.
QUICK = {"pima", "mnist-cnn", "imdb-cnn", "airline-mlp"}


@pytest.mark.parametrize(
    "name",
    [n if n in QUICK else pytest.param(n, marks=pytest.mark.slow) for n in sorted(CI_RUNS)],
)
def test_task_learns_on_its_offline_data(name):
    epochs, folds, threshold = CI_RUNS[name]
    # folds=1: the task's own train/test split, where cv does not apply.
    result = run_task(name, cv=folds if folds > 1 else None, epochs=epochs)
    assert len(result.scores) == folds
    if result.metric == "accuracy":
        assert result.mean > threshold, result.scores
        assert len(result.y_pred) == len(result.y_true)
    else:
        assert result.mean < threshold, result.scores


def test_recipes_are_ordinary_pipelines_for_sklearn_tools():
    task = get_task("sonar-standardized")
    data = task.load()
    grid = GridSearchCV(
        task.make_pipeline(epochs=10),
        {"model__hidden_layer_sizes": [(30,), (60,)]},
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        n_jobs=2,
    )
    grid.fit(data.X, data.y)
    assert grid.best_params_["model__hidden_layer_sizes"] in [(30,), (60,)]
    scores = cross_val_score(task.make_pipeline(epochs=10), data.X, data.y, cv=2)
    assert scores.shape == (2,)


def test_grid_runs_every_candidate_and_reports_the_best():
    result = run_task("iris", cv=2, epochs=10, grid=True)
    params = [p for p, _, _ in result.candidates]
    assert len(params) == 6 and all("model__batch_size" in p for p in params)
    best = max(result.candidates, key=lambda c: c[1])
    assert result.best_params == best[0] and np.isclose(result.mean, best[1])


def test_epochs_given_by_the_user_replace_the_grids_epochs():
    task = get_task("imdb-multihot")
    assert "model__epochs" in task.param_grid
    result = run_task("imdb-multihot", cv=2, epochs=2, grid=True)
    assert all("model__epochs" not in p for p, _, _ in result.candidates)


def test_refit_gives_a_pipeline_trained_on_all_the_data():
    result = run_task("reuters", cv=2, epochs=3, refit=True)
    texts = ["the company said profit rose", "opec said crude output"]
    assert result.estimator.predict(texts).shape == (2,)


def test_full_data_that_is_missing_fails_at_once_with_where_to_put_it(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="mnist.npz"):
        run_task("mnist-cnn", full_data=True, data_home=tmp_path)
    with pytest.raises(FileNotFoundError, match="bank-full.csv"):
        run_task("bank", full_data=True, data_home=tmp_path)


def test_bad_fold_count_is_refused():
    with pytest.raises(ValueError, match="Invalid cv=1"):
        run_task("iris", cv=1)


def test_official_test_split_is_used_when_the_data_has_one(tmp_path, monkeypatch):
    """A task whose data has a test part trains once on the training part and scores there."""
    from skdeep.datasets import _files

    rng = np.random.default_rng(0)
    digits = np.tile(np.arange(10), 12).astype(np.uint8)
    images = (rng.random((120, 28, 28)) * 40).astype(np.uint8)
    for i, digit in enumerate(digits):  # a bright bar whose row says the digit
        images[i, 2 + 2 * digit, 4:24] = 255
    np.savez(
        tmp_path / "mnist.npz",
        x_train=images[:100],
        y_train=digits[:100],
        x_test=images[100:],
        y_test=digits[100:],
    )
    url = _files.KNOWN_FILES["mnist.npz"][1]
    monkeypatch.setitem(
        _files.KNOWN_FILES, "mnist.npz", (_files.sha256(tmp_path / "mnist.npz"), url)
    )
    result = run_task("mnist-mlp", full_data=True, data_home=tmp_path, epochs=20, refit=True)
    assert result.protocol == "official train/test split"
    assert len(result.scores) == 1 and len(result.y_true) == 20
    assert result.mean > 0.5  # ten classes: chance is 0.1
    assert result.estimator.predict(images[100:].reshape(20, -1)).shape == (20,)


def test_parallel_fits_give_the_same_scores_as_one_job():
    progress = []
    one = run_task("sonar-smaller", cv=3, epochs=5, grid=True)
    two = run_task(
        "sonar-smaller",
        cv=3,
        epochs=5,
        grid=True,
        n_jobs=2,
        progress=lambda done, total, label: progress.append((done, total)),
    )
    assert [c[1] for c in two.candidates] == [c[1] for c in one.candidates]
    assert two.best_params == one.best_params
    assert progress[-1] == (9, 9) and len(progress) == 9  # 3 candidates x 3 folds


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_an_error_in_reporting_progress_ends_the_run_with_that_error(n_jobs):
    def progress(done, total, label):
        raise KeyError("the progress display broke")

    with pytest.raises(KeyError, match="the progress display broke"):
        run_task("iris", cv=2, epochs=1, n_jobs=n_jobs, progress=progress)
