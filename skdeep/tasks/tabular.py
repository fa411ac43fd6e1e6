"""Tabular tasks from the Keras tutorials."""

from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep.datasets import load_pima
from skdeep.estimators import KerasClassifier
from skdeep.models import mlp
from skdeep.tasks.registry import Task, register


def pima_pipeline(epochs=150, random_state=0):
    """Standardised features and a 12-8-1 ReLU network, as in the tutorial.

    Examples
    --------
    >>> pima_pipeline(epochs=5).steps[-1][1].hidden_layer_sizes
    (12, 8)
    """
    classifier = KerasClassifier(
        model=mlp,
        hidden_layer_sizes=(12, 8),
        optimizer="adam",
        epochs=epochs,
        batch_size=10,
        random_state=random_state,
    )
    return make_pipeline(StandardScaler(), classifier)


PIMA = register(
    Task(
        name="pima",
        description="Pima Indians diabetes: binary MLP 12-8-1 with standardisation",
        data="bundled Pima data (768 x 8)",
        load=lambda: load_pima(return_X_y=True),
        make_pipeline=pima_pipeline,
        scoring="accuracy",
        default_epochs=150,
    )
)
