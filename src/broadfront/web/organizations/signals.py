"""What organizations announce to the apps above them, which listen without being imported.

``person_deleted`` is sent by :func:`broadfront.web.organizations.services.do_delete_person`
inside its transaction, after the person (and with them their RSVPs) is gone, with
``organization_id`` (``None`` for a public figure). Accountability recounts its attendance
summary on it (:mod:`broadfront.web.accountability.summary`).
"""

from __future__ import annotations

from django.dispatch import Signal

person_deleted = Signal()
