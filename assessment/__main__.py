"""`python -m assessment` is the `skb` command."""

import sys

from .cli import main

sys.exit(main())
