"""The framework layer: everything that touches TensorFlow, JAX, joblib or Keras internals.

It imports nothing from the rest of skdeep (except ``skdeep.exceptions``):
the estimators and the fit chain call it, never the other way round. Each
use of a private framework internal lives inside the one function that needs
it, guarded, with what happens without it documented there and tested; a
lint rule (``TID251`` in ``pyproject.toml``) forbids those internals in every
other module.

- :mod:`.backend`: which Keras backend the process will load, and a clear
  error naming the extras when it is not installed;
- :mod:`.seeding`: seeding a fit and putting every random stream back;
- :mod:`.threads`: the framework's thread pools in parallel workers;
- :mod:`.tensorflow`: what needs TensorFlow itself (seeds, tf.data feeds,
  the retracing warning, traced graphs, strategies);
- :mod:`.dask`: the joblib backend behind :func:`skdeep.parallel.dask_backend`.
"""
