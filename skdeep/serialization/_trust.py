"""Which names a skdeep file may refer to, decided on the names as text.

A skdeep file holds data only. Where it must refer to code (a model builder,
an estimator class, a loss function, a callback class, a custom layer), it
holds that code's name. Deciding whether a name is trusted never imports
anything: the name is looked up, as a string, in a table of objects skdeep
trusts by default (built from modules that are already imported) and in what
the caller passed as ``trusted``. Only a name the caller trusted *as a
string* is imported, and only when the object is needed.

Trusted by default, each for one use:

* ``"object"``: classes whose instances the file rebuilds attribute by
  attribute: skdeep's estimators and a fixed list of scikit-learn
  meta-estimators (``Pipeline``, ``TransformedTargetRegressor``, ...);
* ``"callable"``: functions and classes a parameter may hold: the built-in
  builders, Keras' optimizers, losses, metrics, activations, learning-rate
  schedules, initializers, regularizers and constraints, NumPy scalar types,
  and the callbacks that touch no file, folder or server;
* ``"callback"``: callback classes the file may construct with arguments
  (the same side-effect-free callbacks);
* ``"skops"``: skdeep's own data-only transformers inside skops members
  (scikit-learn's types are skops' own business).

Some names are never trusted, whatever the caller says: the classes that
would unpickle data (skdeep's pickling wrappers) and the usual entry points of
code execution. A file naming them was not written by :func:`skdeep.save`.
"""

import functools
import importlib
import inspect

import keras
import numpy as np

from skdeep.exceptions import UntrustedContentError

#: Callbacks that write files or folders, or talk to a server: a file from
#: someone else could make the next ``fit`` overwrite a user's file or send
#: the training log away. They load only when the caller trusts them.
SIDE_EFFECT_CALLBACKS = (
    "BackupAndRestore",
    "CSVLogger",
    "LambdaCallback",
    "ModelCheckpoint",
    "OrbaxCheckpoint",
    "RemoteMonitor",
    "TensorBoard",
)

#: Names never loaded: what they rebuild would unpickle or run code.
_NEVER_PREFIXES = (
    "skdeep.estimators._persistence.",
    "skdeep._fit.persistence.",
    "pickle.",
    "_pickle.",
    "cloudpickle.",
    "copyreg.",
    "dill.",
    "joblib.",
    "marshal.",
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "builtins.__import__",
    "builtins.getattr",
    "builtins.setattr",
    "builtins.open",
    "importlib.",
    "runpy.",
    "code.",
    "os.",
    "posix.",
    "nt.",
    "subprocess.",
    "shutil.",
    "socket.",
    "ctypes.",
)

_KERAS_MODULES = {
    "optimizers": (keras.optimizers.Optimizer,),
    "optimizers.schedules": (keras.optimizers.schedules.LearningRateSchedule,),
    "losses": (keras.losses.Loss, "function"),
    "metrics": (keras.metrics.Metric, "function"),
    "activations": ("function",),
    "initializers": (keras.initializers.Initializer,),
    "regularizers": (keras.regularizers.Regularizer,),
    "constraints": (keras.constraints.Constraint,),
}
#: Helper functions of those modules that are not modelling objects.
_NOT_MODELLING = ("get", "serialize", "deserialize")

#: scikit-learn meta-estimators a file may hold around skdeep estimators.
_SKLEARN_CONTAINERS = {
    "sklearn.pipeline": ("Pipeline", "FeatureUnion"),
    "sklearn.compose": ("ColumnTransformer", "TransformedTargetRegressor"),
    "sklearn.multioutput": ("MultiOutputClassifier", "MultiOutputRegressor"),
    "sklearn.multiclass": ("OneVsRestClassifier", "OneVsOneClassifier"),
    "sklearn.ensemble": (
        "VotingClassifier",
        "VotingRegressor",
        "StackingClassifier",
        "StackingRegressor",
    ),
    "sklearn.frozen": ("FrozenEstimator",),
}


def name_of(obj):
    """The name a file records for a function or class: its public name where it has one.

    Examples
    --------
    >>> name_of(keras.optimizers.Adam)
    'keras.optimizers.Adam'
    >>> name_of(np.linalg.norm)
    'numpy.linalg.norm'
    """
    public = _public_names().get(id(obj))
    if public is not None and _defaults()[public][1] is obj:
        return public
    return f"{obj.__module__}.{obj.__qualname__}"


def never_trusted(name):
    """Whether ``name`` is never loaded, whatever the caller trusts.

    Examples
    --------
    >>> never_trusted("skdeep.estimators._persistence.PickledByValue")
    True
    >>> never_trusted("keras.optimizers.Adam")
    False
    """
    return isinstance(name, str) and (
        name.startswith(_NEVER_PREFIXES) or name in ("builtins.eval", "builtins.exec")
    )


