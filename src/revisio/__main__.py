"""``python -m revisio`` is the same as the ``revisio`` command."""

import sys

from revisio.cli import main

sys.exit(main())
