"""Overrides for the test suite: fast hashing, tasks run inline unless a test says otherwise."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("SECURE", "0")

from rapport.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_FAILURE_LIMIT = 3
ALLOWED_HOSTS = ["*"]
ANYMAIL = {**ANYMAIL, "WEBHOOK_SECRET": "inbound:test-secret"}  # noqa: F405

# A file, not memory, so that worker processes started by a test see the same database;
# one per test run, so that runs side by side do not share it (it is deleted at the end).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
else:
    # Likewise on PostgreSQL: two runs side by side must not drop each other's database.
    DATABASES["default"]["TEST"] = {"NAME": f"test_rapport_{os.getpid()}"}  # noqa: F405

# Uploaded files of this run, removed with it.
MEDIA_ROOT = BASE_DIR / "var" / f"media-test-{os.getpid()}"  # noqa: F405
