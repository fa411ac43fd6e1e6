"""Print the lowest versions ``pyproject.toml`` allows, as pins for pip's ``--constraint``.

Every ``name>=X.Y`` requirement of the dependencies and of the extras
named on the command line (default: ``test`` and ``tensorflow``) becomes
``name==X.Y.*`` (the lowest release line allowed, with its fixes), so
that ``pip install -e ".[test]" -c pins.txt`` installs the oldest
releases skdeep says it supports, as the
minimum-dependencies jobs of the scikit-learn ecosystem do (``.ci/run``)::

    python scripts/lowest_requirements.py test tensorflow > pins.txt

Requirements without a lower bound are left to pip. Needs Python 3.11
(``tomllib``) and ``packaging``.
"""

import sys
from pathlib import Path

import tomllib
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def lowest_pins(extras):
    """``{name: "name==X.Y.*"}`` for the dependencies and the given extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        if requirement.name == "scikit-deep":
            continue
        lows = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if lows:
            # name==X.Y.*: the lowest release line, its newest patch (a line
            # may never have had an X.Y.0 on the index, as TensorFlow 2.16).
            pins[requirement.name] = f"{requirement.name}=={lows[0]}.*"
    return pins


def main(argv):
    for pin in lowest_pins(argv or ["test", "tensorflow"]).values():
        print(pin)


if __name__ == "__main__":
    main(sys.argv[1:])
