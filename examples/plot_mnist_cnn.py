"""
Handwritten digits with a CNN
=============================

The built-in ``"cnn"`` builder on 1,000 real MNIST digits bundled with
skdeep: ``ImageReshaper`` turns flat rows of pixels into 28 x 28 images,
``PixelScaler`` scales them, and the network's training curve is in
``history_``.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier
from skdeep.datasets import load_mnist_subset
from skdeep.preprocessing import ImageReshaper, PixelScaler

X, y = load_mnist_subset(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
cnn = make_pipeline(
    ImageReshaper((28, 28, 1)),
    PixelScaler(),
    KerasClassifier("cnn", epochs=8, batch_size=32, validation_fraction=0.1, random_state=0),
)
cnn.fit(X_train, y_train)
print(f"test accuracy {cnn.score(X_test, y_test):.3f}")

# %%
# Training and validation loss per epoch, and a few test digits.
history = cnn[-1].history_
fig, axes = plt.subplots(1, 2, figsize=(8, 3))
axes[0].plot(history["loss"], label="training")
axes[0].plot(history["val_loss"], label="validation")
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("loss")
axes[0].legend()
axes[1].axis("off")
predicted = cnn.predict(X_test[:8])
for i in range(8):
    inset = axes[1].inset_axes([(i % 4) / 4, 0.5 - (i // 4) / 2, 0.24, 0.45])
    inset.imshow(X_test[i].reshape(28, 28), cmap="gray_r")
    inset.set_title(f"{predicted[i]}", fontsize=9)
    inset.axis("off")
fig.tight_layout()
plt.show()
