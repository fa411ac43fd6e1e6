"""
Boston house prices: a regression pipeline
==========================================

``StandardScaler`` and a ``KerasRegressor`` in one ``Pipeline``, evaluated
by cross-validation as the tutorial "Regression with Keras" does; the
scaler is fitted inside each fold, so no information leaks from the test
rows.
"""

import matplotlib.pyplot as plt
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasRegressor
from skdeep.datasets import load_boston

X, y = load_boston(return_X_y=True)
model = make_pipeline(
    StandardScaler(),
    KerasRegressor("mlp", hidden_layer_sizes=(13, 6), epochs=60, batch_size=16, random_state=0),
)
predicted = cross_val_predict(model, X, y, cv=KFold(5, shuffle=True, random_state=0))
print(f"out-of-fold MSE {mean_squared_error(y, predicted):.1f}")

# %%
# Predicted against true prices (thousands of dollars).
fig, ax = plt.subplots(figsize=(4, 4))
ax.scatter(y, predicted, s=8, alpha=0.6)
ax.plot([0, 50], [0, 50], color="grey", linewidth=1)
ax.set_xlabel("true price")
ax.set_ylabel("predicted price")
fig.tight_layout()
plt.show()
