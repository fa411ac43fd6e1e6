"""Time-series tasks from the Keras tutorials: monthly airline passengers, MLP and LSTM.

The tutorials' protocol: the first two thirds of the 144 months train, the
last third tests; each month is predicted from the month before (a window
of one), and the score is the test RMSE in thousands of passengers.
"""

from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler

from skdeep.datasets import load_airline
from skdeep.estimators import KerasRegressor
from skdeep.preprocessing import make_windows
from skdeep.tasks._task import Task, TaskData

#: Months of the tutorials' training part (67 % of 144).
TRAIN_MONTHS = 96


def load_airline_windows(full_data=False, data_home=None, look_back=1):
    """Windows of the training months and of the test months, in time order.

    Examples
    --------
    >>> data = load_airline_windows()
    >>> data.X.shape, data.X_test.shape
    ((95, 1), (47, 1))
    """
    series = load_airline().data
    train, test = series[:TRAIN_MONTHS], series[TRAIN_MONTHS:]
    X, y = make_windows(train, look_back=look_back)
    X_test, y_test = make_windows(test, look_back=look_back)
    source = "airline passengers (Box & Jenkins), 1949-1956 train, 1957-1960 test"
    return TaskData(X, y, X_test, y_test, source=source)


def airline_mlp_pipeline(epochs=200, random_state=0):
    """The month before -> 8 ReLU units -> next month's passengers; Adam, batches of 2.

    Examples
    --------
    >>> airline_mlp_pipeline(epochs=5).named_steps["model"].hidden_layer_sizes
    (8,)
    """
    model = KerasRegressor(
        "mlp",
        hidden_layer_sizes=(8,),
        epochs=epochs,
        batch_size=2,
        random_state=random_state,
    )
    return Pipeline([("model", model)])


def _as_time_steps(X):
    return X.reshape(len(X), X.shape[1], 1)


def airline_lstm_pipeline(epochs=100, random_state=0):
    """Inputs and targets scaled to [0, 1], an LSTM of 4 units on the time steps, batches of 1.

    Examples
    --------
    >>> airline_lstm_pipeline(epochs=5).named_steps["model"].regressor.units
    4
    """
    lstm = KerasRegressor(
        "rnn",
        cell="lstm",
        units=4,
        epochs=epochs,
        batch_size=1,
        random_state=random_state,
    )
    reshape = FunctionTransformer(_as_time_steps)  # (rows, look_back) -> (rows, steps, 1)
    model = TransformedTargetRegressor(regressor=lstm, transformer=MinMaxScaler())
    return Pipeline([("scale", MinMaxScaler()), ("time_steps", reshape), ("model", model)])


RECIPES = (
    Task(
        name="airline-mlp",
        family="series",
        description="Airline passengers: next month from the month before, MLP with 8 units",
        offline_data="bundled airline passengers series (144 months)",
        full_data="the same series",
        load=load_airline_windows,
        make_pipeline=airline_mlp_pipeline,
        param_grid={"model__hidden_layer_sizes": [(8,), (12, 8)]},
        epochs=200,
        published="test RMSE about 47 (thousands of passengers)",
        scoring="neg_root_mean_squared_error",
    ),
    Task(
        name="airline-lstm",
        family="series",
        description="Airline passengers: next month from the month before, LSTM of 4 units",
        offline_data="bundled airline passengers series (144 months)",
        full_data="the same series",
        load=load_airline_windows,
        make_pipeline=airline_lstm_pipeline,
        param_grid={"model__regressor__units": [4, 8]},
        epochs=100,
        published="test RMSE about 47-58 (thousands of passengers)",
        scoring="neg_root_mean_squared_error",
    ),
)
