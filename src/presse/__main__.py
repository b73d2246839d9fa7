"""``python -m presse``: see :mod:`presse.cli`."""

import sys

from presse.cli import main

sys.exit(main())
