"""`python -m bench`: the HTTP bench (bench/http.py)."""

import sys

from bench.http import main

sys.exit(main())
