"""Sphinx configuration of skdeep's documentation site.

Build it with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``
(after ``pip install -e ".[docs]"``); the guide pages are the Markdown files
of this folder, the API reference comes from the numpydoc docstrings, and
the gallery runs the scripts of ``examples/`` at build time.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import skdeep  # noqa: E402

project = "skdeep"
author = "the skdeep developers"
copyright = "2026, the skdeep developers"  # noqa: A001 (Sphinx's name)
release = skdeep.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]

# Markdown: heading anchors for links such as scaling.md#when-a-worker-dies.
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# API reference: one page per public name, from the numpydoc docstrings.
autosummary_generate = True
autosummary_imported_members = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# The gallery: every examples/plot_*.py runs during the build.
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib",),
    "doc_module": ("skdeep",),
    "backreferences_dir": "generated/backreferences",
    "inspect_global_variables": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skdeep {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
    "header_links_before_dropdown": 6,
}
html_static_path = []
html_show_sourcelink = False
