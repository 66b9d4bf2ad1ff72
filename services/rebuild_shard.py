"""One shard of a rebuild in its own process (projections/shards.py starts it): it builds the
application as `techplan` does, which projections may not import, and folds its share."""

from __future__ import annotations

import json
import pickle
import sys

from projections.shards import fold_shard
from services.bootstrap import bootstrap


def main() -> None:
    """A shard's process: its task pickled on standard input (the parent's settings, which
    hold the database's address), progress and answer on standard output."""
    settings, names, shard, shards, end, batch = pickle.loads(sys.stdin.buffer.read())
    container = bootstrap(settings)
    try:
        counts = fold_shard(container.runner, names, shard, shards, end, batch)
    finally:
        container.close()
    print(f"folded {json.dumps(counts)}", flush=True)


if __name__ == "__main__":
    main()
