from broadfront.web.common.admin_base import register_all
from broadfront.web.landscape import models

register_all(models)
