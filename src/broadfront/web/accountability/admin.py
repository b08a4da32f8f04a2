from django.db.models import Q

from broadfront.web.accountability import models
from broadfront.web.common.admin_base import register_all
from broadfront.web.common.tenancy import own_org_ids

# A tally counts one organization's people at an event: it stays with that organization.
register_all(models, AttendanceTally={
    "scope": lambda user: Q(organization_id__in=own_org_ids(user))})
