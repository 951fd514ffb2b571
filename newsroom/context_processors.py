from django.conf import settings

from .models import Service


def site(request):
    """The header's services; lazily evaluated, so pages that do not show them pay nothing."""
    return {
        "site_name": settings.SITE_NAME,
        "menu_services": Service.objects.only("name", "slug"),
    }
