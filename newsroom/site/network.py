"""The reader's address, for rate limits, the admin's lockout and the comment record.

The address that reaches the app is that of whoever opened the connection:
the reader's own, or a proxy's (nginx, a load balancer, a CDN). A proxy
says whom it serves by appending that address to `X-Forwarded-For`; anyone
else can send the header too, with whatever they like in it. So the header
is read only when the connection comes from a proxy the operator named
(TRUSTED_PROXIES, or this machine alone for TRUST_X_FORWARDED_FOR), and
from the right, where each trusted proxy appended the address it saw: the
first address, going left, that is not one of the trusted proxies is the
reader. Whatever is further left was written by the reader and is never
believed.

An entry that is not an address stops the walk: a trusted proxy always
writes one, so what comes from there on cannot be vouched for, and the
last proxy that was trusted is taken as the reader instead.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What TRUST_X_FORWARDED_FOR=true alone trusts: nginx on the same machine.
LOCAL_PROXY = ["127.0.0.1", "::1"]


def client_ip(request) -> str | None:
    """The reader's address as text (IPv4-mapped IPv6 shown as IPv4), or None if unknown."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = trusted_networks(tuple(trusted_proxies()))
    reader = peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not (networks and _trusted(peer, networks)):
        if header and networks:
            _untrusted_header_seen(peer)
        return str(reader)
    for entry in reversed(header.split(",")):
        hop = parse_address(entry)
        if hop is None:
            break
        reader = hop
        if not _trusted(hop, networks):
            break
    return str(reader)


def trusted_proxies() -> list[str]:
    """TRUSTED_PROXIES, or this machine's own addresses for the older TRUST_X_FORWARDED_FOR."""
    if settings.TRUSTED_PROXIES:
        return settings.TRUSTED_PROXIES
    return LOCAL_PROXY if settings.TRUST_X_FORWARDED_FOR else []


def from_trusted_proxy(request, default=()) -> bool:
    """Whether the connection comes from a proxy the operator named (or one of `default`)."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    entries = tuple(trusted_proxies() or default)
    return peer is not None and bool(entries) and _trusted(peer, trusted_networks(entries))


def parse_address(text: str) -> Address | None:
    """An address as a proxy writes it, or None for anything else.

    IPv4-mapped IPv6 addresses («::ffff:203.0.113.9») are their IPv4 address,
    so that one reader has one spelling; an IPv6 zone («%eth0») is dropped.
    """
    text = text.strip()
    if not text or len(text) > 64:
        return None
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of TRUSTED_PROXIES (an address alone is a network of one)."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


_warned_of_untrusted_header = False


def _untrusted_header_seen(peer):
    # Once per process: a proxy left out of TRUSTED_PROXIES makes every reader
    # behind it one address, which the rate limits would then share.
    global _warned_of_untrusted_header
    if _warned_of_untrusted_header:
        return
    _warned_of_untrusted_header = True
    logger.warning(
        "X-Forwarded-For from %s ignored: it is not in TRUSTED_PROXIES. "
        "If it is your proxy, add it; if not, someone is trying to choose their address.",
        peer,
    )


def _trusted(address: Address, networks) -> bool:
    return any(address in network for network in networks)


# Lookups on an address column that compare it as text (PostgreSQL reads it
# through HOST()), so any value is fine; the others compare addresses.
_ADDRESS_TEXT_LOOKUPS = frozenset(
    {"iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"}
)
_ADDRESS_LOOKUPS = frozenset({"", "exact", "in", "gt", "gte", "lt", "lte"})


def address_filter_is_valid(lookup: str, value: str) -> bool:
    """Whether `value` can filter an address column with `lookup` ("", "in", "startswith" …).

    PostgreSQL refuses to compare an `inet` column with what is not an
    address, so the admin's filters in the query string are checked first.
    """
    if lookup in _ADDRESS_TEXT_LOOKUPS or lookup == "isnull":
        return True
    if lookup not in _ADDRESS_LOOKUPS:
        return False
    values = value.split(",") if lookup == "in" else [value]
    return all(_exact_address(entry) for entry in values)


def _exact_address(text: str) -> bool:
    # As PostgreSQL takes it: no spaces around it and no IPv6 zone.
    if "%" in text:
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
