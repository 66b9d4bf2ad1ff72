"""The neutral lower layer: PostgreSQL access, the event store and reading its log.

Both `services` and `projections` stand on it; it imports `domain` and nothing else of the
project.
"""
