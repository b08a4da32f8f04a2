"""Broadfront: make an organizing coalition's power legible."""

__version__ = "0.1.0"
