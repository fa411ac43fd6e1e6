"""Image tasks from the Keras tutorials: MNIST (MLP and CNN), CIFAR-10, a flat colour MLP."""

from sklearn.pipeline import Pipeline

from skdeep.datasets import load_cifar10, load_mnist, load_mnist_subset, load_photo_patches
from skdeep.estimators import KerasClassifier
from skdeep.preprocessing import ImageReshaper, PixelScaler
from skdeep.tasks._task import Task, TaskData


def mnist_mlp_pipeline(epochs=10, random_state=0):
    """Pixels scaled to [0, 1], one hidden layer of 784 ReLU units, softmax over 10 digits."""
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(784,),
        kernel_initializer="normal",
        optimizer="adam",
        epochs=epochs,
        batch_size=200,
        random_state=random_state,
    )
    return Pipeline([("scale", PixelScaler()), ("model", model)])


def mnist_cnn_pipeline(epochs=10, random_state=0):
    """28x28x1 images, 32 5x5 filters, max pooling, dropout 0.2, 128 dense units.

    Examples
    --------
    >>> mnist_cnn_pipeline().named_steps["images"].shape
    (28, 28, 1)
    """
    model = KerasClassifier(
        model="cnn",
        filters=(32,),
        kernel_size=5,
        pool_size=2,
        block_dropout=0.2,
        dense_units=(128,),
        optimizer="adam",
        epochs=epochs,
        batch_size=200,
        random_state=random_state,
    )
    return Pipeline(
        [("scale", PixelScaler()), ("images", ImageReshaper((28, 28, 1))), ("model", model)]
    )


def cifar_cnn_pipeline(epochs=25, random_state=0):
    """Two 3x3 convolutions of 32, pooling, 512 dense units with dropout and max-norm; SGD."""
    model = KerasClassifier(
        model="cnn",
        filters=(32,),
        convolutions_per_block=2,
        kernel_size=3,
        padding="same",
        block_dropout=0.2,
        dense_units=(512,),
        dropout=0.5,
        max_norm=3.0,
        optimizer="sgd",
        learning_rate=0.01,
        momentum=0.9,
        epochs=epochs,
        batch_size=32,
        random_state=random_state,
    )
    return Pipeline(
        [("scale", PixelScaler()), ("images", ImageReshaper((32, 32, 3))), ("model", model)]
    )


def colour_mlp_pipeline(epochs=20, random_state=0):
    """Colour images flattened to one row, scaled, then a 512-256 MLP."""
    model = KerasClassifier(
        model="mlp",
        hidden_layer_sizes=(512, 256),
        dropout=0.2,
        optimizer="adam",
        epochs=epochs,
        batch_size=32,
        random_state=random_state,
    )
    return Pipeline([("flatten", ImageReshaper((-1,))), ("scale", PixelScaler()), ("model", model)])


def _load_mnist(full_data=False, data_home=None):
    if not full_data:
        X, y = load_mnist_subset(return_X_y=True)
        return TaskData(X, y, source="MNIST subset (bundled, 1,000 digits)")
    X, y = load_mnist(data_home=data_home, return_X_y=True)
    X_test, y_test = load_mnist(subset="test", data_home=data_home, return_X_y=True)
    return TaskData(X, y, X_test, y_test, source="MNIST (Keras cache, 60,000 + 10,000)")


def _load_colour(full_data=False, data_home=None):
    if not full_data:
        bunch = load_photo_patches()
        return TaskData(bunch.images, bunch.target, source="photo patches (offline, 520)")
    train = load_cifar10(data_home=data_home)
    test = load_cifar10(subset="test", data_home=data_home)
    names = train.target_names
    return TaskData(
        train.images,
        [names[i] for i in train.target],
        test.images,
        [names[i] for i in test.target],
        source="CIFAR-10 (Keras cache, 50,000 + 10,000)",
    )


_MNIST = dict(
    family="images",
    offline_data="bundled MNIST subset (1,000 digits)",
    full_data="MNIST from the Keras cache",
    load=_load_mnist,
)
_COLOUR = dict(
    family="images",
    offline_data="32x32x3 patches of scikit-learn's photos",
    full_data="CIFAR-10 from the Keras cache",
    load=_load_colour,
)

#: The image recipes, in the order ``skdeep list`` shows them.
RECIPES = (
    Task(
        name="mnist-mlp",
        description="MNIST digits: baseline MLP with one hidden layer of 784",
        make_pipeline=mnist_mlp_pipeline,
        param_grid={"model__hidden_layer_sizes": [(128,), (784,)], "model__batch_size": [100, 200]},
        epochs=10,
        published="test error 1.9 % (official split)",
        **_MNIST,
    ),
    Task(
        name="mnist-cnn",
        description="MNIST digits: simple CNN (32 5x5 filters, pooling, dropout)",
        make_pipeline=mnist_cnn_pipeline,
        param_grid={"model__filters": [(16,), (32,)], "model__dense_units": [(64,), (128,)]},
        epochs=10,
        published="test error 1.0 % (official split)",
        **_MNIST,
    ),
    Task(
        name="cifar10-cnn",
        description="CIFAR-10 objects: CNN with dropout and max-norm, SGD with momentum",
        make_pipeline=cifar_cnn_pipeline,
        param_grid={"model__filters": [(32,), (32, 64)], "model__learning_rate": [0.01, 0.001]},
        epochs=25,
        published="test accuracy 70.9 % (simple CNN), 80.2 % (larger CNN)",
        **_COLOUR,
    ),
    Task(
        name="colour-mlp",
        description="Colour images flattened for an MLP, with a classification report",
        make_pipeline=colour_mlp_pipeline,
        param_grid={
            "model__hidden_layer_sizes": [(256,), (512, 256)],
            "model__dropout": [0.0, 0.2],
        },
        epochs=20,
        published="no single published figure (an MLP on CIFAR-10 reaches about 50 %)",
        **_COLOUR,
    ),
)
