"""
Sentiment of reviews with a text CNN
====================================

Raw strings in, labels out: ``TextToSequences`` turns each review into a
padded sequence of token ids and the ``"cnn"`` builder reads them with an
embedding and 1-D convolutions. The reviews are generated (skdeep's
``make_reviews``), with negations that only word order can resolve.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier
from skdeep.datasets import make_reviews
from skdeep.preprocessing import TextToSequences

texts, labels = make_reviews(800, seed=0, negation=0.3)
X_train, X_test, y_train, y_test = train_test_split(
    texts, labels, test_size=0.25, random_state=0, stratify=labels
)
print(X_train[0][:80], "...", y_train[0])
model = make_pipeline(
    TextToSequences(num_words=2000, maxlen=60),
    KerasClassifier(
        "cnn",
        vocabulary_size=2000,
        filters=(32,),
        kernel_size=3,
        global_pooling="max",
        metrics=["accuracy"],
        epochs=8,
        batch_size=32,
        validation_fraction=0.1,
        random_state=0,
    ),
)
model.fit(X_train, y_train)
print(f"test accuracy {model.score(X_test, y_test):.3f}")

# %%
# Accuracy per epoch on the training rows and on the held-out tenth.
history = model[-1].history_
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(history["accuracy"], label="training")
ax.plot(history["val_accuracy"], label="validation")
ax.set_xlabel("epoch")
ax.set_ylabel("accuracy")
ax.legend()
fig.tight_layout()
plt.show()
