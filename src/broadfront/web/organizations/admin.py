from broadfront.web.common.admin_base import register_all
from broadfront.web.organizations import models

register_all(models, Organization={"list_display": ("name", "kind", "spectrum_position",
                                                      "influence", "base_size"),
                                     "search_fields": ("name",), "list_filter": ("kind",)},
             Person={"list_display": ("given_name", "family_name", "owner", "email"),
                     "search_fields": ("given_name", "family_name", "email")},
             Division={"list_display": ("ocd_id", "name", "level", "expected_attendance"),
                       "search_fields": ("ocd_id", "name"), "list_filter": ("level",)})
