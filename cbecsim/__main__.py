"""``python -m cbecsim`` is the ``cbecsim`` command."""

import sys

from cbecsim.cli import main

sys.exit(main())
