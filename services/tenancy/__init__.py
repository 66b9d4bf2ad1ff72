"""A tenant's data as a whole: export, import, purge (moving between cells, off-boarding)."""
