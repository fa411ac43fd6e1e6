"""Write docs/errors.md: every bad input of tests/test_bad_input.py and the message it gets.

Run from the repository root: ``python scripts/error_table.py``. The test
suite checks that every case is listed, so a new case means running this
again.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from tests import test_bad_input as cases  # noqa: E402

HEADER = """# Bad input and the errors it gets

skdeep checks what it is given and says what happened, what was expected and
how to fix it. This table is generated from the test suite
(`tests/test_bad_input.py`, by `scripts/error_table.py`): each row is a case
that is tested on the TensorFlow and JAX backends, with the message a user
sees (long messages are cut at 300 characters).

"""


def _message(call):
    try:
        call()
    except Exception as error:  # the point: collect whatever each case raises
        text = " ".join(str(error).split())
        text = text if len(text) <= 300 else text[:297] + "..."
        return type(error).__name__, text.replace("|", "\\|")
    return "(no error)", "this case no longer raises: fix the test or the code"


def main():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4)).astype("float32")
    y = np.array(["a", "b", "c"] * 20, dtype=object)
    fitted = cases.classifier().fit(X, y)
    sections = [
        (
            "Training (`fit`, `partial_fit`)",
            [(c[0], lambda c=c: c[1](X, y)) for c in cases.FIT_CASES],
        ),
        (
            "Prediction and scoring",
            [(c[0], lambda c=c: c[1](fitted, X, y)) for c in cases.PREDICT_CASES],
        ),
        ("Transformers", [(c[0], c[1]) for c in cases.TRANSFORMER_CASES]),
    ]
    lines = [HEADER]
    for title, rows in sections:
        lines += [f"## {title}\n", "| input | error | message |", "| --- | --- | --- |"]
        for name, call in rows:
            kind, text = _message(call)
            lines.append(f"| {name} | `{kind}` | {text} |")
        lines.append("")
    lines.append(
        "Token ids outside an embedding's vocabulary are refused at prediction as at "
        "training (`X holds token ids from ... to ...`), a malformed Bank Marketing file "
        "gets a `DatasetIntegrityError` naming the file, and `skdeep run --save/--plot` "
        "into a missing folder, a folder or an unwritable place fails before the run "
        "with the path and what to do.\n"
    )
    (ROOT / "docs" / "errors.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