class Trust:
    """What one ``load`` call may rebuild: the defaults plus the caller's ``trusted``.

    Parameters
    ----------
    trusted : list of str or objects, or None
        Names (imported only when needed) or the objects themselves.
    path : str
        The file, for messages.
    """

    def __init__(self, trusted, path):
        self.path = path
        self.objects, self.names = {}, set()
        for item in trusted or ():
            if isinstance(item, str):
                self.names.add(item)
            else:
                self.objects[name_of(item)] = item
                self.objects.setdefault(f"{item.__module__}.{item.__qualname__}", item)

    def trusts(self, name, kind):
        """Whether ``name`` may be used as ``kind``; decided on the text, importing nothing."""
        if not isinstance(name, str) or never_trusted(name):
            return False
        if name in self.names or name in self.objects or self._script_object(name):
            return True
        entry = _defaults().get(name)
        return entry is not None and kind in entry[0]

    def resolve(self, name, kind):
        """The object ``name`` stands for, if trusted as ``kind``; an error otherwise."""
        if not self.trusts(name, kind):
            raise untrusted_error(self.path, [name])
        if name in self.objects:
            return self.objects[name]
        script = self._script_object(name)
        if script is not None:
            return script
        entry = _defaults().get(name)
        if entry is not None and kind in entry[0]:
            return entry[1]
        return _import(name, self.path)  # a name the caller trusted as a string

    def _script_object(self, name):
        """A function or class defined in the caller's script, matched by its name."""
        if not name.startswith("__main__."):
            return None
        short = name.split(".")[-1]
        for key, obj in self.objects.items():
            if key.split(".")[-1] == short:
                return obj
        return None


def untrusted_error(path, names, never=()):
    """The error for names a file refers to that the caller did not trust.

    Names in ``never`` (and those :func:`never_trusted` names) are never
    suggested for ``trusted=``: the error says the file is not to be loaded.
    """
    names = sorted({str(n) for n in names})
    never = [n for n in names if never_trusted(n) or n in never]
    if never:
        return UntrustedContentError(
            f"{path} refers to {never}, which skdeep never loads: rebuilding it would "
            "unpickle data or run code. skdeep.save never writes such names, so the file "
            "was made or changed by someone else. Do not load it; if it is your own "
            "file, save the estimator again with skdeep.save."
        )
    return UntrustedContentError(
        f"{path} refers to {names}, which {'is' if len(names) == 1 else 'are'} not trusted: "
        "loading would import that code and later run it. If you trust "
        f"{'it' if len(names) == 1 else 'them'}, pass trusted={names!r} (or the objects "
        "themselves); skdeep.get_untrusted(path) lists every such name without importing "
        "anything."
    )


def _import(name, path):
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module_name, attributes = ".".join(parts[:split]), parts[split:]
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        try:
            for attribute in attributes:
                obj = getattr(obj, attribute)
        except AttributeError:
            break
        return obj
    raise UntrustedContentError(
        f"{path} refers to {name}, which cannot be imported here. Pass the object itself "
        f"in trusted=[...] (for a function defined in a script or notebook: "
        f"trusted=[{parts[-1]}]), or install the package that defines it."
    )


@functools.cache
def _defaults():
    """Every name trusted by default: name -> (kinds, object)."""
    table = {}

    def add(public, obj, kinds):
        for name in (public, f"{obj.__module__}.{obj.__qualname__}"):
            if name not in table:
                table[name] = (frozenset(kinds), obj)

    from skdeep import estimators, wrappers
    from skdeep import preprocessing as skdeep_preprocessing
    from skdeep._fit import compiling
    from skdeep._fit.targets import OutputTargets
    from skdeep.models.registry import BUILDERS

    for name in ("KerasClassifier", "KerasRegressor", "KerasTransformer"):
        add(f"skdeep.{name}", getattr(estimators, name), {"object"})
    for name in wrappers.__all__:
        add(f"skdeep.wrappers.{name}", getattr(wrappers, name), {"object"})
    for name, builder in BUILDERS.items():
        add(f"skdeep.models.{name}", builder, {"callable"})
    for name in skdeep_preprocessing.__all__:
        obj = getattr(skdeep_preprocessing, name)
        if inspect.isclass(obj):
            add(f"skdeep.preprocessing.{name}", obj, {"skops"})
    add("skdeep.estimators._outputs.OutputTargets", OutputTargets, {"skops"})  # skdeep 0.1 files
    add("skdeep.models.EpochDecay", compiling.EpochDecay, {"callable"})
    add("skdeep.models._compile.EpochDecay", compiling.EpochDecay, {"callable"})  # skdeep 0.1

    for module_name, accepted in _KERAS_MODULES.items():
        module = keras
        for part in module_name.split("."):
            module = getattr(module, part)
        for attribute in sorted(vars(module)):
            obj = getattr(module, attribute)
            if attribute.startswith("_") or attribute in _NOT_MODELLING:
                continue
            if _is_one_of(obj, accepted):
                add(f"keras.{module_name}.{attribute}", obj, {"callable"})
    for attribute in sorted(vars(keras.callbacks)):
        obj = getattr(keras.callbacks, attribute)
        if (
            inspect.isclass(obj)
            and issubclass(obj, keras.callbacks.Callback)
            and attribute not in SIDE_EFFECT_CALLBACKS
            and attribute not in ("Callback", "CallbackList")
        ):
            add(f"keras.callbacks.{attribute}", obj, {"callable", "callback"})

    for module_name, names in _SKLEARN_CONTAINERS.items():
        module = importlib.import_module(module_name)  # a fixed list, never from a file
        for name in names:
            add(f"{module_name}.{name}", getattr(module, name), {"object"})
    # NumPy 1.x also keys sctypeDict by type numbers (ints): names only.
    for name in sorted(key for key in np.sctypeDict if isinstance(key, str)):
        obj = np.sctypeDict[name]
        if vars(np).get(name) is obj:
            add(f"numpy.{name}", obj, {"callable"})
    return table


@functools.cache
def _public_names():
    """id(object) -> the public name it is recorded under."""
    found = {}
    for name, (_, obj) in _defaults().items():
        found.setdefault(id(obj), name)
    return found


def _is_one_of(obj, accepted):
    for kind in accepted:
        if kind == "function":
            if inspect.isfunction(obj):
                return True
        elif inspect.isclass(obj) and issubclass(obj, kind) and obj is not kind:
            return True
    return False
