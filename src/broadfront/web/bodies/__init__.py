"""The "Bodies and power" area: who holds power in a council, convention or legislature."""
