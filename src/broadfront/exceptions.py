"""One exception hierarchy for Broadfront.

Every error a user can cause derives from :class:`BroadfrontError` and carries a stable,
machine-readable ``code``. The REST API maps them to 4xx JSON responses with that code, the
CLI turns them into one clear line on stderr and exit status 1.
"""

from __future__ import annotations


class BroadfrontError(Exception):
    """Base class of every error Broadfront raises on purpose."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class ValidationError(BroadfrontError, ValueError):
    """An argument, a field or a file holds a value that cannot be used.

    ``parameter`` names the argument or field; ``location`` names the file and row (or JSON
    pointer) where it was found, when the value came from a file.
    """

    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        location: str | None = None,
        code: str | None = None,
    ) -> None:
        self.parameter = parameter
        self.location = location
        full = f"{location}: {message}" if location else message
        super().__init__(full, code=code)


class InputFileError(ValidationError):
    """A file could not be read or parsed: names the file, row and field."""

    code = "bad_file"

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        parts = [file]
        if row is not None:
            parts.append(f"row {row}")
        if field is not None:
            parts.append(f"field '{field}'")
        super().__init__(message, parameter=field, location=", ".join(parts))


class TooLargeError(BroadfrontError):
    """An exact computation would exceed its memory or time budget."""

    code = "too_large"
    http_status = 422


class NotFoundError(BroadfrontError):
    """The object does not exist or is not visible to this user."""

    code = "not_found"
    http_status = 404


class PermissionDeniedError(BroadfrontError):
    """The user may see the object but not change it."""

    code = "forbidden"
    http_status = 403


class ConflictError(BroadfrontError):
    """The change conflicts with the stored state (duplicate natural key, closed decision)."""

    code = "conflict"
    http_status = 409
