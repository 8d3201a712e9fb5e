"""``python -m ionzoo``: the same as the ``ionzoo`` command."""

import sys

from .cli import main

sys.exit(main())
