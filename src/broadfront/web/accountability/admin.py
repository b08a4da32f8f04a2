from broadfront.web.accountability import models
from broadfront.web.common.admin_base import register_all

register_all(models)
