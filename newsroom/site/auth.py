"""Staff log in through the admin; guessing passwords from one address is slowed down.

The address is the client's, also behind nginx (TRUST_X_FORWARDED_FOR):
counted by the proxy's own address, ten wrong passwords from anyone would
lock every moderator out.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from newsroom.site.network import client_ip

GROUP = "admin.login-failures"


def _failures(request, *, count):
    return get_usage(
        request,
        group=GROUP,
        key=lambda _group, req: client_ip(req) or "",
        rate=settings.ADMIN_LOGIN_RATE,
        method=ALL,
        increment=count,
    )


class LoginAttemptLimitBackend(ModelBackend):
    """Refuses every login from an address that failed too often, right or wrong."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            usage = _failures(request, count=False)
            if usage and usage["count"] >= usage["limit"]:
                # PermissionDenied stops Django from trying other backends.
                raise PermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        _failures(request, count=True)
