"""Every public docstring parses as numpydoc and documents what it should.

The API reference is generated from these docstrings, so a parameter that
numpydoc cannot see (as happened when the shared parameter text was spliced
in at the wrong indentation) is missing from the reference.
"""

import importlib
import inspect
import warnings

import pytest
from numpydoc.docscrape import NumpyDocString
from numpydoc.validate import validate

MODULES = [
    "skdeep",
    "skdeep.models",
    "skdeep.preprocessing",
    "skdeep.datasets",
    "skdeep.tasks",
    "skdeep.serialization",
    "skdeep.model_selection",
    "skdeep.parallel",
    "skdeep.wrappers",
]
#: The numpydoc checks enforced: a docstring exists, every parameter is
#: documented with a type and a description, none is documented that does not
#: exist, the order is the signature's, and results are described.
CHECKS = {"GL08", "PR01", "PR02", "PR03", "PR04", "PR07", "RT01", "RT03", "YD01"}


def _public_names():
    names = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            # numpydoc imports the object from where it is defined.
            qualified = f"{obj.__module__}.{obj.__qualname__}"
            names.append(qualified)
            if inspect.isclass(obj):
                names += _methods(obj, qualified)
    return sorted(set(names))


def _methods(cls, qualified):
    found = []
    for name in dir(cls):
        if name.startswith("_"):
            continue
        member = inspect.getattr_static(cls, name)
        function = member.fget if isinstance(member, property) else member
        function = getattr(function, "__func__", function)
        if inspect.isfunction(function) and function.__module__.startswith("skdeep"):
            found.append(f"{qualified}.{name}")
    return found


NAMES = _public_names()


@pytest.mark.parametrize("name", NAMES)
def test_the_docstring_passes_numpydoc_validation(name):
    errors = [(code, message) for code, message in validate(name)["errors"] if code in CHECKS]
    assert errors == []


@pytest.mark.parametrize("name", NAMES)
def test_the_docstring_parses_without_warnings(name):
    obj = _load(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        NumpyDocString(inspect.getdoc(obj))


def test_the_classifier_documents_class_weight_and_its_attributes():
    from skdeep import KerasClassifier

    doc = NumpyDocString(inspect.getdoc(KerasClassifier))
    parameters = [p.name for p in doc["Parameters"]]
    attributes = [a.name for a in doc["Attributes"]]
    assert "class_weight" in parameters and parameters[-1] == "**kwargs"
    assert {"classes_", "n_classes_", "target_type_", "model_", "history_"} <= set(attributes)


def _load(name):
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = inspect.getattr_static(obj, attribute)
        return getattr(obj, "fget", getattr(obj, "__func__", obj))
    raise ImportError(name)


def _estimator_classes():
    from sklearn.base import BaseEstimator

    found = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


ESTIMATOR_CLASSES = _estimator_classes()


@pytest.mark.parametrize("name", sorted(ESTIMATOR_CLASSES))
def test_the_parameters_are_written_once_signature_constraints_and_docs_agree(name):
    cls = ESTIMATOR_CLASSES[name]
    signature = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]
    documented = [
        item.name.split(":")[0].strip() for item in NumpyDocString(cls.__doc__)["Parameters"]
    ]
    documented = [n for part in documented for n in part.replace(" ", "").split(",")]
    constraints = getattr(cls, "_parameter_constraints", {})
    assert set(constraints) == set(signature), "constraints and signature differ"
    assert [n for n in documented if not n.startswith("**")] == signature


@pytest.mark.parametrize("name", ["SKLearnClassifier", "SKLearnRegressor"])
def test_the_keras_wrapper_classes_keep_every_other_parameter_at_its_default(name):
    from skdeep import wrappers

    cls = getattr(wrappers, name)
    base = cls.__mro__[2]  # KerasClassifier or KerasRegressor, after the mixin
    own = set(inspect.signature(cls.__init__).parameters)
    for parameter in inspect.signature(base.__init__).parameters.values():
        if parameter.name in own or parameter.kind == parameter.VAR_KEYWORD:
            continue
        assert getattr(cls, parameter.name) == parameter.default, parameter.name
