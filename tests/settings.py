"""The project's settings for the test suite: the same environment-read
settings, with a signing key of its own so that tests run with DEBUG off,
as production does, without a SECRET_KEY in the environment.

The cache is whichever the environment chooses, as for `make run` and
production: Redis with REDIS_URL (CI's PostgreSQL run), otherwise the
embedded default's file cache, here in a directory of the run's own.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from newsroom.site.settings import *  # noqa: E402, F403
from newsroom.site.settings import CACHES, REDIS_URL  # noqa: E402

if not REDIS_URL:
    _cache_dir = tempfile.mkdtemp(prefix="newsroom-test-cache-")
    atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    CACHES["default"]["LOCATION"] = _cache_dir
# Uploads and their resized copies go to a directory of the run's own; the
# demo's drawn pictures (seconds of resizing each load) only where a test asks.
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
DEMO_PICTURES = False
# E-mail is sent by the tests themselves (comments.outbox.send_due), never by
# a thread left running between tests.
COMMENT_MAIL_IN_PROCESS = False
SITE_URL = "http://testserver"
