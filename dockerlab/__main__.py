"""`python -m dockerlab` is `dockerlab`."""

import sys

from dockerlab.cli import main

sys.exit(main())
