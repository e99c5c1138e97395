"""A small rate limiter whose counts live in PostgreSQL, shared by every app process.

Usage, inside the transaction that stores the thing being limited::

    with transaction.atomic():
        if not ratelimit.hit(request, scope="contact", limit=5):
            return too_many_requests(request)
        thing.save()

`hit` takes a PostgreSQL advisory lock on the (scope, client) pair until the
transaction ends, so two processes counting the same client at once cannot both
slip under the limit; and if the transaction rolls back, the hit is not counted.

Only a salted hash of the client's address is stored (see `client_key`), and each
hit row expires after its window; `purge_expired` deletes expired rows.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

# The one client-address function, shared with the admin lockout (issue 14).
from spinesite.clientaddress import client_address, client_network

HOUR = 3600


def client_key(address, scope):
    """A salted hash of the address: the only trace of the client that is stored.

    IPv6 clients are counted per /64 (`spinesite.clientaddress.client_network`).
    """
    network = client_network(address)
    secret = settings.RATE_LIMIT_SALT or settings.SECRET_KEY
    return salted_hmac(
        "spinesite.ratelimit", f"{scope}\n{network}", secret=secret, algorithm="sha256"
    ).hexdigest()


def _lock(scope, key):
    digest = hashlib.sha256(f"ratelimit\n{scope}\n{key}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def count(request, scope, window=HOUR):
    """How many hits this client has in `scope` within the last `window` seconds."""
    from .models import RateLimitHit

    key = client_key(client_address(request), scope)
    since = timezone.now() - timedelta(seconds=window)
    return RateLimitHit.objects.filter(scope=scope, client=key, created__gte=since).count()


def hit(request, scope, limit, window=HOUR):
    """Count one hit for this client in `scope`; False (and nothing counted) if over `limit`.

    Call it inside `transaction.atomic()` around whatever is being limited: the lock
    and the new row belong to that transaction.
    """
    from .models import RateLimitHit

    key = client_key(client_address(request), scope)
    now = timezone.now()
    with transaction.atomic():
        _lock(scope, key)
        mine = RateLimitHit.objects.filter(scope=scope, client=key)
        mine.filter(expires__lte=now).delete()  # only this client's rows: no lock contention
        if mine.filter(created__gt=now - timedelta(seconds=window)).count() >= limit:
            return False
        RateLimitHit.objects.create(
            scope=scope, client=key, created=now, expires=now + timedelta(seconds=window)
        )
    return True


def purge_expired():
    """Delete every expired hit; returns how many."""
    from .models import RateLimitHit

    deleted, _ = RateLimitHit.objects.filter(expires__lte=timezone.now()).delete()
    return deleted


def too_many_requests(request, retry_after=HOUR):
    """The 429 page, in the site's design, with the clinic's phone number."""
    from django.shortcuts import render

    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response
