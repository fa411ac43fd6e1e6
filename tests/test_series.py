"""Time series: the bundled airline passengers, look-back windows, TimeSeriesSplit."""

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasRegressor
from skdeep.datasets import load_airline
from skdeep.preprocessing import make_windows


def test_the_airline_series_is_the_published_one():
    series = load_airline(as_frame=True)
    assert series.data.shape == (144,) and series.data.sum() == 40363.0  # Box & Jenkins, G
    assert series.months[0] == "1949-01" and series.data.max() == 622.0
    assert str(series.frame.index[-1]) == "1960-12" and series.frame.name == "passengers"


def test_each_window_is_followed_by_its_target_in_time_order():
    series = np.arange(100.0, 110.0)
    X, y = make_windows(series, look_back=3, horizon=2)
    assert X.shape == (6, 3) and y.shape == (6,)
    for row, target in zip(X, y, strict=True):
        assert row.tolist() == [row[0], row[0] + 1, row[0] + 2] and target == row[-1] + 2


def test_several_series_give_sequences_and_one_target_column_each():
    series = np.column_stack([np.arange(10.0), np.arange(10.0) * -1])
    X, y = make_windows(series, look_back=4, sequences=True)
    assert X.shape == (6, 4, 2) and y.shape == (6, 2)
    np.testing.assert_array_equal(X[0, :, 1], [0, -1, -2, -3])
    assert make_windows(series, look_back=4)[0].shape == (6, 8)


@pytest.mark.parametrize(
    ("series", "params", "message"),
    [
        ([1.0, 2.0], {"look_back": 2}, "too few for look_back=2"),
        ([1.0, np.nan, 3.0, 4.0], {}, "NaN or infinite"),
        ([1.0, 2.0, 3.0], {"look_back": 0}, "Invalid look_back=0"),
        (np.zeros((3, 2, 2)), {}, "expected \\(n_steps,\\)"),
    ],
)
def test_bad_series_get_clear_errors(series, params, message):
    with pytest.raises(ValueError, match=message):
        make_windows(series, **params)


def test_a_window_mlp_forecasts_the_passengers_under_time_series_cross_validation():
    X, y = make_windows(load_airline().data, look_back=3)
    model = make_pipeline(
        StandardScaler(),
        KerasRegressor(
            "mlp",
            hidden_layer_sizes=(12, 8),
            epochs=100,
            batch_size=4,
            learning_rate=0.01,
            random_state=0,
        ),
    )
    folds = TimeSeriesSplit(3)
    rmse = -cross_val_score(model, X, y, cv=folds, scoring="neg_root_mean_squared_error")
    # Each fold forecasts later years from earlier ones. Forecasting the mean
    # of the training years misses by 80 to 210 thousand passengers; repeating
    # the last month (the naive forecast, hard to beat from three lags) by 23
    # to 51. Seeds 0 to 2 on TensorFlow, JAX and PyTorch miss by 32 to 56.
    splits = list(folds.split(X))
    naive = np.array([np.sqrt(np.mean((y[test] - X[test, -1]) ** 2)) for _, test in splits])
    mean = np.array([np.sqrt(np.mean((y[test] - y[train].mean()) ** 2)) for train, test in splits])
    assert np.all(rmse < 2 * naive) and np.all(rmse < mean / 2), (rmse, naive, mean)
    assert rmse.mean() < 50, rmse
