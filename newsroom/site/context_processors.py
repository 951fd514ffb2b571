from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsroom.articles.seo import site_origin
from newsroom.models import Service


def _menu_services():
    return list(Service.objects.only("name", "slug"))


def site(request):
    """The site's name, its origin for absolute addresses, and the header's services.

    The services are a callable, so a page that does not render the menu
    anew (the menu is kept with `{% cache %}`, the admin, the 503 page)
    never reads them.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_origin": SimpleLazyObject(lambda: site_origin(request)),
        "menu_services": _menu_services,
    }
