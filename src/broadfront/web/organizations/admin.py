from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from broadfront.web.common.admin_base import ScopedAdmin, register_all
from broadfront.web.common.tenancy import ROLE_ADMIN, coalition_ids, own_org_ids
from broadfront.web.organizations import models


def _role_scope(user: Any) -> Q:
    """Who holds which role: the user's own roles, and every role of an organization the
    user administers."""
    return Q(user_id=user.pk) | Q(organization_id__in=own_org_ids(user, ROLE_ADMIN))


def _table_scope(user: Any) -> Q:
    """Seats and coordinators of the coalition tables the user sits at."""
    return Q(coalition_id__in=coalition_ids(user))


def _save_curation(self: Any, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
    """A site operator grants curation: recorded as granted by them (the admin's own save
    writes the audit entry, naming the curating organization)."""
    if obj.granted_by_id is None:
        obj.granted_by = request.user
    ScopedAdmin.save_model(self, request, obj, form, change)


register_all(models, OrganizationRole={"scope": _role_scope},
             CoalitionMembership={"scope": _table_scope},
             CoalitionCoordinator={"scope": _table_scope},
             Organization={"list_display": ("name", "kind", "spectrum_position",
                                                      "influence", "base_size"),
                                     "search_fields": ("name",), "list_filter": ("kind",)},
             Person={"list_display": ("given_name", "family_name", "owner", "email"),
                     "search_fields": ("given_name", "family_name", "email")},
             Division={"list_display": ("ocd_id", "name", "level", "expected_attendance"),
                       "search_fields": ("ocd_id", "name"), "list_filter": ("level",)},
             Curation={"list_display": ("organization", "body", "division", "granted_by",
                                        "granted_at"),
                       "raw_id_fields": ("body", "division"),
                       "readonly_fields": ("granted_by", "granted_at"),
                       "save_model": _save_curation})
