"""Links from an estimator's HTML representation (in a notebook) to its API page.

scikit-learn's HTML representation shows a "?" link to the documentation
of each estimator, built from three class attributes (``_doc_link_module``,
``_doc_link_template``, ``_doc_link_url_param_generator``).
:class:`DocumentationLinks` sets them to the page the documentation site
generates for the public name of the class (``skdeep.KerasClassifier``,
``skdeep.preprocessing.TextToSequences``, ...), on the site of the
installed version.
"""

import importlib

#: Where the site of each version is published (Read the Docs' layout).
SITE = "https://scikit-deep.readthedocs.io/en/{version}/"

#: Modules whose ``__all__`` names the public classes, in order of preference.
PUBLIC_MODULES = (
    "skdeep",
    "skdeep.preprocessing",
    "skdeep.model_selection",
    "skdeep.wrappers",
)


def public_name(cls):
    """The name under which the API reference documents ``cls``.

    Examples
    --------
    >>> from skdeep.preprocessing import TextToSequences
    >>> public_name(TextToSequences)
    'skdeep.preprocessing.TextToSequences'
    """
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            if getattr(module, name, None) is cls:
                return f"{module_name}.{name}"
    for base in cls.__mro__[1:]:  # a user's subclass links to what it extends
        if base.__module__.startswith("skdeep"):
            found = public_name(base)
            if found:
                return found
    return None


class DocumentationLinks:
    """Mixin: the "?" of the estimator's HTML representation opens its API page."""

    _doc_link_module = "skdeep"
    _doc_link_template = SITE + "generated/{page}.html"

    def _doc_link_url_param_generator(self):
        from skdeep import __version__

        page = public_name(type(self))
        return {"version": __version__, "page": page or "api"}
