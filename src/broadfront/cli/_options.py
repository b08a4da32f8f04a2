"""Option checks every command shares, so that an error names the option the user typed.

The engines name their Python parameters (``min_votes must be an integer >= 1``); on the
command line the same mistake reads ``--min-votes must be an integer >= 1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import typer

from broadfront.exceptions import InputFileError, ValidationError

#: The one option that lifts the soft limits of every analysis command (docs/cli.md, "Limits").
NO_LIMITS_HELP = (
    "Lift the soft limits on sizes (samples, draws, replicates, members, options, ballots, "
    "file size) up to the hard memory-safety limits; the run may take long (docs/cli.md)."
)


def no_limits_option() -> bool:
    """The ``--no-limits`` option, declared the same way on every analysis command."""
    return typer.Option(False, "--no-limits", help=NO_LIMITS_HELP)  # type: ignore[no-any-return]


def check_seed(seed: int | None) -> None:
    """Refuse a negative ``--seed`` (numpy seeds are non-negative integers).

    Examples
    --------
    >>> check_seed(7)
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: --seed must not be negative, got -1
    """
    if seed is not None and seed < 0:
        raise ValidationError(f"--seed must not be negative, got {seed}", parameter="--seed")


@contextmanager
def options_named(names: Mapping[str, str]) -> Iterator[None]:
    """Re-word an engine's error about parameter ``p`` as an error about option ``names[p]``.

    Only a message that starts with the parameter's name is re-worded; file errors pass
    through unchanged.

    Examples
    --------
    >>> with options_named({"min_votes": "--min-votes"}):
    ...     raise ValidationError("min_votes must be an integer >= 1, got 0", parameter="min_votes")
    Traceback (most recent call last):
    ...
    broadfront.exceptions.ValidationError: --min-votes must be an integer >= 1, got 0
    """
    try:
        yield
    except InputFileError:
        raise
    except ValidationError as exc:
        for name, option in names.items():
            if exc.message.startswith(f"{name} "):
                raise ValidationError(option + exc.message[len(name):], parameter=option,
                                      code=exc.code) from None
        raise
