"""``python -m skdeep``: the same as the ``skdeep`` command."""

import sys

from skdeep.cli import main

if __name__ == "__main__":
    sys.exit(main())
