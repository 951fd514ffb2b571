import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.site.settings")

application = get_wsgi_application()

if settings.SECRET_KEY_MISSING and not settings.DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (or in .env); "
        "only DEBUG=true serves pages without one."
    )
