"""Form helpers shared by the apps' pages: a service's error shown on the form that caused it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from broadfront.exceptions import (
    BroadfrontError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)


def add_service_error(form: forms.Form, exc: BroadfrontError,
                      field_of: Mapping[str, str] | None = None) -> None:
    """Show a service's error next to the field it names (or above the form).

    ``field_of`` maps a service's parameter name to the form field that holds it, where the
    two differ (e.g. the landscape's ``organization`` and ``person`` are one ``actor`` field).
    """
    field = getattr(exc, "parameter", None) if isinstance(exc, ValidationError) else None
    if field_of:
        field = field_of.get(field or "", field)
    form.add_error(field if field in form.fields else None, str(exc))


def error_status(exc: BroadfrontError) -> int:
    """The status of a page that shows a refused form again: 403, 409 or 400."""
    if isinstance(exc, PermissionDeniedError):
        return 403
    return 409 if isinstance(exc, ConflictError) else 400


def form_error(form: forms.Form) -> ValidationError:
    """A refused form's first error as the service layer's :class:`ValidationError`.

    The error names the form field (``parameter``), so a page shows a form's refusal exactly
    as it shows a service's: the same message, next to the same field, with the same status.
    """
    for name, errors in form.errors.items():
        return ValidationError(str(errors[0]), parameter=None if name == "__all__" else name)
    return ValidationError("the form is not valid")


class ParsingForm(forms.Form):
    """A form that parses page input into the typed values a service takes."""

    def parsed(self) -> dict[str, Any]:
        """The cleaned values; :class:`ValidationError` naming the first bad field otherwise."""
        if not self.is_valid():
            raise form_error(self)
        return self.cleaned_data
