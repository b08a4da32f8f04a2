"""The root ``broadfront`` command. Each group lives in its own module and registers itself."""

from __future__ import annotations

import importlib

from broadfront.cli._common import new_app

app = new_app("Broadfront: make an organizing coalition's power legible.")

# Each module defines ``register(app)`` that adds its commands or sub-groups to ``app``.
COMMAND_MODULES = [
    "broadfront.cli.site",
    "broadfront.cli.power",
    "broadfront.cli.caucus",
    "broadfront.cli.reliability",
    "broadfront.cli.simulate",
    "broadfront.cli.landscape",
    "broadfront.cli.decide",
    "broadfront.cli.data",
    "broadfront.cli.jobs",
]

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:  # a group not written yet
        if _exc.name != _name:
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point of the ``broadfront`` console script."""
    app(prog_name="broadfront")


if __name__ == "__main__":
    main()
