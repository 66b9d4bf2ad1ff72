"""Sum up py-spy's collapsed stacks (`python -m bench --profile DIR`): the functions with the
most samples, inclusive (anywhere on the stack) and exclusive (on top).

    uv run python -m bench.profile DIR/portfolio.txt [--top 40] [--match services/]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def summarise(text: str, match: str = "") -> tuple[int, Counter[str], Counter[str]]:
    total = 0
    inclusive: Counter[str] = Counter()
    exclusive: Counter[str] = Counter()
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [f for f in stack.split(";") if match in f]
        for frame in set(frames):
            inclusive[frame] += n
        if frames:
            exclusive[frames[-1]] += n
    return total, inclusive, exclusive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.profile")
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only frames containing this text")
    args = parser.parse_args(argv)
    total, inclusive, exclusive = summarise(args.file.read_text(), args.match)
    print(f"{total} samples")
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        print(f"\n{title}:")
        for frame, n in counter.most_common(args.top):
            print(f"{100 * n / max(total, 1):5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
