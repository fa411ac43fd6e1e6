"""
Iris species with string labels
===============================

A ``KerasClassifier`` takes the labels as they are: here the species names.
It learns ``classes_`` from them, predicts names, and works with
scikit-learn's metrics and displays.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier

iris = load_iris()
X, y = iris.data, np.array(iris.target_names)[iris.target]  # "setosa", ...
clf = make_pipeline(
    StandardScaler(),
    KerasClassifier(
        "mlp", hidden_layer_sizes=(8,), epochs=60, batch_size=16, learning_rate=0.02, random_state=0
    ),
)
predicted = cross_val_predict(clf, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
print(f"out-of-fold accuracy {np.mean(predicted == y):.3f}")
print(clf.fit(X, y)[-1].classes_)

# %%
# The out-of-fold predictions, species by species.
ConfusionMatrixDisplay.from_predictions(y, predicted, cmap="Blues")
plt.tight_layout()
plt.show()
