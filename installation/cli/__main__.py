"""``python -m installation.cli``: how ``portrait serve`` starts its children with this interpreter."""

import sys

from installation.cli import main

sys.exit(main())
