"""From a network function to a built-in builder.

A family module writes only its network: ``network(meta, **hyperparameters)
-> keras.Model``, uncompiled. :func:`builder` turns it into the public
builder, which also takes ``compile_kwargs`` and the optimizer knobs and
compiles the network when it is called on its own. The estimators call the
network itself (``builder.network``) and compile it with everything they
know (routed options, the data feed's ``steps_per_execution``).
"""

import functools
import inspect

from skdeep._fit.compiling import DEPRECATED_KNOBS, OPTIMIZER_KNOBS, compile_model

_KNOB_DEFAULTS = {
    "learning_rate": None,
    "momentum": None,
    "nesterov": None,
    "decay": 0.0,
    "decay_rate": 1.0,
    "decay_epochs": 10,
    "drop": None,
    "epochs_drop": None,
}


def builder(network):
    """Wrap ``network`` into a builder that compiles what it builds.

    The builder's signature is ``(meta, compile_kwargs=None, *,
    <network's hyperparameters>, <optimizer knobs>)``, so that estimators
    list every argument as a parameter and ``GridSearchCV`` can tune it.
    """
    own = inspect.signature(network).parameters.values()
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("meta", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("compile_kwargs", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None),
        *(p for p in own if p.name != "meta"),
        *(
            inspect.Parameter(name, keyword, default=value)
            for name, value in _KNOB_DEFAULTS.items()
        ),
    ]

    @functools.wraps(network)
    def build(meta, compile_kwargs=None, **arguments):
        knobs = {k: arguments.pop(k) for k in list(arguments) if k in _KNOB_DEFAULTS}
        unknown = set(arguments) - {p.name for p in own}
        if unknown:
            raise TypeError(f"{network.__name__}() got unexpected arguments {sorted(unknown)}")
        return compile_model(network(meta, **arguments), meta, compile_kwargs, **knobs)

    build.__signature__ = inspect.Signature(parameters)
    build.network = network
    return build


def is_knob(name):
    """Whether ``name`` configures the optimizer rather than the network."""
    return name in OPTIMIZER_KNOBS or name in DEPRECATED_KNOBS
