"""A bare Django response: the yardstick the page targets were set against.

bench/pages.py serves this module with gunicorn.conf.py, as the portal is
served, to see how fast the machine is at the moment of the run: Django's
handler and one view returning a line of text, with no middleware, template
or database. The throughput targets say what the portal must do where this
does about 2,600 requests/s.
"""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare-django-for-the-benchmark-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after the settings)
from django.http import HttpResponse  # noqa: E402
from django.urls import re_path  # noqa: E402


def hello(request):
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [re_path(r"", hello)]

application = get_wsgi_application()
