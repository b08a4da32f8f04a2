"""The attendance summary: RSVP counts per event and organization of the people who answered.

Show-up rates of every partner at a table need every RSVP of the coalition's people: two
million rows at the scale the pages are built for. Grouping them on each request is too slow,
so :class:`~broadfront.web.accountability.models.AttendanceTally` keeps, for each event and
each organization whose people answered it, the counts the pages read (said yes, said maybe,
came, said yes with attendance taken, said yes and came). It is a materialized aggregate
(Gupta and Mumick, "Maintenance of Materialized Views: Problems, Techniques, and
Applications", IEEE Data Engineering Bulletin 18(2), 1995): every figure read from it equals
the same ``GROUP BY`` over the attendance rows.

How it stays exact:

- a single :class:`Attendance` saved through the ORM (services, admin, tests) recomputes its
  own (event, organization) row at once (a ``post_save`` receiver, same transaction);
- bulk loads and imports that bypass ``save()`` (``bulk_create``, raw SQL, queryset deletes)
  call :func:`refresh_attendance_summary` at the end of their transaction;
- deleting an event or an organization deletes its rows (``on_delete=CASCADE``);
- deleting a person through ``do_delete_person`` (their RSVPs go with them) recounts their
  organization's rows (its ``person_deleted`` signal, same transaction).

Not covered automatically (call :func:`refresh_attendance_summary` after them): deleting
attendance rows with a queryset ``delete()`` and moving a person to another organization.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_save

from broadfront.web.accountability.models import Attendance, AttendanceTally
from broadfront.web.organizations.models import Person
from broadfront.web.organizations.signals import person_deleted

_COLUMNS = "event_id, organization_id, rsvps, said_yes, said_maybe, came, taken, yes_and_came"


def _select(where: str) -> str:
    att = Attendance._meta.db_table
    person = Person._meta.db_table
    return (
        f"SELECT a.event_id, p.owner_id, COUNT(*),"
        f" SUM(CASE WHEN a.status = 'accepted' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN a.status = 'tentative' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN a.attended THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN a.status = 'accepted' AND a.attended IS NOT NULL THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN a.status = 'accepted' AND a.attended THEN 1 ELSE 0 END)"
        f" FROM {att} a JOIN {person} p ON p.id = a.person_id"
        f" {where} GROUP BY a.event_id, p.owner_id"
    )


def refresh_attendance_summary(organization_ids: Iterable[int] | None = None) -> int:
    """Recompute the attendance summary from the attendance rows.

    Definition: for every event ``e`` and organization ``o`` with at least one RSVP from a
    person owned by ``o``, one row holding ``COUNT(*)`` and the conditional counts of those
    RSVPs (said yes, said maybe, came, said yes with attendance taken, said yes and came).

    Parameters
    ----------
    organization_ids : iterable of int, optional
        Recompute only the rows of the people of these organizations (an import into one
        organization). ``None`` (the default) rebuilds every row, people without an owner
        included (after a bulk load or bulk deletes).

    Returns
    -------
    int
        The number of summary rows written.

    References
    ----------
    A. Gupta and I. S. Mumick, "Maintenance of Materialized Views: Problems, Techniques, and
    Applications", IEEE Data Engineering Bulletin 18(2), 1995.

    Examples
    --------
    >>> refresh_attendance_summary([])  # no organization: nothing to do
    0
    """
    table = AttendanceTally._meta.db_table
    ids = None if organization_ids is None else sorted({int(i) for i in organization_ids})
    if ids is not None and not ids:
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        if ids is None:
            cur.execute(f"DELETE FROM {table}")
            cur.execute(f"INSERT INTO {table} ({_COLUMNS}) {_select('')}")
        else:
            marks = ", ".join(["%s"] * len(ids))
            cur.execute(f"DELETE FROM {table} WHERE organization_id IN ({marks})", ids)
            cur.execute(f"INSERT INTO {table} ({_COLUMNS}) "
                        f"{_select(f'WHERE p.owner_id IN ({marks})')}", ids)
        written = cur.rowcount
    return max(int(written), 0)


def refresh_pair(event_id: int, organization_id: int | None) -> None:
    """Recompute the one summary row of ``event_id`` and ``organization_id`` (``None``: people
    without an owner); removes it when no RSVP is left."""
    table = AttendanceTally._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        if organization_id is None:
            cur.execute(f"DELETE FROM {table} WHERE event_id = %s AND organization_id IS NULL",
                        [event_id])
            cur.execute(f"INSERT INTO {table} ({_COLUMNS}) "
                        f"{_select('WHERE a.event_id = %s AND p.owner_id IS NULL')}", [event_id])
        else:
            cur.execute(f"DELETE FROM {table} WHERE event_id = %s AND organization_id = %s",
                        [event_id, organization_id])
            cur.execute(f"INSERT INTO {table} ({_COLUMNS}) "
                        f"{_select('WHERE a.event_id = %s AND p.owner_id = %s')}",
                        [event_id, organization_id])


def _attendance_saved(sender: Any, instance: Attendance, **kwargs: Any) -> None:
    owner = Person.objects.filter(pk=instance.person_id).values_list("owner_id", flat=True)
    for org in owner[:1]:
        refresh_pair(instance.event_id, org)


post_save.connect(_attendance_saved, sender=Attendance,
                  dispatch_uid="broadfront.accountability.attendance_summary")


def _person_deleted(sender: Any, organization_id: int | None, **kwargs: Any) -> None:
    # Deleting a person deletes their RSVPs in bulk: recount their organization's summary.
    refresh_attendance_summary([organization_id] if organization_id else None)


person_deleted.connect(_person_deleted, sender=Person,
                       dispatch_uid="broadfront.accountability.attendance_summary.person")
