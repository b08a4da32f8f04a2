"""The ``broadfront`` command line: one module per command group (typer)."""
