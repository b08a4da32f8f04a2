from django.db.models import Q

from broadfront.web.common.admin_base import register_all
from broadfront.web.common.tenancy import own_org_ids
from broadfront.web.decisions import models

# Options and impacts are as private as their decision.
register_all(models,
             Option={"scope": lambda user: Q(decision__organization_id__in=own_org_ids(user))},
             Impact={"scope": lambda user: Q(
                 option__decision__organization_id__in=own_org_ids(user))})
