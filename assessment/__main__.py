"""`python -m assessment` is the `skb` command."""

import sys

from assessment.workflow.cli import main

sys.exit(main())
