from django.conf import settings

from newsroom.delivery import pagecache
from newsroom.models import Service


def _menu_services():
    return list(Service.objects.only("name", "slug"))


def menu_services():
    """The header's services, kept in the cache until a service or an article changes."""
    return pagecache.cached_value(
        "menu-services", [pagecache.SITE], _menu_services, settings.PAGE_CACHE_SECONDS
    )


def site(request):
    """The site's name and the header's services.

    The services are a callable, so a page that does not show them (the
    admin, the 503 page) never reads them.
    """
    return {"site_name": settings.SITE_NAME, "menu_services": menu_services}
