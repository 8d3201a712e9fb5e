"""``python -m ionzoo.cli``: the same as the ``ionzoo`` command."""

import sys

from . import main

sys.exit(main())
