from broadfront.web.common.admin_base import register_all
from broadfront.web.scenarios import models

register_all(models)
