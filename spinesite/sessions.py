"""Sessions in PostgreSQL (Django's database engine), with the cookie's key checked
before it is looked up.

Django makes session keys of 32 lowercase letters and digits; a cookie can say
anything. A key with a NUL in it reached the database, which refuses such text with
an error: a 500 for any visitor who sent one, on any page that asks who is logged in.
Any key Django could not have made is no session at all.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and KEY.fullmatch(key) is not None
