"""The user guide's code runs as written, and its parameter tables are complete."""

import inspect
import re
from pathlib import Path

import pytest

from skdeep.models import cnn, mlp, rnn
from skdeep.models._docs import SHARED_PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
#: Pages whose examples train for long (tutorials with the published
#: epochs): they run with the slow tests.
LONG_PAGES = [
    "estimators.md",
    "models.md",
    "tutorial-tabular.md",
    "tutorial-images.md",
    "tutorial-text.md",
    "tuning.md",
    "scaling.md",
    "time-series.md",
]
PAGES = [
    *(pytest.param(page, marks=pytest.mark.slow) for page in LONG_PAGES),
    "quickstart.md",
    "mlp.md",
    "cnn.md",
    "rnn.md",
    "datasets.md",
    "tasks.md",
    "saving.md",
    "migration.md",
    "sparse.md",
    "transformer.md",
    "multi-io.md",
]
SHARED = set(SHARED_PARAMETERS)


def code_blocks(path):
    """The ```python blocks of a Markdown file, in order."""
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.DOTALL)


@pytest.mark.parametrize("page", PAGES)
def test_every_example_of_the_page_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    blocks = code_blocks(ROOT / "docs" / page)
    assert blocks, f"{page} has no example"
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)


@pytest.mark.slow
def test_the_readme_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for block in code_blocks(ROOT / "README.md"):
        exec(compile(block, "README.md", "exec"), namespace)


@pytest.mark.parametrize(("builder", "page"), [(mlp, "mlp.md"), (cnn, "cnn.md"), (rnn, "rnn.md")])
def test_each_family_page_documents_every_parameter(builder, page):
    text = (ROOT / "docs" / page).read_text()
    shared = (ROOT / "docs" / "models.md").read_text()
    names = set(inspect.signature(builder).parameters) - {"meta", "compile_kwargs"}
    for name in sorted(names - SHARED):
        assert f"| `{name}` |" in text, f"{page} does not document {name}"
    for name in sorted(SHARED):
        assert f"`{name}`" in shared, f"models.md does not document {name}"
        assert name in (builder.__doc__ or ""), f"{builder.__name__} docstring lacks {name}"


@pytest.mark.parametrize("page", ["tasks.md", "results.md"])
def test_every_task_is_documented(page):
    from skdeep.tasks import all_tasks

    text = (ROOT / "docs" / page).read_text()
    for task in all_tasks():
        assert f"`{task.name}`" in text, f"{page} does not list {task.name}"


def test_the_error_table_lists_every_bad_input_case():
    from tests.test_bad_input import FIT_CASES, PREDICT_CASES, TRANSFORMER_CASES

    text = (ROOT / "docs" / "errors.md").read_text()
    for case in (*FIT_CASES, *PREDICT_CASES, *TRANSFORMER_CASES):
        assert f"| {case[0]} |" in text, (
            f"docs/errors.md lacks {case[0]!r}: run scripts/error_table.py"
        )
    assert "no longer raises" not in text


def _api_reference():
    """The objects the API page documents: (module, name) of every autosummary entry."""
    text = (ROOT / "docs" / "api.md").read_text()
    entries = []
    for block in re.findall(r"```\{eval-rst\}\n(.*?)```", text, re.S):
        module = re.search(r"\.\. currentmodule:: (\S+)", block).group(1)
        entries += [(module, name) for name in re.findall(r"^   (\w+)$", block, re.M)]
    return entries


def test_every_public_name_has_an_api_page():
    import importlib

    from tests.test_docstrings import MODULES

    documented = {id(getattr(importlib.import_module(m), n)) for m, n in _api_reference()}
    missing = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            foreign = not getattr(obj, "__module__", "skdeep").startswith("skdeep")
            if name == "__version__" or (callable(obj) and foreign):
                continue  # the version string; scikit-learn's own loaders, re-exported
            if id(obj) not in documented:
                missing.append(f"{module_name}.{name}")
    assert not missing, f"docs/api.md lacks {missing}"


def test_the_html_representation_links_each_estimator_to_its_api_page():
    import importlib

    from sklearn.base import BaseEstimator

    pages = {f"{m}.{n}" for m, n in _api_reference()}
    for module, name in _api_reference():
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
            continue
        link = cls.__new__(cls)._get_doc_link()
        page = link.rsplit("/generated/", 1)[1].removesuffix(".html")
        assert page in pages, (cls, link)
