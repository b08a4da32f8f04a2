"""Pure readers and writers: OSDI, Popolo, CSV. Never imports Django."""
