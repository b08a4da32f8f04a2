"""The root URLconf's old address: the URLs are :mod:`broadfront.web.site.urls` (``ROOT_URLCONF``).

Kept so that code and tests naming ``broadfront.web.urls`` keep working; nothing is defined here.
"""

from broadfront.web.site.urls import urlpatterns

__all__ = ["urlpatterns"]
