"""Run as ``python -m micrograd_like.draw``: see ``micrograd_like.draw.cli``."""

import sys

from micrograd_like.draw.cli import main

sys.exit(main())
