"""`python -m benchmarks`: run the benchmarks, print the table, write the JSON."""

import sys

from .runner import main

sys.exit(main())
