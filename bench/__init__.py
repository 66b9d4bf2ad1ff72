"""Benchmarks: `uv run python -m bench.readside`."""
