"""Data in and out: imports and exports in OSDI, Popolo and CSV, with progress."""
