"""The architecture of docs/architecture.md, checked as a maintainer would check it.

One array fit walks down the layers: the estimator's class plans the fit
(:func:`skdeep._fit.parameters.plan_fit`), then runs the steps of the chain
(data, building, training), each of which calls only modules below it and,
through the hooks the base class declares, the estimator's own class. A
profile hook records every call from one of skdeep's modules into another
during one fit of a user's builder with a seed.
"""

import ast
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier

ROOT = Path(__file__).resolve().parent.parent / "skdeep"
#: The estimator's own class: the chain calls back the hooks declared there.
_ESTIMATOR = ("skdeep.estimators.base", "skdeep.estimators.classifier")


def _network(meta):
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def _calls_of_one_fit():
    """Every call between two skdeep modules during one fit, and the modules entered."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 4)).astype("float32"), rng.integers(0, 3, 60)
    KerasClassifier(_network, epochs=1, random_state=0, verbose=0).fit(X, y)  # imports done
    clf = KerasClassifier(_network, epochs=1, random_state=0, verbose=0)
    calls, entered = [], set()

    def hook(frame, event, arg):
        if event != "call":
            return
        name = frame.f_globals.get("__name__", "")
        if not name.startswith("skdeep"):
            return
        entered.add(name)
        back = frame.f_back
        caller = back.f_globals.get("__name__", "") if back is not None else ""
        if caller.startswith("skdeep") and caller != name:
            calls.append((caller, back.f_code.co_name, name, frame.f_code.co_name))

    sys.setprofile(hook)
    try:
        clf.fit(X, y)
    finally:
        sys.setprofile(None)
    return calls, entered


@pytest.fixture(scope="module")
def one_fit():
    return _calls_of_one_fit()


def test_an_array_fit_enters_at_most_thirteen_modules(one_fit):
    # twelve before the compiled copies kept across fits got a module of their own
    _, entered = one_fit
    assert {"skdeep._fit.parameters", "skdeep._fit.training"} <= entered  # the hook saw the fit
    assert len(entered) <= 13, sorted(entered)


def test_no_module_of_the_fit_calls_back_into_one_that_called_it(one_fit):
    calls, _ = one_fit
    edges = {(caller, called) for caller, _, called, _ in calls if called not in _ESTIMATOR}
    both_ways = sorted((a, b) for a, b in edges if (b, a) in edges)
    assert both_ways == []


def test_the_fit_is_planned_once_then_each_step_runs_once_in_order(one_fit):
    calls, _ = one_fit
    plans = [c for c in calls if c[3] == "plan_fit"]
    steps = [(module, function) for _, caller, module, function in calls if caller == "_run"]
    steps = [(m.rsplit(".", 1)[1], f) for m, f in steps if m.startswith("skdeep._fit.")]
    assert len(plans) == 1
    assert steps == [("data", "prepare"), ("building", "build"), ("training", "train")]


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_the_framework_layer_imports_nothing_above_it():
    above = []
    for path in (ROOT / "_framework").glob("*.py"):
        for module in _imports(path):
            if module.startswith("skdeep") and not module.startswith(
                ("skdeep._framework", "skdeep.exceptions")
            ):
                above.append(f"{path.name} imports {module}")
    assert above == []


def test_the_fit_chain_imports_no_estimator_module():
    upward = [
        f"{path.name} imports {module}"
        for path in (ROOT / "_fit").glob("*.py")
        for module in _imports(path)
        if module.startswith(("skdeep.estimators", "skdeep.model_selection", "skdeep.tasks"))
    ]
    assert upward == []


def test_the_import_check_sees_both_forms(tmp_path):
    (tmp_path / "m.py").write_text("import skdeep.estimators\nfrom skdeep._fit import data\n")
    assert sorted(_imports(tmp_path / "m.py")) == ["skdeep._fit", "skdeep.estimators"]
