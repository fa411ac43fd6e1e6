"""
Grid search on the Pima diabetes data
=====================================

A scikit-learn ``Pipeline`` of ``StandardScaler`` and a ``KerasClassifier``
tuned by ``GridSearchCV``, as in the tutorial "Use Keras deep learning
models with scikit-learn": the network's hidden layers and its epochs are
parameters of the pipeline like any other.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier
from skdeep.datasets import load_pima

X, y = load_pima(return_X_y=True)
pipeline = make_pipeline(
    StandardScaler(),
    KerasClassifier("mlp", optimizer="adam", batch_size=32, random_state=0),
)
grid = {
    "kerasclassifier__hidden_layer_sizes": [(8,), (12, 8)],
    "kerasclassifier__epochs": [10, 30],
}
search = GridSearchCV(pipeline, grid, cv=StratifiedKFold(3, shuffle=True, random_state=0))
search.fit(X, y)
print(f"best accuracy {search.best_score_:.3f} with {search.best_params_}")

# %%
# Every candidate's mean accuracy over the three folds, with its spread.
results = search.cv_results_
labels = [
    f"{p['kerasclassifier__hidden_layer_sizes']}, {p['kerasclassifier__epochs']} epochs"
    for p in results["params"]
]
order = np.argsort(results["mean_test_score"])
fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(
    np.array(labels)[order],
    results["mean_test_score"][order],
    xerr=results["std_test_score"][order],
)
ax.set_xlabel("mean accuracy (3 folds)")
ax.set_xlim(0.5, 0.85)
fig.tight_layout()
plt.show()
