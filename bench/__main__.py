"""`python -m bench`: the HTTP bench (bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
