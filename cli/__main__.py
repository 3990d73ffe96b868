"""``python -m cli ...``: the ``huddle`` command."""

import sys

from cli.main import main

sys.exit(main())
