"""Pure engines: plain Python, numpy and scipy in, named frozen dataclasses out.

Nothing under this package imports Django (an import-linter contract in the test suite checks
it). Each module cites the method it implements.
"""
