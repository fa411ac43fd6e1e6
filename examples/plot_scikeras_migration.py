"""
Code written for scikeras
=========================

scikeras' quick-start, with one line changed: the import. The builder takes
``meta`` and its own arguments, routed parameters (``model__...``,
``optimizer__...``) reach their destinations, and ``GridSearchCV`` tunes
them, as in scikeras.
"""

import keras
import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV

from skdeep.wrappers import KerasClassifier  # was: from scikeras.wrappers import ...

X, y = make_classification(1000, 20, n_informative=10, random_state=0)


def get_model(hidden_layer_dim, meta):
    n_features_in_ = meta["n_features_in_"]
    n_classes_ = meta["n_classes_"]
    model = keras.models.Sequential()
    model.add(keras.layers.Input(shape=(n_features_in_,)))
    model.add(keras.layers.Dense(hidden_layer_dim, activation="relu"))
    model.add(keras.layers.Dense(n_classes_ if n_classes_ > 2 else 1, activation="sigmoid"))
    return model


clf = KerasClassifier(
    get_model,
    loss="binary_crossentropy",
    hidden_layer_dim=16,
    optimizer="adam",
    optimizer__learning_rate=0.01,
    epochs=10,
    verbose=0,
    random_state=0,
)
search = GridSearchCV(
    clf, {"hidden_layer_dim": [4, 32], "optimizer__learning_rate": [0.001, 0.01]}, cv=3
)
search.fit(X, y)
print(f"best accuracy {search.best_score_:.3f} with {search.best_params_}")

# %%
# The training loss of the refitted best model, epoch by epoch.
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(search.best_estimator_.history_["loss"])
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
fig.tight_layout()
plt.show()
