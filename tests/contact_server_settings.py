"""Settings for the gunicorn processes of tests/test_contact_concurrency.py.

Production settings, except that static files are served from their sources
(the manifest storage needs `collectstatic` first).
"""

from spinesite.settings import *  # noqa: F403
from spinesite.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
