"""Sign-in throttling: django-axes in front of Django's password check.

Settings (``AXES_*`` in ``settings.py``) lock a username at one address after
``BROADFRONT_LOGIN_FAILURE_LIMIT`` failures within ``BROADFRONT_LOGIN_LOCKOUT_MINUTES``. The
sign-in page and the admin's sign-in both pass the request to ``authenticate``, so both are
throttled; the API takes no passwords (tokens only), so it has nothing to throttle. Site
operators lift a lock with :func:`unlock` (``broadfront unlock USERNAME``) or in the admin.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class ThrottledSignIn(AxesStandaloneBackend):
    """Refuse a sign-in while its username is locked at its address.

    Only a sign-in that comes with a request (a web page or the admin) has an address to
    throttle. ``authenticate`` without one is a call from inside the process (the test
    client's ``login``, a shell): it is not throttled, where django-axes would raise.
    """

    def authenticate(self, request: Any, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def unlock(username: str) -> int:
    """Lift every sign-in lock of ``username`` (at any address); returns the attempts cleared."""
    from axes.utils import reset

    return int(reset(username=username))
