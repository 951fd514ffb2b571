from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from newsroom.articles.seo import site_origin
from newsroom.delivery import versions
from newsroom.models import Service


def menu_services(request):
    """The services, kept with the site's version (the menu and the search form list them).

    The home page asks twice, for its menu and its sections: they are read
    once per request, also when the cache cannot keep them (Redis away).
    """
    if not hasattr(request, "_menu_services"):
        key = "menu-services:" + versions.of_request(request)[versions.SITE]
        services = cache.get(key)
        if services is None:
            services = list(Service.objects.only("name", "slug"))
            cache.set(key, services, settings.PAGE_CACHE_SECONDS)
        request._menu_services = services
    return request._menu_services


def site(request):
    """The site's name, its origin for absolute addresses, and the header's services.

    Both are read only when a page uses them: a page whose menu is kept
    with `{% cache %}`, the admin and the 503 page never read the services.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_origin": SimpleLazyObject(lambda: site_origin(request)),
        "menu_services": SimpleLazyObject(lambda: menu_services(request)),
    }
