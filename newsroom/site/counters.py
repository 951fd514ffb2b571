"""Limits counted in Django's shared cache: comments per address, failed sign-ins.

A limit is a rate such as «5/10m»: at most five in each ten-minute window.
Windows are fixed (aligned on the clock), and each window has a key of its
own, so that a counter never outlives its window and a key left behind by
an expiry race is never read again.

A hit is one `add` (a new window starts at the amount) or one `incr`: both
atomic on Redis, so concurrent requests on any number of workers and
servers each get a different count, and exactly `limit` of them are within
the limit. Django's local-memory cache holds a lock for both, so they are
atomic within one process. The file-based cache reads and writes a file for
each: two workers counting at the same instant may both read the same
count, so a burst can pass a limit by about one per worker; sequential
requests are counted exactly.

When the cache cannot be reached, the resilient Redis backend answers as an
empty cache (newsroom/delivery/backends.py): every hit is the first of its
window, and limits are not enforced until it is back.
"""

import hashlib
import ipaddress
import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Kept a little past its window, so that a window's last hit finds its key.
_GRACE = 5


def parse_rate(rate: str) -> tuple[int, int]:
    """«5/10m» as (5, 600): how many, in how many seconds."""
    match = _RATE_RE.match(rate or "")
    if not match:
        raise ImproperlyConfigured(f"A rate is written like 5/10m, not {rate!r}.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def address_key(address: str | None) -> str:
    """Who an address is for counting: an IPv4 address, or the /64 an IPv6 one belongs to.

    One IPv6 subscriber is usually given a whole /64 and may use any address
    in it, so counting addresses one by one would count nothing.
    """
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Limit:
    """A named rate, counted separately for each value (an address, an account)."""

    name: str
    rate: str

    @property
    def allowed(self) -> int:
        return parse_rate(self.rate)[0]

    def _key(self, value: str, now: float | None = None) -> tuple[str, int]:
        _count, seconds = parse_rate(self.rate)
        window = int((time.time() if now is None else now) // seconds)
        digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
        return f"limit:{self.name}:{seconds}:{window}:{digest}", seconds + _GRACE

    def count(self, value: str) -> int:
        """How many this window has counted so far for `value`."""
        key, _timeout = self._key(value)
        return int(cache.get(key) or 0)

    def reached(self, value: str) -> bool:
        return self.count(value) >= self.allowed

    def hit(self, value: str, amount: int = 1) -> int:
        """Count `amount` more for `value`; the count in this window, this hit included."""
        key, timeout = self._key(value)
        for _attempt in range(2):
            if cache.add(key, amount, timeout):
                return amount
            try:
                return cache.incr(key, amount)
            except ValueError:
                # Expired between the add and the increment, or the cache is
                # unavailable: start the window again.
                continue
        return amount

    def exceeded_by_hit(self, value: str) -> bool:
        """Count one more; whether that one is past the limit."""
        return self.hit(value) > self.allowed

    def undo(self, value: str, amount: int = 1) -> None:
        """Give back what a hit took, when what it counted did not happen after all."""
        key, _timeout = self._key(value)
        try:
            cache.decr(key, amount)
        except ValueError:
            pass
