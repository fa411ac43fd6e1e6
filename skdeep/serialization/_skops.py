"""scikit-learn parts of a skdeep file, as skops members, audited before they are read.

skops stores a scikit-learn object as a tree of typed nodes and lists the
types it would import (``skops.io.get_untrusted_types``) without loading
anything. skdeep adds its own audit of the same tree, read as text:

* skdeep's data-only transformers (the target encoders, text and image
  transformers) are trusted; every other skdeep type (an estimator, the
  pickling wrappers) is never loaded from a skops member, because
  :func:`skdeep.save` never puts one there;
* every function, method or type the tree refers to (a
  ``FunctionTransformer``'s ``func``, say) is untrusted unless the caller
  trusts it by name, except NumPy's ufuncs and scalar types.
"""

import io
import json
import zipfile

import numpy as np

from skdeep.serialization._archive import check_inner_zip, damaged
from skdeep.serialization._trust import never_trusted, untrusted_error

#: Node loaders that refer to code by name.
_CODE_LOADERS = ("FunctionNode", "MethodNode", "PartialNode", "TypeNode")


def dumps(obj):
    """The skops bytes of a scikit-learn object."""
    import skops.io

    return skops.io.dumps(obj)


def untrusted_types(blob, trust, path):
    """Every type or function the skops member ``blob`` names that ``trust`` does not allow."""
    import skops.io

    check_inner_zip(blob, path, "a scikit-learn part")
    try:
        listed = set(skops.io.get_untrusted_types(data=blob))
        referenced = _referenced_names(blob)
    except Exception as error:
        raise damaged(path, f"a scikit-learn part cannot be read: {error}") from error
    untrusted = set()
    for name in listed | referenced:
        if never_trusted(name):
            untrusted.add(name)
        elif name.startswith("skdeep."):
            if not trust.trusts(name, "skops"):
                untrusted.add(name)
        elif (name in listed or not _harmless(name)) and not trust.trusts(name, "callable"):
            untrusted.add(name)
    return untrusted


def loads(blob, trust, path):
    """The scikit-learn object of a skops member, after both audits passed."""
    import skops.io

    refused = untrusted_types(blob, trust, path)
    if refused:
        # skdeep.save never puts a skdeep estimator in a skops member: its
        # unpickling of the model would run there.
        raise untrusted_error(path, refused, never=[n for n in refused if n.startswith("skdeep.")])
    allowed = [name for name in _referenced_names(blob) | _all_listed(blob)]
    try:
        return skops.io.loads(blob, trusted=allowed)
    except Exception as error:
        raise damaged(path, f"a scikit-learn part cannot be loaded: {error}") from error


def _all_listed(blob):
    import skops.io

    return set(skops.io.get_untrusted_types(data=blob))


def _referenced_names(blob):
    """Names of the types and code the skops tree refers to, read from its schema as text."""
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        schema = json.loads(archive.read("schema.json"))
    found, pending = set(), [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        loader = node.get("__loader__")
        module, cls = node.get("__module__"), node.get("__class__")
        named = isinstance(module, str) and isinstance(cls, str)
        if named and (module.startswith("skdeep") or loader in _CODE_LOADERS):
            found.add(f"{module}.{cls}")
        content = node.get("content")
        if loader == "FunctionNode" and isinstance(content, dict):
            found.add(f"{content.get('module_path')}.{content.get('function')}")
        pending.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return found


#: Where skops finds NumPy's ufuncs: ``numpy`` on NumPy 2, the C module of
#: ``numpy.core`` on NumPy 1 (``numpy.core._multiarray_umath.tanh``). A fixed
#: list: nothing named in a file is imported to decide.
_NUMPY_HOMES = ("numpy", "numpy.core._multiarray_umath", "numpy._core._multiarray_umath")


def _harmless(name):
    """NumPy's ufuncs and scalar types, and Python's primitive types, as text."""
    module, _, attribute = name.rpartition(".")
    if module == "builtins":
        return attribute in ("int", "float", "str", "bool", "complex", "bytes", "list", "tuple")
    if module in _NUMPY_HOMES:
        obj = vars(np).get(attribute)
        return isinstance(obj, np.ufunc) or (isinstance(obj, type) and issubclass(obj, np.generic))
    return False
