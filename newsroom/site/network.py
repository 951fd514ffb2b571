from django.conf import settings


def client_ip(request) -> str | None:
    """The reader's address.

    Behind the operator's proxy (TRUST_X_FORWARDED_FOR), it is the last
    address in X-Forwarded-For: the one the proxy itself appended. Earlier
    entries are whatever the client chose to send.
    """
    if settings.TRUST_X_FORWARDED_FOR:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops and hops[-1]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None
