"""One way to fetch one record for one user: :func:`get_visible`.

Every page, API endpoint and service that looks up a record by its id or slug asks here, so
the answer to "may this user see it?" is always ``Model.objects.visible_to(user)``
(:mod:`broadfront.web.common.tenancy`) and a record the user may not see is indistinguishable
from a missing one: both raise :class:`broadfront.exceptions.NotFoundError`, which the API
answers with a 404 ``{"code": "not_found"}`` (``web/api.py``) and the pages with the site's
"Nothing here" page (``web/common/middleware.py``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from broadfront.exceptions import NotFoundError

_M = TypeVar("_M", bound=models.Model)


def get_visible(
    model: type[_M],
    user: Any,
    pk: Any = None,
    *,
    what: str | None = None,
    queryset: models.QuerySet[_M] | None = None,
    **filters: Any,
) -> _M:
    """The one ``model`` row with ``pk`` (and ``filters``) that ``user`` may see.

    Parameters
    ----------
    model : Django model class
        A model with a scoped or public manager (``objects.visible_to``).
    user : User
        Who asks; an anonymous user sees nothing.
    pk : int or str, optional
        The primary key (a string of digits is accepted, as from a URL).
    what : str, optional
        The record's name in the message (``"commitment"``); the model's verbose name by
        default.
    queryset : QuerySet, optional
        A queryset of ``model`` to search instead of ``model.objects.visible_to(user)``, for
        annotations or ``select_related``; it must start from ``visible_to(user)``.
    **filters
        Further lookups (``slug="northside"``, ``campaign=campaign``).

    Returns
    -------
    The row.

    Raises
    ------
    NotFoundError
        No such row, or ``user`` may not see it (the same answer, so existence does not
        leak): ``commitment 12 not found``, ``body 'council' not found``.
    """
    qs = queryset if queryset is not None else model.objects.visible_to(user)  # type: ignore[attr-defined]
    if pk is not None:
        filters["pk"] = pk
    try:
        obj = qs.filter(**filters).first()
    except (TypeError, ValueError):  # a pk that is no number: no such row either
        obj = None
    if obj is None:
        name = what or str(model._meta.verbose_name)
        key = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in filters.values()
                        if not isinstance(v, models.Model))
        raise NotFoundError(f"{name} {key} not found".replace("  ", " "))
    return obj  # type: ignore[no-any-return]
