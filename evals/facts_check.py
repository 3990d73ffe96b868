"""``python -m evals.facts_check DIR [-v]``: the same as :mod:`evals.fact_check`."""

from __future__ import annotations

import sys

from evals.fact_check import main

if __name__ == "__main__":
    main(sys.argv[1:])
